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
    # The stop lands mid-graph (after the first node), not on a clock: on a loaded machine a fixed delay can
    # arrive before the worker has installed its handler, or after it has finished.
    stop = threading.Event()
    log = tmp_path / LOG_FILE
    asked: list[float] = []

    def stop_once_the_graph_runs() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not stop.is_set():
            if log.is_file() and "node prepare done" in log.read_text(errors="replace"):
                asked.append(time.monotonic())
                stop.set()
            time.sleep(0.05)

    watcher = threading.Thread(target=stop_once_the_graph_runs, daemon=True)
    watcher.start()
    assert run_in_child(job_for("t/members", tmp_path), stop) is None
    returned = time.monotonic()
    watcher.join(5)
    assert asked and returned - asked[0] < 20  # stopped on request, well inside the 30 s grace before SIGKILL
    assert not (tmp_path / RESULT_FILE).exists()
    text = log.read_text()
    assert "stopped: stopped by the batch runner" in text and "finished:" not in text
    assert "node commit done" not in text
