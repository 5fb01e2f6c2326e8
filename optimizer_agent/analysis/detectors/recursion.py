"""Detector for recursive functions that recompute overlapping subproblems because nothing caches them."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.scopes import FileIndex, annotation_kind
from optimizer_agent.state import Signal

_UNHASHABLE = ("list", "set", "dict", "deque")


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _already_memoized(func: ast.FunctionDef) -> bool:
    if any(_decorator_name(d) in C.CACHE_DECORATORS for d in func.decorator_list):
        return True
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    # A `memo={}` or `cache` parameter means the function threads its own memo table.
    return any("memo" in p.arg or "cache" in p.arg for p in params) or any(
        isinstance(d, ast.Dict) for d in [*args.defaults, *args.kw_defaults])


def _cacheable(func: ast.FunctionDef) -> bool:
    args = func.args
    if args.vararg or args.kwarg:
        return False
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if any(annotation_kind(p.annotation) in _UNHASHABLE for p in params):
        return False
    # Generators and functions that write shared state cannot be replayed from a cache.
    return not any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)) for n in ast.walk(func))


def recursion_no_cache(index: FileIndex) -> Iterator[Signal]:
    """A plain function that calls itself from two or more sites (or from a loop) and has no cache."""
    for func in index.nodes_of(ast.FunctionDef):
        if not isinstance(func, ast.FunctionDef) or isinstance(index.scope.get(func), ast.ClassDef):
            continue
        calls = [n for n in ast.walk(func)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == func.name]
        if not calls or _already_memoized(func) or not _cacheable(func):
            continue
        looped = any(index.loop.get(c) is not None and index.function_of(index.loop[c]) is func for c in calls)
        if len(calls) >= C.RECURSION_MIN_CALL_SITES or looped:
            yield Signal(detector=C.RECURSION_NO_CACHE, line=func.lineno,
                         message=f"`{func.name}` recurses {len(calls)} way(s) without a cache; "
                                 "overlapping calls are recomputed")
