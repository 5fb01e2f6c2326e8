"""Metrics, classification and the paired bootstrap, on hand-made results."""

from __future__ import annotations

import pytest

from optimizer_agent.bench.classify import classify
from optimizer_agent.bench.compare import compare, paired_bootstrap
from optimizer_agent.bench.metrics import bucket, clipped, compute
from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.bench.scoring import Score


def result(pid: str, *, speedup: float | None = None, correct: bool = True, status: str = "done",
           extra: list[float] = (), skills: list[str] = ("O001",), cls: str = "not faster", **fields) -> ProblemResult:
    """A result whose final tree (when `speedup` is given) was scored as told."""
    final = Score(label="final", correct=correct, speedup=speedup) if speedup is not None else None
    scored = [Score(label=f"c{i}", correct=True, speedup=s) for i, s in enumerate(extra)]
    r = ProblemResult(id=pid, status=status, classification=cls, final=final, scored=scored,
                      accepted=1 if speedup is not None else 0, commits=1 if speedup is not None else 0,
                      skills_proposed=list(skills), skills_accepted=list(skills) if speedup else [],
                      skills_landed=list(skills) if speedup else [], **fields)
    r.opt1 = bool(final and final.opt)
    r.optk = r.opt1 or any(s.opt for s in scored)
    return r


def test_opt_buckets_clipped_mean_and_pass_rate() -> None:
    results = [
        result("a", speedup=3.0, wall_s=10, tokens=100, cost_usd=0.5, cls="optimized"),
        result("b", speedup=1.2, wall_s=20, cls="optimized"),
        result("c", speedup=1.05, extra=[1.3], wall_s=30, cls="below 1.10x on private"),
        result("d", speedup=5.0, correct=False, wall_s=40, cls="wrong on private tests"),
        result("e", wall_s=50, skills=(), cls="no skill matched"),
        result("f", status="error", wall_s=60, skills=(), cls="error"),
        result("g", speedup=0.8, wall_s=70, cls="below 1.10x on private"),
        result("h", speedup=1.4, wall_s=80, cls="optimized"),
    ]
    m = compute(results, k=4)
    assert (m.problems, m.errors, m.k) == (8, 1, 4)
    assert m.opt1_count == 3 and m.opt1 == pytest.approx(3 / 8)
    assert m.optk_count == 4  # c's second candidate reaches 1.3x
    assert m.buckets == {"<1.10": 5, "1.10-1.25": 1, "1.25-1.5": 1, ">1.5": 1}
    assert m.mean_clipped_speedup == pytest.approx((3.0 + 1.2 + 1.05 + 1 + 1 + 1 + 1 + 1.4) / 8)
    assert m.pass_rate == pytest.approx(6 / 8)  # d's code is wrong, f errored; e kept the (correct) original
    assert m.accepted_problems == 6 and m.tokens == 100 and m.cost_usd == 0.5
    assert m.classification == {"optimized": 3, "below 1.10x on private": 2, "wrong on private tests": 1,
                                "no skill matched": 1, "error": 1}
    assert (m.wall_total_s, m.wall_mean_s, m.wall_median_s, m.wall_max_s) == (360, 45, 45, 80)
    credit = {s.skill: s for s in m.skills}["O001"]
    assert (credit.proposed, credit.accepted, credit.landed, credit.optimized) == (6, 6, 6, 3)


def test_bucket_edges_and_clipping() -> None:
    assert [bucket(x) for x in (1.0, 1.0999, 1.10, 1.2499, 1.25, 1.5, 1.5001)] == \
        ["<1.10", "<1.10", "1.10-1.25", "1.10-1.25", "1.25-1.5", ">1.5", ">1.5"]
    assert clipped(result("slow", speedup=0.5)) == 1.0 and clipped(result("wrong", speedup=9, correct=False)) == 1.0


