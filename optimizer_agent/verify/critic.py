"""Keep or reject: the gate's thresholds and the pure decision over the collected figures."""

from __future__ import annotations

from optimizer_agent.verify.figures import EquivalenceResult, GateFigures, GuardFinding, Stage, TimingResult

DEFAULT_MIN_SPEEDUP = 1.05
"""The CI's lower bound must reach this ratio median(base) / median(candidate)."""
P_VALUE_MAX = 0.01
"""The one-sided Mann-Whitney p-value must be below this."""
P_VALUE_EARLY = 0.002
"""Stopping early to accept needs this stricter p-value: the interval is looked at after every block, and each
look is another chance for noise to pass (simulated: with 20% noise per run, 1.3% of A/A trials were accepted at
0.01 and 0.7% at this; with 5% noise the detection of a true 1.10x stays at 100%)."""
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
"""With the CPU metric, reject a candidate whose wall time surely grows by more than this factor (the upper end
of the wall speedup's interval is below its inverse): work moved out of the measured processes, or into sleeping."""

MIN_ROUNDS = 6
"""Timed runs per side before an early stop may be taken."""
MAX_ROUNDS = 100
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

# Behaviour capture and replay.
MAX_CAPTURE_CALLS = 40
"""Distinct outermost calls the tracer records per target function per process."""
MAX_ITER_ITEMS = 5_000
"""Items of one returned iterator the tracer keeps; past this, only that prefix is compared."""
MAX_REPLAY_CALLS = 120
"""Recorded calls per target replayed on each side at most (tests and workload together)."""
MAX_CALL_BYTES = 32 * 1024**2
"""A call whose pickled arguments (or a value) exceed this is skipped (or kept as a deep repr)."""
MAX_CAPTURE_BYTES = 256 * 1024**2
"""Pickled arguments one process records at most, so a capture cannot fill the disk."""
FLOAT_REL_TOL = 1e-9
FLOAT_ABS_TOL = 1e-12
"""Replayed floats must satisfy math.isclose(expected, got, rel_tol, abs_tol); NaN equals NaN."""
DICT_ORDER_MATTERS = True
"""Dicts must also keep their key order: callers iterate them, print them and dump them."""
REPLAY_SEED = 20_240_917
"""`random` (and numpy's global generator) is seeded with this before every recorded and replayed call."""
CAPTURE_TIMEOUT_FACTOR = 3.0
"""The tests or workload under capture may take this many times their own limit."""
REPLAY_MIN_TIMEOUT_S = 60.0
REPLAY_SLOWDOWN_MAX = 20.0
"""The candidate's replay may take this many times the original's replay (plus REPLAY_MIN_TIMEOUT_S)."""
MISMATCHES_KEPT = 5
"""Differences the replayer reports before stopping."""
MIN_CALLS_COMPARED = 1
"""Equivalence is shown only when at least this many recorded calls were compared."""

# Anti-gaming guards.
CACHING_FAMILY = "caching"
"""Skills of this family (memoization) may add caches, but only on functions the capture shows pure."""
TRIVIAL_INT_MAX = 1024
"""Integers up to this size (and powers of 2 and 10) are too common to call copied from a benchmark."""
TRIVIAL_FLOAT_DIGITS = 2
"""Floats with at most this many significant digits (0.5, 1e-9) are too common to call copied."""
MIN_COPIED_STR_LEN = 6
"""Shorter strings, and identifier-like words, are too common to call copied."""
MIN_COPIED_SEQUENCE_LEN = 3
"""A tuple/list literal of constants this long that a benchmark or test also holds counts as copied."""
JUDGE_FILE_MAX_BYTES = 1024**2
JUDGE_FILES_MAX_BYTES = 8 * 1024**2
"""Benchmark and test files larger than this (each, all together) are not scanned for literals."""


