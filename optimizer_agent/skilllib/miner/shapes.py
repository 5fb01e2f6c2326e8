"""Small AST shape tests the program walker builds on."""

from __future__ import annotations

import ast
from collections.abc import Callable

KIND_OF_CALL = {"list": "list", "sorted": "list", "set": "set", "frozenset": "set", "dict": "dict",
                "collections.defaultdict": "dict", "collections.Counter": "dict", "collections.OrderedDict": "dict",
                "range": "range", "str": "str", "collections.deque": "deque"}
"""Containers a call returns, for telling `x in some_list` from `x in some_set`."""
FLOAT_CALLS = frozenset({"float", "math.sqrt", "math.floor", "math.ceil", "math.log", "math.log2", "math.log10"})


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def value_kind(node: ast.AST, resolve: Callable[[ast.AST], str | None]) -> str | None:
    """The container kind an expression builds (`list`, `set`, `dict`, `str`, ...), when it is evident."""
    if isinstance(node, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(node, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "str"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and isinstance(node.left, ast.List):
        return "list"
    if isinstance(node, ast.Call):
        name = resolve(node.func)
        if name in KIND_OF_CALL:
            return KIND_OF_CALL[name]
        if isinstance(node.func, ast.Attribute) and node.func.attr in {"split", "readlines"}:
            return "list"
    return None


def is_zero(node: ast.AST) -> bool:
    """True for the literal 0."""
    return isinstance(node, ast.Constant) and node.value == 0 and not isinstance(node.value, bool)


def mentions_subscript_of(node: ast.AST, name: str) -> bool:
    """True when `node` reads `name[...]` anywhere inside."""
    return any(isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == name
               for n in ast.walk(node))
