"""Detectors for idioms with a faster builtin spelling: each fires on realistic code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.MAP_LAMBDA: (
        [
            """
            def names(users):
                return list(map(lambda u: u.name.title(), users))
            """,
            """
            def adults(people):
                return [p for p in filter(lambda p: p.age >= 18, people)]
            """,
        ],
        [
            """
            def ints(tokens):
                return list(map(int, tokens))
            """,
            """
            def apply(fn, xs):
                return [fn(x) for x in xs]
            """,
        ],
    ),
    C.FLATTEN_CONCAT: (
        [
            """
            def merge(batches):
                return sum(batches, [])
            """,
            """
            import functools, operator

            def merge(batches):
                return functools.reduce(operator.add, batches)
            """,
            """
            def cells(table):
                flat = []
                for row in table:
                    for cell in row:
                        flat.append(cell)
                return flat
            """,
        ],
        [
            """
            def total(batches):
                return sum(batches, 0)
            """,
            """
            def pairs(rows):
                out = []
                for row in rows:
                    for cell in row:
                        out.append((row, cell))
                return out
            """,
        ],
    ),
    C.MATERIALIZED_ANY: (
        [
            """
            def has_errors(lines):
                return len([l for l in lines if l.startswith("ERROR")]) > 0
            """,
            """
            def all_valid(records):
                return all([r.valid for r in records])
            """,
            """
            def report(items):
                if [i for i in items if i.price < 0]:
                    raise ValueError("negative price")
            """,
        ],
        [
            """
            def count_errors(lines):
                return len([l for l in lines if l.startswith("ERROR")])
            """,
            """
            def has_errors(lines):
                return any(l.startswith("ERROR") for l in lines)
            """,
        ],
    ),
    C.FLAG_WITHOUT_BREAK: (
        [
            """
            def contains_admin(users):
                found = False
                for u in users:
                    if u.role == "admin":
                        found = True
                return found
            """,
            """
            def first_gap(times, limit):
                pos = None
                for i in range(1, len(times)):
                    if pos is None and times[i] - times[i - 1] > limit:
                        pos = i
                return pos
            """,
        ],
        [
            """
            def last_error(lines):
                idx = -1
                for i, line in enumerate(lines):
                    if "ERROR" in line:
                        idx = i
                return idx
            """,
            """
            def contains_admin(users):
                found = False
                for u in users:
                    if u.role == "admin":
                        found = True
                        break
                return found
            """,
            """
            def audit(users, log):
                found = False
                for u in users:
                    log.append(u.name)
                    if u.role == "admin":
                        found = True
                return found
            """,
        ],
    ),
    C.REPLACE_IN_LOOP: (
        [
            """
            def slug(title):
                for ch in "!?.,'":
                    title = title.replace(ch, "")
                return title.lower()
            """,
            """
            def escape(text):
                return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            """,
        ],
        [
            """
            def tidy(text):
                return text.replace("  ", " ").strip()
            """,
            """
            def fill(template, values):
                for key, value in values.items():
                    out = template.replace(key, value)
                return out
            """,
        ],
    ),
    C.ATTRIBUTE_CHAIN_IN_LOOP: (
        [
            """
            class Renderer:
                def draw(self, points):
                    for x, y in points:
                        self.canvas.pixels[y][x] = self.style.palette.ink
            """,
            """
            def scale_all(values, cfg):
                out = []
                for v in values:
                    out.append(v * cfg.units.factor + cfg.units.offset)
                return out
            """,
        ],
        [
            """
            import os

            def join_all(names, base):
                return [os.path.join(base, n) for n in names]
            """,
            """
            class Counter:
                def run(self, items):
                    for item in items:
                        self.stats.total = self.stats.total + item.size.bytes
            """,
            """
            def sizes(files):
                return [f.stat.size for f in files]
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
