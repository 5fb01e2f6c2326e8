"""The rules that make the action stand down or fall back, each driven through `optimizer-agent action`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from optimizer_agent.action.event import PullRequest, pull_request_from_api
from optimizer_agent.action.inputs import ActionInputs
from optimizer_agent.action.rules import SKIP_LABEL, effective_mode, skip_reason
from tests.action.conftest import (BASE_FILES, FIXTURES, PR_FILES, PR_NUMBER, Shop, build_shop, event_payload,
                                   run_action)
from tests.action.github_server import ScriptedGitHub
from tests.action.test_entry import COMMENTS, assert_speedup_row

FORK = "contributor/shop"


def assert_untouched(shop: Shop, api: ScriptedGitHub, refs: dict[str, str]) -> None:
    """No API call, no push, and no run started in the workspace."""
    assert api.requests == []
    assert shop.remote_refs() == refs
    assert not (shop.workspace / ".optimizer-agent").exists()


def fork_payload(shop: Shop) -> dict:
    """The recorded event as GitHub sends it for a pull request from a fork."""
    payload = event_payload(shop)
    head = payload["pull_request"]["head"]
    head["label"] = f"contributor:{head['ref']}"
    head["repo"] = {**head["repo"], "full_name": FORK, "fork": True, "owner": {"login": "contributor"}}
    return payload


def test_draft_pull_requests_are_skipped(shop: Shop, api: ScriptedGitHub) -> None:
    refs = shop.remote_refs()
    run = run_action(shop, api, event_payload(shop, draft=True), "commit")
    assert run.returncode == 0, run.stderr
    assert "Skipped: pull request #7 is a draft" in run.summary
    assert "::notice::Skipped" in run.stdout
    assert_untouched(shop, api, refs)


def test_the_skip_label_is_honoured(shop: Shop, api: ScriptedGitHub) -> None:
    refs = shop.remote_refs()
    labels = [{"id": 1, "name": "performance", "color": "0e8a16"}, {"id": 2, "name": SKIP_LABEL, "color": "ededed"}]
    run = run_action(shop, api, event_payload(shop, labels=labels), "commit")
    assert run.returncode == 0, run.stderr
    assert f"has the label `{SKIP_LABEL}`" in run.summary
    assert_untouched(shop, api, refs)


def test_own_bot_commits_are_skipped(shop: Shop, api: ScriptedGitHub) -> None:
    files = {"shop/stock.py": PR_FILES["shop/stock.py"].replace(
        "n = 0\n            for item in items:\n                if item in blocked:\n                    n += 1",
        "blocked = set(blocked)\n            n = sum(1 for item in items if item in blocked)")}
    assert "set(blocked)" in files["shop/stock.py"]
    sha = shop.add_pr_commit(files, "perf(shop.stock.total): 1.20x faster\n\nSpeedup: 1.20x\n\n"
                                    "Optimized-by: optimizer-agent 0.1.0\nOptimizer-Run: 20260101-000000-abcd\n")
    refs = shop.remote_refs()
    run = run_action(shop, api, event_payload(shop, **{"head.sha": sha}), "commit")
    assert run.returncode == 0, run.stderr
    assert f"Skipped: the head commit {sha[:10]} was written by optimizer-agent" in run.summary
    assert_untouched(shop, api, refs)


def test_nothing_to_optimize_when_the_pr_changes_no_source_function(tmp_path: Path, api: ScriptedGitHub) -> None:
    pr_files = {
        "README.md": "# shop\n\nNow with docs.\n",
        "shop/stock.py": textwrap.dedent(BASE_FILES["shop/stock.py"]) + "\n\nCURRENCY = 'EUR'\n",  # not in a function
        "tests/test_stock.py": textwrap.dedent(BASE_FILES["tests/test_stock.py"])
        + "\n\ndef helper_in_tests(x):\n    return x in [1, 2, 3]\n",  # a function, but in a test file
        "bench.py": "from shop.stock import total\n\nfor _ in range(3):\n    total(range(1000))\n",
    }
    shop = build_shop(tmp_path, pr_files=pr_files)
    refs = shop.remote_refs()
    run = run_action(shop, api, event_payload(shop), "comment")
    assert run.returncode == 0, run.stderr
    assert "Nothing to optimize: pull request #7 changes no function in the repository's source files" in run.summary
    assert_untouched(shop, api, refs)


@pytest.mark.slow
def test_fork_without_secrets_falls_back_to_comment_and_explains(shop: Shop, api: ScriptedGitHub) -> None:
    payload = fork_payload(shop)
    api.add_pull(payload["pull_request"])
    refs = shop.remote_refs()
    run = run_action(shop, api, payload, "pr")  # no api-key: GitHub passes no secrets to fork pull requests
    assert run.returncode == 0, run.stderr
    assert "**1 verified speedup (posted as a comment).**" in run.summary, run.summary
    assert shop.remote_refs() == refs  # nothing pushed, no follow-up branch
    assert api.writes() == [("POST", COMMENTS)]
    assert_speedup_row(api.comments[PR_NUMBER][0]["body"])
    assert f"comes from the fork `{FORK}`" in run.summary and "mode `pr` fell back to `comment`" in run.summary
    assert "without an LLM API key, only the offline skills" in run.summary
    assert "**1 verified speedup (posted as a comment).**" in run.summary


# --- rules as pure functions -----------------------------------------------------------------------------------


def _pr(**changes) -> PullRequest:
    pull = json.loads((FIXTURES / "pull_request.json").read_text())["pull_request"]
    pull.update(changes)
    return pull_request_from_api(pull)


@pytest.mark.parametrize("changes, expected", [
    ({}, None),
    ({"state": "closed"}, "is closed"),
    ({"draft": True}, "is a draft"),
    ({"labels": [{"name": "Optimizer-Agent:Skip"}]}, "has the label"),
])
def test_skip_reason(changes: dict, expected: str | None) -> None:
    reason = skip_reason(_pr(**changes))
    assert reason is None if expected is None else expected in reason


def test_effective_mode_keeps_the_mode_on_same_repo_prs_and_notes_missing_pieces() -> None:
    pr = _pr()
    assert effective_mode(ActionInputs(mode="pr"), pr, has_token=True) == ("pr", [])
    mode, notes = effective_mode(ActionInputs(mode="commit", model="gpt-x"), pr, has_token=False)
    assert mode == "commit"
    assert any("only the offline skills" in n for n in notes) and any("No GitHub token" in n for n in notes)
    fork = _pr(head={"ref": "x", "sha": "1" * 40, "repo": None})
    assert fork.is_fork
    mode, notes = effective_mode(ActionInputs(mode="commit", api_key="sk-1"), fork, has_token=True)
    assert mode == "comment" and "no longer exists" in notes[0] and len(notes) == 1
