"""Detectors for repeated loop work: `len` in while tests, constant regexes, invariant reductions, pair searches."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


@pytest.mark.parametrize("source", [
    """
    def scan(tokens):
        pos = 0
        while pos < len(tokens) and tokens[pos] != ";":
            pos += 1
        return pos
    """,
    """
    def checksum(data):
        i, acc = 0, 0
        while i < len(data):
            acc = (acc * 31 + data[i]) % 65521
            data[i] = acc
            i += 1
        return acc
    """,
])
def test_len_in_condition_fires(source: str) -> None:
    assert fired(source, C.LEN_IN_CONDITION)


@pytest.mark.parametrize("source", [
    """
    def drain(stack):
        while len(stack) > 0:
            stack.pop()
    """,
    """
    def grow(items):
        i = 0
        while i < len(items):
            if items[i] > 10:
                items.append(items[i] // 2)
            i += 1
    """,
    """
    def process(buf):
        while len(buf) < 100:
            fill(buf)
    """,
])
def test_len_in_condition_quiet(source: str) -> None:
    assert fired(source, C.LEN_IN_CONDITION) == []


@pytest.mark.parametrize("source", [
    """
    import re

    def emails(lines):
        return [l for l in lines if re.fullmatch(r"[^@]+@[^@]+", l)]
    """,
    """
    import re as regex

    def tokens(docs):
        out = []
        for d in docs:
            out.extend(regex.findall("[a-z]+", d.lower()))
        return out
    """,
])
def test_regex_in_loop_fires(source: str) -> None:
    assert fired(source, C.REGEX_IN_LOOP)


@pytest.mark.parametrize("source", [
    """
    import re

    def emails(lines):
        pat = re.compile(r"[^@]+@[^@]+")
        return [l for l in lines if pat.fullmatch(l)]
    """,
    """
    import re

    def grep(lines, patterns):
        for p in patterns:
            for l in lines:
                if re.search(p, l):
                    yield l
    """,
    """
    def tokens(docs, re):
        return [re.findall("[a-z]+", d) for d in docs]
    """,
])
def test_regex_in_loop_quiet(source: str) -> None:
    assert fired(source, C.REGEX_IN_LOOP) == []


@pytest.mark.parametrize("source", [
    """
    def shares(amounts):
        return [a / sum(amounts) for a in amounts]
    """,
    """
    def leaders(scores, names):
        out = []
        for name, s in zip(names, scores):
            if s == max(scores):
                out.append(name)
        return out
    """,
])
def test_invariant_reduction_fires(source: str) -> None:
    assert fired(source, C.INVARIANT_REDUCTION)


@pytest.mark.parametrize("source", [
    """
    def row_max(grid):
        return [max(row) for row in grid]
    """,
    """
    def greedy(items):
        picked = []
        while items:
            best = max(items)
            items.remove(best)
            picked.append(best)
        return picked
    """,
    """
    def rising(xs):
        seen = []
        for x in xs:
            seen.append(x)
            print(max(seen))
    """,
])
def test_invariant_reduction_quiet(source: str) -> None:
    assert fired(source, C.INVARIANT_REDUCTION) == []


@pytest.mark.parametrize("source", [
    """
    def join(orders, customers):
        rows = []
        for o in orders:
            for c in customers:
                if o.customer_id == c.id:
                    rows.append((o, c))
        return rows
    """,
    """
    def has_pair(nums, target):
        for i in range(len(nums)):
            for j in range(i + 1, len(nums)):
                if nums[i] + nums[j] == target:
                    return True
        return False
    """,
    """
    def matches(a, b):
        return [(x, y) for x in a for y in b if x.key == y.key]
    """,
])
def test_nested_pair_search_fires(source: str) -> None:
    assert fired(source, C.NESTED_PAIR_SEARCH)


@pytest.mark.parametrize("source", [
    """
    def zeros(grid):
        out = []
        for i in range(len(grid)):
            for j in range(len(grid[i])):
                if grid[i][j] == 0:
                    out.append((i, j))
        return out
    """,
    """
    def close(points):
        for p in points:
            for q in points:
                if abs(p - q) < 1:
                    yield p, q
    """,
])
def test_nested_pair_search_quiet(source: str) -> None:
    assert fired(source, C.NESTED_PAIR_SEARCH) == []
