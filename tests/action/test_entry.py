"""`optimizer-agent action` end to end: a recorded event, a bare remote, and the scripted GitHub API, per mode."""

from __future__ import annotations

import re

import pytest

from optimizer_agent.action.comment import MARKER
from optimizer_agent.action.entry import Stop, publish
from optimizer_agent.action.event import pull_request_from_api
from optimizer_agent.action.github import GitHub
from optimizer_agent.action.outcome import RunOutcome, Speedup
from optimizer_agent.action.summary import JobSummary
from tests.action.conftest import HEAD_REF, PR_NUMBER, REPO, TOKEN, Shop, event_payload, run_action
from tests.action.github_server import Scripted, ScriptedGitHub
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


@pytest.mark.slow
def test_comment_mode_posts_one_comment_and_a_rerun_updates_it(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop)
    api.add_pull(payload["pull_request"])
    # A busy thread: the action's comment lands on the second page of comments.
    api.comments[PR_NUMBER] = [{"id": i, "body": f"review note {i}", "user": {"login": "dev-alice"}}
                               for i in range(1, 121)]
    refs = shop.remote_refs()

    first = run_action(shop, api, payload, "comment")
    assert first.returncode == 0, first.stderr
    assert "**1 verified speedup" in first.summary, first.summary
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
    assert "**1 verified speedup" in second.summary, second.summary
    assert api.writes() == [("POST", COMMENTS), ("PATCH", f"/repos/{REPO}/issues/comments/{posted['id']}")]
    mine = [c for c in api.comments[PR_NUMBER] if MARKER in c["body"]]
    assert len(mine) == 1 and len(api.comments[PR_NUMBER]) == 121
    assert mine[0]["body"] != body and mine[0]["body"].startswith(MARKER)
    assert_speedup_row(mine[0]["body"])
    listed = api.calls("GET", COMMENTS)
    assert {r.query.get("page") for r in listed} == {None, "2"}  # followed the Link header
    assert shop.remote_refs() == refs


@pytest.mark.slow
def test_commit_mode_pushes_the_perf_commit_onto_the_pr_branch_then_ignores_it(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop)
    api.add_pull(payload["pull_request"])
    refs = shop.remote_refs()

    run = run_action(shop, api, payload, "commit")
    assert run.returncode == 0, run.stderr
    assert "**1 verified speedup" in run.summary, run.summary
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


@pytest.mark.slow
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
    assert "**1 verified speedup" in run.summary, run.summary
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


# --- publishing a finished run (a real run branch and remote; the run itself is not repeated) ---------------------


def finished_run(shop: Shop) -> RunOutcome:
    """A run branch holding one perf commit on top of the PR head, as `optimize` leaves it in the workspace."""
    ws = shop.workspace
    branch = "optimizer-agent/20260101-000000-abcd"
    git(ws, "checkout", "-q", "--detach", shop.head_sha)
    git(ws, "branch", "-q", branch, shop.head_sha)
    git(ws, "checkout", "-q", branch)
    path = ws / "shop" / "stock.py"
    path.write_text(path.read_text().replace("if item in blocked:", "if item in blocked_set:").replace(
        "n = 0\n", "n = 0\n    blocked_set = set(blocked)\n"))
    git(ws, "commit", "-q", "-am", "perf(shop.stock.count_blocked): 4.00x faster\n\nOptimized-by: optimizer-agent 0.1.0")
    sha = git(ws, "rev-parse", "HEAD").strip()
    diff = git(ws, "diff", f"{shop.head_sha}..{sha}")
    git(ws, "checkout", "-q", "--detach", shop.head_sha)
    speedup = Speedup(function="shop/stock.py::count_blocked", subject="perf(shop.stock.count_blocked): 4.00x faster",
                      sha=sha, speedup=4.0, ci_low=3.5, ci_high=4.5, p_value=0.001, tests_passed=4, tests_run=4,
                      skills=["O001"], diff=diff)
    return RunOutcome(run_id="20260101-000000-abcd", branch=branch, base_sha=shop.head_sha, speedups=[speedup],
                      targets=[speedup.function], judged=1, min_speedup=1.05)


def publish_now(shop: Shop, api: ScriptedGitHub, mode: str, payload: dict | None = None) -> tuple[str, JobSummary]:
    """Publish a finished run the way the action does after optimizing; returns the status and the summary."""
    payload = payload or event_payload(shop)
    pr = pull_request_from_api(payload["pull_request"])
    summary = JobSummary({})
    outcome = finished_run(shop)
    summary.outcome = outcome
    gh = GitHub(api.url, TOKEN, REPO, retries=0)
    return publish(gh, shop.workspace, pr, mode, outcome, summary), summary


def test_a_refused_push_fails_the_job_but_still_comments(shop: Shop, api: ScriptedGitHub) -> None:
    api.add_pull(event_payload(shop)["pull_request"])
    hook = shop.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    refs = shop.remote_refs()
    with pytest.raises(Stop) as info:
        publish_now(shop, api, "commit")
    assert info.value.code == 1 and "Could not push to `feature/blocked-count`" in info.value.status
    assert "GH006" in info.value.status
    assert shop.remote_refs() == refs
    body = api.comments[PR_NUMBER][0]["body"]
    assert "Pushing to `feature/blocked-count` failed, so the commits are shown here instead." in body


