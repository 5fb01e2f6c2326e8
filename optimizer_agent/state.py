"""The run's typed state and the records that flow between nodes."""

from __future__ import annotations

import operator
from typing import Annotated, Literal, TypedDict

from pydantic import BaseModel, Field


class FunctionRef(BaseModel):
    """A function in the target repo, located by file and tree-sitter extent."""

    file: str
    """Path relative to the repo root, with forward slashes."""
    qualname: str
    """Dotted name inside the module, e.g. `Parser.parse` or `helper`."""
    start_line: int = 0
    end_line: int = 0

    @property
    def key(self) -> str:
        """A stable identifier: `path/to/mod.py::Class.func`."""
        return f"{self.file}::{self.qualname}"

    @property
    def module(self) -> str:
        """The dotted module name, e.g. `pkg.mod` for `src/pkg/mod.py`."""
        parts = self.file[:-3].split("/") if self.file.endswith(".py") else self.file.split("/")
        if parts and parts[0] == "src":
            parts = parts[1:]
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join(parts)


class Hotspot(BaseModel):
    """A function ranked by the profile."""

    function: FunctionRef
    own_samples: int
    """Samples whose innermost repo frame is this function (library callees included)."""
    total_samples: int
    """Samples with this function anywhere on the stack."""
    own_share: float
    total_share: float


class Signal(BaseModel):
    """One static inefficiency signal found by a detector."""

    detector: str
    line: int
    message: str


class Diagnosis(BaseModel):
    """The execution-free diagnosis of one hot function."""

    function: FunctionRef
    signals: list[Signal] = Field(default_factory=list)
    summary: str = ""
    """Free text: the LLM's EffiSkill-style trace when a model is configured."""


class SkillMatch(BaseModel):
    """A retrieved skill and why it scored."""

    skill_id: str
    name: str
    kind: Literal["operator", "meta"]
    score: float
    rewrite: str | None = None
    reasons: list[str] = Field(default_factory=list)


class Plan(BaseModel):
    """A meta-skill procedure plus the operator skills it applies to one function."""

    id: str
    function: FunctionRef
    meta_skill: str | None = None
    skills: list[str] = Field(default_factory=list)
    rewrites: list[str] = Field(default_factory=list)
    """Deterministic rewrite ids to apply; empty for a plan the LLM carries out."""
    rationale: str = ""


class Candidate(BaseModel):
    """A proposed replacement of one source file, with where it came from."""

    id: str
    function: FunctionRef
    plan_id: str
    skills: list[str]
    origin: Literal["rewrite", "llm", "external"]
    """`external`: a change judged by `optimizer-agent verify`, written by someone else."""
    source: str
    """The complete new text of `function.file`."""
    diff: str
    round: int = 0
    parent: str | None = None
    """The candidate this one repairs, if any."""
    tokens: int = 0
    latency: float = 0.0
    prompt_hash: str = ""


class Verdict(BaseModel):
    """The gate's decision on one candidate, with every figure it used."""

    candidate_id: str
    accepted: bool
    reason: str
    stage: Literal["scope", "tests", "equivalence", "guards", "timing", "accepted", "error"] = "error"
    tests_run: int = 0
    tests_passed: int = 0
    calls_compared: int = 0
    rounds: int = 0
    timings_base: list[float] = Field(default_factory=list)
    timings_cand: list[float] = Field(default_factory=list)
    speedup: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    seconds: float = 0.0
    """Wall time the gate spent on this candidate."""
    guard: str | None = None
    """The named anti-gaming guard that rejected the candidate (e.g. `global-state`, `benchmark-literal`)."""
    guard_findings: list[str] = Field(default_factory=list)
    """Every guard finding, `guard: what (file:line)`, including ones a memoization skill was excused from."""
    calls_recorded: int = 0
    """Distinct calls of the changed functions recorded on the original (tests and workload)."""
    calls_skipped: int = 0
    calls_unstable: int = 0
    """Recorded calls left out because the original's own replay differs (clock, environment, hidden state)."""
    mismatch: str | None = None
    """The first behaviour difference found by the replay, readable."""
    equivalence_notes: list[str] = Field(default_factory=list)
    """What the behaviour check could not do fully: skipped calls, values compared by repr."""
    equivalence_seconds: float = 0.0
    """Wall time of recording the original (0 when cached) and replaying both sides."""
    metric: str | None = None
    """What the timings hold: `cpu` or `wall` seconds per run."""
    repeats: int = 1
    """How often the workload ran inside one timed round (short workloads are looped)."""
    stopped: str | None = None
    """Why the timing stopped: clear-accept, clear-reject, budget, max-rounds or error."""
    walls_base: list[float] = Field(default_factory=list)
    """Wall seconds per run on the base, beside CPU timings (the wall-time guard)."""
    walls_cand: list[float] = Field(default_factory=list)


class TestSummary(BaseModel):
    """The outcome of one run of the project's test command."""

    __test__ = False  # not a pytest test class
    ok: bool
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    duration: float = 0.0
    no_tests: bool = False
    output_tail: str = ""
    killed_reason: str = ""
    """Set when the sandbox stopped the run: 'timeout', 'memory', 'pids', 'wrapper-killed'."""
    cause: str = ""
    """The first failure's message (e.g. `ConnectionRefusedError: ...`), for the verdict's reason."""

    @property
    def total(self) -> int:
        """Tests that ran to a pass or fail."""
        return self.passed + self.failed + self.errors


class CommitRecord(BaseModel):
    """An accepted candidate as it landed on the run branch."""

    candidate_id: str
    sha: str
    subject: str
    function: FunctionRef
    speedup: float


class RunState(TypedDict, total=False):
    """Everything a run knows; checkpointed after each node so `--resume` can continue."""

    run_id: str
    repo: str
    """Absolute path of the user's repository root (never written to, except the run folder)."""
    run_dir: str
    worktree: str | None
    """The run's own checkout; None once a finished run has given it back."""
    branch: str
    branch_kept: bool
    """Set when the run finished: whether its branch holds commits and was kept (an empty one is deleted)."""
    base_sha: str
    dirty: bool
    settings: dict
    """The effective Settings, dumped; a resumed run reuses them."""
    baseline: TestSummary
    hotspots: list[Hotspot]
    diagnoses: list[Diagnosis]
    matches: dict[str, list[SkillMatch]]
    """Retrieved skills per function key."""
    plans: list[Plan]
    targets: list[FunctionRef]
    """Functions to optimize, in order; `cursor` indexes the current one."""
    cursor: int
    round: int
    """Repair round for the current target."""
    pending: list[Candidate]
    """Candidates of the current target still waiting for the gate."""
    candidates: Annotated[list[Candidate], operator.add]
    verdicts: Annotated[list[Verdict], operator.add]
    commits: Annotated[list[CommitRecord], operator.add]
    notes: Annotated[list[str], operator.add]
    """Warnings and decisions worth showing the user at the end."""
