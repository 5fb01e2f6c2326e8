"""The keep-or-reject decision over hand-made figures, one test per branch."""

import pytest

from optimizer_agent.state import TestSummary
from optimizer_agent.verify.critic import (
    DEFAULT_MIN_SPEEDUP,
    FAILING_IDS_SHOWN,
    P_VALUE_MAX,
    decide,
    early_rejection,
    format_p,
    problem_with_tests,
)
from optimizer_agent.verify.figures import EquivalenceResult, GateFigures, GuardFinding, TimingResult

BASELINE = TestSummary(ok=True, passed=5)
SHOWN = EquivalenceResult(targets=["m.py::f"], calls_recorded=4, calls_compared=4, calls_matched=4, pure=True)
CACHE = GuardFinding(guard="global-state", message="keeps state between calls in _C", file="m.py", line=3)


def timing(speedup=2.0, low=1.9, high=2.1, p=0.0001, stopped="clear-accept", **extra) -> TimingResult:
    """A TimingResult with just the figures the critic reads."""
    return TimingResult(speedup=speedup, ci_low=low, ci_high=high, p_value=p, rounds=6, stopped=stopped, **extra)


def figures(tests=None, timing_result=None, scope=None, failing=(), baseline=BASELINE, equivalence=SHOWN,
            guards=(), cache_skill=False) -> GateFigures:
    """GateFigures with a passing test run and a matching replay unless told otherwise."""
    return GateFigures(
        scope_problem=scope,
        baseline_tests=baseline,
        tests=tests if tests is not None else TestSummary(ok=True, passed=5),
        failing=list(failing),
        timing=timing_result,
        equivalence=equivalence,
        guards=list(guards),
        cache_skill=cache_skill,
    )


def test_clear_speedup_is_accepted_with_its_figures_in_the_reason():
    accepted, reason, stage = decide(figures(timing_result=timing(2.31, 2.2, 2.45, 0.0002)))
    assert (accepted, stage) == (True, "accepted")
    assert reason == "accepted: 2.31x [2.20, 2.45], p<0.001"


def test_scope_problem_rejects_first():
    accepted, reason, stage = decide(figures(scope="tests/test_x.py is a test file", timing_result=timing()))
    assert (accepted, stage) == (False, "scope")
    assert "tests/test_x.py" in reason


def test_missing_test_run_is_an_error():
    fig = GateFigures(baseline_tests=BASELINE)
    assert decide(fig) == (False, "tests were not run", "error")
    assert problem_with_tests(fig) == "tests were not run"


def test_failing_tests_name_counts_and_first_ids():
    ids = [f"test_m.py::test_{i}" for i in range(FAILING_IDS_SHOWN + 2)]
    run = TestSummary(ok=False, passed=3, failed=2, errors=1)
    accepted, reason, stage = decide(figures(tests=run, failing=ids, timing_result=timing()))
    assert (accepted, stage) == (False, "tests")
    assert reason.startswith("tests failed: 2 failed, 1 error (test_m.py::test_0")
    assert ids[FAILING_IDS_SHOWN - 1] in reason and ids[FAILING_IDS_SHOWN] not in reason
    assert reason.endswith("...)")


def test_failure_without_counts_quotes_the_last_output_line():
    run = TestSummary(ok=False, output_tail="boom\nSegmentation fault\n")
    accepted, reason, stage = decide(figures(tests=run))
    assert (accepted, reason, stage) == (False, "tests failed: Segmentation fault", "tests")


def test_failure_without_counts_or_output_says_non_zero_exit():
    assert decide(figures(tests=TestSummary(ok=False)))[1] == "tests failed: non-zero exit"


def test_tests_that_stop_running_are_rejected():
    accepted, reason, stage = decide(figures(tests=TestSummary(ok=True, no_tests=True)))
    assert (accepted, stage) == (False, "tests")
    assert reason == "tests disappeared: no tests ran (baseline passed 5)"


def test_fewer_passing_tests_than_the_baseline_are_rejected():
    accepted, reason, stage = decide(figures(tests=TestSummary(ok=True, passed=4, skipped=1)))
    assert (accepted, stage) == (False, "tests")
    assert reason == "tests disappeared: 4 passed, baseline passed 5"


