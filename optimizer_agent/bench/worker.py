"""The process that runs one problem: `python -m optimizer_agent.bench.worker RESULT.json` with the job on stdin."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from optimizer_agent.bench.deadline import (WorkerStopped, checkpoint, kill_child_groups, stop_on_sigterm,
                                            watch_parent)
from optimizer_agent.bench.records import ProblemJob
from optimizer_agent.bench.thresholds import WORKER_POLL_S


def log(message: str) -> None:
    """One line of the problem's log (the batch runner sends stderr to `log.txt`)."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Read the job, run it, write the result file atomically; exit 143 without a result when stopped."""
    from optimizer_agent.bench.problem_run import run_problem

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        log("usage: python -m optimizer_agent.bench.worker RESULT.json < job.json")
        return 2
    target = Path(args[0])
    job = ProblemJob.model_validate_json(sys.stdin.read())
    stop_on_sigterm()
    watch_parent(WORKER_POLL_S)
    try:
        result = run_problem(job, log)
        checkpoint()
    except WorkerStopped as exc:
        kill_child_groups()
        log(f"stopped: {exc}")
        return 143
    partial = target.with_suffix(".tmp")
    partial.write_text(result.model_dump_json(indent=1), encoding="utf-8")
    os.replace(partial, target)
    log(f"finished: {result.classification}" + (f" ({result.rejection})" if result.rejection else ""))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Threads a stopped graph may have left behind must not keep the process alive.
    os._exit(code)
