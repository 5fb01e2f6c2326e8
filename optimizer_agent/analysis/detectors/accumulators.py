"""Detectors for values built up one step per iteration: `s += ...`, `xs = xs + [...]`, append loops, sum loops."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.scopes import FileIndex, leftmost_addend, names_in
from optimizer_agent.state import Signal


def _grows(node: ast.AST) -> tuple[ast.Name, ast.expr] | None:
    """`(name, added)` for `name += added` or `name = name + ... + added`, else None."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name):
        return node.target, node.value
    if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.BinOp) and isinstance(node.value.op, ast.Add)):
        first = leftmost_addend(node.value)
        if isinstance(first, ast.Name) and first.id == node.targets[0].id:
            return node.targets[0], node.value.right
    return None


def string_concat(index: FileIndex) -> Iterator[Signal]:
    """`s += piece` on a string inside a loop: each step may copy the whole string."""
    for node in index.nodes_of(ast.AugAssign, ast.Assign):
        grown = _grows(node)
        if grown is not None and index.loop.get(node) is not None and index.kind_of(grown[0]) == "str":
            yield Signal(detector=C.STRING_CONCAT, line=node.lineno,
                         message=f"string `{grown[0].id}` is built by repeated `+` in a loop; collect parts and join")


def list_concat(index: FileIndex) -> Iterator[Signal]:
    """`xs = xs + [...]` inside a loop: builds a new list on every iteration."""
    for node in index.nodes_of(ast.Assign):
        if not isinstance(node, ast.Assign) or index.loop.get(node) is None:
            continue
        grown = _grows(node)
        if grown is not None and index.kind_of(grown[0]) == "list":
            yield Signal(detector=C.LIST_CONCAT, line=node.lineno,
                         message=f"`{grown[0].id} = {grown[0].id} + ...` copies the list every iteration; "
                                 "use append/extend")


def _loop_core(loop: ast.For) -> tuple[ast.stmt, list[ast.AST]] | None:
    """The single statement at the bottom of a chain of one-statement `for`/`if` blocks, and the parts above it."""
    above: list[ast.AST] = []
    node: ast.stmt = loop
    while True:
        if isinstance(node, ast.For) and not node.orelse and len(node.body) == 1:
            above += [node.target, node.iter]
            node = node.body[0]
        elif isinstance(node, ast.If) and not node.orelse and len(node.body) == 1:
            above.append(node.test)
            node = node.body[0]
        else:
            break
    return (node, above) if node is not loop else None


def _outermost_for_loops(index: FileIndex) -> Iterator[ast.For]:
    for node in index.nodes_of(ast.For):
        parent = index.parent.get(node)
        # A `for` nested as the only statement of another `for` is handled with its parent.
        nested = isinstance(parent, ast.For) and len(parent.body) == 1 and not parent.orelse
        if isinstance(node, ast.For) and not nested:
            yield node


def _bound_to(index: FileIndex, name: ast.Name, check) -> bool:
    values = index.values_of(name) or []
    return any(isinstance(v, ast.expr) and check(v) for v in values)


def _empty_list(value: ast.expr) -> bool:
    return (isinstance(value, ast.List) and not value.elts) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list"
        and not value.args and not value.keywords)


def _zero(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and type(value.value) in (int, float) and value.value == 0


def append_loop(index: FileIndex) -> Iterator[Signal]:
    """A `for` loop whose only effect is `result.append(expr)` into a fresh list."""
    for loop in _outermost_for_loops(index):
        core = _loop_core(loop)
        if core is None:
            continue
        stmt, above = core
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            continue
        call = stmt.value
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                and isinstance(call.func.value, ast.Name) and len(call.args) == 1 and not call.keywords):
            continue
        target = call.func.value
        used = set().union(*(names_in(n) for n in [*above, call.args[0]]))
        if target.id not in used and index.kind_of(target) == "list" and _bound_to(index, target, _empty_list):
            yield Signal(detector=C.APPEND_LOOP, line=loop.lineno,
                         message=f"loop only appends to `{target.id}`; a list comprehension avoids per-item calls")


def manual_sum(index: FileIndex) -> Iterator[Signal]:
    """A `for` loop whose only effect is `total += expr` on a counter that starts at zero."""
    for loop in _outermost_for_loops(index):
        core = _loop_core(loop)
        if core is None:
            continue
        stmt, above = core
        if not (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add)
                and isinstance(stmt.target, ast.Name)):
            continue
        total = stmt.target
        used = set().union(*(names_in(n) for n in [*above, stmt.value]))
        if total.id not in used and index.kind_of(total) == "number" and _bound_to(index, total, _zero):
            yield Signal(detector=C.MANUAL_SUM, line=loop.lineno,
                         message=f"loop only adds into `{total.id}`; `sum()` runs the addition in C")