def test_a_project_without_tests_goes_on_to_timing():
    empty = TestSummary(ok=True, no_tests=True)
    accepted, _, stage = decide(figures(tests=empty, baseline=empty, timing_result=timing()))
    assert (accepted, stage) == (True, "accepted")


def test_missing_timing_is_an_error():
    assert decide(figures()) == (False, "timing was not measured", "error")


def test_benchmark_failing_on_the_candidate_is_a_timing_rejection():
    broken = TimingResult(stopped="error", error="exit 1: Traceback", error_side="candidate")
    accepted, reason, stage = decide(figures(timing_result=broken))
    assert (accepted, stage) == (False, "timing")
    assert reason == "benchmark failed on the candidate side: exit 1: Traceback"


def test_benchmark_failing_on_the_base_is_an_error():
    broken = TimingResult(stopped="error", error="exit 2", error_side="base")
    assert decide(figures(timing_result=broken))[2] == "error"


def test_timing_without_figures_is_rejected_with_the_stop_reason():
    empty = TimingResult(stopped="budget", error="time budget spent before a base run")
    accepted, reason, stage = decide(figures(timing_result=empty))
    assert (accepted, stage) == (False, "timing")
    assert reason == "no timing figures (stopped: budget) time budget spent before a base run"


def test_a_candidate_run_longer_than_the_whole_budget_is_not_faster():
    slow = TimingResult(stopped="budget", error="candidate run outlasted the time budget", error_side="candidate",
                        seconds=121.0)
    assert decide(figures(timing_result=slow)) == (
        False, "not faster: a single candidate run outlasted the 121s timing budget", "timing")


def test_interval_below_the_threshold_is_not_faster():
    accepted, reason, stage = decide(figures(timing_result=timing(1.02, 0.97, 1.06, 0.21, stopped="clear-reject")))
    assert (accepted, stage) == (False, "timing")
    assert reason == "not faster: 1.02x [0.97, 1.06], p=0.21"


def test_inconclusive_stop_is_named_in_the_reason():
    reason = decide(figures(timing_result=timing(1.1, 1.0, 1.2, 0.03, stopped="budget")))[1]
    assert reason == "not faster: 1.10x [1.00, 1.20], p=0.03 (stopped: budget)"


def test_interval_above_the_threshold_without_significance_is_rejected():
    accepted, reason, stage = decide(figures(timing_result=timing(1.3, 1.1, 1.5, P_VALUE_MAX, stopped="max-rounds")))
    assert (accepted, stage) == (False, "timing")
    assert reason.startswith("not significant: 1.30x")


@pytest.mark.parametrize("min_speedup, accepted", [(DEFAULT_MIN_SPEEDUP, True), (1.5, False)])
def test_threshold_comes_from_the_caller(min_speedup, accepted):
    assert decide(figures(timing_result=timing(1.4, 1.2, 1.6, 0.001)), min_speedup)[0] is accepted


def test_lower_bound_exactly_at_the_threshold_is_accepted():
    assert decide(figures(timing_result=timing(1.1, 1.05, 1.2, 0.001)), 1.05)[0] is True


@pytest.mark.parametrize("p, text", [(0.0004, "p<0.001"), (0.001, "p=0.001"), (0.0123, "p=0.012"), (0.5, "p=0.5")])
def test_format_p(p, text):
    assert format_p(p) == text


def test_cpu_speedup_with_slower_wall_time_is_rejected():
    moved = timing(metric="cpu", wall_a=[1.0, 1.0, 1.0], wall_b=[1.3, 1.3, 1.3])
    accepted, reason, stage = decide(figures(timing_result=moved))
    assert not accepted and stage == "timing"
    assert reason.startswith("wall time grew while CPU time fell: wall 0.77x")


def test_cpu_speedup_with_steady_wall_time_is_accepted():
    steady = timing(metric="cpu", wall_a=[1.0, 1.0, 1.0], wall_b=[0.6, 0.6, 0.6])
    accepted, _, stage = decide(figures(timing_result=steady))
    assert accepted and stage == "accepted"


def test_a_guard_rejects_before_the_tests_with_its_name():
    cheat = GuardFinding(guard="benchmark-detection", message="reads environment variables via os.environ",
                         file="m.py", line=7)
    fig = GateFigures(baseline_tests=BASELINE, guards=[cheat])
    accepted, reason, stage = decide(fig)
    assert (accepted, stage) == (False, "guards")
    assert reason == "guard benchmark-detection: reads environment variables via os.environ (m.py:7)"


