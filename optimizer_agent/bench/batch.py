"""`bench run`: select the problems, skip finished ones, run the rest on an executor, stream results to the store."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from optimizer_agent.bench.executors import make_executor
from optimizer_agent.bench.records import ProblemJob, ProblemResult
from optimizer_agent.bench.store import ResultStore
from optimizer_agent.bench.suite import load_suite, select
from optimizer_agent.bench.thresholds import (
    DEFAULT_BUDGET_S,
    DEFAULT_K,
    PRIVATE_WORKLOAD_TARGET_S,
    RUN_SHARE_OF_BUDGET,
    SCORE_TIMING_BUDGET_S,
    WORKLOAD_TARGET_S,
)
from optimizer_agent.config import Settings, load_settings
from optimizer_agent.errors import BadInput

PROBLEMS_DIR = "problems"
DECIDING = ("model", "k", "sandbox", "budget_s", "min_speedup", "workload_s", "score_workload_s")
"""Settings that change decisions: a results folder holds results made with one set of them."""


class BatchOptions(BaseModel):
    """Everything `bench run` is told."""

    suite: Path
    out: Path
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    jobs: int = Field(1, ge=1)
    k: int = Field(DEFAULT_K, ge=1)
    model: str | None = None
    no_llm: bool = False
    limit: int | None = None
    ids: list[str] = Field(default_factory=list)
    redo: bool = False
    sandbox: Literal["auto", "docker", "local"] | None = None
    budget_s: float = Field(DEFAULT_BUDGET_S, gt=0)
    min_speedup: float | None = None
    workload_s: float = Field(WORKLOAD_TARGET_S, gt=0)
    score_workload_s: float = Field(PRIVATE_WORKLOAD_TARGET_S, gt=0)
    score_timing_budget_s: float = Field(SCORE_TIMING_BUDGET_S, gt=0)


class BatchPlan(BaseModel):
    """What a `bench run` will do before it starts."""

    selected: int
    skipped: list[str]
    jobs: list[ProblemJob]
    settings: Settings


def run_settings(options: BatchOptions) -> Settings:
    """The per-problem optimize settings: flags, then environment, with caps from the problem budget."""
    flags = {"model": options.model, "k": options.k, "sandbox": options.sandbox, "min_speedup": options.min_speedup}
    with tempfile.TemporaryDirectory() as nowhere:
        settings = load_settings(Path(nowhere), flags)
    caps = {name: min(getattr(settings, name), share * options.budget_s) for name, share in RUN_SHARE_OF_BUDGET.items()}
    settings = settings.model_copy(update=caps)
    if options.no_llm:
        settings = settings.model_copy(update={"model": None})
    elif options.model and not settings.llm_enabled:
        raise BadInput(f"--model {options.model}: set OPENAI_BASE_URL (or OPENAI_API_KEY) to reach the endpoint")
    return settings


def deciding_config(options: BatchOptions, settings: Settings) -> dict:
    """The settings recorded with the results (never the API key)."""
    return {"suite": str(options.suite), "model": settings.model if settings.llm_enabled else None, "k": options.k,
            "sandbox": settings.sandbox, "budget_s": options.budget_s, "min_speedup": settings.min_speedup,
            "workload_s": options.workload_s, "score_workload_s": options.score_workload_s}


def check_config(stored: dict | None, config: dict, out: Path) -> None:
    """Refuse to mix results made with different deciding settings in one folder."""
    if not stored:
        return
    changed = [k for k in DECIDING if stored.get(k) != config.get(k)]
    if changed:
        what = ", ".join(f"{k} {stored.get(k)!r} -> {config.get(k)!r}" for k in changed)
        raise BadInput(f"{out} holds results made with other settings ({what}); use another --out")


def plan(options: BatchOptions, store: ResultStore) -> BatchPlan:
    """Load and select the problems, check the folder's settings, and make a job for each unfinished one."""
    suite = load_suite(options.suite)
    positions = {p.id: i for i, p in enumerate(suite)}
    problems = select(suite, options.ids, options.limit)
    settings = run_settings(options)
    config = deciding_config(options, settings)
    check_config(store.config(), config, options.out)
    store.set_config(config)
    done = store.finished()
    jobs, skipped = [], []
    for problem in problems:
        if not options.redo and done.get(problem.id) == problem.content_hash():
            skipped.append(problem.id)
            continue
        jobs.append(ProblemJob(problem=problem.model_dump(), work_dir=str(options.out.resolve() / PROBLEMS_DIR / problem.slug),
                               settings=settings.model_dump(), k=options.k, budget_s=options.budget_s,
                               score_timing_budget_s=options.score_timing_budget_s, workload_s=options.workload_s,
                               score_workload_s=options.score_workload_s, position=positions[problem.id]))
    return BatchPlan(selected=len(problems), skipped=skipped, jobs=jobs, settings=settings)


def run_batch(options: BatchOptions, announce: Callable[[BatchPlan], None],
              on_result: Callable[[ProblemResult], None]) -> list[ProblemResult]:
    """Run the unfinished problems; every result is stored the moment it arrives. Returns all stored results."""
    options.out.mkdir(parents=True, exist_ok=True)
    with ResultStore(options.out) as store:
        batch = plan(options, store)
        announce(batch)
        executor = make_executor(options.executor, options.jobs, options.ray_address)

        def keep(result: ProblemResult) -> None:
            store.put(result)
            on_result(result)

        if batch.jobs:
            executor.run(batch.jobs, keep)
        return store.results()
