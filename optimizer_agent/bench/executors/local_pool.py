"""The local executor: up to N worker processes at once on this machine."""

from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from optimizer_agent.bench.child import run_in_child
from optimizer_agent.bench.executors import OnResult
from optimizer_agent.bench.records import ProblemJob, ProblemResult


class LocalExecutor:
    """Each problem runs in its own worker process; threads here only wait on them.

    With more than one job, each job slot pins its Docker sandboxes to its own CPU (a single job keeps the
    Docker backend's default pin).
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(self, jobs: list[ProblemJob], on_result: OnResult) -> None:
        """Run the jobs `self.jobs` at a time; results reach `on_result` in this thread."""
        stop = threading.Event()
        cpus: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(self.jobs):
            cpus.put(slot % (os.cpu_count() or 1))

        def run(job: ProblemJob) -> ProblemResult | None:
            cpu = cpus.get()
            try:
                return run_in_child(job, stop, cpu if self.jobs > 1 else None)
            finally:
                cpus.put(cpu)

        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="bench-job")
        pending: set[Future[ProblemResult | None]] = {pool.submit(run, job) for job in jobs}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    if result is not None:
                        on_result(result)
        except BaseException:
            # Workers get SIGTERM and time to remove their sandboxes; unstarted jobs are dropped.
            stop.set()
            for future in pending:
                future.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
