"""Outcomes compared on their encoding with the gate's comparison: exact, type-strict, order-aware, clear about where."""

from __future__ import annotations

import math
from collections import Counter, namedtuple

from optimizer_agent.skilllib.compare import Opaque, decode, equal, first_difference
from optimizer_agent.skilllib.harness import encode

Point = namedtuple("Point", "x y")


def test_decode_rebuilds_plain_values() -> None:
    value = [None, True, 3, 2.5, "s", b"b", (1, 2), {1, 2}, frozenset({3}), {"k": [1]}, bytearray(b"x"), 1 + 2j]
    assert decode(encode(value)) == value
    assert type(decode(encode(frozenset({1})))) is frozenset
    counter = decode(encode(Counter("aab")))
    assert type(counter).__name__ == "Counter" and counter == {"a": 2, "b": 1}
    assert decode(encode(Point(1, 2))) == (1, 2) and type(decode(encode(Point(1, 2)))).__name__ == "Point"
    assert isinstance(decode({"repr": "<object>", "type": "object"}), Opaque)


def test_equal_values_compare_equal_whatever_the_set_order() -> None:
    assert equal(encode({3, 1, 2}), encode({2, 3, 1}))
    assert equal(encode({"b": [1, (2, 3)], "a": None}), encode({"b": [1, (2, 3)], "a": None}))


def test_nan_equals_nan_but_types_floats_and_dict_order_must_match() -> None:
    assert equal(encode([math.nan]), encode([float("nan")]))
    assert not equal(encode(1), encode(1.0))
    assert not equal(encode(1), encode(True))
    assert not equal(encode([1, 2]), encode((1, 2)))
    assert not equal(encode(b"ab"), encode(bytearray(b"ab")))
    assert not equal(encode(0.1 + 0.2), encode(0.3))
    assert not equal(encode({"a": 1, "b": 2}), encode({"b": 2, "a": 1}))
    assert not equal(encode({"a": 1}), encode(Counter({"a": 1})))


def test_first_difference_names_the_path() -> None:
    where = first_difference(encode({"rows": [1, 2, {"k": 3}]}), encode({"rows": [1, 2, {"k": 4}]}), "result")
    assert where is not None and where.startswith("result['rows'][2]['k']")
    assert "3" in where and "4" in where
    assert "expected 2 items, got 3" in first_difference(encode([1, 2]), encode([1, 2, 3]))
