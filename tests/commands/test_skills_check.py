"""`skills check`, `skills registry` and `skills search` as a user runs them: real subprocesses, real sandbox."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from optimizer_agent.skilllib import registry
from optimizer_agent.skilllib.loader import default_root
from tests.conftest import run_cli


def _private_skills(tmp_path: Path) -> dict[str, str]:
    """Env pointing the CLI at a copy of the skills, so evidence is written there and not into the checkout."""
    root = tmp_path / "skills"
    shutil.copytree(default_root() / "python", root / "python")
    registry.write_registry(root)
    return {"OPTIMIZER_AGENT_SKILLS": str(root)}


def test_check_one_skill_records_evidence(tmp_path: Path) -> None:
    env = _private_skills(tmp_path)
    proc = run_cli("skills", "check", "O027", "--sandbox", "local", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["passed"] == 1 and report["failed"] == 0 and report["sandbox"] == "local"
    row = report["results"][0]
    assert row["skill_id"] == "O027" and row["status"] == "passed" and row["ci_low"] >= 1.0
    saved = json.loads((tmp_path / "skills" / "registry.json").read_text())
    evidence = next(e for e in saved["skills"] if e["id"] == "O027")["evidence"]
    assert evidence["passed"] and evidence["speedup"] == round(row["speedup"], 3) and evidence["date"]
    assert registry.in_sync(tmp_path / "skills")


def test_check_rejects_unknown_ids_and_sandboxes(tmp_path: Path) -> None:
    env = _private_skills(tmp_path)
    for args, fragment in ((("O999",), "no skill O999"), (("M010",), "has no example"),
                           (("O001", "--sandbox", "vm"), "--sandbox vm")):
        proc = run_cli("skills", "check", *args, env=env)
        assert proc.returncode == 2, proc.stderr
        assert [line for line in proc.stderr.splitlines() if line.startswith("error: ")][0].count(fragment) == 1


def test_registry_command_checks_and_regenerates(tmp_path: Path) -> None:
    env = _private_skills(tmp_path)
    assert run_cli("skills", "registry", "--check", env=env).returncode == 0
    (tmp_path / "skills" / "registry.json").write_text("{}")
    stale = run_cli("skills", "registry", "--check", env=env)
    assert stale.returncode == 1 and "out of sync" in stale.stderr
    assert run_cli("skills", "registry", env=env).returncode == 0
    assert registry.in_sync(tmp_path / "skills")


def test_search_shows_scores_and_the_meta_skills_that_use_the_operators(tmp_path: Path) -> None:
    source = tmp_path / "jobs.py"
    source.write_text(textwrap.dedent("""
        def drain(pending, handle):
            while pending:
                handle(pending.pop(0))
    """))
    proc = run_cli("skills", "search", "--file", str(source), "--function", "drain", "--json")
    assert proc.returncode == 0, proc.stderr
    matches = json.loads(proc.stdout)["matches"]
    operators = [m for m in matches if m["kind"] == "operator"]
    metas = [m for m in matches if m["kind"] == "meta"]
    assert operators[0]["skill_id"] == "O007" and operators[0]["score"] > 2
    assert metas and all(m["reasons"][0].startswith("uses ") for m in metas)
    table = run_cli("skills", "search", "queue popped from the front with pop(0)")
    assert table.returncode == 0 and "score" in table.stderr and "O007" in table.stderr
