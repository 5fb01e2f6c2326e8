"""The gate the verify node calls: scope, then tests, then timing, then the critic's decision."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.state import Candidate, TestSummary, Verdict
from optimizer_agent.verify.critic import DEFAULT_MIN_SPEEDUP, TEST_TIMEOUT_S, decide, problem_with_tests
from optimizer_agent.verify.figures import GateFigures, Stage
from optimizer_agent.verify.scope import scope_problem
from optimizer_agent.verify.testrun import failing_tests, run_tests
from optimizer_agent.verify.timing import TimingPolicy, measure


class GateRequest(BaseModel):
    """One candidate to judge, with the staged trees and commands to judge it by."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    candidate: Candidate
    sandbox: Sandbox
    base_dir: str
    """Staged tree at the current accepted HEAD (a sandbox path)."""
    cand_dir: str
    """Staged tree with the candidate applied (a sandbox path)."""
    original_source: str
    """The text of `candidate.function.file` before the candidate."""
    allowed_files: list[str]
    """Repo-relative files the candidate may change."""
    test_cmd: str
    bench_cmd: str
    baseline_tests: TestSummary
    """The test run on `base_dir` the candidate must match."""
    min_speedup: float = DEFAULT_MIN_SPEEDUP
    test_timeout: float = TEST_TIMEOUT_S
    policy: TimingPolicy = Field(default_factory=TimingPolicy)


class Gate(Protocol):
    """Anything that turns a GateRequest into a Verdict."""

    def judge(self, request: GateRequest) -> Verdict:
        """Decide on one candidate; failures are returned as rejecting verdicts, never raised."""
        ...


class BasicGate:
    """Scope, tests and paired timing, decided by `critic.decide`; equivalence and guards come later."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock

    def judge(self, request: GateRequest) -> Verdict:
        """Run each stage until one fails, then fill a Verdict with every figure collected."""
        start = self._clock()
        try:
            figures = self.collect(request)
        except Exception as exc:  # noqa: BLE001 - a broken sandbox must become a verdict, not end the run
            return Verdict(
                candidate_id=request.candidate.id,
                accepted=False,
                reason=f"gate error: {type(exc).__name__}: {exc}",
                stage="error",
                seconds=self._clock() - start,
            )
        accepted, reason, stage = decide(figures, request.min_speedup)
        return to_verdict(request.candidate.id, figures, accepted, reason, stage, self._clock() - start)

    def collect(self, request: GateRequest) -> GateFigures:
        """Gather the figures stage by stage, skipping the stages after the first failure."""
        figures = GateFigures(
            scope_problem=scope_problem(request.candidate, request.allowed_files),
            baseline_tests=request.baseline_tests,
        )
        if figures.scope_problem:
            return figures
        figures.tests = run_tests(request.sandbox, request.test_cmd, request.cand_dir, request.test_timeout)
        figures.failing = failing_tests(figures.tests.output_tail)
        if problem_with_tests(figures):
            return figures
        policy = request.policy.model_copy(update={"min_speedup": request.min_speedup})
        figures.timing = measure(request.sandbox, request.bench_cmd, request.base_dir, request.cand_dir, policy)
        return figures


def to_verdict(
    candidate_id: str, figures: GateFigures, accepted: bool, reason: str, stage: Stage, seconds: float
) -> Verdict:
    """Copy the collected figures into the Verdict record."""
    verdict = Verdict(candidate_id=candidate_id, accepted=accepted, reason=reason, stage=stage, seconds=seconds)
    if figures.tests is not None:
        verdict.tests_run = figures.tests.total
        verdict.tests_passed = figures.tests.passed
    timing = figures.timing
    if timing is not None:
        verdict.rounds = timing.rounds
        verdict.timings_base = list(timing.times_a)
        verdict.timings_cand = list(timing.times_b)
        verdict.speedup = timing.speedup
        verdict.ci_low, verdict.ci_high, verdict.p_value = timing.ci_low, timing.ci_high, timing.p_value
    return verdict
