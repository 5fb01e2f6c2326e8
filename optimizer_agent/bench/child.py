"""Running one problem in a worker process with a hard time limit; what local and Ray executors share."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

from optimizer_agent.bench.records import ProblemJob, ProblemResult
from optimizer_agent.sandbox.env import CPUSET_ENV

RESULT_FILE = "result.json"
LOG_FILE = "log.txt"
TERM_GRACE_S = 30.0
"""After SIGTERM, a worker has this long to clean its sandbox up before SIGKILL."""
POLL_S = 0.5


def _kill(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the worker's group, then SIGKILL it if it has not finished cleaning up."""
    _kill(proc, signal.SIGTERM)
    try:
        proc.wait(TERM_GRACE_S)
    except subprocess.TimeoutExpired:
        _kill(proc, signal.SIGKILL)
        proc.wait()


def _last_line(log: Path) -> str:
    try:
        lines = [l for l in log.read_text(errors="replace").splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def failed(job: ProblemJob, message: str, wall_s: float = 0.0) -> ProblemResult:
    """An error result for a job whose worker produced none."""
    from optimizer_agent.bench.suite import parse_problem

    problem = parse_problem(job.problem)
    return ProblemResult(id=problem.id, kind=problem.kind, problem_hash=problem.content_hash(), position=job.position,
                         status="error", classification="error", error=message, wall_s=wall_s,
                         finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def run_in_child(job: ProblemJob, stop: threading.Event | None = None, cpu: int | None = None) -> ProblemResult | None:
    """Run the job in a fresh worker process; None when `stop` was set before it finished.

    `cpu` pins the job's Docker sandboxes to that CPU, so concurrent jobs do not share one.
    """
    import time

    work = Path(job.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    result_path = work / RESULT_FILE
    result_path.unlink(missing_ok=True)
    started = time.monotonic()
    with open(work / LOG_FILE, "w", encoding="utf-8") as log:
        env = dict(os.environ) if cpu is None else {**os.environ, CPUSET_ENV: str(cpu)}
        proc = subprocess.Popen([sys.executable, "-m", "optimizer_agent.bench.worker", str(result_path)],
                                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                env=env)
        proc.stdin.write(job.model_dump_json().encode())
        proc.stdin.close()
        while True:
            try:
                proc.wait(POLL_S)
                break
            except subprocess.TimeoutExpired:
                pass
            if stop is not None and stop.is_set():
                _stop(proc)
                return None
            if time.monotonic() - started > job.hard_limit_s:
                _stop(proc)
                return failed(job, f"worker exceeded the hard limit of {job.hard_limit_s:.0f}s and was killed",
                              time.monotonic() - started)
    if result_path.is_file():
        result = ProblemResult.model_validate_json(result_path.read_text(encoding="utf-8"))
        elapsed = time.monotonic() - started
        result.phases.worker_start_s = max(0.0, elapsed - result.wall_s)
        result.wall_s = elapsed
        return result
    why = _last_line(work / LOG_FILE)
    return failed(job, f"worker exited {proc.returncode} without a result: {why}", time.monotonic() - started)
