"""Code that runs repeatedly within one statement: loop bodies and comprehension bodies."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from optimizer_agent.skilllib.rewrites.tree import Parents, child_nodes, walk

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def repeated_parts(stmt: cst.CSTNode) -> list[cst.CSTNode]:
    """The parts of `stmt` that may run many times per execution of `stmt` (empty for straight-line code)."""
    if isinstance(stmt, cst.For):
        return [stmt.body]
    if isinstance(stmt, cst.While):
        return [stmt.test, stmt.body]
    if isinstance(stmt, cst.SimpleStatementLine):
        parts: list[cst.CSTNode] = []
        for comp in _outer_comprehensions(stmt):
            parts += comprehension_repeated_parts(comp)
        return parts
    return []


def comprehension_repeated_parts(comp: cst.CSTNode) -> list[cst.CSTNode]:
    """Everything in a comprehension except its first iterable, which is evaluated once."""
    heads = [comp.key, comp.value] if isinstance(comp, cst.DictComp) else [comp.elt]
    clause = comp.for_in
    return [*heads, *clause.ifs, *([clause.inner_for_in] if clause.inner_for_in is not None else [])]


def _outer_comprehensions(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = list(reversed(child_nodes(stmt)))
    while stack:
        node = stack.pop()
        if isinstance(node, COMPREHENSIONS):
            yield node
        elif not isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            stack.extend(reversed(child_nodes(node)))


def repeated_nodes(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node inside the repeated parts of `stmt`, lambdas included."""
    for part in repeated_parts(stmt):
        yield from walk(part)


def precedes(earlier: cst.BaseStatement, later: cst.CSTNode, parents: Parents) -> bool:
    """Whether statement `earlier` always runs before `later`: same block or an enclosing one, further up."""
    block = parents.get(id(earlier))
    if block is None:
        return False
    current: cst.CSTNode | None = later
    while current is not None and parents.get(id(current)) is not block:
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not later:
            return False
        current = parents.get(id(current))
    if current is None:
        return False
    body = list(getattr(block, "body", ()))
    positions = {id(stmt): index for index, stmt in enumerate(body)}
    return id(earlier) in positions and id(current) in positions and positions[id(earlier)] < positions[id(current)]
