"""The records a batch passes around: one job per problem, and the result it comes back with."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from optimizer_agent.bench.scoring import Score
from optimizer_agent.bench.thresholds import (
    DEFAULT_BUDGET_S,
    DEFAULT_K,
    HARD_KILL_GRACE_S,
    PRIVATE_CALIBRATION_CAP_S,
    PRIVATE_WORKLOAD_TARGET_S,
    SCORE_BASE_RUNS,
    SCORE_TIMING_BUDGET_S,
    WORKLOAD_TARGET_S,
)

Classification = Literal[
    "optimized", "below 1.10x on private", "wrong on private tests", "not faster", "behaviour differs",
    "rejected by tests",
    "rejected by scope/guards", "rewrite not applicable", "no skill matched", "no hot function", "error",
]
CLASSIFICATIONS: tuple[str, ...] = Classification.__args__
"""Every class, best first: a problem gets the first that describes how far it got."""


class ProblemJob(BaseModel):
    """Everything a worker needs to run one problem (never the API key: workers read it from their environment)."""

    problem: dict
    work_dir: str
    settings: dict
    """A dumped `optimizer_agent.config.Settings`."""
    k: int = DEFAULT_K
    budget_s: float = DEFAULT_BUDGET_S
    score_timing_budget_s: float = SCORE_TIMING_BUDGET_S
    workload_s: float = WORKLOAD_TARGET_S
    """One public `bench.py` run lasts about this long on the slow code."""
    score_workload_s: float = PRIVATE_WORKLOAD_TARGET_S
    """One private workload run lasts about this long on the slow code."""
    position: int = 0
    """The problem's index in the suite, so reports keep suite order."""

    @property
    def problem_id(self) -> str:
        """The suite id of the problem."""
        return str(self.problem.get("id"))

    @property
    def hard_limit_s(self) -> float:
        """When a worker is killed outright (a hang): the budget, the longest scoring of k+1 trees, and a grace."""
        longest_scoring = self.score_timing_budget_s + SCORE_BASE_RUNS * PRIVATE_CALIBRATION_CAP_S
        return self.budget_s + (self.k + 1) * longest_scoring + HARD_KILL_GRACE_S


class Phases(BaseModel):
    """Where a problem's wall time went, in seconds."""

    worker_start_s: float = 0.0
    """Starting the worker process and importing the tool, before the problem's own clock starts."""
    setup_s: float = 0.0
    """Writing and committing the problem repo."""
    sandbox_start_s: float = 0.0
    """Opening the scoring sandbox (the run opens one more of the same kind)."""
    calibrate_s: float = 0.0
    run_s: float = 0.0
    """The whole optimize run."""
    baseline_tests_s: float = 0.0
    profile_s: float = 0.0
    gate_s: float = 0.0
    """Tests and paired timing of every candidate."""
    score_s: float = 0.0
    """Private tests and timing."""
    nodes_s: dict[str, float] = Field(default_factory=dict)
    """Seconds per graph node, summed over its visits; `prepare` includes opening the run's sandbox and skills."""


class ProblemResult(BaseModel):
    """What happened to one problem; the SQLite store keeps one per problem id."""

    id: str
    kind: str = "function"
    problem_hash: str = ""
    position: int = 0
    status: Literal["done", "error"] = "done"
    classification: Classification = "error"
    error: str = ""
    rejection: str = ""
    """When nothing landed: the gate's reason for the candidate that got furthest (what to look at first)."""
    run_id: str = ""
    targets: int = 0
    candidates: int = 0
    passed_public_tests: int = 0
    """Candidates whose public tests passed (whatever timing said)."""
    accepted: int = 0
    commits: int = 0
    public_speedup: float | None = None
    public_ci_low: float | None = None
    public_ci_high: float | None = None
    final: Score | None = None
    """The run branch's final tree (the gate's choice) scored on the private tests; OPT@1 reads it."""
    scored: list[Score] = Field(default_factory=list)
    """Up to k gate-accepted candidates, each scored alone; OPT@k reads them and `final`."""
    opt1: bool = False
    optk: bool = False
    skills_proposed: list[str] = Field(default_factory=list)
    skills_accepted: list[str] = Field(default_factory=list)
    skills_landed: list[str] = Field(default_factory=list)
    """Skills of the commits on the run branch: they get the credit when the problem is optimized."""
    tokens: int = 0
    cost_usd: float = 0.0
    llm_requests: int = 0
    workload: dict = Field(default_factory=dict)
    """The calibrated public and private workloads (level, repeats, seconds per pass)."""
    phases: Phases = Field(default_factory=Phases)
    wall_s: float = 0.0
    notes: list[str] = Field(default_factory=list)
    finished_at: str = ""

    @property
    def private_speedup(self) -> float | None:
        """The final tree's private speedup, when it was measured."""
        return self.final.speedup if self.final else None

    @property
    def private_correct(self) -> bool | None:
        """Whether the final tree passed the private tests (None when nothing was landed or scored)."""
        return self.final.correct if self.final else None
