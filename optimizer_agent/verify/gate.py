"""The gate the verify node calls: scope, guards, tests, behaviour equivalence, timing, then the critic's decision."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.state import Candidate, TestSummary, Verdict
from optimizer_agent.verify.changes import capture_targets
from optimizer_agent.verify.critic import (
    CAPTURE_TIMEOUT_FACTOR,
    DEFAULT_MIN_SPEEDUP,
    DICT_ORDER_MATTERS,
    FLOAT_ABS_TOL,
    FLOAT_REL_TOL,
    TEST_TIMEOUT_S,
    decide,
    early_rejection,
)
from optimizer_agent.verify.equivalence.capture import CaptureCommand, CaptureTarget
from optimizer_agent.verify.equivalence.check import CaptureCache, EquivalenceJob, check_equivalence, default_options
from optimizer_agent.verify.figures import GateFigures
from optimizer_agent.verify.guards import FileChange, GuardInput, run_guards
from optimizer_agent.verify.scope import scope_problem
from optimizer_agent.verify.testrun import failing_tests, run_tests
from optimizer_agent.verify.timing import TimingPolicy, measure
from optimizer_agent.verify.verdicts import to_verdict

CAPTURE_FOLDER = "captures"
"""Sub-folder of the run folder that keeps recordings for resumed runs."""


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
    other_changes: list[FileChange] = Field(default_factory=list)
    """Further files the change touches besides `candidate.function.file` (`optimizer-agent verify`)."""
    judge_files: dict[str, str] = Field(default_factory=dict)
    """Benchmark and test files (repo-relative path -> text), for the copied-literal guard."""
    cache_skill: bool = False
    """The candidate applies a caching skill (family `caching`, e.g. O010 memoize_recursion)."""
    base_sha: str = ""
    """The commit `base_dir` was staged from; names the cached recording (the tree path when empty)."""
    run_dir: str | None = None
    """The run folder; recordings are cached under `captures/` there for resumed runs."""
    python: str = "python"
    """The interpreter name the replayer runs with inside the sandbox."""
    rel_tol: float = FLOAT_REL_TOL
    abs_tol: float = FLOAT_ABS_TOL
    dict_order: bool = DICT_ORDER_MATTERS
    result_judge: str | None = None
    """`module:function` that may accept a replayed result differing from the recording (Settings.result_judge)."""
    guards: bool = True
    """Run the static anti-gaming guards; containment tests turn them off to reach the sandboxed stages."""

    def changes(self) -> list[FileChange]:
        """Every changed file with both texts, the candidate's own file first."""
        own = FileChange(file=self.candidate.function.file, original=self.original_source, new=self.candidate.source)
        return [own, *self.other_changes]


class Gate(Protocol):
    """Anything that turns a GateRequest into a Verdict."""

    def judge(self, request: GateRequest) -> Verdict:
        """Decide on one candidate; failures are returned as rejecting verdicts, never raised."""
        ...


class BasicGate:
    """The full gate: each stage runs only when every earlier one passed; `critic.decide` has the last word."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._captures = CaptureCache()

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
        """Gather the figures stage by stage (cheap and static first), stopping after the first failure."""
        changes = request.changes()
        problems = [scope_problem(c.file, c.new, request.allowed_files, request.result_judge) for c in changes]
        figures = GateFigures(
            scope_problem=next((p for p in problems if p), None),
            baseline_tests=request.baseline_tests,
            cache_skill=request.cache_skill,
        )
        if figures.scope_problem:
            return figures
        if request.guards:
            figures.guards = run_guards(GuardInput(changes=changes, judge_files=request.judge_files))
        if early_rejection(figures):
            return figures
        figures.tests = run_tests(request.sandbox, request.test_cmd, request.cand_dir, request.test_timeout)
        figures.failing = failing_tests(figures.tests.output_tail)
        if early_rejection(figures):
            return figures
        figures.equivalence = self.equivalence(request, changes)
        if early_rejection(figures):
            return figures
        policy = request.policy.model_copy(update={"min_speedup": request.min_speedup})
        figures.timing = measure(request.sandbox, request.bench_cmd, request.base_dir, request.cand_dir, policy)
        return figures

    def equivalence(self, request: GateRequest, changes: list[FileChange]):
        """Record the original's calls to every changed function (cached) and replay them on the candidate."""
        targets: list[CaptureTarget] = []
        for change in changes:
            own = request.candidate.function.qualname if change.file == request.candidate.function.file else None
            for name in capture_targets(change.original, change.new, own):
                targets.append(CaptureTarget(file=change.file, qualname=name))
        commands = [CaptureCommand(phase="tests", cmd=request.test_cmd,
                                   timeout=request.test_timeout * CAPTURE_TIMEOUT_FACTOR)]
        if request.bench_cmd.strip() != request.test_cmd.strip():
            commands.append(CaptureCommand(phase="bench", cmd=request.bench_cmd,
                                           timeout=request.policy.run_timeout_s * CAPTURE_TIMEOUT_FACTOR))
        job = EquivalenceJob(
            sandbox=request.sandbox, base_dir=request.base_dir, cand_dir=request.cand_dir,
            base_id=request.base_sha or request.base_dir, targets=targets, commands=commands,
            options=default_options(request.rel_tol, request.abs_tol, request.dict_order, request.result_judge),
            python=request.python,
        )
        host_dir = Path(request.run_dir) / CAPTURE_FOLDER if request.run_dir else None
        return check_equivalence(job, self._captures, host_dir)
