"""Detectors for per-iteration accumulation: string and list concatenation, append loops, sum loops."""

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
    def to_html(rows):
        html = "<table>"
        for row in rows:
            html += "<tr><td>" + row + "</td></tr>"
        return html + "</table>"
    """,
    """
    def hexdump(data):
        out = ''
        i = 0
        while i < 16:
            out = out + format(data[i], "02x") + " "
            i += 1
        return out
    """,
    """
    def banner(names):
        text = f"Hello"
        for n in names:
            text += ", " + n
        return text
    """,
])
def test_string_concat_fires(source: str) -> None:
    assert fired(source, C.STRING_CONCAT)


@pytest.mark.parametrize("source", [
    """
    def total(xs):
        acc = 0
        for x in xs:
            acc += x
        return acc
    """,
    """
    def to_html(rows):
        html = "<table>"
        html += "</table>"
        return html
    """,
    """
    def merge(chunks):
        buf = b""
        for c in chunks:
            buf += c
        return buf
    """,
])
def test_string_concat_quiet(source: str) -> None:
    assert fired(source, C.STRING_CONCAT) == []


@pytest.mark.parametrize("source", [
    """
    def collect(pages):
        items = []
        for page in pages:
            items = items + page.items
        return items
    """,
    """
    def ids(records):
        out = list()
        for r in records:
            out = out + [r.id]
        return out
    """,
])
def test_list_concat_fires(source: str) -> None:
    assert fired(source, C.LIST_CONCAT)


@pytest.mark.parametrize("source", [
    """
    def collect(pages):
        items = []
        for page in pages:
            items += page.items
        return items
    """,
    """
    def label(parts):
        name = ""
        for p in parts:
            name = name + p
        return name
    """,
])
def test_list_concat_quiet(source: str) -> None:
    assert fired(source, C.LIST_CONCAT) == []


@pytest.mark.parametrize("source", [
    """
    def names(users):
        result = []
        for u in users:
            result.append(u.name.title())
        return result
    """,
    """
    def active_ids(groups):
        ids = []
        for g in groups:
            for member in g.members:
                if member.active:
                    ids.append(member.id)
        return ids
    """,
])
def test_append_loop_fires(source: str) -> None:
    assert fired(source, C.APPEND_LOOP)


@pytest.mark.parametrize("source", [
    """
    def names(users):
        result = []
        for u in users:
            result.append(u.name)
            log(u)
        return result
    """,
    """
    def running(xs):
        out = [0]
        for x in xs:
            out.append(out[-1] + x)
        return out
    """,
    """
    def extend(result, users):
        for u in users:
            result.append(u.name)
    """,
])
def test_append_loop_quiet(source: str) -> None:
    assert fired(source, C.APPEND_LOOP) == []


@pytest.mark.parametrize("source", [
    """
    def revenue(orders):
        total = 0
        for o in orders:
            total += o.price * o.qty
        return total
    """,
    """
    def positives(xs):
        n = 0
        for x in xs:
            if x > 0:
                n += 1
        return n
    """,
])
def test_manual_sum_fires(source: str) -> None:
    assert fired(source, C.MANUAL_SUM)


@pytest.mark.parametrize("source", [
    """
    def revenue(orders):
        total = 0
        for o in orders:
            total += o.price
            if total > 100:
                break
        return total
    """,
    """
    def fib_sum(n):
        total = 0
        for _ in range(n):
            total += total + 1
        return total
    """,
    """
    def text(parts):
        total = ""
        for p in parts:
            total += p
        return total
    """,
])
def test_manual_sum_quiet(source: str) -> None:
    assert fired(source, C.MANUAL_SUM) == []
