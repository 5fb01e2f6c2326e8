"""Publishing: the one comment, pushes that race or are refused, and the follow-up branch name."""

from __future__ import annotations


from optimizer_agent.action.comment import MARKER
from optimizer_agent.action.event import pull_request_from_api
from optimizer_agent.action.github import GitHub
from optimizer_agent.action.publish import follow_up_branch, push_branch, upsert_comment
from tests.action.conftest import HEAD_REF, Shop, event_payload
from tests.action.github_server import ScriptedGitHub
from tests.conftest import git


def test_upsert_updates_the_marked_comment_and_creates_only_when_asked(api: ScriptedGitHub) -> None:
    gh = GitHub(api.url, api.token, api.repo, retries=0)
    assert upsert_comment(gh, 7, f"{MARKER}\nnothing", create=False) is None
    assert api.writes() == []
    api.comments[7] = [{"id": 1, "body": "human"}, {"id": 2, "body": f"{MARKER}\nold"}, {"id": 3, "body": "human"}]
    upsert_comment(gh, 7, f"{MARKER}\nnew", create=False)
    assert api.writes() == [("PATCH", "/repos/acme/shop/issues/comments/2")]
    assert [c["body"] for c in api.comments[7]] == ["human", f"{MARKER}\nnew", "human"]


def _advance_local(shop: Shop) -> str:
    """A local commit on top of the PR head, as the run branch would hold."""
    ws = shop.workspace
    git(ws, "checkout", "-q", "-B", "run", shop.head_sha)
    (ws / "shop" / "extra.py").write_text("X = 1\n")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "perf")
    return git(ws, "rev-parse", "HEAD").strip()


def test_a_push_that_lost_a_race_is_told_apart_from_a_refusal(shop: Shop) -> None:
    local = _advance_local(shop)
    shop.add_pr_commit({"NOTES.md": "someone pushed meanwhile\n"}, "Meanwhile")
    raced = push_branch(shop.workspace, "run", HEAD_REF)
    assert not raced.ok and raced.raced and HEAD_REF in raced.message

    hook = shop.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch: pushes need a review' >&2\nexit 1\n")
    hook.chmod(0o755)
    refused = push_branch(shop.workspace, "run", "other-branch")
    assert not refused.ok and not refused.raced and "protected branch" in refused.message
    hook.unlink()
    assert push_branch(shop.workspace, "run", "other-branch").ok
    assert shop.remote_refs()["refs/heads/other-branch"] == local


def test_follow_up_branch_name(shop: Shop) -> None:
    pr = pull_request_from_api(event_payload(shop)["pull_request"])
    assert follow_up_branch(pr, "20260101-000000-abcd") == "optimizer-agent/pr-7-20260101-000000-abcd"
