"""`optimizer-agent skills mine` as a real subprocess: offline, over a scripted LLM on loopback, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from optimizer_agent.models.scripted_server import ScriptedServer
from optimizer_agent.skilllib.loader import Library, default_root
from optimizer_agent.skilllib.miner import mine
from tests.conftest import run_cli
from tests.skilllib.miner.conftest import sample_file
from tests.skilllib.miner.test_trace import trace_json


def one_error_line(proc, fragment: str) -> None:
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and fragment in errors[0], proc.stderr
    assert proc.stdout == ""


def test_offline_run_matches_an_in_process_run(tmp_path: Path) -> None:
    pairs = sample_file(tmp_path, copies=2)
    out = tmp_path / "cli"
    # Another hash seed in the child: clusters must not depend on set or dict iteration order.
    proc = run_cli("skills", "mine", str(pairs), "--out", str(out), env={"PYTHONHASHSEED": "12345"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "read 46 pairs" in proc.stderr and "clusters from 46 pairs" in proc.stderr and "D001" in proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pairs"] == 46 and sum(c["support"] for c in summary["clusters"]) == 46
    assert all((out / c["file"]).is_file() for c in summary["clusters"])

    here = mine(pairs, tmp_path / "here", skills=Library.load().skills, skills_root=default_root())
    view = lambda clusters: [(c["draft_id"], c["label"], c["members"], c["representative"]) for c in clusters]  # noqa: E731
    assert view(summary["clusters"]) == view(here.model_dump(mode="json")["clusters"])


def test_llm_traces_over_http_with_retry_and_fallback(tmp_path: Path) -> None:
    script = [trace_json(["comprehension"]),                  # pair 0
              "Faster because of a set, I believe.",          # pair 1: prose, then a fixed reply
              trace_json(["set-lookup", "string-join"]),
              "nope", "still nope"]                           # pair 2: no JSON twice -> AST classifier
    out = tmp_path / "o"
    with ScriptedServer(script, api_key="sk-test") as server:
        proc = run_cli("skills", "mine", str(sample_file(tmp_path, copies=1)), "--out", str(out), "--limit", "3",
                       "--model", "gpt-4o-mini", "--json", cwd=tmp_path, timeout=300,
                       env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test"})
        requests = list(server.requests)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary == json.loads((out / "summary.json").read_text())
    assert summary["sources"] == {"ast": 1, "llm": 2} and summary["model"] == "gpt-4o-mini"
    assert len(requests) == 5
    deltas = [json.loads(line) for line in (out / "deltas.jsonl").read_text().splitlines()]
    assert [d["source"] for d in deltas] == ["llm", "llm", "ast"]
    assert deltas[0]["labels"] == ["comprehension"] and deltas[1]["labels"] == ["set-lookup", "string-join"]
    assert deltas[1]["trace"]["slow_audit"]["complexity"] == "O(n*m)"
    assert "fix-JSON retry" in deltas[2]["fallback_reason"]
    transcript = [json.loads(line) for line in (out / "llm.jsonl").read_text().splitlines()]
    assert [t["purpose"] for t in transcript] == ["mine", "mine", "fix-json", "mine", "fix-json"]


def test_bad_input_is_one_error_line(tmp_path: Path) -> None:
    one_error_line(run_cli("skills", "mine", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")),
                   "no such file")
    pairs = sample_file(tmp_path, copies=1)
    inside = default_root() / "python" / "mined-drafts"
    one_error_line(run_cli("skills", "mine", str(pairs), "--out", str(inside)), "inside the skill library")
    assert not inside.exists()
    one_error_line(run_cli("skills", "mine", str(pairs), "--out", str(tmp_path / "o"), "--model", "m",
                           cwd=tmp_path), "--model needs an endpoint")
