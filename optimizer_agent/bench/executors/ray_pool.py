"""The Ray executor: each problem is a Ray task (num_cpus=1) whose result streams back to the driver."""

from __future__ import annotations

import os

from optimizer_agent.bench.child import failed, run_in_child
from optimizer_agent.bench.executors import OnResult
from optimizer_agent.bench.records import ProblemJob, ProblemResult
from optimizer_agent.errors import BadInput

TASK_CPUS = 1
SECRET_ENV = ("OPENAI_API_KEY",)
"""Jobs never carry the API key; tasks get it in their environment, as local workers inherit it."""


def _run_task(job: dict) -> dict:
    """The task body on a Ray worker: the same worker process as the local executor starts."""
    result = run_in_child(ProblemJob.model_validate(job))
    return result.model_dump() if result is not None else {}


def _import_ray():
    try:
        import ray
    except ImportError:
        raise BadInput("--executor ray needs Ray: pip install 'optimizer-agent[ray]'") from None
    return ray


class RayExecutor:
    """Submits every job as a task to a Ray cluster (or a local Ray started for this batch)."""

    def __init__(self, jobs: int, address: str | None = None) -> None:
        self.jobs = jobs
        self.address = address

    def _connect(self, ray) -> bool:
        """Join the given cluster, reuse an initialised one, or start a local one; True when we started it."""
        if ray.is_initialized():
            return False
        try:
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                ray.init(num_cpus=self.jobs, include_dashboard=False, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise BadInput(f"cannot start or reach Ray at {self.address or 'a new local instance'}: {exc}") from None
        return True

    def run(self, jobs: list[ProblemJob], on_result: OnResult) -> None:
        """Submit all jobs; hand each result to `on_result` as its task finishes."""
        ray = _import_ray()
        started = self._connect(ray)
        task = ray.remote(num_cpus=TASK_CPUS, max_retries=0)(_run_task)
        secrets = {k: os.environ[k] for k in SECRET_ENV if os.environ.get(k)}
        if secrets:
            task = task.options(runtime_env={"env_vars": secrets})
        refs = {task.remote(job.model_dump()): job for job in jobs}
        pending = list(refs)
        try:
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                for ref in done:
                    on_result(self._collect(ray, ref, refs[ref]))
        except BaseException:
            for ref in pending:
                ray.cancel(ref, force=True)
            raise
        finally:
            if started:
                ray.shutdown()

    @staticmethod
    def _collect(ray, ref, job: ProblemJob) -> ProblemResult:
        """The task's result, or an error result when the task itself failed (a lost node, say)."""
        try:
            data = ray.get(ref)
        except Exception as exc:  # noqa: BLE001 - Ray wraps the task's failure in its own exception types
            return failed(job, f"Ray task failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
        if not data:
            return failed(job, "Ray task returned no result (the worker was stopped)")
        return ProblemResult.model_validate(data)
