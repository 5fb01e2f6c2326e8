"""Walking libcst trees, parent links, locating a function by qualname, and identity-keyed edits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum

import libcst as cst

SCOPE_NODES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
"""Nodes that open a new name scope (comprehensions are handled where they matter)."""

LOOP_NODES = (cst.For, cst.While)

_TRANSPARENT_BLOCKS = (cst.If, cst.Else, cst.Try, cst.TryStar, cst.ExceptHandler, cst.ExceptStarHandler,
                       cst.Finally, cst.With, cst.IndentedBlock, cst.SimpleStatementSuite)
"""Statements whose bodies still belong to the enclosing scope when looking up a qualname."""

_LEAF_VALUES = (str, bool, int, Enum)
"""Field values of a libcst node that are not nodes: text, flags and sentinels such as MaybeSentinel."""

Parents = dict[int, cst.CSTNode]
Replacement = cst.CSTNode | cst.FlattenSentinel | cst.RemovalSentinel
Edit = Callable[[cst.CSTNode], Replacement]


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The direct children of `node`, in field order (reading fields is much faster than `node.children`)."""
    found: list[cst.CSTNode] = []
    for name in node.__dataclass_fields__:
        if name.startswith("__"):
            continue
        value = getattr(node, name)
        # Concrete-type checks: isinstance against the abstract CSTNode dominates the cost of a walk.
        if isinstance(value, (list, tuple)):
            found.extend(value)
        elif not isinstance(value, _LEAF_VALUES) and value is not None:
            found.append(value)
    return found


def walk(node: cst.CSTNode, *, into_scopes: bool = True) -> Iterator[cst.CSTNode]:
    """Every node under `node`, itself first, pre-order; nested defs/classes/lambdas stay closed unless asked."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and not into_scopes and isinstance(current, SCOPE_NODES):
            continue
        stack.extend(reversed(child_nodes(current)))


def parent_map(root: cst.CSTNode) -> Parents:
    """Map `id(child) -> parent` for every node under `root`."""
    parents: Parents = {}
    for node in walk(root):
        for child in child_nodes(node):
            parents[id(child)] = node
    return parents


def ancestors(node: cst.CSTNode, parents: Parents) -> Iterator[cst.CSTNode]:
    """The parents of `node`, innermost first."""
    current = parents.get(id(node))
    while current is not None:
        yield current
        current = parents.get(id(current))


def statements(func: cst.FunctionDef) -> Iterator[cst.BaseStatement]:
    """Every statement in `func`'s body, outermost first, not entering nested defs or classes."""
    for node in walk(func.body, into_scopes=False):
        if isinstance(node, cst.BaseStatement) and not isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            yield node


def find_function(module: cst.Module, qualname: str) -> cst.FunctionDef | None:
    """The FunctionDef named by dotted `qualname`; a bare name matches when it is unique in the file."""
    found = list(_defs(module, []))
    for name, node in found:
        if name == qualname:
            return node
    by_bare = [node for _, node in found if node.name.value == qualname]
    return by_bare[0] if len(by_bare) == 1 else None


def _defs(node: cst.CSTNode, scope: list[str]) -> Iterator[tuple[str, cst.FunctionDef]]:
    for child in child_nodes(node):
        if isinstance(child, cst.FunctionDef):
            path = [*scope, child.name.value]
            yield ".".join(path), child
            yield from _defs(child.body, path)
        elif isinstance(child, cst.ClassDef):
            yield from _defs(child.body, [*scope, child.name.value])
        elif isinstance(child, _TRANSPARENT_BLOCKS):
            yield from _defs(child, scope)


def is_module_level(module: cst.Module, func: cst.FunctionDef) -> bool:
    """Whether `func` is a statement directly in the module body."""
    return any(stmt is func for stmt in module.body)


class _EditTransformer(cst.CSTTransformer):
    def __init__(self, edits: dict[int, Edit]) -> None:
        super().__init__()
        self._edits = edits

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        edit = self._edits.get(id(original_node))
        return edit(updated_node) if edit is not None else updated_node


def apply_edits(root: cst.CSTNode, edits: dict[int, Edit]) -> cst.CSTNode:
    """Rebuild `root`, replacing each node whose original `id` has an edit by that edit's result."""
    if not edits:
        return root
    return root.visit(_EditTransformer(edits))


def hoist_before(stmts: list[cst.BaseStatement]) -> Edit:
    """An edit that puts `stmts` in front of a statement, moving its blank lines and comments to the first."""

    def edit(updated: cst.CSTNode) -> Replacement:
        leading = getattr(updated, "leading_lines", ())
        first = stmts[0].with_changes(leading_lines=leading)
        return cst.FlattenSentinel([first, *stmts[1:], updated.with_changes(leading_lines=())])

    return edit


def parse_stmt(code: str) -> cst.BaseStatement:
    """One statement from source text."""
    return cst.parse_statement(code if code.endswith("\n") else code + "\n")


def replace_with(node: cst.CSTNode) -> Edit:
    """An edit that swaps in a fixed node, ignoring any nested edits."""
    return lambda _updated: node
