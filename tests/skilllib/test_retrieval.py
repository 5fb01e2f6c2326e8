"""Retrieval ranks the right skill first for realistic code and diagnoses, and explains why."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import detect
from optimizer_agent.skilllib.loader import Library
from optimizer_agent.skilllib.retrieval import (
    ASYMPTOTIC_BONUS,
    CALL_WEIGHT,
    DETECTOR_BOOST,
    changes_complexity,
    query_tokens,
    retrieve,
    tokenize,
)
from optimizer_agent.state import Signal


@pytest.fixture(scope="module")
def library() -> Library:
    """The shipped skill library."""
    return Library.load()


def test_tokenize_splits_identifiers_and_keeps_code_idioms() -> None:
    tokens = tokenize("queue.pop(0) items.insert(0, x) sorted(xs)[0] sorted(xs)[:k] lruCache str_join keys")
    assert {"pop0", "insert0", "endindex", "headslice", "pop", "queue", "lru", "cache", "str_join", "join",
            "key", "sorted"} <= set(tokens)
    assert "the" not in tokenize("the loop in the function")


# (snippet, expected first operator): written for these tests, not taken from the cards.
CODE_CASES = [
    ("""
     def crawl(start, links):
         frontier = [start]
         visited = {start}
         while frontier:
             page = frontier.pop(0)
             for nxt in links[page]:
                 if nxt not in visited:
                     visited.add(nxt)
                     frontier.append(nxt)
     """, "O007"),
    ("""
     def render(items):
         body = ""
         for it in items:
             body = body + "<li>" + it + "</li>"
         return body
     """, "O002"),
    ("""
     import re

     def versions(tags):
         return [t for t in tags if re.match(r"v\\d+\\.\\d+", t)]
     """, "O003"),
    ("""
     def partitions(n, k):
         if n == 0:
             return 1
         if n < 0 or k == 0:
             return 0
         return partitions(n - k, k) + partitions(n, k - 1)
     """, "O010"),
    ("""
     def lowest_latency(servers):
         return sorted(servers, key=lambda s: s.latency)[0]
     """, "O004"),
    ("""
     def suspicious(ips, banned: list[str]):
         return [ip for ip in ips if ip in banned]
     """, "O001"),
]


@pytest.mark.parametrize(("code", "expected"), CODE_CASES, ids=[c[1] for c in CODE_CASES])
def test_code_with_signals_ranks_the_right_skill_first(library: Library, code: str, expected: str) -> None:
    source = textwrap.dedent(code)
    matches = retrieve(library, source, detect(source), k=3)
    operators = [m for m in matches if m.kind == "operator"]
    assert operators[0].skill_id == expected
    assert any(r.startswith("detector ") for r in operators[0].reasons)
    assert operators[0].score >= DETECTOR_BOOST


TEXT_CASES = [
    ("the function looks up the position of every query in a list with index()", "O013"),
    ("binary search for the bucket a value falls into among sorted thresholds", "O019"),
    ("keeps only the ten highest scores after sorting a large list", "O012"),
    ("how many times each word occurs, counted with count() per word", "O011"),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES, ids=[c[1] for c in TEXT_CASES])
def test_text_only_diagnosis_ranks_by_bm25(library: Library, text: str, expected: str) -> None:
    matches = retrieve(library, text, [], k=3)
    assert matches[0].skill_id == expected
    assert matches[0].reasons == ["bm25 1.00"]


def test_detector_signal_beats_text(library: Library) -> None:
    signal = Signal(detector="sum-of-range", line=7, message="sum of a range")
    matches = retrieve(library, "string join concatenation in a loop", [signal], k=2)
    assert matches[0].skill_id == "O018"
    assert matches[0].reasons[0] == "detector sum-of-range at line 7"


def test_metas_follow_operators_and_reference_them(library: Library) -> None:
    source = textwrap.dedent(CODE_CASES[0][0])
    matches = retrieve(library, source, detect(source), k=2)
    kinds = [m.kind for m in matches]
    assert kinds == sorted(kinds, key=lambda k: k == "meta")
    operator_ids = {m.skill_id for m in matches if m.kind == "operator"}
    metas = [m for m in matches if m.kind == "meta"]
    assert metas
    for meta in metas:
        assert set(library.get(meta.skill_id).uses) & operator_ids
        assert meta.reasons[0].startswith("uses ")


def test_k_limits_operators_and_rewrite_is_carried(library: Library) -> None:
    source = "def f(q):\n    while q:\n        q.pop(0)\n"
    matches = retrieve(library, source, detect(source), k=1)
    operators = [m for m in matches if m.kind == "operator"]
    assert len(operators) == 1 and operators[0].rewrite == "pop0_deque"
    assert retrieve(library, source, [], k=0) == []


def test_unrelated_query_returns_nothing(library: Library) -> None:
    assert retrieve(library, "zebra xylophone quartz", [], k=5) == []


def test_query_tokens_count_each_word_once_and_calls_twice() -> None:
    tokens = query_tokens("best = None\nfor c in votes:\n    if votes.count(c) > best_n: best = c\nbest best")
    assert tokens.count("best") == 1
    assert tokens.count("count") == CALL_WEIGHT
    assert "how" not in query_tokens("how many times each word occurs")


def test_complexity_class_change_is_read_from_the_card(library: Library) -> None:
    assert changes_complexity(library.get("O001"))  # O(n*m) -> O(n+m)
    assert not changes_complexity(library.get("O020"))  # O(n) with fewer lookups
    assert not changes_complexity(library.get("O006"))  # no big-O on the after side


def test_quadratic_detector_hit_outranks_constant_factor_hit(library: Library) -> None:
    source = textwrap.dedent("""
        def reorder(header, wanted):
            header = list(header)
            out = []
            for col in wanted:
                out.append(header.index(col))
            return out
    """)
    signals = detect(source)
    assert {"append-loop", "index-in-loop"} <= {s.detector for s in signals}
    operators = [m for m in retrieve(library, source, signals, k=3) if m.kind == "operator"]
    assert operators[0].skill_id == "O013"
    assert operators[0].score >= DETECTOR_BOOST + ASYMPTOTIC_BONUS


def test_every_operator_is_used_by_some_meta_skill(library: Library) -> None:
    used = {u for meta in library.metas for u in meta.uses}
    assert {s.id for s in library.operators} - used == set()
