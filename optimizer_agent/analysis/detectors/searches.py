"""Detectors for searches redone from scratch: a linear scan for an insertion point in sorted data, and a computed
property re-evaluated every time a loop reads it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import assigned_names, call_name, in_loop, walk_no_functions
from optimizer_agent.analysis.detectors.scopes import COMPREHENSIONS, FileIndex, names_in
from optimizer_agent.state import Signal

_ORDER = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _bounds_check(test: ast.expr) -> tuple[str, str] | None:
    """`(i, xs)` for `i < len(xs)`."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Lt)
            and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], ast.Call)
            and call_name(test.comparators[0]) == "len" and len(test.comparators[0].args) == 1
            and isinstance(test.comparators[0].args[0], ast.Name)):
        return test.left.id, test.comparators[0].args[0].id
    return None


def _element_compare(test: ast.expr, index: str, seq: str) -> ast.expr | None:
    """The value `v` in `xs[i] < v` (or `v > xs[i]`, any order operator), else None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], _ORDER)):
        return None
    for element, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        if (isinstance(element, ast.Subscript) and isinstance(element.value, ast.Name) and element.value.id == seq
                and isinstance(element.slice, ast.Name) and element.slice.id == index):
            return other
    return None


def _steps(body: list[ast.stmt], index: str) -> bool:
    return any(isinstance(s, ast.AugAssign) and isinstance(s.op, ast.Add) and isinstance(s.target, ast.Name)
               and s.target.id == index for s in body)


def linear_scan_sorted(index: FileIndex) -> Iterator[Signal]:
    """`while i < len(xs) and xs[i] <= v: i += 1`: an insertion point found by walking from the front."""
    for node in index.nodes_of(ast.While):
        if not (isinstance(node, ast.While) and isinstance(node.test, ast.BoolOp)
                and isinstance(node.test.op, ast.And) and len(node.test.values) == 2):
            continue
        first, second = node.test.values
        bound = _bounds_check(first)
        value = _element_compare(second, *bound) if bound else None
        # A merge loop compares against another moving index; that is two pointers, not a lookup.
        if value is not None and _steps(node.body, bound[0]) and not (names_in(value) & assigned_names(node.body)):
            yield Signal(detector=C.LINEAR_SCAN_SORTED, line=node.lineno,
                         message=f"`{bound[1]}` is scanned from the front for an insertion point; "
                                 "if it is sorted, bisect finds it in O(log n)")


def _is_property(func: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in func.decorator_list)


def _linear_body(func: ast.FunctionDef) -> bool:
    """The body loops, builds a comprehension, or reduces a collection."""
    for node in walk_no_functions(func):
        if node is func:
            continue
        if isinstance(node, (ast.For, ast.While, *COMPREHENSIONS)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in C.EXPENSIVE_CALLS \
                and node.args and not isinstance(node.args[0], ast.Constant):
            return True
    return False


def recomputed_property(index: FileIndex) -> Iterator[Signal]:
    """A `@property` that does linear work and is read inside a loop: recomputed on every read."""
    properties = {f.name: f for f in index.nodes_of(ast.FunctionDef)
                  if isinstance(f, ast.FunctionDef) and _is_property(f) and _linear_body(f)}
    if not properties:
        return
    reported: set[str] = set()
    for node in index.nodes_of(ast.Attribute):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in properties
                and node.attr not in reported and in_loop(index, node) is not None):
            reported.add(node.attr)
            func = properties[node.attr]
            yield Signal(detector=C.RECOMPUTED_PROPERTY, line=func.lineno,
                         message=f"property `{node.attr}` redoes linear work on every read, and a loop reads it "
                                 f"(line {node.lineno}); cache it (functools.cached_property)")
