"""The recursion-without-cache detector: tree recursion fires, cached or linear recursion does not."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str) -> list[int]:
    """Lines where the recursion detector fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == C.RECURSION_NO_CACHE]


@pytest.mark.parametrize("source", [
    """
    def grid_paths(r, c):
        if r == 0 or c == 0:
            return 1
        return grid_paths(r - 1, c) + grid_paths(r, c - 1)
    """,
    """
    def min_coins(amount, coins):
        if amount == 0:
            return 0
        best = None
        for c in coins:
            if c <= amount:
                sub = min_coins(amount - c, coins)
                if sub is not None and (best is None or sub + 1 < best):
                    best = sub + 1
        return best
    """,
])
def test_fires_on_tree_recursion(source: str) -> None:
    assert fired(source) == [2]


@pytest.mark.parametrize("source", [
    """
    from functools import lru_cache

    @lru_cache(maxsize=None)
    def grid_paths(r, c):
        if r == 0 or c == 0:
            return 1
        return grid_paths(r - 1, c) + grid_paths(r, c - 1)
    """,
    """
    def factorial(n):
        return 1 if n <= 1 else n * factorial(n - 1)
    """,
    """
    def fib(n, memo={}):
        if n in memo:
            return memo[n]
        memo[n] = n if n < 2 else fib(n - 1) + fib(n - 2)
        return memo[n]
    """,
    """
    def walk(tree: dict):
        return [walk(c) for c in tree["children"]] + [walk(tree["left"])]
    """,
    """
    class Node:
        def size(self):
            return 1 + sum(c.size() for c in self.children) + self.size_extra()
    """,
])
def test_quiet_when_cached_linear_or_unhashable(source: str) -> None:
    assert fired(source) == []
