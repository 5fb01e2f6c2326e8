"""Detectors for I/O done one small piece per iteration: print, input, open, and blocking calls in a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import Imports, assigned_names, in_loop, is_builtin_call
from optimizer_agent.analysis.detectors.loops import loop_region
from optimizer_agent.analysis.detectors.scopes import FileIndex, names_in
from optimizer_agent.state import Signal


def _flushes(call: ast.Call) -> bool:
    return any(k.arg == "flush" and not (isinstance(k.value, ast.Constant) and not k.value.value)
               for k in call.keywords)


def print_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`print(...)` on every iteration (not flushed on purpose): many small writes instead of one."""
    for node in index.nodes_of(ast.Call):
        if is_builtin_call(index, node, "print") and not _flushes(node) and in_loop(index, node) is not None:
            yield Signal(detector=C.PRINT_IN_LOOP, line=node.lineno,
                         message="print() runs once per iteration; collect the lines and write them once")


def input_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`input()` on every iteration: line-by-line reads where one `sys.stdin.read()` would do."""
    for node in index.nodes_of(ast.Call):
        if is_builtin_call(index, node, "input") and in_loop(index, node) is not None:
            yield Signal(detector=C.INPUT_IN_LOOP, line=node.lineno,
                         message="input() reads one line per iteration; read stdin once and split it")


def open_in_loop(index: FileIndex) -> Iterator[Signal]:
    """`open(path)` inside a loop where `path` does not change between iterations."""
    for node in index.nodes_of(ast.Call):
        if not (is_builtin_call(index, node, "open") and node.args):
            continue
        loop = in_loop(index, node)
        if loop is None:
            continue
        varying = assigned_names(loop_region(loop))
        if not (names_in(node.args[0]) & varying):
            yield Signal(detector=C.OPEN_IN_LOOP, line=node.lineno,
                         message="the same file is opened on every iteration; open it once outside the loop")


def _in_async_function(index: FileIndex, node: ast.AST) -> bool:
    return isinstance(index.function_of(node), ast.AsyncFunctionDef)


def _blocking(imports: Imports, node: ast.AST) -> bool:
    return any(imports.calls(node, module, functions) for module, functions in C.BLOCKING_CALLS.items())


def blocking_call_in_loop(index: FileIndex) -> Iterator[Signal]:
    """A network, subprocess or sleep call on every iteration of a loop in synchronous code (directly, or through
    a function of the same file that makes one)."""
    imports = Imports(index)
    if not any(imports.module_refs(m) or any(origin == m for origin, _ in imports.names.values())
               for m in C.BLOCKING_CALLS):
        return
    calls = index.nodes_of(ast.Call)
    blocking = {id(n) for n in calls if _blocking(imports, n)}
    waiting = {f.name for n in calls if id(n) in blocking and (f := index.function_of(n)) is not None}
    for node in calls:
        if in_loop(index, node) is None or _in_async_function(index, node):
            continue
        through = isinstance(node.func, ast.Name) and node.func.id in waiting and index.function_of(node) is not None
        if id(node) in blocking or through:
            yield Signal(detector=C.BLOCKING_CALL_IN_LOOP, line=node.lineno,
                         message="a blocking call waits on every iteration; independent calls can overlap in a "
                                 "ThreadPoolExecutor")
