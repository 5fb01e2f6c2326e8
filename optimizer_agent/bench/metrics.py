"""EffiSkill's batch metrics over stored results: OPT@1, OPT@k, clipped speedup, buckets, pass rate, credit."""

from __future__ import annotations

import statistics
from collections import Counter

from pydantic import BaseModel, Field

from optimizer_agent.bench.records import CLASSIFICATIONS, ProblemResult
from optimizer_agent.bench.thresholds import BUCKET_EDGES

BUCKET_LABELS = ("<1.10", "1.10-1.25", "1.25-1.5", ">1.5")


class SkillCredit(BaseModel):
    """How often a skill was tried, passed the gate, landed, and landed on an optimized problem."""

    skill: str
    proposed: int = 0
    """Problems with a candidate that used the skill."""
    accepted: int = 0
    landed: int = 0
    optimized: int = 0
    """Problems counted in OPT@1 whose landed commits used the skill."""


class Metrics(BaseModel):
    """The batch's headline figures; shares are over all stored problems (errors count as failures)."""

    problems: int
    errors: int
    """Problems classified `error`: the run failed, or the private timing gave no figures."""
    k: int
    opt1: float
    optk: float
    opt1_count: int
    optk_count: int
    mean_clipped_speedup: float
    """Mean over problems of max(1, private speedup of the gate's choice), 1 when nothing correct landed."""
    buckets: dict[str, int]
    pass_rate: float
    """Share of problems whose final code (the original when nothing landed) passes the private tests."""
    accepted_problems: int
    """Problems where the gate accepted at least one candidate."""
    classification: dict[str, int]
    skills: list[SkillCredit] = Field(default_factory=list)
    tokens: int = 0
    cost_usd: float = 0.0
    llm_requests: int = 0
    wall_total_s: float = 0.0
    wall_mean_s: float = 0.0
    wall_median_s: float = 0.0
    wall_max_s: float = 0.0


def final_speedup(result: ProblemResult) -> float:
    """The private speedup of the gate's choice, 1.0 when nothing correct was landed (or it errored)."""
    final = result.final
    if result.status != "done" or final is None or not final.correct or final.speedup is None:
        return 1.0
    return final.speedup


def clipped(result: ProblemResult) -> float:
    """The speedup clipped below at 1: a slowdown never counts against the mean."""
    return max(1.0, final_speedup(result))


def bucket(speedup: float) -> str:
    """The bucket label of a (clipped) speedup."""
    for edge, label in zip(BUCKET_EDGES, BUCKET_LABELS):
        if speedup < edge:
            return label
    return BUCKET_LABELS[-1]


def passes(result: ProblemResult) -> bool:
    """True when the problem's final code is correct on the private tests."""
    if result.status != "done":
        return False
    return result.final.correct if result.final is not None else True


def skill_credit(results: list[ProblemResult]) -> list[SkillCredit]:
    """Per-skill counts over problems, most optimized first."""
    table: dict[str, SkillCredit] = {}

    def row(skill: str) -> SkillCredit:
        return table.setdefault(skill, SkillCredit(skill=skill))

    for r in results:
        for s in r.skills_proposed:
            row(s).proposed += 1
        for s in r.skills_accepted:
            row(s).accepted += 1
        for s in r.skills_landed:
            row(s).landed += 1
            if r.opt1:
                row(s).optimized += 1
    return sorted(table.values(), key=lambda c: (-c.optimized, -c.landed, -c.accepted, -c.proposed, c.skill))


def compute(results: list[ProblemResult], k: int) -> Metrics:
    """All metrics of a batch."""
    n = len(results)
    walls = [r.wall_s for r in results]
    counts = Counter(bucket(clipped(r)) for r in results)
    classes = Counter(r.classification for r in results)
    opt1 = sum(r.opt1 for r in results)
    optk = sum(r.optk for r in results)
    return Metrics(
        problems=n,
        errors=sum(r.classification == "error" for r in results),
        k=k,
        opt1=opt1 / n if n else 0.0,
        optk=optk / n if n else 0.0,
        opt1_count=opt1,
        optk_count=optk,
        mean_clipped_speedup=statistics.fmean(clipped(r) for r in results) if n else 0.0,
        buckets={label: counts.get(label, 0) for label in BUCKET_LABELS},
        pass_rate=sum(passes(r) for r in results) / n if n else 0.0,
        accepted_problems=sum(r.accepted > 0 for r in results),
        classification={c: classes[c] for c in CLASSIFICATIONS if classes.get(c)},
        skills=skill_credit(results),
        tokens=sum(r.tokens for r in results),
        cost_usd=sum(r.cost_usd for r in results),
        llm_requests=sum(r.llm_requests for r in results),
        wall_total_s=sum(walls),
        wall_mean_s=statistics.fmean(walls) if walls else 0.0,
        wall_median_s=statistics.median(walls) if walls else 0.0,
        wall_max_s=max(walls, default=0.0),
    )
