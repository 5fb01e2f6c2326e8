"""Publishing a run: update the one comment, push commits to the PR branch, or open a follow-up PR."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from optimizer_agent.action.comment import has_marker, speed_cell, speedup_table
from optimizer_agent.action.event import PullRequest
from optimizer_agent.action.github import GitHub
from optimizer_agent.action.outcome import RunOutcome
from optimizer_agent.action.workspace import push

FOLLOW_UP_PREFIX = "optimizer-agent/pr-"
_RACE_MARKERS = ("non-fast-forward", "fetch first", "stale info")


class PushResult(BaseModel):
    """How a push went: pushed, lost a race against a newer push, or failed."""

    ok: bool
    raced: bool = False
    """The branch moved on since the run started; a newer run will take over."""
    message: str = ""


class Delivery(BaseModel):
    """What reached GitHub, for the comment and the summary."""

    lines: list[str] = Field(default_factory=list)
    comment_url: str | None = None
    pull_url: str | None = None
    pushed: list[str] = Field(default_factory=list)


def follow_up_branch(pr: PullRequest, run_id: str) -> str:
    """`optimizer-agent/pr-<number>-<run id>`: one branch per run, so a rerun never rewrites a reviewed branch."""
    return f"{FOLLOW_UP_PREFIX}{pr.number}-{run_id}"


def upsert_comment(gh: GitHub, number: int, body: str, create: bool) -> dict | None:
    """Update this action's comment in place; add one only when `create` and none exists yet."""
    mine = [c for c in gh.list_comments(number) if has_marker(c.get("body"))]
    if mine:
        return gh.update_comment(mine[0]["id"], body)
    return gh.create_comment(number, body) if create else None


def push_branch(root: Path, source: str, branch: str) -> PushResult:
    """Push `source` to `branch` on origin without forcing."""
    proc = push(root, source, branch)
    text = (proc.stdout + "\n" + proc.stderr).strip()
    if proc.returncode == 0:
        return PushResult(ok=True)
    raced = any(m in text for m in _RACE_MARKERS)
    errors = [l for l in text.splitlines() if l.startswith(("!", "error:", "fatal:", "remote:"))] or text.splitlines()[-1:]
    return PushResult(ok=False, raced=raced, message=" ".join(errors)[:500])


def follow_up_body(pr: PullRequest, outcome: RunOutcome) -> str:
    """The follow-up pull request's description."""
    lines = [f"Verified speedups for the functions changed in #{pr.number}. Merging this pull request adds "
             f"{len(outcome.speedups)} commit(s) to `{pr.head_ref}`.", "",
             speedup_table(outcome.speedups), ""]
    lines += [f"- {s.sha[:10]} {s.subject} ({speed_cell(s)})" for s in outcome.speedups]
    lines += ["", f"Each commit message carries the evidence. Run `{outcome.run_id}`."]
    return "\n".join(lines) + "\n"


def open_follow_up(gh: GitHub, root: Path, pr: PullRequest, outcome: RunOutcome) -> tuple[PushResult, dict | None]:
    """Push the run branch under a new name and open a PR into the PR's head branch; close older follow-ups."""
    branch = follow_up_branch(pr, outcome.run_id)
    pushed = push_branch(root, outcome.branch, branch)
    if not pushed.ok:
        return pushed, None
    count = len(outcome.speedups)
    title = f"perf: {count} verified speedup{'s' if count != 1 else ''} for #{pr.number}"
    created = gh.create_pull(branch, pr.head_ref, title, follow_up_body(pr, outcome))
    prefix = f"{FOLLOW_UP_PREFIX}{pr.number}-"
    for old in gh.list_pulls(pr.head_ref):
        ref = (old.get("head") or {}).get("ref", "")
        if ref.startswith(prefix) and ref != branch and old.get("number") != created.get("number"):
            gh.close_pull(old["number"])
    return pushed, created
