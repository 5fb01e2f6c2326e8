"""The recursive comparison of encoded example outcomes: equal like `==`, strict about types, clear about where."""

from __future__ import annotations

import math

from optimizer_agent.skilllib.compare import canonical, equal, first_difference
from optimizer_agent.skilllib.harness import encode


def test_equal_values_compare_equal_whatever_the_set_or_dict_order() -> None:
    assert equal(encode({3, 1, 2}), encode({2, 3, 1}))
    assert equal(encode({"b": [1, (2, 3)], "a": None}), encode({"a": None, "b": [1, (2, 3)]}))
    assert canonical(encode({2, 1})) == canonical(encode({1, 2}))


def test_nan_equals_nan_but_types_must_match() -> None:
    assert equal(encode([math.nan]), encode([float("nan")]))
    assert not equal(encode(1), encode(1.0))
    assert not equal(encode(1), encode(True))
    assert not equal(encode([1, 2]), encode((1, 2)))
    assert not equal(encode(b"ab"), encode(bytearray(b"ab")))


def test_first_difference_names_the_path() -> None:
    before = encode({"rows": [1, 2, {"k": 3}]})
    after = encode({"rows": [1, 2, {"k": 4}]})
    where = first_difference(before, after, "result")
    assert where is not None and where.startswith("result[")
    assert "3" in where and "4" in where
    assert "2 items != 3 items" in first_difference(encode([1, 2]), encode([1, 2, 3]))
    assert "type" in first_difference(encode({"a": 1}), encode(_Sub({"a": 1})))


class _Sub(dict):
    """A dict subclass: `==` says equal, but a caller could tell the difference."""
