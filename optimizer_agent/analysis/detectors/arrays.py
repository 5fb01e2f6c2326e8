"""Detectors for numpy arrays handled element by element: Python loops over an ndarray, and builtins such as
`sum(arr)` that iterate it one boxed scalar at a time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.calls import Imports, call_name, is_builtin_call
from optimizer_agent.analysis.detectors.scopes import FileIndex, names_in
from optimizer_agent.state import Signal


def _makes_array(value: object, imports: Imports) -> bool:
    """True for `np.<anything>(...)` (or a function imported from numpy) and for arithmetic on such a call."""
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute):
            return _root(func) in {r.split(".")[0] for r in imports.module_refs(C.NUMPY_MODULE)}
        if isinstance(func, ast.Name):
            origin = imports.names.get(func.id)
            return origin is not None and origin[0].split(".")[0] == C.NUMPY_MODULE
    return False


def _root(node: ast.expr) -> str | None:
    """The name at the start of `np.random.default_rng(0).integers`: `np`."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _array_names(index: FileIndex, imports: Imports) -> set[ast.Name]:
    """Names read in the file whose every binding is a numpy array constructor."""
    found = set()
    for node in index.nodes_of(ast.Name):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            values = index.values_of(node) or []
            if values and all(_makes_array(v, imports) for v in values):
                found.add(node)
    return found


def _iterated_array(it: ast.expr, arrays: set[str]) -> str | None:
    """The array a `for` iterates: `arr`, `enumerate(arr)`, `zip(arr, ...)`, `range(len(arr))`, `range(arr.size)`."""
    if isinstance(it, ast.Name) and it.id in arrays:
        return it.id
    if isinstance(it, ast.Call) and call_name(it) in ("enumerate", "zip", "range", "reversed"):
        for arg in it.args:
            inner = arg.args[0] if isinstance(arg, ast.Call) and call_name(arg) == "len" and arg.args else arg
            if isinstance(inner, ast.Attribute) and inner.attr in ("size", "shape"):
                inner = inner.value
            if isinstance(inner, ast.Subscript) and isinstance(inner.value, ast.Attribute):
                inner = inner.value.value  # arr.shape[0]
            if isinstance(inner, ast.Name) and inner.id in arrays:
                return inner.id
    return None


def numpy_element_loop(index: FileIndex) -> Iterator[Signal]:
    """A Python `for` loop over the elements (or indices) of a numpy array."""
    imports = Imports(index)
    if not imports.module_refs(C.NUMPY_MODULE) and not any(m.startswith(C.NUMPY_MODULE)
                                                           for m, _ in imports.names.values()):
        return
    arrays = {n.id for n in _array_names(index, imports)}
    for node in index.nodes_of(ast.For):
        if isinstance(node, ast.For):
            name = _iterated_array(node.iter, arrays)
            if name:
                yield Signal(detector=C.NUMPY_ELEMENT_LOOP, line=node.lineno,
                             message=f"a Python loop walks the numpy array `{name}` element by element; "
                                     "express it as whole-array operations")


def builtin_on_ndarray(index: FileIndex) -> Iterator[Signal]:
    """`sum(arr)`, `max(arr)`, `sorted(arr)`, `sum(arr > t)` on a numpy array."""
    imports = Imports(index)
    if not imports.module_refs(C.NUMPY_MODULE) and not any(m.startswith(C.NUMPY_MODULE)
                                                           for m, _ in imports.names.values()):
        return
    arrays = {n.id for n in _array_names(index, imports)}
    for node in index.nodes_of(ast.Call):
        for name in C.NDARRAY_BUILTINS:
            if is_builtin_call(index, node, name) and len(node.args) == 1:
                arg = node.args[0]
                direct = isinstance(arg, ast.Name) and arg.id in arrays
                masked = isinstance(arg, (ast.Compare, ast.BinOp)) and bool(names_in(arg) & arrays)
                if direct or masked:
                    yield Signal(detector=C.BUILTIN_ON_NDARRAY, line=node.lineno,
                                 message=f"builtin `{name}()` iterates a numpy array one scalar at a time; "
                                         "use the array's own method")
