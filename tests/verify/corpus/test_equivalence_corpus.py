"""The equivalence corpus: wrong rewrites that pass the weak tests are caught by their behaviour alone,
and correct rewrites go all the way through the gate (each is several times faster, so timing is clear)."""

from __future__ import annotations

import pytest

from tests.verify.corpus.candidates import CORRECT, WRONG


def test_the_corpus_is_big_enough():
    assert len(WRONG) >= 20 and len(CORRECT) >= 10
    assert len({w.name for w in WRONG + CORRECT}) == len(WRONG) + len(CORRECT)


@pytest.mark.parametrize("rewrite", WRONG, ids=lambda r: r.name)
def test_a_wrong_rewrite_passes_the_tests_but_not_the_behaviour_check(judge, rewrite):
    verdict = judge(rewrite.qualname, rewrite.source, rewrite.bench)
    assert verdict.tests_run == 14 and verdict.tests_passed == 14, verdict.reason  # the weak tests are fooled
    assert (verdict.accepted, verdict.stage) == (False, "equivalence"), verdict.reason
    assert verdict.reason.startswith(f"behaviour differs: corpus/funcs.py::{rewrite.qualname}(")
    assert rewrite.expect in verdict.reason, verdict.reason
    assert verdict.calls_recorded >= 2 and verdict.rounds == 0


@pytest.mark.parametrize("rewrite", CORRECT, ids=lambda r: r.name)
def test_a_correct_rewrite_is_accepted(judge, rewrite):
    verdict = judge(rewrite.qualname, rewrite.source, rewrite.bench)
    assert verdict.accepted, verdict.reason
    assert verdict.calls_compared >= 2 and verdict.mismatch is None and verdict.guard_findings == []