@pytest.mark.parametrize("kwargs, expected", [
    (dict(errored=True, targets=1, skills_matched=True, candidates=3, stages=["accepted"], commits=1), "error"),
    (dict(errored=False, targets=0, skills_matched=False, candidates=0, stages=[], commits=0), "no hot function"),
    (dict(errored=False, targets=1, skills_matched=False, candidates=0, stages=[], commits=0), "no skill matched"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=0, stages=[], commits=0), "rewrite not applicable"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=2, stages=["tests", "scope"], commits=0),
     "rejected by tests"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=2, stages=["equivalence", "tests"], commits=0),
     "behaviour differs"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=1, stages=["guards"], commits=0),
     "rejected by scope/guards"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=2, stages=["tests", "timing"], commits=0),
     "not faster"),
    (dict(errored=False, targets=1, skills_matched=True, candidates=1, stages=["error"], commits=0), "error"),
])
def test_classification_takes_the_furthest_stage(kwargs: dict, expected: str) -> None:
    assert classify(final=None, **kwargs) == expected


def test_classification_of_landed_code_follows_the_private_score() -> None:
    base = dict(errored=False, targets=1, skills_matched=True, candidates=1, stages=["accepted"], commits=1)
    assert classify(final=Score(label="final", correct=True, speedup=1.5), **base) == "optimized"
    assert classify(final=Score(label="final", correct=True, speedup=1.05), **base) == "below 1.10x on private"
    assert classify(final=Score(label="final", correct=False), **base) == "wrong on private tests"
    # Correct, but the private timing gave no figures: a measurement failure, not a slow candidate.
    assert classify(final=Score(label="final", correct=True), **base) == "error"
    # Unless the candidate's one run outlasted a budget that fits several of the original's: far slower.
    far = Score(label="final", correct=True, far_slower=True)
    assert classify(final=far, **base) == "below 1.10x on private"


def test_the_private_timing_budget_covers_slow_workloads() -> None:
    from optimizer_agent.bench.scoring import timing_budget
    from optimizer_agent.bench.thresholds import SCORE_BASE_RUNS

    assert timing_budget(120.0, None) == 120.0 and timing_budget(120.0, 2.0) == 120.0
    assert timing_budget(120.0, 30.0) == SCORE_BASE_RUNS * 30.0


def test_paired_bootstrap() -> None:
    same = [True, False, True, False]
    assert paired_bootstrap(same, same) == (0.0, 0.0, 0.0, 1.0)
    a = [False] * 40
    b = [True] * 30 + [False] * 10
    diff, low, high, p = paired_bootstrap(a, b)
    assert diff == pytest.approx(0.75) and 0.5 < low < 0.75 < high <= 1.0 and p < 0.001
    assert paired_bootstrap(a, b) == (diff, low, high, p)  # seeded
    with pytest.raises(ValueError):
        paired_bootstrap([True], [True, False])


def test_compare_pairs_by_id() -> None:
    run_a = [result("x", speedup=2.0), result("y", speedup=1.0), result("only-a", speedup=2.0)]
    run_b = [result("y", speedup=2.0), result("x", speedup=2.0), result("only-b")]
    c = compare(run_a, run_b, resamples=2_000)
    assert (c.common, c.only_a, c.only_b) == (2, 1, 1)
    assert (c.opt_a, c.opt_b, c.difference) == (0.5, 1.0, 0.5) and c.b_only_wins == 1 and c.a_only_wins == 0
    assert c.resamples == 2_000 and 0 <= c.p_value <= 1


def test_the_rejection_shown_is_the_furthest_one_a_candidate_reached() -> None:
    from optimizer_agent.bench.outcome import fill_from_state
    from optimizer_agent.state import Candidate, FunctionRef, Verdict

    fn = FunctionRef(file="solution.py", qualname="f")
    stages = {"c001": ("tests", "test_x failed"), "c002": ("equivalence", "returns a list, not a tuple"),
              "c003": ("guards", "global-state"), "c004": ("equivalence", "a later difference")}
    state = {"candidates": [Candidate(id=cid, function=fn, plan_id="p", skills=[], origin="rewrite", source="",
                                      diff="") for cid in stages],
             "verdicts": [Verdict(candidate_id=cid, accepted=False, stage=stage, reason=why)
                          for cid, (stage, why) in stages.items()]}
    r = ProblemResult(id="p1")
    fill_from_state(r, state)
    assert r.rejection == "equivalence: returns a list, not a tuple"
    assert classify(final=None, errored=False, targets=1, skills_matched=True, candidates=4,
                    stages=[s for s, _ in stages.values()], commits=0) == "behaviour differs"
