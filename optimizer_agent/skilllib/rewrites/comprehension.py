"""Reading a `for`/`if` nest around one statement as comprehension clauses, and checking that is safe."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from optimizer_agent.skilllib.rewrites.names import references
from optimizer_agent.skilllib.rewrites.tree import Edit, Parents, ancestors, replace_with, walk
from optimizer_agent.skilllib.rewrites.usage import eagerly_consumed

_NEEDS_PARENS = (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.Yield)
_TARGET_NODES = (cst.Name, cst.Tuple, cst.List, cst.StarredElement)
"""Expressions allowed in a loop target: names and unpacking, not attributes or items."""


@dataclass
class LoopNest:
    """A loop whose body, through nested `for`s and `if`s without `else`, is one simple statement."""

    clauses: list[str]
    """Comprehension clauses in order, e.g. `for v in items`, `if v > 0`."""
    expressions: list[cst.CSTNode]
    """The iterables and conditions, for checks on the names they use."""
    loop_vars: list[str]
    inner: cst.BaseSmallStatement
    comments: list[cst.EmptyLine]
    """Comment lines inside the nest, to keep above the comprehension."""


def unwrap_loop(module: cst.Module, loop: cst.For) -> LoopNest | None:
    """The clauses of `loop` read as a comprehension, or None if its shape does not fit one."""
    nest = LoopNest([], [], [], cst.Pass(), [])
    node: cst.CSTNode | None = loop
    while isinstance(node, (cst.For, cst.If)):
        if node.orelse is not None:
            return None
        if isinstance(node, cst.For):
            if node.asynchronous is not None or not _plain_target(node.target):
                return None
            target = expression_code(module, node.target, tuple_ok=True)
            nest.clauses.append(f"for {target} in {expression_code(module, node.iter)}")
            nest.expressions.append(node.iter)
            nest.loop_vars += [n.value for n in walk(node.target) if isinstance(n, cst.Name)]
        else:
            nest.clauses.append(f"if {expression_code(module, node.test)}")
            nest.expressions.append(node.test)
        node = _only_statement(node.body)
    if not isinstance(node, cst.BaseSmallStatement):
        return None
    nest.inner = node
    inside = loop.with_changes(leading_lines=())
    nest.comments = [cst.EmptyLine(comment=c) for c in walk(inside) if isinstance(c, cst.Comment)]
    return nest


def _plain_target(target: cst.BaseExpression) -> bool:
    return all(isinstance(n, _TARGET_NODES) for n in walk(target) if isinstance(n, cst.BaseExpression))


def _only_statement(body: cst.BaseSuite) -> cst.CSTNode | None:
    statements = list(body.body)
    if len(statements) != 1:
        return None
    only = statements[0]
    if isinstance(only, cst.SimpleStatementLine):
        return only.body[0] if len(only.body) == 1 else None
    return only


def expression_code(module: cst.Module, node: cst.CSTNode, *, tuple_ok: bool = False) -> str:
    """The code of an expression, parenthesised where a comprehension clause or call argument needs it."""
    code = module.code_for_node(node).strip()
    bare_tuple = isinstance(node, cst.Tuple) and not node.lpar and not tuple_ok
    if bare_tuple or (isinstance(node, _NEEDS_PARENS) and not node.lpar):
        return f"({code})"
    return code


def comprehension_code(module: cst.Module, element: cst.BaseExpression, nest: LoopNest) -> str:
    """`element for ... if ...`: the inside of the brackets."""
    return " ".join([expression_code(module, element), *nest.clauses])


def lazy_or_binding(nodes: list[cst.CSTNode], parents: Parents) -> bool:
    """Whether any part binds names (walrus), defers work (lambda, lazy generator) or suspends."""
    for root in nodes:
        for node in walk(root):
            if isinstance(node, (cst.NamedExpr, cst.Lambda, cst.Yield, cst.Await)):
                return True
            if isinstance(node, cst.GeneratorExp) and not eagerly_consumed(node, parents):
                return True
    return False


def loop_vars_escape(func: cst.FunctionDef, loop: cst.For, names: list[str], parents: Parents) -> bool:
    """Whether a loop variable could be read outside `loop`, where a comprehension would leave it unbound."""
    for name in names:
        for ref in references(func.body, name, parents):
            if _within(ref, loop, parents):
                continue
            if not _rebound_by_enclosing_loop(ref, name, loop, parents):
                return True
    return False


def _within(node: cst.CSTNode, container: cst.CSTNode, parents: Parents) -> bool:
    return node is container or any(above is container for above in ancestors(node, parents))


def _rebound_by_enclosing_loop(ref: cst.Name, name: str, loop: cst.For, parents: Parents) -> bool:
    """Whether `ref` sits in the target or body of another `for` (or a comprehension) that binds `name`."""
    child: cst.CSTNode = ref
    for above in ancestors(ref, parents):
        if isinstance(above, cst.For) and above is not loop and child is not above.iter and child is not above.orelse:
            if any(isinstance(n, cst.Name) and n.value == name for n in walk(above.target)):
                return True
        if isinstance(above, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            if _within(ref, above.for_in.iter, parents):
                child = above
                continue
            clauses = [c for c in walk(above.for_in) if isinstance(c, cst.CompFor)]
            if any(any(isinstance(n, cst.Name) and n.value == name for n in walk(c.target)) for c in clauses):
                return True
        if isinstance(above, cst.FunctionDef):
            return False
        child = above
    return False


def following_statement(loop: cst.BaseStatement, parents: Parents, offset: int) -> cst.BaseStatement | None:
    """The statement `offset` places after `loop` in its block (negative for before), if any."""
    body = list(getattr(parents.get(id(loop)), "body", ()))
    index = next((i for i, stmt in enumerate(body) if stmt is loop), None)
    if index is None or not 0 <= index + offset < len(body):
        return None
    return body[index + offset]


def fold_into_initialiser(line: cst.SimpleStatementLine, loop: cst.For, nest: LoopNest, value: str) -> dict[int, Edit]:
    """Edits that set the initialising line's value to `value`, keep the loop's comments, and drop the loop."""
    small = line.body[0].with_changes(value=cst.parse_expression(value))
    above_loop = [empty for empty in loop.leading_lines if empty.comment is not None]
    leading = [*line.leading_lines, *above_loop, *nest.comments]
    return {
        id(line): replace_with(line.with_changes(body=[small], leading_lines=leading)),
        id(loop): lambda _updated: cst.RemovalSentinel.REMOVE,
    }