def test_scope_comes_before_the_guards():
    assert decide(figures(scope="tests/t.py is a test file", guards=[CACHE]))[2] == "scope"


def test_a_behaviour_difference_rejects_at_equivalence():
    wrong = SHOWN.model_copy(update={"mismatch": "m.py::f(3): result: expected 6, got 7", "mismatches": 1})
    accepted, reason, stage = decide(figures(equivalence=wrong, timing_result=timing()))
    assert (accepted, stage) == (False, "equivalence")
    assert reason == "behaviour differs: m.py::f(3): result: expected 6, got 7"


def test_no_compared_calls_means_behaviour_not_shown():
    none = EquivalenceResult(targets=["m.py::f"], calls_recorded=2, calls_unstable=2,
                             skipped={"unpicklable arguments: Lock": 3}, calls_skipped=3)
    accepted, reason, stage = decide(figures(equivalence=none, timing_result=timing()))
    assert (accepted, stage) == (False, "equivalence")
    assert reason == ("behaviour not shown: no calls of m.py::f could be compared (2 recorded, 2 unstable on the "
                      "original, 3 skipped (unpicklable arguments: Lock))")


@pytest.mark.parametrize(("side", "stage"), [("candidate", "equivalence"), ("base", "error")])
def test_a_failed_replay_is_the_candidates_fault_only_on_its_side(side, stage):
    broken = EquivalenceResult(error="the replay timed out after 60s", error_side=side)
    accepted, reason, got = decide(figures(equivalence=broken, timing_result=timing()))
    assert (accepted, got) == (False, stage)
    assert reason == f"behaviour check failed on the {side} side: the replay timed out after 60s"


def test_missing_equivalence_is_an_error():
    assert decide(figures(equivalence=None, timing_result=timing())) == (False, "behaviour was not checked", "error")


def test_a_cache_is_rejected_unless_the_skill_is_memoization():
    assert decide(figures(guards=[CACHE], timing_result=timing()))[2] == "guards"
    assert decide(figures(guards=[CACHE], cache_skill=True, timing_result=timing()))[:3:2] == (True, "accepted")


def test_a_memoization_skill_on_an_impure_function_is_still_rejected():
    mutating = SHOWN.model_copy(update={"pure": False, "mutating_calls": 2})
    accepted, reason, stage = decide(figures(guards=[CACHE], cache_skill=True, equivalence=mutating,
                                             timing_result=timing()))
    assert (accepted, stage) == (False, "guards")
    assert reason == ("guard global-state: keeps state between calls in _C (m.py:3): a cache is allowed only on a "
                      "function shown pure (2 recorded call(s) change their arguments)")
    unrepeatable = SHOWN.model_copy(update={"pure": False, "calls_unrepeatable": 1})
    assert "1 recorded call(s) give a different result when repeated" in decide(
        figures(guards=[CACHE], cache_skill=True, equivalence=unrepeatable, timing_result=timing()))[1]


def test_memoization_does_not_excuse_other_guards():
    env = GuardFinding(guard="benchmark-detection", message="reads os.environ")
    assert decide(figures(guards=[CACHE, env], cache_skill=True, timing_result=timing()))[1].startswith(
        "guard benchmark-detection")


def test_early_rejection_treats_uncollected_stages_as_passed():
    assert early_rejection(GateFigures(baseline_tests=BASELINE)) is None
    assert early_rejection(figures(equivalence=None, timing_result=None)) is None


def test_noisy_wall_time_does_not_reject_a_cpu_speedup_unless_the_slowdown_is_sure():
    noisy = timing(metric="cpu", wall_a=[1.0, 1.0, 1.0], wall_b=[1.3, 1.3, 1.3], wall_ci_high=0.95)
    assert decide(figures(timing_result=noisy))[0] is True
    sure = timing(metric="cpu", wall_a=[1.0, 1.0, 1.0], wall_b=[1.3, 1.3, 1.3], wall_ci_high=0.85)
    assert decide(figures(timing_result=sure))[1].startswith("wall time grew while CPU time fell: wall 0.77x")
