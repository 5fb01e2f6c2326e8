"""Detectors for linear-time operations on lists inside loops: `in`, `count`, `index`, `pop(0)`, `insert(0, x)`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.scopes import FileIndex, is_small_constant_list
from optimizer_agent.state import Signal


def _is_small_literal_list(index: FileIndex, name: ast.Name) -> bool:
    values = index.values_of(name) or []
    return all(isinstance(v, ast.expr) and is_small_constant_list(v, C.SMALL_LITERAL_MAX) for v in values)


def list_membership(index: FileIndex) -> Iterator[Signal]:
    """`x in some_list` inside a loop, where the name is bound only to lists."""
    for node in index.nodes_of(ast.Compare):
        if not isinstance(node, ast.Compare) or index.loop.get(node) is None:
            continue
        for op, right in zip(node.ops, node.comparators):
            if not isinstance(op, (ast.In, ast.NotIn)) or not isinstance(right, (ast.Name, ast.Attribute)):
                continue
            shown = ast.unparse(right)
            if index.kind_of(right) == "list" and not (isinstance(right, ast.Name)
                                                         and _is_small_literal_list(index, right)):
                yield Signal(detector=C.LIST_MEMBERSHIP, line=node.lineno,
                             message=f"`in {shown}` scans the list `{shown}` on every iteration")


def _method_calls(index: FileIndex, method: str, nargs: int) -> Iterator[tuple[ast.Call, ast.expr]]:
    """Calls `<receiver>.method(...)` with `nargs` positional arguments that run inside a loop."""
    for node in index.nodes_of(ast.Call):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
                and len(node.args) == nargs and not node.keywords and index.loop.get(node) is not None):
            yield node, node.func.value


def count_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`some_list.count(x)` inside a loop: one full scan per iteration."""
    for call, receiver in _method_calls(index, "count", 1):
        if isinstance(receiver, (ast.Name, ast.Attribute)) and index.kind_of(receiver) == "list":
            yield Signal(detector=C.COUNT_IN_LOOP, line=call.lineno,
                         message=f"`{ast.unparse(receiver)}.count(...)` rescans the list on every iteration")


def index_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`some_list.index(x)` inside a loop: one linear search per iteration."""
    for call, receiver in _method_calls(index, "index", 1):
        if isinstance(receiver, (ast.Name, ast.Attribute)) and index.kind_of(receiver) == "list":
            yield Signal(detector=C.INDEX_IN_LOOP, line=call.lineno,
                         message=f"`{ast.unparse(receiver)}.index(...)` searches the list linearly on every iteration")


def _is_zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and type(node.value) is int


def _not_a_list(index: FileIndex, receiver: ast.expr) -> bool:
    # A literal 0 argument is a strong hint of a list, so only a known other kind rules it out.
    return index.kind_of(receiver) not in ("list", "unknown")


def list_pop0(index: FileIndex) -> Iterator[Signal]:
    """`queue.pop(0)` inside a loop: each call shifts every remaining element."""
    for call, receiver in _method_calls(index, "pop", 1):
        if _is_zero(call.args[0]) and not _not_a_list(index, receiver):
            yield Signal(detector=C.LIST_POP0, line=call.lineno,
                         message="`pop(0)` on a list is O(n) per call; a deque pops from the left in O(1)")


def list_insert0(index: FileIndex) -> Iterator[Signal]:
    """`items.insert(0, x)` inside a loop: each call shifts every element."""
    for call, receiver in _method_calls(index, "insert", 2):
        if _is_zero(call.args[0]) and not _not_a_list(index, receiver):
            yield Signal(detector=C.LIST_INSERT0, line=call.lineno,
                         message="`insert(0, x)` on a list is O(n) per call; use a deque or append and reverse once")
