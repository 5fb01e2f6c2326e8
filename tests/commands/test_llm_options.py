"""The LLM options of `optimize`: listed in --help, validated before any work, and --replay's refusals."""

from __future__ import annotations

import json
from pathlib import Path

from optimizer_agent.config import Settings
from tests.commands.llm_repo import INVERSIONS_PROJECT, replay
from tests.conftest import branches, make_repo, run_cli, worktrees


def test_help_lists_the_llm_options() -> None:
    proc = run_cli("optimize", "--help", env={"COLUMNS": "200"})
    assert proc.returncode == 0
    for option in ("--model", "--base-url", "--budget-tokens", "--budget-usd", "--replay", "--resume"):
        assert option in proc.stdout


def test_a_negative_budget_is_one_error_line_before_any_work(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "inv", INVERSIONS_PROJECT)
    proc = run_cli("optimize", str(repo), "--budget-usd", "-1", "--model", "gpt-4o-mini", "--sandbox", "local")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["error: bad setting budget_usd: Input should be greater than or equal to 0"]
    assert branches(repo) == ["main"] and not (repo / ".optimizer-agent").exists()


def test_replaying_a_run_that_used_no_llm_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "inv", INVERSIONS_PROJECT)
    old = repo / ".optimizer-agent" / "runs" / "20260101-000000-0000"
    old.mkdir(parents=True)
    (old / "settings.json").write_text(Settings(bench="python bench.py").model_dump_json(indent=2))
    proc = replay(repo, "20260101-000000-0000")
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        "error: run 20260101-000000-0000 made no LLM request, so there is nothing to replay"]
    assert branches(repo) == ["main"]


def test_a_model_without_endpoint_or_key_warns_and_runs_offline(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "inv", INVERSIONS_PROJECT)
    proc = run_cli("optimize", str(repo), "--model", "gpt-4o", "--sandbox", "local", "--bench", "python bench.py",
                   "--json", env={}, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    expected = "model gpt-4o is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL (or --base-url) is, so this run uses no LLM"
    assert expected in result["notes"] and f"warning: {expected}" in " ".join(proc.stderr.split())
    assert result["llm"] is None and result["candidates"] == [] and result["commits"] == []
    # Nothing landed, so neither the run's branch nor its worktree is left behind.
    assert result["branch_kept"] is False and branches(repo) == ["main"] and worktrees(repo) == [str(repo)]
