"""Copy the gate's figures into the Verdict record, so the verdict carries every figure the critic weighed."""

from __future__ import annotations

from optimizer_agent.state import Verdict
from optimizer_agent.verify.critic import blocking_guards
from optimizer_agent.verify.figures import GateFigures, Stage


def to_verdict(
    candidate_id: str, figures: GateFigures, accepted: bool, reason: str, stage: Stage, seconds: float
) -> Verdict:
    """A Verdict holding the decision and every collected figure."""
    verdict = Verdict(candidate_id=candidate_id, accepted=accepted, reason=reason, stage=stage, seconds=seconds)
    verdict.guard_findings = [f.describe() for f in figures.guards]
    if stage == "guards" and figures.guards:
        blocking = blocking_guards(figures.guards, figures.cache_skill)
        verdict.guard = (blocking or figures.guards)[0].guard
    if figures.tests is not None:
        verdict.tests_run = figures.tests.total
        verdict.tests_passed = figures.tests.passed
    eq = figures.equivalence
    if eq is not None:
        verdict.calls_recorded = eq.calls_recorded
        verdict.calls_compared = eq.calls_compared
        verdict.calls_skipped = eq.calls_skipped
        verdict.calls_unstable = eq.calls_unstable
        verdict.mismatch = eq.mismatch
        verdict.equivalence_notes = eq.notes()
        verdict.equivalence_seconds = eq.capture_seconds + eq.replay_seconds
    timing = figures.timing
    if timing is not None:
        verdict.rounds = timing.rounds
        verdict.timings_base = list(timing.times_a)
        verdict.timings_cand = list(timing.times_b)
        verdict.walls_base = list(timing.wall_a)
        verdict.walls_cand = list(timing.wall_b)
        verdict.metric = timing.metric
        verdict.repeats = timing.repeats
        verdict.stopped = timing.stopped
        verdict.speedup = timing.speedup
        verdict.ci_low, verdict.ci_high, verdict.p_value = timing.ci_low, timing.ci_high, timing.p_value
    return verdict
