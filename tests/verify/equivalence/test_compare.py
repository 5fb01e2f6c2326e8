"""The recursive comparison and the deep repr that the replayer runs inside the sandbox."""

import math
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
from dataclasses import dataclass

import pytest

from optimizer_agent.verify.equivalence.compare import Tolerance, compare, deep_repr

Point = namedtuple("Point", "x y")


@dataclass
class Box:
    """A dataclass: compared field by field, floats with tolerance."""

    width: float
    tags: list


class Plain:
    """No __eq__: compared by its attributes."""

    def __init__(self, value):
        self.value = value


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b


class Node:
    def __init__(self):
        self.next = self


@pytest.mark.parametrize("value", [
    1, "text", b"raw", None, True, 1.5, float("nan"), float("inf"), 2 + 3j, (1, [2, {3: "x"}]), {1, 2},
    frozenset({"a"}), Point(1, 2.0), Box(1.0, ["a"]), Plain([1, 2]), Slotted(1, {"k": 2}), deque([1, 2]),
    Counter("abca"), OrderedDict(a=1), defaultdict(list, a=[1]), range(3), ValueError("bad", 3), bytearray(b"x"),
])
def test_a_value_matches_an_equal_copy(value):
    import copy

    assert compare(value, copy.deepcopy(value)) is None


@pytest.mark.parametrize(("expected", "got", "fragment"), [
    (1, 1.0, "expected int 1, got float 1.0"),
    (True, 1, "expected bool True, got int 1"),
    ([1, 2], (1, 2), "expected list [1, 2], got tuple (1, 2)"),
    ([1, 2, 3], [1, 3, 2], "result[1]: expected 2, got 3"),
    ([1, 2], [1, 2, 3], "expected 2 items, got 3"),
    (1.0, 1.001, "result: expected 1.0, got 1.001"),
    (float("nan"), 1.0, "expected nan, got 1.0"),
    ({"a": 1}, {"a": 1, "b": 2}, "extra keys ['b']"),
    ({"a": 1}, {}, "missing keys ['a']"),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}, "same keys in another order"),
    ({1, 2}, {1, 3}, "set differs: missing [2], extra [3]"),
    (Point(1, 2), Point(1, 3), "result.y: expected 2, got 3"),
    (Box(1.0, []), Box(1.1, []), "result.width"),
    (Plain(1), Plain(2), "result.value: expected 1, got 2"),
    (Slotted(1, 2), Slotted(1, 3), "result.b"),
    ({"k": [1, {"z": 1.0}]}, {"k": [1, {"z": 2.0}]}, "result['k'][1]['z']: expected 1.0, got 2.0"),
    (ValueError("a"), ValueError("b"), "result.args[0]"),
    ("abc", "abd", "expected 'abc', got 'abd'"),
    (deque([1]), deque([2]), "result[0]"),
])
def test_a_difference_is_described_with_its_path(expected, got, fragment):
    found = compare(expected, got)
    assert found is not None and fragment in found, found


def test_floats_use_isclose_with_the_given_tolerances():
    assert compare(1.0, 1.0 + 1e-12) is None
    assert compare(1.0, 1.001) is not None
    assert compare(1.0, 1.001, Tolerance(rel_tol=1e-2)) is None
    assert compare(0.0, 1e-13) is None
    assert compare(0.0, 1e-6) is not None
    assert compare([math.nan, -math.inf], [math.nan, -math.inf]) is None


def test_dict_order_can_be_ignored():
    assert compare({"a": 1, "b": 2}, {"b": 2, "a": 1}, Tolerance(dict_order=False)) is None


def test_cycles_terminate():
    a, b = Node(), Node()
    assert compare(a, b) is None
    looped = [1]
    looped.append(looped)
    again = [1]
    again.append(again)
    assert compare(looped, again) is None


def test_objects_with_their_own_eq_use_it():
    from datetime import datetime, timedelta

    when = datetime(2024, 1, 1)
    assert compare(when, when + timedelta(0)) is None
    assert compare(when, when + timedelta(seconds=1)).endswith("got datetime.datetime(2024, 1, 1, 0, 0, 1)")


def test_numpy_arrays_compare_by_shape_dtype_and_values():
    numpy = pytest.importorskip("numpy")
    a = numpy.array([1.0, numpy.nan, 3.0])
    assert compare(a, a.copy()) is None
    assert "expected array" in compare(a, a.astype("float32"))
    assert compare(a, a + 1e-3) is not None


def test_deep_repr_is_stable_and_has_no_addresses():
    text = deep_repr([Plain({"b": 1, "a": {2, 1}}), lambda: 0])
    assert "0x" not in text
    assert text.startswith("list[") and "Plain(value=dict{" in text
    assert deep_repr({3, 1, 2}) == deep_repr({2, 3, 1})
    node = Node()
    assert "<cycle>" in deep_repr(node)
