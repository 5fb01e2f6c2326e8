"""`bench run` / `bench report` end to end on the tiny suite: results, reports, resume after SIGKILL, Ray."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer_agent.bench.store import ResultStore
from tests.bench.conftest import FAST_FLAGS
from tests.conftest import REPO_ROOT, git, run_cli

EXPECTED = {"t/members": "optimized", "t/pairs": "rewrite not applicable", "t/queue": "optimized",
            "t/gap": "rewrite not applicable", "t/red": "error", "t/spread": "optimized"}
IN_CI = bool(os.environ.get("CI")) or os.environ.get("OA_REQUIRE_DOCKER") == "1"


def decisions(results) -> dict:
    """What a batch decided per problem, without any timing figure."""
    return {r.id: (r.status, r.classification, r.candidates, r.passed_public_tests, r.accepted, r.commits, r.opt1,
                   r.optk, tuple(r.skills_landed), r.final.correct if r.final else None) for r in results}


def stored(out: Path):
    with ResultStore(out, create=False) as store:
        return store.results()


@pytest.fixture(scope="module")
def local_run(tiny_suite_file: Path, tmp_path_factory):
    """The whole tiny suite, uninterrupted, two jobs at a time."""
    out = tmp_path_factory.mktemp("batch") / "local"
    proc = run_cli("bench", "run", str(tiny_suite_file), "--out", str(out), "--jobs", "2", "--json", *FAST_FLAGS)
    return out, proc


def test_batch_runs_scores_and_reports(local_run) -> None:
    out, proc = local_run
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    results = {r.id: r for r in stored(out)}
    assert {i: r.classification for i, r in results.items()} == EXPECTED, proc.stderr
    m = report["metrics"]
    assert (m["problems"], m["errors"], m["opt1_count"], m["k"]) == (6, 1, 3, 4)
    assert m["buckets"]["<1.10"] == 3 and m["pass_rate"] == pytest.approx(5 / 6)
    assert "6 problem(s) selected; running 6 on the local executor with 2 job(s)" in proc.stderr
    assert "6/6" in proc.stderr and "✓ t/members optimized" in proc.stderr

    members = results["t/members"]
    assert members.final.correct and members.final.speedup >= 1.10 and members.opt1 and members.optk
    assert "O001" in members.skills_landed and members.public_speedup > 1.05
    assert members.workload["public"]["level"] == 1 and members.workload["private"]["repeat"] >= 1
    assert members.phases.gate_s > 0 and members.phases.score_s > 0 and members.wall_s > 0
    assert results["t/queue"].kind == "program" and results["t/queue"].final.correct
    assert "baseline tests fail" in results["t/red"].error and results["t/red"].status == "error"

    repo = out / "problems" / "t_members" / "repo"
    tracked = git(repo, "ls-files").split()
    assert {"solution.py", "bench.py", "tests/test_public.py", "tests/harness.py"} <= set(tracked)
    assert not {"tests/test_private.py", "bench_private.py", "tests/private_cases.json"} & set(tracked)
    assert git(repo, "log", "-1", "--format=%an", "main").strip() == "optimizer-agent bench"
    assert any(b.startswith("optimizer-agent/") for b in git(repo, "branch", "--format=%(refname:short)").split())
    for name in ("report.md", "report.html", "metrics.json", "speedup_buckets.png", "wall_time.png"):
        assert (out / name).is_file(), name
    assert "| t/members | function | optimized |" in (out / "report.md").read_text()


def test_rerun_skips_finished_problems_and_refuses_other_settings(local_run, tiny_suite_file: Path) -> None:
    out, _ = local_run
    before = {r.id: r.finished_at for r in stored(out)}
    again = run_cli("bench", "run", str(tiny_suite_file), "--out", str(out), *FAST_FLAGS)
    assert again.returncode == 0, again.stderr
    assert "6 already done; running 0" in again.stderr
    assert {r.id: r.finished_at for r in stored(out)} == before
    other = run_cli("bench", "run", str(tiny_suite_file), "--out", str(out), "--k", "2", *FAST_FLAGS)
    assert other.returncode == 2 and "error: " in other.stderr and "k 4 -> 2" in other.stderr
    compared = run_cli("bench", "report", str(out), "--compare", str(out), "--json")
    assert compared.returncode == 0, compared.stderr
    comparison = json.loads(compared.stdout)["comparison"]
    assert comparison["common"] == 6 and comparison["difference"] == 0 and comparison["p_value"] == 1.0


def _workers_of(out: Path) -> list[int]:
    """Worker processes still running for a results folder."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "optimizer_agent.bench.worker" in cmd and str(out) in cmd:
                pids.append(int(entry.name))
    return pids


