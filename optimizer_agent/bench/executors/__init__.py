"""Executors run problem jobs and hand each result back as soon as it is ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from optimizer_agent.bench.records import ProblemJob, ProblemResult
from optimizer_agent.errors import BadInput

OnResult = Callable[[ProblemResult], None]


class Executor(Protocol):
    """Runs jobs, calling `on_result` in the calling thread for each finished one, in completion order."""

    def run(self, jobs: list[ProblemJob], on_result: OnResult) -> None:
        """Run every job; on KeyboardInterrupt, stop the running ones and re-raise."""
        ...


def make_executor(kind: str, jobs: int, ray_address: str | None = None) -> Executor:
    """The local process pool or the Ray executor."""
    if jobs < 1:
        raise BadInput("--jobs must be at least 1")
    if kind == "local":
        from optimizer_agent.bench.executors.local_pool import LocalExecutor

        return LocalExecutor(jobs)
    if kind == "ray":
        from optimizer_agent.bench.executors.ray_pool import RayExecutor

        return RayExecutor(jobs, ray_address)
    raise BadInput(f"unknown --executor {kind!r}: use local or ray")
