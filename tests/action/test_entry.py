"""`optimizer-agent action` end to end: a recorded event, a bare remote, and the scripted GitHub API, per mode."""

from __future__ import annotations

import re

from optimizer_agent.action.comment import MARKER
from tests.action.conftest import HEAD_REF, PR_NUMBER, REPO, TOKEN, Shop, event_payload, run_action
from tests.action.github_server import ScriptedGitHub
from tests.conftest import git

COMMENTS = f"/repos/{REPO}/issues/{PR_NUMBER}/comments"
SPEED = re.compile(r"\| `shop/stock\.py::count_blocked` \| (\d+\.\d\d)x \[(\d+\.\d\d), (\d+\.\d\d)\] \| 4/4 passed \| ([^|]+) \|")


def assert_speedup_row(text: str) -> None:
    """The table row for count_blocked shows a verified speedup with its CI, the tests and the skills."""
    match = SPEED.search(text)
    assert match, text
    speedup, low, high = map(float, match.groups()[:3])
    assert 1.05 <= low <= speedup <= high
    assert "O001" in match.group(4)  # membership test on a list -> set


def perf_commits(shop: Shop, tip: str) -> list[str]:
    """Full messages of the remote's commits between the PR head and `tip`."""
    out = git(shop.remote, "log", "--format=%B%x00", f"{shop.head_sha}..{tip}")
    return [m.strip() for m in out.split("\x00") if m.strip()]


def test_comment_mode_posts_one_comment_and_a_rerun_updates_it(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop)
    api.add_pull(payload["pull_request"])
    # A busy thread: the action's comment lands on the second page of comments.
    api.comments[PR_NUMBER] = [{"id": i, "body": f"review note {i}", "user": {"login": "dev-alice"}}
                               for i in range(1, 121)]
    refs = shop.remote_refs()

    first = run_action(shop, api, payload, "comment")
    assert first.returncode == 0, first.stderr
    assert api.writes() == [("POST", COMMENTS)]
    [posted] = [c for c in api.comments[PR_NUMBER] if MARKER in c["body"]]
    body = posted["body"]
    assert body.startswith(MARKER + "\n### optimizer-agent: 1 verified speedup")
    assert_speedup_row(body)
    assert "<details><summary><code>count_blocked</code>" in body and "```diff" in body
    assert "-        if item in blocked:" in body and "set(blocked)" in body
    assert "Nothing was pushed (mode `comment`)" in body
    assert shop.remote_refs() == refs  # comment mode pushes nothing
    assert "**1 verified speedup (posted as a comment).**" in first.summary
    assert_speedup_row(first.summary)
    assert "Checked out the pull request's head commit" in first.summary
    assert all(r.authorization == f"Bearer {TOKEN}" for r in api.requests)
    assert TOKEN not in first.stdout + first.stderr + first.summary

    second = run_action(shop, api, payload, "comment")
    assert second.returncode == 0, second.stderr
    assert api.writes() == [("POST", COMMENTS), ("PATCH", f"/repos/{REPO}/issues/comments/{posted['id']}")]
    mine = [c for c in api.comments[PR_NUMBER] if MARKER in c["body"]]
    assert len(mine) == 1 and len(api.comments[PR_NUMBER]) == 121
    assert mine[0]["body"] != body and mine[0]["body"].startswith(MARKER)
    assert_speedup_row(mine[0]["body"])
    listed = api.calls("GET", COMMENTS)
    assert {r.query.get("page") for r in listed} == {None, "2"}  # followed the Link header
    assert shop.remote_refs() == refs


def test_commit_mode_pushes_the_perf_commit_onto_the_pr_branch_then_ignores_it(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop)
    api.add_pull(payload["pull_request"])
    refs = shop.remote_refs()

    run = run_action(shop, api, payload, "commit")
    assert run.returncode == 0, run.stderr
    after = shop.remote_refs()
    tip = after[f"refs/heads/{HEAD_REF}"]
    assert tip != shop.head_sha
    assert {k: v for k, v in after.items() if k != f"refs/heads/{HEAD_REF}"} == \
        {k: v for k, v in refs.items() if k != f"refs/heads/{HEAD_REF}"}
    [message] = perf_commits(shop, tip)
    assert message.startswith("perf(shop.stock.count_blocked): ") and "Optimized-by: optimizer-agent" in message
    assert git(shop.remote, "rev-parse", f"{tip}^").strip() == shop.head_sha  # a fast-forward, no merge commit
    assert "set(blocked)" in git(shop.remote, "show", f"{tip}:shop/stock.py")
    assert api.writes() == [("POST", COMMENTS)]
    body = api.comments[PR_NUMBER][0]["body"]
    assert f"Pushed 1 commit(s) to `{HEAD_REF}`: {tip[:10]}." in body
    assert_speedup_row(body)
    assert f"pushed to `{HEAD_REF}`" in run.summary

    # GitHub then reports the push as a new head; the action must not optimize its own commit again.
    api.requests.clear()
    api.pulls[PR_NUMBER]["head"]["sha"] = tip
    again = run_action(shop, api, event_payload(shop, **{"head.sha": tip}), "commit")
    assert again.returncode == 0, again.stderr
    assert "Skipped: the head commit" in again.summary and "Optimized-by" in again.summary
    assert api.requests == [] and shop.remote_refs() == after


def test_pr_mode_opens_a_follow_up_pr_into_the_pr_branch(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop)
    api.add_pull(payload["pull_request"])
    # A follow-up from an earlier run is superseded by this one.
    api.add_pull({"number": 8, "state": "open", "title": "perf: old", "labels": [],
                  "head": {"ref": f"optimizer-agent/pr-{PR_NUMBER}-20260101-000000-abcd", "sha": "0" * 40,
                           "repo": {"full_name": REPO}},
                  "base": {"ref": HEAD_REF, "sha": shop.head_sha, "repo": {"full_name": REPO}}})
    refs = shop.remote_refs()

    run = run_action(shop, api, payload, "pr")
    assert run.returncode == 0, run.stderr
    after = shop.remote_refs()
    [new_ref] = set(after) - set(refs)
    assert re.fullmatch(rf"refs/heads/optimizer-agent/pr-{PR_NUMBER}-\d{{8}}-\d{{6}}-[0-9a-f]{{4}}", new_ref)
    assert {k: after[k] for k in refs} == refs  # the PR branch itself is untouched
    [message] = perf_commits(shop, after[new_ref])
    assert message.startswith("perf(shop.stock.count_blocked): ")

    [created] = api.calls("POST", f"/repos/{REPO}/pulls")
    branch = new_ref.removeprefix("refs/heads/")
    assert created.body["head"] == branch and created.body["base"] == HEAD_REF
    assert created.body["title"] == f"perf: 1 verified speedup for #{PR_NUMBER}"
    assert_speedup_row(created.body["body"])
    assert api.writes() == [("POST", f"/repos/{REPO}/pulls"), ("PATCH", f"/repos/{REPO}/pulls/8"), ("POST", COMMENTS)]
    assert api.calls("PATCH", f"/repos/{REPO}/pulls/8")[0].body == {"state": "closed"}
    body = api.comments[PR_NUMBER][0]["body"]
    assert f"Opened #9 with these commits, to merge into `{HEAD_REF}`." in body
    assert "https://github.example/acme/shop/pull/9" in run.summary
