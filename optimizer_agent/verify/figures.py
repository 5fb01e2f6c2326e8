"""The records the gate collects before the critic decides: timing figures and the whole set."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from optimizer_agent.state import TestSummary

Stage = Literal["scope", "tests", "equivalence", "guards", "timing", "accepted", "error"]
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
    """Which tree's run failed when `stopped` is "error"."""
    seconds: float = 0.0
    """Wall time of the whole measurement, warm-up included."""

    @property
    def wall_speedup(self) -> float | None:
        """median(wall_a) / median(wall_b), or None without wall samples."""
        if not self.wall_a or not self.wall_b:
            return None
        from statistics import median

        return median(self.wall_a) / max(median(self.wall_b), 1e-12)


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
