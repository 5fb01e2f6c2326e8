"""Comparing two batches: a paired bootstrap of the OPT@1 difference over the problems both ran."""

from __future__ import annotations

from pydantic import BaseModel

from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.bench.thresholds import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, COMPARE_CONFIDENCE


class Comparison(BaseModel):
    """OPT@1 of run A and run B on their common problems, with a bootstrap interval for B - A."""

    common: int
    only_a: int
    only_b: int
    opt_a: float
    opt_b: float
    difference: float
    """opt_b - opt_a."""
    ci_low: float
    ci_high: float
    p_value: float
    """Two-sided: how often the resampled difference falls on the other side of zero, doubled."""
    resamples: int
    b_only_wins: int
    """Problems optimized by B and not by A."""
    a_only_wins: int


def paired_bootstrap(a: list[bool], b: list[bool], resamples: int = BOOTSTRAP_RESAMPLES,
                     seed: int = BOOTSTRAP_SEED, confidence: float = COMPARE_CONFIDENCE) -> tuple[float, float, float, float]:
    """(mean(b) - mean(a), CI low, CI high, two-sided p) from resampling problems with their pairs kept."""
    import numpy as np

    if len(a) != len(b) or not a:
        raise ValueError("paired bootstrap needs two equally long, non-empty outcome lists")
    diffs = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(diffs), size=(resamples, len(diffs)))
    means = diffs[picks].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    p = min(1.0, 2 * min(float((means <= 0).mean()), float((means >= 0).mean())))
    return float(diffs.mean()), float(low), float(high), p


def compare(a: list[ProblemResult], b: list[ProblemResult], resamples: int = BOOTSTRAP_RESAMPLES) -> Comparison:
    """Pair the runs by problem id and bootstrap their OPT@1 difference."""
    by_a = {r.id: r for r in a}
    by_b = {r.id: r for r in b}
    common = [i for i in by_a if i in by_b]
    if not common:
        from optimizer_agent.errors import BadInput

        raise BadInput("the two batches share no problem ids; nothing to compare")
    xa = [by_a[i].opt1 for i in common]
    xb = [by_b[i].opt1 for i in common]
    diff, low, high, p = paired_bootstrap(xa, xb, resamples)
    return Comparison(
        common=len(common), only_a=len(by_a) - len(common), only_b=len(by_b) - len(common),
        opt_a=sum(xa) / len(common), opt_b=sum(xb) / len(common), difference=diff, ci_low=low, ci_high=high,
        p_value=p, resamples=resamples, b_only_wins=sum(y and not x for x, y in zip(xa, xb)),
        a_only_wins=sum(x and not y for x, y in zip(xa, xb)),
    )
