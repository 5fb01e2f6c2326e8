"""The tree-sitter query detectors: `sorted(x)[0]`, `sorted(x)[:k]`, `in d.keys()`, `sum(range(...))`."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


@pytest.mark.parametrize("source", [
    "best = sorted(candidates, key=lambda c: c.cost)[0]\n",
    "def newest(files):\n    return sorted(files, key=os.path.getmtime)[ -1 ]\n",
    "latest = sorted(versions, reverse=True)[0].tag\n",
])
def test_sorted_then_index_fires(source: str) -> None:
    assert fired(source, C.SORTED_INDEX)


@pytest.mark.parametrize("source", [
    "median = sorted(values)[len(values) // 2]\n",
    "second = sorted(values)[1]\n",
    "first = items[0]\n",
])
def test_sorted_then_index_quiet(source: str) -> None:
    assert fired(source, C.SORTED_INDEX) == []


@pytest.mark.parametrize("source", [
    "top = sorted(scores, reverse=True)[:10]\n",
    "def tail(xs, k):\n    return sorted(xs)[-k:]\n",
])
def test_sorted_then_slice_fires(source: str) -> None:
    assert fired(source, C.SORTED_SLICE)


@pytest.mark.parametrize("source", [
    "middle = sorted(values)[2:-2]\n",
    "every_other = sorted(values)[::2]\n",
    "top = scores[:10]\n",
])
def test_sorted_then_slice_quiet(source: str) -> None:
    assert fired(source, C.SORTED_SLICE) == []


@pytest.mark.parametrize("source", [
    "if name in registry.keys():\n    pass\n",
    "missing = [k for k in wanted if k not in config.keys()]\n",
])
def test_dict_keys_membership_fires(source: str) -> None:
    assert fired(source, C.DICT_KEYS_MEMBERSHIP)


@pytest.mark.parametrize("source", [
    "if name in registry:\n    pass\n",
    "common = a.keys() & b.keys()\n",
    "if name in index.keys(prefix):\n    pass\n",
])
def test_dict_keys_membership_quiet(source: str) -> None:
    assert fired(source, C.DICT_KEYS_MEMBERSHIP) == []


@pytest.mark.parametrize("source", [
    "def tri(n):\n    return sum(range(n + 1))\n",
    "total = sum(range(start, stop, step))\n",
])
def test_sum_of_range_fires(source: str) -> None:
    assert fired(source, C.SUM_OF_RANGE)


@pytest.mark.parametrize("source", [
    "total = sum(x * x for x in range(n))\n",
    "total = sum(values)\n",
    "total = sum(range(n), start)\n",
])
def test_sum_of_range_quiet(source: str) -> None:
    assert fired(source, C.SUM_OF_RANGE) == []
