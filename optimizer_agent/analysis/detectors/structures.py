"""Detectors for containers used the slow way inside loops: check-then-insert grouping, min()+remove() queues,
re-sorting a growing list, bytes built by `+=`, and consuming a sequence by re-slicing it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import dotted, in_loop, same
from optimizer_agent.analysis.detectors.loops import loop_region
from optimizer_agent.analysis.detectors.scopes import FileIndex, leftmost_addend
from optimizer_agent.state import Signal


def _empty_initial(value: ast.expr) -> bool:
    """`[]`, `{}`, `set()`, `list()`, `dict()`, `0`: the starting values a defaultdict factory would make."""
    if isinstance(value, (ast.List, ast.Dict, ast.Set)) and not getattr(value, "elts", getattr(value, "keys", [])):
        return True
    if isinstance(value, ast.Constant) and type(value.value) in (int, float) and value.value == 0:
        return True
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in C.EMPTY_FACTORIES and not value.args and not value.keywords)


def _initialises(stmt: ast.stmt, table: ast.expr, key: ast.expr, check) -> bool:
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Subscript)
            and same(stmt.targets[0].value, table) and same(stmt.targets[0].slice, key) and check(stmt.value))


def _grouping_if(node: ast.If) -> bool:
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))):
        return False
    key, table = test.left, test.comparators[0]
    if isinstance(test.ops[0], ast.NotIn):
        # `if k not in d: d[k] = []` -- the entry is then filled by a later `d[k].append(...)`.
        return any(_initialises(s, table, key, _empty_initial) for s in node.body)
    # `if k in d: d[k] += 1 else: d[k] = 1` -- a tally with two lookups on every hit.
    bumps = any(isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Subscript)
                and same(s.target.value, table) and same(s.target.slice, key) for s in node.body)
    return bumps and any(_initialises(s, table, key, lambda v: isinstance(v, ast.Constant)) for s in node.orelse)


def _get_tally(node: ast.Assign) -> bool:
    """`d[k] = d.get(k, 0) + x`."""
    if not (len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.value, ast.BinOp) and isinstance(node.value.op, ast.Add)):
        return False
    target, get = node.targets[0], node.value.left
    return (isinstance(get, ast.Call) and isinstance(get.func, ast.Attribute) and get.func.attr == "get"
            and len(get.args) == 2 and same(get.func.value, target.value) and same(get.args[0], target.slice)
            and _empty_initial(get.args[1]))


def manual_grouping(index: FileIndex) -> Iterator[Signal]:
    """Check-then-insert grouping or tallying into a plain dict inside a loop."""
    for node in index.nodes_of(ast.If, ast.Assign):
        if in_loop(index, node) is None:
            continue
        if (isinstance(node, ast.If) and _grouping_if(node)) or (isinstance(node, ast.Assign) and _get_tally(node)):
            yield Signal(detector=C.MANUAL_GROUPING, line=node.lineno,
                         message="dict entry is checked and initialised on every iteration; "
                                 "collections.defaultdict (or Counter) does it in one lookup")


def _reduced(region: list[ast.AST], functions: frozenset[str], index: FileIndex) -> dict[str, ast.Call]:
    """Containers passed alone to one of the builtin `functions` (`min(xs)`, `sorted(self.items)`) in `region`."""
    found: dict[str, ast.Call] = {}
    for root in region:
        for node in ast.walk(root):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions
                    and len(node.args) == 1 and index.values_of(node.func) is None):
                name = dotted(node.args[0])
                if name:
                    found.setdefault(name, node)
    return found


def _method_receivers(region: list[ast.AST], methods: frozenset[str]) -> dict[str, ast.Call]:
    """Containers (`xs`, `self.pending`) whose method in `methods` is called in `region`, with the first call."""
    found: dict[str, ast.Call] = {}
    for root in region:
        for node in ast.walk(root):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods:
                name = dotted(node.func.value)
                if name:
                    found.setdefault(name, node)
    return found


def min_remove_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`m = min(xs); xs.remove(m)` in one loop: a linear scan per extraction where a heap pops in O(log n)."""
    for loop in index.nodes_of(ast.For, ast.While):
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        region = loop_region(loop)
        scanned = _reduced(region, frozenset({"min", "max"}), index)
        removed = _method_receivers(region, frozenset({"remove"}))
        for name in sorted(set(scanned) & set(removed)):
            yield Signal(detector=C.MIN_REMOVE_IN_LOOP, line=removed[name].lineno,
                         message=f"`min/max({name})` then `{name}.remove(...)` on every iteration; "
                                 "a heap (heapq) extracts the extreme in O(log n)")


def sort_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`xs.append(x); xs.sort()` (or `sorted(xs)`) in a loop that keeps growing `xs`."""
    for loop in index.nodes_of(ast.For, ast.While):
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        region = loop_region(loop)
        grown = set(_method_receivers(region, C.GROWING_METHODS))
        resorted = {**_reduced(region, frozenset({"sorted"}), index),
                    **_method_receivers(region, frozenset({"sort"}))}
        for name, call in sorted(resorted.items()):
            if name in grown:
                yield Signal(detector=C.SORT_IN_LOOP, line=call.lineno,
                             message=f"`{name}` is sorted again after every addition; "
                                     "bisect.insort keeps it sorted, or sort once after the loop")


def _bytes_start(value: ast.expr) -> bool:
    return (isinstance(value, ast.Constant) and isinstance(value.value, bytes)) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "bytes"
        and not value.args)


def _extends(value: ast.expr, name: str) -> bool:
    """`name + a + b`: the value grows `name` itself."""
    first = leftmost_addend(value)
    return isinstance(value, ast.BinOp) and isinstance(first, ast.Name) and first.id == name


def bytes_concat(index: FileIndex) -> Iterator[Signal]:
    """`out += chunk` inside a loop where `out` starts as `b""`: every step copies all bytes so far."""
    for node in index.nodes_of(ast.AugAssign, ast.Assign):
        if in_loop(index, node) is None:
            continue
        target = None
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name):
            target = node.target
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              and _extends(node.value, node.targets[0].id)):
            target = node.targets[0]
        if target is None:
            continue
        values = [v for v in index.values_of(target) or [] if isinstance(v, ast.expr) and not _extends(v, target.id)]
        if values and all(_bytes_start(v) for v in values):
            yield Signal(detector=C.BYTES_CONCAT, line=node.lineno,
                         message=f"bytes `{target.id}` grows by `+` in a loop, copying everything each time; "
                                 "use a bytearray or b''.join")


def slice_consume(index: FileIndex) -> Iterator[Signal]:
    """`s = s[k:]` inside a loop: each step copies the whole remainder."""
    for node in index.nodes_of(ast.Assign):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value, name = node.value, node.targets[0].id
        if (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == name
                and isinstance(value.slice, ast.Slice) and value.slice.lower is not None
                and value.slice.upper is None and value.slice.step is None and in_loop(index, node) is not None):
            yield Signal(detector=C.SLICE_CONSUME, line=node.lineno,
                         message=f"`{name} = {name}[...:]` copies the remainder on every iteration; advance an index")

