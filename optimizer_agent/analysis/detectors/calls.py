"""Helpers the detectors share: what a call calls, which names come from which module, what a loop assigns."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizer_agent.analysis.detectors.scopes import FileIndex, LoopNode


def call_name(call: ast.Call) -> str | None:
    """`f` for `f(...)`, `attr` for `obj.attr(...)`, else None."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def is_builtin_call(index: FileIndex, node: ast.AST, name: str) -> bool:
    """True for a call of the builtin `name` (`print(...)`), not of a local or imported function of that name."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
            and index.values_of(node.func) is None)


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


class Imports:
    """A file's imports, gathered once: how each module is referred to, and which names came from where."""

    def __init__(self, index: FileIndex) -> None:
        self.refs: dict[str, set[str]] = {}
        """Module -> how code refers to it: `np` after `import numpy as np`, `urllib.request` after a plain import."""
        self.names: dict[str, tuple[str, str]] = {}
        """Local name -> (module, original name) for `from module import name [as local]`."""
        for node in index.nodes_of(ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.refs.setdefault(alias.name, set()).add(alias.asname or alias.name)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.names[alias.asname or alias.name] = (node.module, alias.name)

    def module_refs(self, module: str) -> set[str]:
        """The names under which `module` itself is reachable."""
        return self.refs.get(module, set())

    def calls(self, call: ast.AST, module: str, functions: frozenset[str] | set[str]) -> bool:
        """True for `module.f(...)` (under any alias) or `f(...)` imported from `module`, with f in `functions`."""
        if not isinstance(call, ast.Call):
            return False
        func = call.func
        if isinstance(func, ast.Attribute):
            return func.attr in functions and dotted(func.value) in self.module_refs(module)
        if isinstance(func, ast.Name):
            origin = self.names.get(func.id)
            return origin is not None and origin[0] == module and origin[1] in functions
        return False


def in_loop(index: FileIndex, node: ast.AST) -> LoopNode | None:
    """The innermost loop (or comprehension) that runs `node` repeatedly, if any, within the same function."""
    loop = index.loop.get(node)
    if loop is None:
        return None
    return loop if index.function_of(loop) is index.function_of(node) else None


def assigned_names(nodes: list[ast.AST]) -> set[str]:
    """Names stored to anywhere under `nodes` (loop targets, assignments, augmented assignments, walrus)."""
    names = set()
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


def same(a: ast.AST, b: ast.AST) -> bool:
    """Structural equality of two expressions (ignoring positions)."""
    return ast.dump(a) == ast.dump(b)


def walk_no_functions(node: ast.AST) -> Iterator[ast.AST]:
    """`node` and every node under it, without descending into functions, lambdas or classes nested in it."""
    yield node
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(child))


def is_int_constant(node: ast.AST, value: int | None = None) -> bool:
    """True for an int literal (equal to `value` when given)."""
    return (isinstance(node, ast.Constant) and type(node.value) is int
            and (value is None or node.value == value))
