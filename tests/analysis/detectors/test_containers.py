"""Detectors for linear list operations in loops: each fires on real-looking code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


MEMBERSHIP_HITS = [
    """
    def unique_emails(users):
        seen = []
        for user in users:
            if user.email not in seen:
                seen.append(user.email)
        return seen
    """,
    """
    def filter_allowed(requests, allowed: list[str]):
        return [r for r in requests if r.host in allowed]
    """,
    """
    BLOCKED = list(load_blocklist())

    def clean(tokens):
        out = []
        for t in tokens:
            if t in BLOCKED:
                continue
            out.append(t)
        return out
    """,
]
MEMBERSHIP_QUIET = [
    """
    def unique_emails(users):
        seen = set()
        for user in users:
            if user.email not in seen:
                seen.add(user.email)
        return seen
    """,
    """
    def vowels(text):
        letters = ['a', 'e', 'i', 'o', 'u']
        return sum(1 for ch in text if ch in letters)
    """,
    """
    def check(x, allowed: list[str]):
        return x in allowed
    """,
    """
    def lookup(keys, table):
        return [k for k in keys if k in table]
    """,
]


@pytest.mark.parametrize("source", MEMBERSHIP_HITS)
def test_list_membership_fires(source: str) -> None:
    assert fired(source, C.LIST_MEMBERSHIP)


@pytest.mark.parametrize("source", MEMBERSHIP_QUIET)
def test_list_membership_quiet(source: str) -> None:
    assert fired(source, C.LIST_MEMBERSHIP) == []


def test_list_membership_reports_the_comparison_line() -> None:
    assert fired(MEMBERSHIP_HITS[0], C.LIST_MEMBERSHIP) == [5]


@pytest.mark.parametrize("source", [
    """
    def modes(samples: list[int]):
        best = max(samples.count(s) for s in samples)
        return sorted({s for s in samples if samples.count(s) == best})
    """,
    """
    def duplicates(names):
        names = list(names)
        return [n for n in names if names.count(n) > 1]
    """,
])
def test_count_in_loop_fires(source: str) -> None:
    assert fired(source, C.COUNT_IN_LOOP)


@pytest.mark.parametrize("source", [
    """
    def vowels(words):
        return [w.count("a") for w in words]
    """,
    """
    def ones(bits: list[int]):
        return bits.count(1)
    """,
])
def test_count_in_loop_quiet(source: str) -> None:
    assert fired(source, C.COUNT_IN_LOOP) == []


@pytest.mark.parametrize("source", [
    """
    def ranks(order: list[str], names):
        return {n: order.index(n) for n in names}
    """,
    """
    def reorder(columns, header):
        header = header.split(",")
        out = []
        for col in columns:
            out.append(header.index(col))
        return out
    """,
])
def test_index_in_loop_fires(source: str) -> None:
    assert fired(source, C.INDEX_IN_LOOP)


@pytest.mark.parametrize("source", [
    """
    def find_all(text, words):
        return [text.index(w) for w in words]
    """,
    """
    def where(items: list[int], x):
        return items.index(x)
    """,
])
def test_index_in_loop_quiet(source: str) -> None:
    assert fired(source, C.INDEX_IN_LOOP) == []


@pytest.mark.parametrize("source", [
    """
    def run(jobs):
        queue = list(jobs)
        while queue:
            job = queue.pop(0)
            job.run()
    """,
    """
    class Worker:
        def drain(self):
            while self.pending:
                self.handle(self.pending.pop(0))
    """,
])
def test_list_pop0_fires(source: str) -> None:
    assert fired(source, C.LIST_POP0)


@pytest.mark.parametrize("source", [
    """
    def run(jobs):
        stack = list(jobs)
        while stack:
            stack.pop().run()
    """,
    """
    def drop(settings: dict, keys):
        for k in keys:
            settings.pop(0)
    """,
    """
    def first(items):
        return items.pop(0)
    """,
])
def test_list_pop0_quiet(source: str) -> None:
    assert fired(source, C.LIST_POP0) == []


@pytest.mark.parametrize("source", [
    """
    def reversed_path(prev, node):
        path = []
        while node is not None:
            path.insert(0, node)
            node = prev[node]
        return path
    """,
    """
    def prepend_all(lines, header):
        for h in header:
            lines.insert(0, h)
    """,
])
def test_list_insert0_fires(source: str) -> None:
    assert fired(source, C.LIST_INSERT0)


@pytest.mark.parametrize("source", [
    """
    from collections import deque

    def reversed_path(prev, node):
        path = deque()
        while node is not None:
            path.appendleft(node)
            node = prev[node]
        return path
    """,
    """
    def with_header(lines, header):
        lines.insert(0, header)
        return lines
    """,
    """
    def spread(items, x):
        for i in range(len(items)):
            items.insert(i, x)
    """,
])
def test_list_insert0_quiet(source: str) -> None:
    assert fired(source, C.LIST_INSERT0) == []
