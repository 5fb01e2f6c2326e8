"""Detectors for work over ranges of positions: slice sums per query, windows rebuilt at every position, and
all-pairs loops tested against an inequality."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import call_name, in_loop
from optimizer_agent.analysis.detectors.scopes import COMPREHENSIONS, FileIndex, names_in
from optimizer_agent.state import Signal


def _loop_targets(index: FileIndex, node: ast.AST) -> tuple[ast.AST | None, set[str]]:
    """The loop running `node` and the names its target binds."""
    loop = in_loop(index, node)
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        return loop, names_in(loop.target)
    if isinstance(loop, COMPREHENSIONS):
        return loop, set().union(*(names_in(g.target) for g in loop.generators))
    return loop, set()


def _strided(loop: ast.AST | None) -> bool:
    """`for i in range(a, b, step)`: windows that jump by a step share nothing."""
    iters = [loop.iter] if isinstance(loop, ast.For) else [g.iter for g in getattr(loop, "generators", [])]
    return any(isinstance(it, ast.Call) and call_name(it) == "range" and len(it.args) == 3 for it in iters)


def _is_window(piece: ast.Slice, targets: set[str]) -> bool:
    """`xs[i:i + k]` (or `xs[i - k:i]`): both bounds move with the same loop variable."""
    lower, upper = piece.lower, piece.upper
    if lower is None or upper is None or piece.step is not None:
        return False
    moving = names_in(lower) & targets
    return bool(moving) and bool(names_in(upper) & moving) and (
        isinstance(upper, ast.BinOp) or isinstance(lower, ast.BinOp))


def _slice_arguments(call: ast.Call) -> Iterator[ast.Subscript]:
    for arg in call.args:
        inner = arg
        # `len(set(xs[i:i + k]))` and `sum(xs[i:i + k]) / k` wrap the slice once more.
        if isinstance(inner, ast.Call) and len(inner.args) == 1:
            inner = inner.args[0]
        if isinstance(inner, ast.Subscript) and isinstance(inner.slice, ast.Slice):
            yield inner


def slice_aggregates(index: FileIndex) -> Iterator[Signal]:
    """`sum(xs[lo:hi])` per query (prefix sums) and `agg(xs[i:i + k])` per position (sliding window)."""
    for node in index.nodes_of(ast.Call):
        if not (isinstance(node, ast.Call) and call_name(node) in C.WINDOW_AGGREGATES):
            continue
        loop, targets = _loop_targets(index, node)
        if loop is None:
            continue
        for sub in _slice_arguments(node):
            if _is_window(sub.slice, targets) and not _strided(loop):
                yield Signal(detector=C.WINDOW_RECOMPUTE, line=node.lineno,
                             message=f"`{call_name(node)}(...)` of a window slice is rebuilt at every position; "
                                     "update it as the window slides")
            elif call_name(node) == "sum" and not _is_window(sub.slice, targets):
                yield Signal(detector=C.SLICE_SUM_IN_LOOP, line=node.lineno,
                             message="`sum()` of a slice inside a loop re-adds the range every time; "
                                     "precompute prefix sums")
            break


_INEQUALITIES = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _side(expr: ast.expr, outer: set[str], inner: set[str]) -> str:
    names = names_in(expr)
    return ("o" if names & outer else "") + ("i" if names & inner else "")


def _pair_inequality(test: ast.expr, outer: set[str], inner: set[str]) -> bool:
    """`a[i] + a[j] <= t`, `abs(a[i] - a[j]) < d`, `a[j] - a[i] > d`: a bound on a pair's sum or difference."""
    if isinstance(test, ast.BoolOp):
        return any(_pair_inequality(v, outer, inner) for v in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], _INEQUALITIES)):
        return False
    for combined, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        if isinstance(combined, ast.Call) and call_name(combined) == "abs" and len(combined.args) == 1:
            combined = combined.args[0]
        if (isinstance(combined, ast.BinOp) and isinstance(combined.op, (ast.Add, ast.Sub))
                and _side(other, outer, inner) == ""
                and {_side(combined.left, outer, inner), _side(combined.right, outer, inner)} == {"o", "i"}):
            return True
    return False


def nested_pair_inequality(index: FileIndex) -> Iterator[Signal]:
    """Two nested loops that test every pair's sum or difference against a bound: sort plus two pointers."""
    message = "nested loops test every pair against an inequality; sort once and walk two pointers"
    for node in index.nodes_of(ast.For, *COMPREHENSIONS):
        if isinstance(node, ast.For):
            for inner in (s for s in node.body if isinstance(s, ast.For)):
                tests = [s.test for s in ast.walk(inner) if isinstance(s, ast.If)]
                if any(_pair_inequality(t, names_in(node.target), names_in(inner.target)) for t in tests):
                    yield Signal(detector=C.NESTED_PAIR_INEQUALITY, line=node.lineno, message=message)
                    break
        elif isinstance(node, COMPREHENSIONS) and len(node.generators) >= 2:
            outer, inner = node.generators[0], node.generators[-1]
            if any(_pair_inequality(t, names_in(outer.target), names_in(inner.target)) for t in inner.ifs):
                yield Signal(detector=C.NESTED_PAIR_INEQUALITY, line=node.lineno, message=message)