def test_a_push_that_lost_a_race_falls_back_to_the_comment(shop: Shop, api: ScriptedGitHub) -> None:
    api.add_pull(event_payload(shop)["pull_request"])
    moved = shop.add_pr_commit({"NOTES.md": "pushed meanwhile\n"}, "Notes")
    api.pulls[PR_NUMBER]["head"]["sha"] = shop.head_sha  # the API has not caught up with the push yet
    status, summary = publish_now(shop, api, "commit")
    assert status == "1 verified speedup (not pushed: `feature/blocked-count` moved on)."
    assert shop.remote_refs()[f"refs/heads/{HEAD_REF}"] == moved
    assert any("lost a race" in n for n in summary.notes)
    assert "Nothing was pushed: `feature/blocked-count` moved on" in api.comments[PR_NUMBER][0]["body"]


def test_a_pr_that_moved_on_during_the_run_gets_nothing_published(shop: Shop, api: ScriptedGitHub) -> None:
    api.add_pull(event_payload(shop)["pull_request"])
    api.pulls[PR_NUMBER]["head"]["sha"] = "f" * 40  # the author pushed again while this run was optimizing
    refs = shop.remote_refs()
    with pytest.raises(Stop) as info:
        publish_now(shop, api, "commit")
    assert info.value.code == 0 and "Not published: pull request #7 moved on to ffffffffff" in info.value.status
    assert api.writes() == [] and shop.remote_refs() == refs


def test_a_skip_label_added_during_the_run_stops_publishing(shop: Shop, api: ScriptedGitHub) -> None:
    api.add_pull(event_payload(shop)["pull_request"])
    api.pulls[PR_NUMBER]["labels"] = [{"name": "optimizer-agent:skip"}]
    with pytest.raises(Stop) as info:
        publish_now(shop, api, "pr")
    assert "Not published" in info.value.status and "optimizer-agent:skip" in info.value.status
    assert api.writes() == []


def test_a_read_only_token_on_a_fork_leaves_the_results_in_the_summary(shop: Shop, api: ScriptedGitHub) -> None:
    payload = event_payload(shop, **{"head.repo": {"full_name": "contributor/shop"}})
    api.add_pull(payload["pull_request"])
    api.scripted.append(Scripted("POST", COMMENTS, 403, message="Resource not accessible by integration"))
    status, summary = publish_now(shop, api, "comment", payload)
    assert status == "1 verified speedup (not published: read-only token on a fork pull request)."
    assert any("read-only token" in n for n in summary.notes)
    assert "| `shop/stock.py::count_blocked` | 4.00x [3.50, 4.50] | 4/4 passed | O001 |" in summary.render(status)


def test_a_refusal_on_a_same_repo_pr_is_a_failure_with_a_hint(shop: Shop, api: ScriptedGitHub) -> None:
    api.add_pull(event_payload(shop)["pull_request"])
    api.scripted.append(Scripted("POST", COMMENTS, 403, message="Resource not accessible by integration"))
    with pytest.raises(Stop) as info:
        publish_now(shop, api, "comment")
    assert info.value.code == 1 and "permissions: contents: write, pull-requests: write" in info.value.status


def test_bad_inputs_and_other_events(shop: Shop, api: ScriptedGitHub) -> None:
    bad = run_action(shop, api, event_payload(shop), "rewrite")
    assert bad.returncode == 2
    assert "Bad action configuration: input mode: 'rewrite' is not one of comment, commit, pr" in bad.summary
    assert bad.stderr.strip().splitlines()[-1].startswith("error: Bad action configuration")

    push = run_action(shop, api, {"ref": "refs/heads/main", "after": shop.head_sha}, event_name="push")
    assert push.returncode == 0, push.stderr
    assert "Nothing to do: the `push` event is not a pull_request" in push.summary
    assert api.requests == [] and not (shop.workspace / ".optimizer-agent").exists()

    target = run_action(shop, api, event_payload(shop), event_name="pull_request_target")
    assert target.returncode == 2 and "Refusing the `pull_request_target` event" in target.summary
    assert api.requests == [] and not (shop.workspace / ".optimizer-agent").exists()


@pytest.mark.slow
def test_a_pr_with_failing_tests_is_explained_not_failed(tmp_path, api: ScriptedGitHub) -> None:
    from tests.action.conftest import PR_FILES, build_shop

    broken = {**PR_FILES, "tests/test_blocked.py": PR_FILES["tests/test_blocked.py"].replace(
        "count_blocked([], [1]), 0", "count_blocked([], [1]), 1")}
    shop = build_shop(tmp_path, pr_files=broken)
    run = run_action(shop, api, event_payload(shop), "comment")
    assert run.returncode == 0, run.stderr
    assert "optimizer-agent could not optimize this pull request: baseline tests fail" in run.summary
    assert "::warning::" in run.stdout and api.writes() == []
