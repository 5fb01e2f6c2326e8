"""A scripted GitHub REST API on loopback: serves the endpoints the action calls and records every request."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    """One request as the server saw it (path without the API prefix)."""

    method: str
    path: str
    query: dict
    body: object
    authorization: str


@dataclass
class Scripted:
    """A scripted answer for the next request matching `method` and `path` (a regex)."""

    method: str
    path: str
    status: int
    headers: dict = field(default_factory=dict)
    message: str = "scripted failure"
    times: int = 1


class ScriptedGitHub:
    """An in-memory GitHub for one repository: issue comments and pull requests, behind a token check."""

    def __init__(self, repo: str = "acme/shop", token: str = "ghs_test_token", prefix: str = "/api/v3") -> None:
        self.repo, self.token, self.prefix = repo, token, prefix
        self.requests: list[Recorded] = []
        self.comments: dict[int, list[dict]] = {}
        self.pulls: dict[int, dict] = {}
        self.scripted: list[Scripted] = []
        self.user = "github-actions[bot]"
        self._next_id = 1000
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ---------------------------------------------------------------------------------------------

    def __enter__(self) -> ScriptedGitHub:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        """The API root to put in GITHUB_API_URL (with a GitHub Enterprise style prefix)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    # --- what tests look at ------------------------------------------------------------------------------------

    def calls(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Recorded requests, optionally filtered by method and a path regex."""
        return [r for r in self.requests
                if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))]

    def writes(self) -> list[tuple[str, str]]:
        """`(method, path)` of every request that changes something."""
        return [(r.method, r.path) for r in self.requests if r.method != "GET"]

    def add_pull(self, pull: dict) -> None:
        """Serve this pull request object (as in the event payload) from the pulls endpoints."""
        self.pulls[pull["number"]] = json.loads(json.dumps(pull))

    # --- routing -----------------------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, body: object) -> tuple[int, object, dict]:
        """Answer one request: (status, JSON body, extra headers)."""
        with self._lock:
            for s in self.scripted:
                if s.method == method and re.fullmatch(s.path, path) and s.times > 0:
                    s.times -= 1
                    return s.status, {"message": s.message}, s.headers
            repo = re.escape(self.repo)
            routes = [
                ("GET", rf"/repos/{repo}/issues/(\d+)/comments", self._list_comments),
                ("POST", rf"/repos/{repo}/issues/(\d+)/comments", self._create_comment),
                ("PATCH", rf"/repos/{repo}/issues/comments/(\d+)", self._update_comment),
                ("GET", rf"/repos/{repo}/pulls/(\d+)", self._get_pull),
                ("PATCH", rf"/repos/{repo}/pulls/(\d+)", self._update_pull),
                ("GET", rf"/repos/{repo}/pulls", self._list_pulls),
                ("POST", rf"/repos/{repo}/pulls", self._create_pull),
            ]
            for verb, pattern, fn in routes:
                m = re.fullmatch(pattern, path)
                if verb == method and m:
                    return fn(*m.groups(), query=query, body=body)
            return 404, {"message": "Not Found"}, {}

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _list_comments(self, number: str, query: dict, body: object):
        items = self.comments.get(int(number), [])
        per_page, page = int(query.get("per_page", 30)), int(query.get("page", 1))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            headers["Link"] = (f'<{self.url}/repos/{self.repo}/issues/{number}/comments?per_page={per_page}'
                               f'&page={page + 1}>; rel="next"')
        return 200, chunk, headers

    def _create_comment(self, number: str, query: dict, body: object):
        cid = self._new_id()
        comment = {"id": cid, "body": body["body"], "user": {"login": self.user},
                   "html_url": f"https://github.example/{self.repo}/pull/{number}#issuecomment-{cid}"}
        self.comments.setdefault(int(number), []).append(comment)
        return 201, comment, {}

    def _update_comment(self, cid: str, query: dict, body: object):
        for items in self.comments.values():
            for comment in items:
                if comment["id"] == int(cid):
                    comment["body"] = body["body"]
                    return 200, comment, {}
        return 404, {"message": "Not Found"}, {}

    def _get_pull(self, number: str, query: dict, body: object):
        pull = self.pulls.get(int(number))
        return (200, pull, {}) if pull else (404, {"message": "Not Found"}, {})

    def _update_pull(self, number: str, query: dict, body: object):
        pull = self.pulls.get(int(number))
        if not pull:
            return 404, {"message": "Not Found"}, {}
        pull.update(body)
        return 200, pull, {}

    def _list_pulls(self, query: dict, body: object):
        found = [p for p in self.pulls.values()
                 if p.get("state") == query.get("state", "open") and ("base" not in query or p["base"]["ref"] == query["base"])]
        return 200, found, {}

    def _create_pull(self, query: dict, body: object):
        number = max(self.pulls, default=0) + 1
        owner = self.repo.split("/")[0]
        pull = {"number": number, "state": "open", "draft": False, "title": body["title"], "body": body["body"],
                "labels": [], "html_url": f"https://github.example/{self.repo}/pull/{number}",
                "head": {"ref": body["head"], "sha": "", "label": f"{owner}:{body['head']}",
                         "repo": {"full_name": self.repo}},
                "base": {"ref": body["base"], "sha": "", "repo": {"full_name": self.repo}}}
        self.pulls[number] = pull
        return 201, pull, {}


class _Handler(BaseHTTPRequestHandler):
    api: ScriptedGitHub

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        query = dict(parse_qsl(parts.query))
        auth = self.headers.get("Authorization", "")
        if not path.startswith(self.api.prefix + "/"):
            status, data, headers = 404, {"message": "Not Found"}, {}
        else:
            path = path[len(self.api.prefix):]
            self.api.requests.append(Recorded(self.command, path, query, body, auth))
            if auth != f"Bearer {self.api.token}":
                status, data, headers = 401, {"message": "Bad credentials"}, {}
            else:
                status, data, headers = self.api.handle(self.command, path, query, body)
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = _serve
