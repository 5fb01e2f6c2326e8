"""Scoring on the private tests: correctness by the checker, speedup by the gate's paired timing."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from pydantic import BaseModel, Field

from optimizer_agent.bench.problem_repo import PRIVATE_BENCH_FILE, PRIVATE_TEST_FILE, problem_test_command
from optimizer_agent.bench.thresholds import OPT_SPEEDUP, SCORE_BASE_RUNS, TEST_TIMEOUT_S
from optimizer_agent.sandbox.base import Sandbox


class Score(BaseModel):
    """One scored tree: is it correct on the private tests, and how much faster than the original."""

    label: str
    """"final" for the run branch's last commit, else the candidate id."""
    candidate_ids: list[str] = Field(default_factory=list)
    correct: bool = False
    tests_passed: int = 0
    tests_failed: int = 0
    speedup: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    rounds: int = 0
    metric: str = ""
    stopped: str = ""
    error: str = ""
    far_slower: bool = False
    """A single private run of this tree outlasted the timing budget that covers several runs of the original."""
    seconds: float = 0.0

    @property
    def opt(self) -> bool:
        """Correct and at least OPT_SPEEDUP faster: what OPT@1 and OPT@k count."""
        return self.correct and self.speedup is not None and self.speedup >= OPT_SPEEDUP


def stage_tree(sandbox: Sandbox, repo: Path, name: str, files: dict[str, str]) -> str:
    """Stage the problem repo's original tree under `name` and write `files` over it."""
    tree = sandbox.stage(repo, name)
    for rel, text in files.items():
        sandbox.write_file(f"{tree}/{rel}", text)
    return tree


def timing_budget(configured_s: float, base_run_s: float | None) -> float:
    """The configured budget, raised so it always covers SCORE_BASE_RUNS runs of the slow workload."""
    return max(configured_s, SCORE_BASE_RUNS * (base_run_s or 0.0))


def score_tree(sandbox: Sandbox, base_dir: str, tree: str, label: str, candidate_ids: list[str], python: str,
               timing_budget_s: float) -> Score:
    """Run the private tests on `tree`; when they pass, time the private workload against `base_dir`."""
    from optimizer_agent.verify.testrun import run_tests
    from optimizer_agent.verify.timing import TimingPolicy, measure

    start = time.monotonic()
    score = Score(label=label, candidate_ids=candidate_ids)
    tests = run_tests(sandbox, problem_test_command(python, PRIVATE_TEST_FILE), tree, TEST_TIMEOUT_S)
    score.tests_passed, score.tests_failed = tests.passed, tests.failed + tests.errors
    score.correct = tests.ok and not tests.no_tests
    if not score.correct:
        lines = [l for l in tests.output_tail.strip().splitlines() if l.strip()]
        score.error = f"private tests fail: {lines[-1][:200] if lines else 'no output'}"
        score.seconds = time.monotonic() - start
        return score
    policy = TimingPolicy(time_budget_s=timing_budget_s, run_timeout_s=timing_budget_s, min_speedup=OPT_SPEEDUP)
    timing = measure(sandbox, f"{python} {shlex.quote(PRIVATE_BENCH_FILE)}", base_dir, tree, policy)
    score.speedup, score.ci_low, score.ci_high, score.p_value = timing.speedup, timing.ci_low, timing.ci_high, timing.p_value
    score.rounds, score.metric, score.stopped = timing.rounds, timing.metric, timing.stopped
    if timing.stopped == "error":
        score.error = f"private workload failed on the {timing.error_side} side: {timing.error[:200]}"
        if timing.error_side == "candidate":
            score.correct = False
    elif timing.candidate_outlasted_budget:
        score.far_slower = True
        score.error = f"far slower: one private run outlasted the {timing_budget_s:.0f}s timing budget"
    elif timing.speedup is None:
        score.error = f"private timing gave no figures within {timing_budget_s:.0f}s (stopped: {timing.stopped})"
    score.seconds = time.monotonic() - start
    return score
