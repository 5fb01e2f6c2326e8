"""Keep or reject: the gate's thresholds and the pure decision over the collected figures."""

from __future__ import annotations

from optimizer_agent.verify.figures import GateFigures, Stage, TimingResult

DEFAULT_MIN_SPEEDUP = 1.05
"""The CI's lower bound must reach this ratio median(base) / median(candidate)."""
P_VALUE_MAX = 0.01
"""The one-sided Mann-Whitney p-value must be below this."""
CONFIDENCE = 0.95
"""Coverage of the bootstrap interval around the speedup."""
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 20_240_917
"""Fixed so that the same timings always give the same interval."""
TIMING_METRIC = "auto"
"""`auto` compares CPU seconds (user+sys of the workload and its children) when the workload is CPU-bound
and the sandbox reports them: on a shared machine they move far less with other load than wall time.
Workloads that mostly wait (I/O, sleeps) are compared by wall time."""
CPU_BOUND_RATIO = 0.3
"""A warm-up run whose CPU/wall ratio reaches this counts as CPU-bound."""
WALL_SLOWDOWN_MAX = 1.10
"""With the CPU metric, reject a candidate whose median wall time grows by more than this factor
(work moved out of the measured processes, or into sleeping)."""

MIN_ROUNDS = 6
"""Timed runs per side before an early stop may be taken."""
MAX_ROUNDS = 40
"""Timed runs per side at most."""
TIME_BUDGET_S = 120.0
"""Wall seconds one timing measurement may spend, warm-up included."""
MIN_ROUND_SECONDS = 0.05
"""A timed run shorter than this is repeated inside its round so timer and start-up noise stay small."""
MAX_REPEATS = 1_000
"""Upper bound on the repetitions of a very short command inside one round."""
RUN_TIMEOUT_S = 300.0
"""Limit on a single timed run (one round); a hang is an error, not a slow result."""
TEST_TIMEOUT_S = 900.0
"""Default limit on one run of the project's test command."""
OUTPUT_TAIL_CHARS = 4_000
"""How much of a command's output a summary keeps."""
FAILING_IDS_SHOWN = 3
"""How many failing test ids a rejection reason names."""
SANDBOX_STOPS = {
    "timeout": "the time limit",
    "memory": "the memory limit (OOM kill)",
    "pids": "the pids limit (a fork was refused)",
    "wrapper-killed": "the sandbox: the command killed its parent process",
}
"""How reasons name the limit behind a sandbox's `Result.killed_reason`."""


def decide(figures: GateFigures, min_speedup: float = DEFAULT_MIN_SPEEDUP) -> tuple[bool, str, Stage]:
    """Accept or reject from the figures, naming the first stage that failed and why."""
    if figures.scope_problem:
        return False, f"out of scope: {figures.scope_problem}", "scope"
    if figures.tests is None:
        return False, "tests were not run", "error"
    problem = problem_with_tests(figures)
    if problem:
        return False, problem, "tests"
    if figures.timing is None:
        return False, "timing was not measured", "error"
    return timing_decision(figures.timing, min_speedup)


def problem_with_tests(figures: GateFigures) -> str | None:
    """Why the candidate's test run is not good enough, or None when it is."""
    tests, baseline = figures.tests, figures.baseline_tests
    if tests is None:
        return "tests were not run"
    if not tests.ok:
        detail = _failure_detail(tests.failed, tests.errors, figures.failing, tests.output_tail)
        if tests.cause and tests.cause not in detail:
            detail += f": {tests.cause}"
        if tests.killed_reason:
            return f"tests stopped by {sandbox_stop(tests.killed_reason)}: {detail}"
        return "tests failed: " + detail
    if tests.no_tests and not baseline.no_tests:
        return f"tests disappeared: no tests ran (baseline passed {baseline.passed})"
    if tests.passed < baseline.passed:
        return f"tests disappeared: {tests.passed} passed, baseline passed {baseline.passed}"
    return None


def timing_decision(timing: TimingResult, min_speedup: float) -> tuple[bool, str, Stage]:
    """Accept only a speedup whose CI lower bound reaches `min_speedup` with p below P_VALUE_MAX."""
    if timing.stopped == "error":
        # A benchmark that breaks on the candidate only is the candidate's fault; on the base it is ours.
        stage: Stage = "timing" if timing.error_side == "candidate" else "error"
        return False, f"benchmark failed on the {timing.error_side or 'unknown'} side: {timing.error}", stage
    if timing.speedup is None or timing.ci_low is None or timing.ci_high is None or timing.p_value is None:
        return False, f"no timing figures (stopped: {timing.stopped}) {timing.error}".strip(), "timing"
    figures = f"{timing.speedup:.2f}x [{timing.ci_low:.2f}, {timing.ci_high:.2f}], {format_p(timing.p_value)}"
    wall = timing.wall_speedup
    if timing.metric == "cpu" and wall is not None and wall < 1 / WALL_SLOWDOWN_MAX:
        return False, f"wall time grew while CPU time fell: wall {wall:.2f}x, cpu {figures}", "timing"
    if timing.ci_low >= min_speedup and timing.p_value < P_VALUE_MAX:
        return True, f"accepted: {figures}", "accepted"
    if timing.ci_low >= min_speedup:
        return False, f"not significant: {figures}", "timing"
    suffix = "" if timing.stopped in ("clear-reject", "clear-accept") else f" (stopped: {timing.stopped})"
    return False, f"not faster: {figures}{suffix}", "timing"


def sandbox_stop(killed_reason: str) -> str:
    """Name the sandbox limit behind a `Result.killed_reason`, for reasons."""
    return SANDBOX_STOPS.get(killed_reason, f"the sandbox ({killed_reason})")


def format_p(p: float) -> str:
    """Write a p-value the way reasons and commit messages show it."""
    return "p<0.001" if p < 0.001 else f"p={p:.2g}"


def _failure_detail(failed: int, errors: int, failing: list[str], output_tail: str) -> str:
    """Counts and the first failing test ids, or the last output line when there are no counts."""
    parts = []
    if failed:
        parts.append(f"{failed} failed")
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if not parts:
        lines = [line for line in output_tail.strip().splitlines() if line.strip()]
        parts.append(lines[-1].strip() if lines else "non-zero exit")
    detail = ", ".join(parts)
    if failing:
        shown = " ".join(failing[:FAILING_IDS_SHOWN])
        more = " ..." if len(failing) > FAILING_IDS_SHOWN else ""
        detail += f" ({shown}{more})"
    return detail
