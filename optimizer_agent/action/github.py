"""The one GitHub REST client: every API call the action makes goes through `GitHub.request`, with retries."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from optimizer_agent import __version__

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT_S = 30.0
RETRIES = 4
"""Extra attempts after the first on 5xx, 429, secondary rate limits and connection errors."""
BACKOFF_S = 1.0
"""First retry delay; each further retry doubles it."""
MAX_DELAY_S = 60.0
"""Longest wait honoured from a Retry-After header or the backoff."""
PER_PAGE = 100
MAX_PAGES = 50
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubError(Exception):
    """A GitHub API call failed for good; `status` is the HTTP status (0 when no answer came)."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        super().__init__(f"GitHub API {method} {path} failed ({status or 'no answer'}): {message}")
        self.status = status


class GitHub:
    """A small REST client for one repository, honouring `GITHUB_API_URL` (GitHub Enterprise included)."""

    def __init__(self, api_url: str, token: str, repo: str, *, retries: int = RETRIES, backoff: float = BACKOFF_S,
                 timeout: float = TIMEOUT_S, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_url = api_url.rstrip("/")
        self.repo = repo
        self._token = token
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep

    def __repr__(self) -> str:  # the token must never reach a log line
        return f"GitHub({self.api_url!r}, repo={self.repo!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], repo: str) -> GitHub | None:
        """A client for `repo` from GITHUB_API_URL and GITHUB_TOKEN, or None when there is no token."""
        token = environ.get("GITHUB_TOKEN", "").strip()
        if not token:
            return None
        return cls(environ.get("GITHUB_API_URL") or DEFAULT_API_URL, token, repo)

    def request(self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None) -> Any:
        """One API call with retries; returns the decoded JSON (None for an empty body)."""
        data, _ = self._call(method, self._url(path, query), body)
        return data

    def paginate(self, path: str, query: Mapping[str, Any] | None = None) -> list:
        """Every item of a list endpoint, following `Link: rel="next"`."""
        url = self._url(path, {**(query or {}), "per_page": PER_PAGE})
        items: list = []
        for _ in range(MAX_PAGES):
            data, headers = self._call("GET", url, None)
            items.extend(data or [])
            match = _NEXT_LINK.search(headers.get("Link", ""))
            if not match:
                break
            url = match.group(1)
        return items

    # --- endpoints -------------------------------------------------------------------------------------------

    def get_pull(self, number: int) -> dict:
        """The pull request as the API sees it now."""
        return self.request("GET", f"/repos/{self.repo}/pulls/{number}")

    def list_pulls(self, base: str) -> list[dict]:
        """Open pull requests into `base`."""
        return self.paginate(f"/repos/{self.repo}/pulls", {"state": "open", "base": base})

    def create_pull(self, head: str, base: str, title: str, body: str) -> dict:
        """Open a pull request from branch `head` into `base`."""
        return self.request("POST", f"/repos/{self.repo}/pulls",
                            {"head": head, "base": base, "title": title, "body": body, "maintainer_can_modify": True})

    def close_pull(self, number: int) -> dict:
        """Close a pull request without merging it."""
        return self.request("PATCH", f"/repos/{self.repo}/pulls/{number}", {"state": "closed"})

    def list_comments(self, number: int) -> list[dict]:
        """Every comment on the issue or pull request `number`."""
        return self.paginate(f"/repos/{self.repo}/issues/{number}/comments")

    def create_comment(self, number: int, body: str) -> dict:
        """Add a comment to the issue or pull request `number`."""
        return self.request("POST", f"/repos/{self.repo}/issues/{number}/comments", {"body": body})

    def update_comment(self, comment_id: int, body: str) -> dict:
        """Replace the body of an existing comment."""
        return self.request("PATCH", f"/repos/{self.repo}/issues/comments/{comment_id}", {"body": body})

    # --- transport -------------------------------------------------------------------------------------------

    def _url(self, path: str, query: Mapping[str, Any] | None) -> str:
        url = self.api_url + "/" + path.lstrip("/")
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def _call(self, method: str, url: str, body: Any) -> tuple[Any, Mapping[str, str]]:
        path = urllib.parse.urlsplit(url).path
        payload = None if body is None else json.dumps(body).encode()
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(url, data=payload, method=method, headers=self._headers(payload is not None))
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
                    return (json.loads(raw) if raw.strip() else None), resp.headers
            except urllib.error.HTTPError as exc:
                message = _error_message(exc)
                delay = self._retry_delay(exc, attempt)
                if delay is None or attempt == self.retries:
                    raise GitHubError(method, path, exc.code, message) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == self.retries:
                    reason = getattr(exc, "reason", exc)
                    raise GitHubError(method, path, 0, str(reason)) from None
                delay = self._backoff(attempt)
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
                   "Authorization": f"Bearer {self._token}", "User-Agent": f"optimizer-agent/{__version__}"}
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff * (2 ** attempt), MAX_DELAY_S)

    def _retry_delay(self, exc: urllib.error.HTTPError, attempt: int) -> float | None:
        """Seconds to wait before retrying this answer, or None when retrying cannot help."""
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        # GitHub's secondary rate limit answers 403 with Retry-After; a plain 403 is a permission problem.
        if exc.code not in RETRY_STATUSES and not (exc.code == 403 and retry_after):
            return None
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), MAX_DELAY_S)
        return self._backoff(attempt)


def _error_message(exc: urllib.error.HTTPError) -> str:
    """GitHub's `message` field, or the reason phrase."""
    try:
        data = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        data = {}
    return str(data.get("message") if isinstance(data, dict) and data.get("message") else exc.reason)
