"""`detect()` as a whole: scoping to one function, ordering, broken files, and agreement with the skill cards."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import DETECTOR_IDS, detect
from optimizer_agent.skilllib.loader import load_skills

SOURCE = textwrap.dedent('''
    import re

    def slow(items: list[int], wanted: list[int]):
        hits = []
        for w in wanted:
            if w in items:
                hits.append(w)
        return sorted(hits)[0]

    class Report:
        def render(self, rows):
            out = ""
            for r in rows:
                out += re.sub(r"\\s+", " ", r)
            return out

    def fine(items):
        return set(items)
''')


def test_whole_file_signals_sorted_by_line() -> None:
    signals = detect(SOURCE)
    lines = [s.line for s in signals]
    assert lines == sorted(lines)
    assert {s.detector for s in signals} >= {"list-membership-in-loop", "sorted-then-index",
                                             "string-concat-in-loop", "regex-in-loop"}
    assert all(s.message and "\n" not in s.message for s in signals)


def test_qualname_limits_signals_to_that_function() -> None:
    method = detect(SOURCE, "Report.render")
    assert {s.detector for s in method} == {"string-concat-in-loop", "regex-in-loop"}
    assert all(12 <= s.line <= 16 for s in method)
    assert {s.detector for s in detect(SOURCE, "slow")} == {
        "list-membership-in-loop", "sorted-then-index", "append-loop"}


def test_unknown_or_clean_function_gives_no_signals() -> None:
    assert detect(SOURCE, "fine") == []
    assert detect(SOURCE, "no_such_function") == []


def test_syntax_error_still_runs_tree_sitter_detectors() -> None:
    broken = "def f(xs):\n    best = sorted(xs)[0]\n    return (\n"
    assert [s.detector for s in detect(broken)] == ["sorted-then-index"]


def test_every_card_detect_id_is_a_real_detector() -> None:
    ids = {s.detect for s in load_skills() if s.detect}
    assert ids <= DETECTOR_IDS
    assert len(ids) == len(DETECTOR_IDS)


@pytest.mark.parametrize("skill", [s for s in load_skills() if s.detect], ids=lambda s: s.id)
def test_card_detector_fires_on_before_not_after(skill) -> None:
    assert skill.detect in {s.detector for s in detect(skill.before)}
    assert skill.detect not in {s.detector for s in detect(skill.after)}


def test_very_deep_expression_does_not_crash() -> None:
    source = "def f(a):\n    return sorted(a)[0] + " + " + ".join(["a"] * 3000) + "\n"
    assert [s.detector for s in detect(source)] == ["sorted-then-index"]
