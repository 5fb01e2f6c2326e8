"""Detectors for range work: prefix sums, sliding windows and pair inequalities fire on real code, not look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.SLICE_SUM_IN_LOOP: (
        [
            """
            def answer(rainfall, spans):
                out = []
                for start, end in spans:
                    out.append(sum(rainfall[start:end + 1]))
                return out
            """,
            """
            class Ledger:
                def balances(self, cutoffs):
                    return {c: sum(self.amounts[:c]) for c in cutoffs}
            """,
        ],
        [
            """
            def total(xs, lo, hi):
                return sum(xs[lo:hi])
            """,
            """
            def chunk_totals(xs, k):
                return [sum(xs[i:i + k]) for i in range(0, len(xs), k)]
            """,
        ],
    ),
    C.WINDOW_RECOMPUTE: (
        [
            """
            def moving_average(prices, days):
                out = []
                for i in range(len(prices) - days + 1):
                    out.append(sum(prices[i:i + days]) / days)
                return out
            """,
            """
            def distinct_windows(s, k):
                return [len(set(s[i:i + k])) for i in range(len(s) - k + 1)]
            """,
            """
            def peaks(readings, width):
                best = []
                for end in range(width, len(readings) + 1):
                    best.append(max(readings[end - width:end]))
                return best
            """,
        ],
        [
            """
            def chunk_totals(xs, k):
                return [sum(xs[i:i + k]) for i in range(0, len(xs), k)]
            """,
            """
            def prefix_max(xs):
                return [max(xs[:i + 1]) for i in range(len(xs))]
            """,
        ],
    ),
    C.NESTED_PAIR_INEQUALITY: (
        [
            """
            def close_pairs(times, gap):
                n = 0
                for i in range(len(times)):
                    for j in range(i + 1, len(times)):
                        if abs(times[i] - times[j]) <= gap:
                            n += 1
                return n
            """,
            """
            def fits(weights, cap):
                return [(a, b) for a in weights for b in weights if a + b < cap]
            """,
        ],
        [
            """
            def two_sum(nums, t):
                for i in range(len(nums)):
                    for j in range(i + 1, len(nums)):
                        if nums[i] + nums[j] == t:
                            return i, j
            """,
            """
            def grid(rows, cols, limit):
                out = []
                for r in range(rows):
                    for c in range(cols):
                        if limit > 3:
                            out.append((r, c))
                return out
            """,
        ],
    ),
}


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (hits, _) in CASES.items() for s in hits])
def test_fires(detector: str, source: str) -> None:
    assert fired(source, detector)


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (_, quiet) in CASES.items() for s in quiet])
def test_quiet(detector: str, source: str) -> None:
    assert fired(source, detector) == []