def test_killed_batch_resumes_without_rerunning_finished_problems(local_run, tiny_suite_file: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "resumed"
    args = ["bench", "run", str(tiny_suite_file), "--out", str(out), "--ids", "t/pairs,t/gap,t/red", *FAST_FLAGS]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    driver = subprocess.Popen([sys.executable, "-m", "optimizer_agent.cli", *args], cwd=REPO_ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    done: dict = {}
    while time.monotonic() < deadline and not done and driver.poll() is None:
        time.sleep(0.5)
        if (out / "results.db").is_file():
            with sqlite3.connect(out / "results.db") as conn:
                done = dict(conn.execute("SELECT id, finished_at || record FROM results").fetchall())
    assert done and driver.poll() is None, "the batch finished before it could be killed"
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    # Orphaned workers notice their runner is gone and stop (removing their sandboxes) on their own.
    for _ in range(120):
        if not _workers_of(out):
            break
        time.sleep(0.5)
    assert not _workers_of(out)

    resumed = run_cli(*args)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(done)} already done; running {3 - len(done)}" in resumed.stderr
    with sqlite3.connect(out / "results.db") as conn:
        after = dict(conn.execute("SELECT id, finished_at || record FROM results").fetchall())
    assert {i: after[i] for i in done} == done  # finished problems were not run again
    uninterrupted = {i: d for i, d in decisions(stored(local_run[0])).items() if i in after}
    assert decisions(stored(out)) == uninterrupted
    report = json.loads(run_cli("bench", "report", str(out), "--json").stdout)["metrics"]
    assert (report["opt1_count"], report["classification"]) == (0, {"rewrite not applicable": 2, "error": 1})


def test_ray_executor_decides_like_the_local_one(local_run, tiny_suite_file: Path, tmp_path: Path) -> None:
    if IN_CI:
        import ray
    else:
        ray = pytest.importorskip("ray")
    from optimizer_agent.bench.batch import BatchOptions, run_batch

    options = BatchOptions(suite=tiny_suite_file, out=tmp_path / "ray", executor="ray", jobs=2, no_llm=True,
                           sandbox="local", workload_s=0.3, score_workload_s=0.2, budget_s=300)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        seen = []
        results = run_batch(options, lambda plan: None, seen.append)
    finally:
        ray.shutdown()
    assert len(seen) == 6 and sorted(r.id for r in seen) == sorted(EXPECTED)
    assert decisions(results) == decisions(stored(local_run[0]))
    local_fields = set(stored(local_run[0])[0].model_dump())
    assert all(set(r.model_dump()) == local_fields for r in results)


def test_llm_batch_with_the_reference_server(tiny_suite_file: Path, tmp_path: Path) -> None:
    from tests.bench.conftest import tiny_suite
    from tests.bench.reference_server import ReferenceServer

    flags = [f for f in FAST_FLAGS if f != "--no-llm"]
    with ReferenceServer(tiny_suite()) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "scripted"}
        proc = run_cli("bench", "run", str(tiny_suite_file), "--out", str(tmp_path / "llm"), "--ids", "t/pairs",
                       "--model", "scripted-reference", "--k", "1", *flags, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "model scripted-reference" in proc.stderr
    [pairs] = stored(tmp_path / "llm")
    # Offline nothing applies to the quadratic pair search; the reference (a set) is accepted and scored.
    assert pairs.classification == "optimized" and pairs.opt1 and pairs.final.correct
    assert pairs.llm_requests >= 4 and pairs.tokens > 0 and server.answered["generate"] >= 1
    assert "api_key" not in (tmp_path / "llm" / "problems" / "t_pairs" / "result.json").read_text()
