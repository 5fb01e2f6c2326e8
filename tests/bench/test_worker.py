"""One problem in a worker process: the time budget, a stop request, and results written only when finished."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from optimizer_agent.bench.child import LOG_FILE, RESULT_FILE, run_in_child
from optimizer_agent.bench.records import ProblemJob
from optimizer_agent.config import Settings
from tests.bench.conftest import tiny_suite


def job_for(pid: str, work: Path, **extra) -> ProblemJob:
    problem = next(p for p in tiny_suite() if p["id"] == pid)
    return ProblemJob(problem=problem, work_dir=str(work), settings=Settings(sandbox="local").model_dump(),
                      workload_s=0.3, score_workload_s=0.2, **extra)


def test_a_spent_budget_is_an_error_result(tmp_path: Path) -> None:
    result = run_in_child(job_for("t/pairs", tmp_path, budget_s=2))
    assert result.status == "error" and result.classification == "error"
    assert "time budget of" in result.error and "before the run landed anything" in result.error
    assert result.wall_s < 60 and (tmp_path / RESULT_FILE).is_file()


def test_a_stop_request_ends_the_worker_without_a_result(tmp_path: Path) -> None:
    stop = threading.Event()
    timer = threading.Timer(3.0, stop.set)
    timer.start()
    started = time.monotonic()
    try:
        assert run_in_child(job_for("t/members", tmp_path), stop) is None
    finally:
        timer.cancel()
    assert time.monotonic() - started < 40
    assert not (tmp_path / RESULT_FILE).exists()
    assert "stopped: stopped by the batch runner" in (tmp_path / LOG_FILE).read_text()
