"""Paired, interleaved A/B timing of a workload command in two staged trees, with adaptive stopping."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from optimizer_agent.sandbox.base import Result, Sandbox
from optimizer_agent.verify import stats
from optimizer_agent.verify.critic import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    CPU_BOUND_RATIO,
    DEFAULT_MIN_SPEEDUP,
    MAX_REPEATS,
    MAX_ROUNDS,
    MIN_ROUND_SECONDS,
    MIN_ROUNDS,
    OUTPUT_TAIL_CHARS,
    P_VALUE_EARLY,
    RUN_TIMEOUT_S,
    TIME_BUDGET_S,
    TIMING_METRIC,
    sandbox_stop,
)
from optimizer_agent.verify.figures import Metric, StopReason, TimingResult

Side = Literal["base", "candidate"]

# A then B then B then A: a linear drift in machine speed hits both sides equally within a block.
ABBA: tuple[Side, ...] = ("base", "candidate", "candidate", "base")
# Blocks alternate with BAAB: the run right after a pause between blocks (the statistics are computed there)
# would otherwise always be the base's, and any first-run penalty would look like a speedup.
BAAB: tuple[Side, ...] = ("candidate", "base", "base", "candidate")


class TimingPolicy(BaseModel):
    """How many rounds to time, how long to spend, and when the result is clear enough to stop."""

    min_rounds: int = Field(MIN_ROUNDS, ge=2)
    """Timed runs per side before an early stop is considered."""
    max_rounds: int = Field(MAX_ROUNDS, ge=2)
    """Timed runs per side at most (whole ABBA blocks, so an odd value is rounded down)."""
    time_budget_s: float = Field(TIME_BUDGET_S, gt=0)
    """Wall seconds for the whole measurement, warm-up included."""
    min_round_seconds: float = Field(MIN_ROUND_SECONDS, ge=0)
    """Shorter commands are looped inside a round until one round lasts about this long."""
    max_repeats: int = Field(MAX_REPEATS, ge=1)
    run_timeout_s: float = Field(RUN_TIMEOUT_S, gt=0)
    """Limit on one timed run; the remaining budget may cut it shorter."""
    metric: Metric = TIMING_METRIC
    """CPU seconds when the sandbox reports them (falls back to wall seconds), or wall seconds."""
    min_speedup: float = Field(DEFAULT_MIN_SPEEDUP, gt=0)
    """The ratio the early-stop rules compare the interval against."""
    confidence: float = Field(CONFIDENCE, gt=0, lt=1)
    resamples: int = Field(BOOTSTRAP_RESAMPLES, ge=1)
    seed: int = BOOTSTRAP_SEED


def repeats_for(duration: float, min_round_seconds: float, max_repeats: int = MAX_REPEATS) -> int:
    """How many times to run a command that takes `duration` seconds so a round lasts `min_round_seconds`."""
    if duration >= min_round_seconds:
        return 1
    return max(1, min(max_repeats, math.ceil(min_round_seconds / max(duration, 1e-9))))


def choose_metric(wanted: Metric, base_warmup: Result) -> Metric:
    """CPU time when asked (or, for `auto`, when the base run is CPU-bound) and the sandbox measured it."""
    if wanted == "wall" or base_warmup.cpu_time is None:
        return "wall"
    if wanted == "cpu":
        return "cpu"
    busy = base_warmup.cpu_time / max(base_warmup.duration, 1e-9)
    return "cpu" if busy >= CPU_BOUND_RATIO else "wall"


def repeated_command(cmd: str, repeats: int) -> str:
    """A POSIX shell loop running `cmd` `repeats` times, stopping at the first failure."""
    if repeats <= 1:
        return cmd
    # The subshell keeps an `exit` inside the workload from ending the loop early;
    # the newline before `)` keeps a trailing comment in `cmd` from swallowing it.
    return f"for _oa_i in $(seq 1 {repeats}); do\n( {cmd}\n) || exit $?\ndone"


def measure(
    sandbox: Sandbox,
    cmd: str,
    base_dir: str,
    cand_dir: str,
    policy: TimingPolicy | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> TimingResult:
    """Time `cmd` in both trees in ABBA rounds until the speedup is clear, the budget is spent, or a run fails."""
    policy = policy or TimingPolicy()
    start = clock()
    dirs: dict[Side, str] = {"base": base_dir, "candidate": cand_dir}
    times: dict[Side, list[float]] = {"base": [], "candidate": []}
    walls: dict[Side, list[float]] = {"base": [], "candidate": []}
    metric: Metric = "wall"

    def run(side: Side, repeats: int) -> Result | TimingResult:
        """One timed run, or the final result when it failed or ran out of budget."""
        remaining = policy.time_budget_s - (clock() - start)
        if remaining <= 0:
            return _finish(times, walls, metric, repeats, "budget", policy, start, clock, f"time budget spent before a {side} run")
        timeout = min(policy.run_timeout_s, remaining)
        result = sandbox.execute(repeated_command(cmd, repeats), cwd=dirs[side], timeout=timeout)
        if result.ok:
            return result
        if result.timed_out and timeout < policy.run_timeout_s:
            # The side is kept: a candidate whose one run outlasts the budget the base fitted in is far slower.
            return _finish(times, walls, metric, repeats, "budget", policy, start, clock,
                           f"{side} run outlasted the time budget", side)
        why = f"timed out after {timeout:g}s" if result.timed_out else f"exit {result.returncode}"
        if result.killed_reason and result.killed_reason != "timeout":
            why += f", stopped by {sandbox_stop(result.killed_reason)}"
        error = f"{why}: {result.tail(OUTPUT_TAIL_CHARS)}"
        return _finish(times, walls, metric, repeats, "error", policy, start, clock, error, side)

    warm: dict[Side, float] = {}
    warm_runs: list[Result] = []
    for side in ("base", "candidate"):
        outcome = run(side, 1)
        if isinstance(outcome, TimingResult):
            return outcome
        warm[side] = outcome.duration
        warm_runs.append(outcome)
    metric = choose_metric(policy.metric, warm_runs[0])
    repeats = repeats_for(min(warm.values()), policy.min_round_seconds, policy.max_repeats)
    # Until a block has been timed, the warm-up is the best guess of what one costs.
    block_estimate = 2 * (warm["base"] + warm["candidate"]) * repeats
    stopped: StopReason = "max-rounds"
    while True:
        if len(times["base"]) + 2 > policy.max_rounds:
            stopped = "max-rounds"
            break
        if clock() - start + block_estimate > policy.time_budget_s:
            stopped = "budget"
            break
        block_start = clock()
        for side in ABBA if len(times["base"]) % 4 == 0 else BAAB:
            outcome = run(side, repeats)
            if isinstance(outcome, TimingResult):
                return outcome
            walls[side].append(outcome.duration / repeats)
            times[side].append((outcome.cpu_time if metric == "cpu" else outcome.duration) / repeats)
        block_estimate = clock() - block_start
        if len(times["base"]) >= policy.min_rounds:
            verdict = _clear(times, policy)
            if verdict:
                stopped = verdict
                break
    return _finish(times, walls, metric, repeats, stopped, policy, start, clock)


def _clear(times: dict[Side, list[float]], policy: TimingPolicy) -> StopReason | None:
    """The early-stop verdict ("clear-accept" or "clear-reject") when the interval settles it, else None."""
    low, high = stats.bootstrap_ci(times["base"], times["candidate"], policy.confidence, policy.resamples, policy.seed)
    if high < policy.min_speedup:
        return "clear-reject"
    if low >= policy.min_speedup and stats.mann_whitney_p(times["base"], times["candidate"]) < P_VALUE_EARLY:
        return "clear-accept"
    return None


def _finish(
    times: dict[Side, list[float]],
    walls: dict[Side, list[float]],
    metric: Metric,
    repeats: int,
    stopped: StopReason,
    policy: TimingPolicy,
    start: float,
    clock: Callable[[], float],
    error: str = "",
    error_side: Side | None = None,
) -> TimingResult:
    """Package the samples with their statistics (when both sides have any)."""
    a, b = times["base"], times["candidate"]
    result = TimingResult(
        times_a=list(a),
        times_b=list(b),
        metric=metric,
        wall_a=list(walls["base"]),
        wall_b=list(walls["candidate"]),
        rounds=min(len(a), len(b)),
        repeats=repeats,
        stopped=stopped,
        error=error,
        error_side=error_side,
    )
    if a and b:
        result.speedup = stats.speedup(a, b)
        result.ci_low, result.ci_high = stats.bootstrap_ci(a, b, policy.confidence, policy.resamples, policy.seed)
        result.p_value = stats.mann_whitney_p(a, b)
    if metric == "cpu" and walls["base"] and walls["candidate"]:
        _, result.wall_ci_high = stats.bootstrap_ci(walls["base"], walls["candidate"], policy.confidence,
                                                    policy.resamples, policy.seed)
    result.seconds = clock() - start
    return result
