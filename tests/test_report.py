"""The run report: skill credit agrees with the commit message to the last printed digit."""

from optimizer_agent.report import render_markdown, skill_credit
from optimizer_agent.state import Candidate, CommitRecord, FunctionRef, Plan, Verdict

FN = FunctionRef(file="pkg/m.py", qualname="f", start_line=1, end_line=3)


def state(speedup: float) -> dict:
    cand = Candidate(id="c001", function=FN, plan_id="p1", skills=["O019"], origin="llm", source="", diff="+x\n",
                     tokens=120)
    verdict = Verdict(candidate_id="c001", accepted=True, reason="faster", stage="accepted", speedup=speedup,
                      ci_low=speedup - 0.1, ci_high=speedup + 0.1, p_value=0.0001)
    commit = CommitRecord(candidate_id="c001", sha="a" * 40, subject=f"perf: f {speedup:.2f}x", function=FN,
                          speedup=speedup)
    plan = Plan(id="p1", function=FN, meta_skill="M003", skills=["O019"])
    return {"run_id": "r", "candidates": [cand], "verdicts": [verdict], "commits": [commit], "plans": [plan]}


def test_landed_speedup_is_rounded_once() -> None:
    # 5.18549 rounds to 5.185 at three places, which prints as 5.18; the commit says 5.19.
    s = state(5.18549)
    assert "| O019 | 1 | 1 | 1 | 5.19x | 120 |" in render_markdown(s)
    assert "perf: f 5.19x" in render_markdown(s)


def test_credit_json_is_rounded_and_counts_the_meta_skill() -> None:
    rows = {r["skill"]: r for r in skill_credit(state(1.234567))}
    assert rows["O019"]["speedups"] == [1.235] and rows["O019"]["best_speedup"] == 1.235
    assert rows["M003"]["committed"] == 1 and rows["M003"]["geomean_speedup"] == 1.235
