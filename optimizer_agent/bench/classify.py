"""Why a problem was or was not optimized: the furthest point any candidate reached."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer_agent.bench.scoring import Score

CHECK_STAGES = frozenset({"scope", "guards"})


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
    seen = set(stages)
    if "timing" in seen or "accepted" in seen:
        return "not faster"
    if "equivalence" in seen:
        return "behaviour differs"
    if "tests" in seen:
        return "rejected by tests"
    if seen & CHECK_STAGES:
        return "rejected by scope/guards"
    return "error"
