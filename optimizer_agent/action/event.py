"""The `pull_request` event the workflow was triggered by, read from `GITHUB_EVENT_PATH`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field

from optimizer_agent.errors import BadInput

PULL_REQUEST_EVENT = "pull_request"


class PullRequest(BaseModel):
    """The fields of a pull request the action decides and publishes with."""

    number: int
    title: str = ""
    state: str = "open"
    draft: bool = False
    labels: list[str] = Field(default_factory=list)
    html_url: str = ""
    head_ref: str
    head_sha: str
    head_repo: str | None
    """`owner/name` of the head repository; None when the fork was deleted."""
    base_ref: str
    base_sha: str
    base_repo: str

    @property
    def is_fork(self) -> bool:
        """True when the head branch lives in another repository, which this run cannot push to."""
        return self.head_repo is None or self.head_repo.lower() != self.base_repo.lower()


def pull_request_from_api(data: Mapping) -> PullRequest:
    """A PullRequest from the REST API's (or the event's) `pull_request` object."""
    head, base = data.get("head") or {}, data.get("base") or {}
    try:
        return PullRequest(
            number=data["number"],
            title=data.get("title") or "",
            state=data.get("state") or "open",
            draft=bool(data.get("draft")),
            labels=[lab["name"] for lab in data.get("labels") or [] if isinstance(lab, Mapping) and "name" in lab],
            html_url=data.get("html_url") or "",
            head_ref=head["ref"],
            head_sha=head["sha"],
            head_repo=(head.get("repo") or {}).get("full_name"),
            base_ref=base["ref"],
            base_sha=base["sha"],
            base_repo=(base.get("repo") or {})["full_name"],
        )
    except (KeyError, TypeError) as exc:
        raise BadInput(f"the pull_request payload lacks a field: {exc}") from None


def load_event(environ: Mapping[str, str]) -> tuple[str, PullRequest | None]:
    """The event name and, for a `pull_request` event, its pull request (None for any other event)."""
    name = environ.get("GITHUB_EVENT_NAME", "")
    if name != PULL_REQUEST_EVENT:
        return name, None
    path = environ.get("GITHUB_EVENT_PATH", "")
    if not path:
        raise BadInput("GITHUB_EVENT_PATH is not set; run the action from a GitHub workflow")
    try:
        payload = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise BadInput(f"cannot read the event payload {path}: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("pull_request"), dict):
        raise BadInput(f"the {name} event payload {path} has no pull_request object")
    return name, pull_request_from_api(payload["pull_request"])
