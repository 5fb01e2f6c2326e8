"""Detectors for concurrency done one item at a time: a lock taken per iteration, and awaits in a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import call_name, dotted, walk_no_functions
from optimizer_agent.analysis.detectors.scopes import FileIndex
from optimizer_agent.state import Signal


def _is_lock(index: FileIndex, expr: ast.expr) -> bool:
    """A name or attribute that holds a lock: bound to `Lock()`/`RLock()`..., or named like one."""
    if isinstance(expr, ast.Name):
        values = [v for v in index.values_of(expr) or [] if isinstance(v, ast.Call)]
        if any(call_name(v) in C.LOCK_FACTORIES for v in values):
            return True
    name = dotted(expr) or ""
    last = name.rsplit(".", 1)[-1].lower()
    return last.endswith(("lock", "mutex")) or last in ("mu", "guard")


def lock_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`with lock:` (or `lock.acquire()`) inside a `for` loop: one lock round trip per item."""
    for loop in index.nodes_of(ast.For):
        if not isinstance(loop, ast.For):
            continue
        for node in (n for s in loop.body for n in walk_no_functions(s)):
            held = isinstance(node, ast.With) and any(_is_lock(index, item.context_expr) for item in node.items)
            acquired = (isinstance(node, ast.Call) and call_name(node) == "acquire"
                        and isinstance(node.func, ast.Attribute) and _is_lock(index, node.func.value))
            if held or acquired:
                yield Signal(detector=C.LOCK_IN_LOOP, line=node.lineno,
                             message="a lock is taken for every item; accumulate locally and publish under one lock")
                break


def _awaits(node: ast.AST) -> list[ast.Await]:
    return [n for n in walk_no_functions(node) if isinstance(n, ast.Await)]


def _pacing(awaited: ast.Await) -> bool:
    # `await asyncio.sleep(...)` in a loop paces it on purpose; gathering would defeat the pacing.
    return isinstance(awaited.value, ast.Call) and call_name(awaited.value) == "sleep"


def await_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`for x in xs: await f(x)` (or `[await f(x) for x in xs]`) in an async function: waits one by one."""
    for func in index.nodes_of(ast.AsyncFunctionDef):
        if not isinstance(func, ast.AsyncFunctionDef):
            continue
        for node in walk_no_functions(func):
            if isinstance(node, ast.For):
                body_awaits = [a for s in node.body for a in _awaits(s)]
            elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp)):
                body_awaits = _awaits(node)
            else:
                continue
            calls = [a for a in body_awaits if isinstance(a.value, ast.Call) and not _pacing(a)]
            if calls and not any(_pacing(a) for a in body_awaits):
                yield Signal(detector=C.AWAIT_IN_LOOP, line=node.lineno,
                             message="coroutines are awaited one at a time in a loop; "
                                     "asyncio.gather runs independent ones concurrently")
