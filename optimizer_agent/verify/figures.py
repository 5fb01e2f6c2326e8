"""The records the gate collects before the critic decides: timing figures and the whole set."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from optimizer_agent.state import TestSummary

Stage = Literal["scope", "guards", "tests", "equivalence", "timing", "accepted", "error"]
"""Where a verdict was settled; the same values as `Verdict.stage`."""

Metric = Literal["cpu", "wall", "auto"]
"""CPU seconds of the workload (when the sandbox reports them) or wall seconds."""

StopReason = Literal["clear-accept", "clear-reject", "budget", "max-rounds", "error"]


class TimingResult(BaseModel):
    """What a paired A/B timing measured; A is the base tree, B the candidate."""

    times_a: list[float] = Field(default_factory=list)
    """Seconds per run of the workload on the base tree, warm-up excluded, divided by `repeats`."""
    times_b: list[float] = Field(default_factory=list)
    """The same for the candidate tree."""
    metric: Metric = "wall"
    """What `times_a`/`times_b` hold: CPU seconds (when the sandbox reports them) or wall seconds."""
    wall_a: list[float] = Field(default_factory=list)
    """Wall seconds per run on the base tree, kept beside CPU samples as a guard."""
    wall_b: list[float] = Field(default_factory=list)
    wall_ci_high: float | None = None
    """Upper end of the bootstrap interval of the wall speedup (CPU metric only): the wall-time guard rejects
    only a slowdown the interval is sure of, since wall time on a loaded machine is noisy."""
    rounds: int = 0
    """Timed runs per side."""
    repeats: int = 1
    """How often the command ran inside one timed run (short commands are looped)."""
    speedup: float | None = None
    """median(times_a) / median(times_b); above 1 means the candidate is faster."""
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    """One-sided Mann-Whitney U: the candidate's times are stochastically smaller."""
    stopped: StopReason = "max-rounds"
    error: str = ""
    error_side: Literal["base", "candidate"] | None = None
    """Which tree's run failed when `stopped` is "error", or outlasted the budget when it is "budget"."""
    seconds: float = 0.0
    """Wall time of the whole measurement, warm-up included."""

    @property
    def candidate_outlasted_budget(self) -> bool:
        """A single candidate run outlasted the budget the base's runs fitted in: far slower, with no figures."""
        return self.speedup is None and self.stopped == "budget" and self.error_side == "candidate"

    @property
    def wall_speedup(self) -> float | None:
        """median(wall_a) / median(wall_b), or None without wall samples."""
        if not self.wall_a or not self.wall_b:
            return None
        from statistics import median

        return median(self.wall_a) / max(median(self.wall_b), 1e-12)


GuardName = Literal["global-state", "benchmark-literal", "sys-modules", "sys-state", "timer", "gc", "random-state",
                    "benchmark-detection", "process-exit", "test-skip", "harness-tampering"]
"""The named reasons the anti-gaming guards reject a candidate with."""


class GuardFinding(BaseModel):
    """One thing a candidate adds that an honest speedup never needs."""

    guard: GuardName
    message: str
    file: str = ""
    line: int = 0

    def describe(self) -> str:
        """`guard: message (file:line)` for reasons and reports."""
        where = f" ({self.file}:{self.line})" if self.file and self.line else (f" ({self.file})" if self.file else "")
        return f"{self.guard}: {self.message}{where}"


class EquivalenceResult(BaseModel):
    """What behaviour capture and replay found: the original's recorded calls, replayed on the candidate."""

    targets: list[str] = Field(default_factory=list)
    """`file::qualname` of every function whose calls were recorded."""
    calls_recorded: int = 0
    """Distinct calls the tracer recorded while the tests and the workload ran on the original."""
    calls_compared: int = 0
    """Recorded calls replayed on the candidate and compared."""
    calls_matched: int = 0
    calls_skipped: int = 0
    """Calls that could not be recorded or replayed (unpicklable arguments, values that do not load)."""
    calls_unstable: int = 0
    """Calls whose replay on the original itself differs from the recording (clock, environment, hidden
    state); they cannot judge the candidate and are left out."""
    calls_unrepeatable: int = 0
    """Calls the original answers differently when made again (state left by earlier calls); they are
    compared once but not repeated on the candidate, and they keep the function from counting as pure."""
    skipped: dict[str, int] = Field(default_factory=dict)
    """Why calls were skipped, with counts."""
    repr_fallbacks: int = 0
    """Recorded values pickle could not keep; they were compared by deep repr instead."""
    mutating_calls: int = 0
    """Calls in which the original changes its arguments in place."""
    pure: bool = False
    """Every recorded call replays the same on the original, twice, and none mutates its arguments."""
    mismatch: str | None = None
    """The first difference, readable: which call, which part of the outcome, expected and got."""
    mismatches: int = 0
    error: str | None = None
    error_side: Literal["base", "candidate"] | None = None
    capture_seconds: float = 0.0
    replay_seconds: float = 0.0
    cached: bool = False
    """The recording (and the original's replay) was reused: made earlier in this process or kept in the run
    folder; `capture_seconds` is then 0."""

    def notes(self) -> list[str]:
        """Short remarks a verdict should carry: skipped, unstable and repr-compared calls."""
        out = [f"{count} call(s) skipped: {why}" for why, count in sorted(self.skipped.items())]
        if self.calls_unstable:
            out.append(f"{self.calls_unstable} call(s) left out: the original's own replay differs "
                       "(clock, environment or hidden state)")
        if self.repr_fallbacks:
            out.append(f"{self.repr_fallbacks} recorded value(s) could not be pickled and were compared by deep repr")
        return out


class GateFigures(BaseModel):
    """Everything the critic weighs; a later stage is None when an earlier one already failed."""

    scope_problem: str | None = None
    """Why the candidate is out of scope, or None when it is within it."""
    baseline_tests: TestSummary
    """The test run on the accepted HEAD that the candidate must match."""
    tests: TestSummary | None = None
    failing: list[str] = Field(default_factory=list)
    """Ids of the candidate's failing tests, as the runner printed them."""
    timing: TimingResult | None = None
    guards: list[GuardFinding] = Field(default_factory=list)
    """Every guard finding, including the global-state ones a caching skill may be excused from."""
    cache_skill: bool = False
    """The candidate applies a caching skill (memoization): new caches are allowed on a pure function."""
    equivalence: EquivalenceResult | None = None
