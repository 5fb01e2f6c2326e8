"""Why a problem was or was not optimized: the furthest point any candidate reached."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer_agent.bench.scoring import Score

GATE_ORDER = ("error", "scope", "guards", "tests", "equivalence", "timing", "accepted")
"""Verdict stages in the order the gate reaches them: the furthest one a candidate reached is the most telling."""
STAGE_CLASS = {"scope": "rejected by scope/guards", "guards": "rejected by scope/guards",
               "tests": "rejected by tests", "equivalence": "behaviour differs",
               "timing": "not faster", "accepted": "not faster"}
"""The class of an unoptimized problem by its furthest stage; accepted but not landed means timing lost it later."""


def furthest_stage(stages: Iterable[str]) -> str | None:
    """The stage furthest along the gate among `stages` (None when there is none)."""
    known = [s for s in stages if s in GATE_ORDER]
    return max(known, key=GATE_ORDER.index) if known else None


def classify(*, errored: bool, targets: int, skills_matched: bool, candidates: int, stages: Iterable[str],
             commits: int, final: Score | None) -> str:
    """One of `records.CLASSIFICATIONS` for a finished (or failed) problem."""
    if errored:
        return "error"
    if commits and final is not None:
        if final.opt:
            return "optimized"
        if final.correct and final.speedup is None and not final.far_slower:
            return "error"  # the private timing could not be measured
        return "below 1.10x on private" if final.correct else "wrong on private tests"
    if targets == 0:
        return "no hot function"
    if candidates == 0:
        return "rewrite not applicable" if skills_matched else "no skill matched"
    return STAGE_CLASS.get(furthest_stage(stages), "error")
