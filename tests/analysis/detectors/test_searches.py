"""Detectors for searches redone from scratch: each fires on realistic code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.LINEAR_SCAN_SORTED: (
        [
            """
            def grade(score, cutoffs):
                cutoffs = sorted(cutoffs)
                level = 0
                while level < len(cutoffs) and cutoffs[level] <= score:
                    level += 1
                return "FEDCBA"[level]
            """,
            """
            class Timeline:
                def slot(self, events, t):
                    pos = 0
                    while pos < len(events) and t > events[pos]:
                        pos += 1
                    return pos
            """,
        ],
        [
            """
            def merge(a, b):
                out, i, j = [], 0, 0
                while i < len(a) and a[i] <= b[j]:
                    out.append(a[i])
                    i += 1
                    j += 0 if j + 1 >= len(b) else 1
                return out
            """,
            """
            def skip_blanks(lines):
                i = 0
                while i < len(lines) and not lines[i].strip():
                    i += 1
                return lines[i:]
            """,
        ],
    ),
    C.RECOMPUTED_PROPERTY: (
        [
            """
            class Cart:
                def __init__(self, items):
                    self.items = items

                @property
                def total(self):
                    return sum(i.price for i in self.items)

                def shares(self):
                    return [i.price / self.total for i in self.items]
            """,
            """
            class Graph:
                @property
                def degrees(self):
                    out = {}
                    for a, b in self.edges:
                        out[a] = out.get(a, 0) + 1
                    return out

            def hubs(graph, nodes):
                found = []
                for n in nodes:
                    if graph.degrees.get(n, 0) > 10:
                        found.append(n)
                return found
            """,
        ],
        [
            """
            class Cart:
                @property
                def total(self):
                    return sum(i.price for i in self.items)

                def summary(self):
                    return f"{len(self.items)} items, {self.total}"
            """,
            """
            class Point:
                @property
                def norm(self):
                    return (self.x ** 2 + self.y ** 2) ** 0.5

                def scaled(self, factors):
                    return [f * self.norm for f in factors]
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