def decide(figures: GateFigures, min_speedup: float = DEFAULT_MIN_SPEEDUP) -> tuple[bool, str, Stage]:
    """Accept or reject from the figures, naming the first stage that failed and why."""
    rejection = early_rejection(figures)
    if rejection:
        return False, rejection[0], rejection[1]
    if figures.tests is None:
        return False, "tests were not run", "error"
    if figures.equivalence is None:
        return False, "behaviour was not checked", "error"
    if figures.timing is None:
        return False, "timing was not measured", "error"
    return timing_decision(figures.timing, min_speedup)


def early_rejection(figures: GateFigures) -> tuple[str, Stage] | None:
    """The reason and stage of the first failure before timing, in gate order, or None.

    Stages not yet collected count as passed, so the gate can ask after each stage whether to go on.
    Scope, then the static guards, then the tests, then behaviour equivalence.
    """
    if figures.scope_problem:
        return f"out of scope: {figures.scope_problem}", "scope"
    blocking = blocking_guards(figures.guards, figures.cache_skill)
    if blocking:
        return f"guard {blocking[0].describe()}", "guards"
    if figures.tests is not None:
        problem = problem_with_tests(figures)
        if problem:
            return problem, "tests"
    if figures.equivalence is not None:
        rejection = equivalence_rejection(figures.equivalence)
        if rejection:
            return rejection
        excused = [f for f in figures.guards if f not in blocking]
        if excused and not figures.equivalence.pure:
            why = impurity(figures.equivalence)
            return f"guard {excused[0].describe()}: a cache is allowed only on a function shown pure ({why})", "guards"
    return None


def blocking_guards(findings: list[GuardFinding], cache_skill: bool) -> list[GuardFinding]:
    """Findings that reject outright: all of them, except new caches when the skill is memoization."""
    return [f for f in findings if not (cache_skill and f.guard == "global-state")]


def equivalence_rejection(eq: EquivalenceResult) -> tuple[str, Stage] | None:
    """Why the replay does not show the candidate equivalent, or None when it does."""
    if eq.error:
        stage: Stage = "equivalence" if eq.error_side == "candidate" else "error"
        return f"behaviour check failed on the {eq.error_side or 'base'} side: {eq.error}", stage
    if eq.mismatch:
        return f"behaviour differs: {eq.mismatch}", "equivalence"
    if eq.calls_compared < MIN_CALLS_COMPARED:
        targets = ", ".join(eq.targets) or "the target"
        detail = f"{eq.calls_recorded} recorded"
        if eq.calls_unstable:
            detail += f", {eq.calls_unstable} unstable on the original"
        if eq.calls_skipped:
            detail += f", {eq.calls_skipped} skipped ({'; '.join(sorted(eq.skipped))})"
        return f"behaviour not shown: no calls of {targets} could be compared ({detail})", "equivalence"
    return None


def impurity(eq: EquivalenceResult) -> str:
    """Why the capture does not show the function pure."""
    if eq.mutating_calls:
        return f"{eq.mutating_calls} recorded call(s) change their arguments"
    if eq.calls_unstable or eq.calls_unrepeatable:
        return f"{eq.calls_unstable + eq.calls_unrepeatable} recorded call(s) give a different result when repeated"
    return "no recorded call shows it"


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
    if timing.candidate_outlasted_budget:
        return False, f"not faster: a single candidate run outlasted the {timing.seconds:.0f}s timing budget", "timing"
    if timing.speedup is None or timing.ci_low is None or timing.ci_high is None or timing.p_value is None:
        return False, f"no timing figures (stopped: {timing.stopped}) {timing.error}".strip(), "timing"
    figures = f"{timing.speedup:.2f}x [{timing.ci_low:.2f}, {timing.ci_high:.2f}], {format_p(timing.p_value)}"
    wall = timing.wall_speedup
    # The interval's upper end when there is one: only a wall slowdown the data is sure of counts.
    wall_best = timing.wall_ci_high if timing.wall_ci_high is not None else wall
    # The guard is about CPU wins that do not show on the clock, so it only speaks when CPU time fell.
    cpu_fell = timing.ci_low >= min_speedup
    if cpu_fell and timing.metric == "cpu" and wall is not None and wall_best is not None \
            and wall_best < 1 / WALL_SLOWDOWN_MAX:
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
