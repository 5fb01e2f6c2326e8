"""str_join: `s = ""` then a loop doing `s += e` becomes a list of parts joined once after the loop.

Applies when, inside the loop, `s` only appears as `s += e` or `s = s + e1 + e2…` (in any branch), and the
statements between the initialisation and the loop do not mention `s`. Declines when the loop has an
`else`, reads `s` anywhere (its test, its body, a nested function), sits inside a `try` or `with` (a caught
or suppressed exception would expose a partial `s`) or has one around a `+=` (it could swallow the
TypeError of a non-str piece that the join would then raise), when `s` is global/nonlocal or read by a nested
function, and for bytes or f-string initialisers.

Known difference: a non-str `e` raises TypeError at the join after the loop rather than at the `+=`.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.literals import is_empty_str
from optimizer_agent.skilllib.rewrites.names import fresh_name, references
from optimizer_agent.skilllib.rewrites.tree import (
    LOOP_NODES,
    Edit,
    Parents,
    ancestors,
    parse_stmt,
    replace_with,
    statements,
    walk,
)
from optimizer_agent.skilllib.rewrites.usage import GUARDS, guarded, shared_beyond_function

PARTS_SUFFIX = "_parts"


class StrJoin(FunctionRewrite):
    """Replace quadratic string accumulation in a loop by `"".join` of a list."""

    id = "str_join"
    description = 'Collect `s += e` pieces in a list inside the loop and `"".join` them once afterwards.'

    def edits(self, target: Target) -> dict[int, Edit]:
        """One set of edits per accumulated string: init, each `+=`, and the join after the loop."""
        edits: dict[int, Edit] = {}
        for loop in statements(target.func):
            if not isinstance(loop, LOOP_NODES) or loop.orelse is not None:
                continue
            if guarded(target.func, loop, target.parents):
                continue
            joins: list[cst.BaseStatement] = []
            for name in dict.fromkeys(_accumulated_names(loop)):
                found = self._plan(target, loop, name, edits)
                if found is not None:
                    joins.append(found)
            if joins:
                edits[id(loop)] = _append_after(joins)
        return edits

    def _plan(self, target: Target, loop: cst.CSTNode, name: str, edits: dict[int, Edit]) -> cst.BaseStatement | None:
        parents = target.parents
        init = _initialiser(loop, name, parents)
        if init is None or shared_beyond_function(target.func, name, target.parents):
            return None
        steps = _accumulations(loop, name, parents)
        if steps is None:
            return None
        parts = fresh_name(name + PARTS_SUFFIX, target.taken)
        edits[id(init)] = replace_with(parse_stmt(f"{parts} = []").body[0])
        for step, terms in steps:
            edits[id(step)] = _appends(parts, terms, step.semicolon)
        return parse_stmt(f"{name} = {init.value.value}.join({parts})")


def _accumulated_names(loop: cst.CSTNode):
    """Names that the loop extends with `name += e` or `name = name + e`."""
    for node in walk(loop, into_scopes=False):
        if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign):
            if isinstance(node.target, cst.Name):
                yield node.target.value
        elif isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            leftmost = node.value
            while isinstance(leftmost, cst.BinaryOperation) and isinstance(leftmost.operator, cst.Add):
                leftmost = leftmost.left
            if isinstance(leftmost, cst.Name) and leftmost.value == node.targets[0].target.value:
                yield leftmost.value


def _initialiser(loop: cst.CSTNode, name: str, parents: Parents) -> cst.Assign | None:
    """The `name = ""` assignment before `loop` in its block, with no other mention of `name` in between."""
    block = parents.get(id(loop))
    body = list(getattr(block, "body", ()))
    index = next((i for i, stmt in enumerate(body) if stmt is loop), None)
    if index is None:
        return None
    for stmt in reversed(body[:index]):
        assign = _single_assign(stmt)
        if assign is not None and _assigns_name(assign, name):
            return assign if is_empty_str(assign.value) else None
        if references(stmt, name, parents):
            return None
    return None


def _single_assign(stmt: cst.BaseStatement) -> cst.Assign | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
        return stmt.body[0]
    return None


def _assigns_name(assign: cst.Assign, name: str) -> bool:
    return len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name) and (
        assign.targets[0].target.value == name
    )


def _accumulations(loop: cst.CSTNode, name: str, parents: Parents):
    """Each `name += e` / `name = name + e…` in the loop with its terms, or None if `name` is used otherwise."""
    steps: dict[int, tuple[cst.CSTNode, list[cst.BaseExpression]]] = {}
    for ref in references(loop, name, parents):
        parent = parents.get(id(ref))
        if isinstance(parent, cst.AugAssign) and parent.target is ref and isinstance(parent.operator, cst.AddAssign):
            if _mentions(parent.value, name) or _needs_parens(parent.value):
                return None
            steps[id(parent)] = (parent, [parent.value])
            continue
        step = _self_concat(ref, name, parents)
        if step is None:
            return None
        steps[id(step[0])] = step
    if any(_caught_inside(step, loop, parents) for step, _ in steps.values()):
        return None
    return list(steps.values()) or None


def _caught_inside(step: cst.CSTNode, loop: cst.CSTNode, parents: Parents) -> bool:
    """Whether a `try`/`with` inside the loop could swallow a TypeError from this `+=` (the join would not)."""
    for above in ancestors(step, parents):
        if above is loop:
            return False
        if isinstance(above, GUARDS):
            return True
    return False


def _self_concat(ref: cst.Name, name: str, parents: Parents):
    """For either occurrence in `name = name + a + b`, that assignment and its terms `[a, b]`."""
    assign = next((a for a in ancestors(ref, parents) if isinstance(a, cst.Assign)), None)
    if assign is None or not _assigns_name(assign, name):
        return None
    terms: list[cst.BaseExpression] = []
    value = assign.value
    while isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and not value.lpar:
        terms.insert(0, value.right)
        value = value.left
    if not (isinstance(value, cst.Name) and value.value == name and not value.lpar) or not terms:
        return None
    if any(_mentions(term, name) or _needs_parens(term) for term in terms):
        return None
    if ref is not value and ref is not assign.targets[0].target:
        return None
    return assign, terms


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk(node))


def _needs_parens(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.Tuple, cst.Yield, cst.NamedExpr)):
        return not node.lpar
    return False


def _appends(parts: str, terms: list[cst.BaseExpression], semicolon) -> Edit:
    """`parts.append(a)` for one term; `parts.extend((a, b))` keeps several terms in one statement, in order."""
    if len(terms) == 1:
        method, arg = "append", terms[0]
    else:
        method, arg = "extend", cst.Tuple([cst.Element(term) for term in terms])
    call = cst.Call(func=cst.Attribute(cst.Name(parts), cst.Name(method)), args=[cst.Arg(arg)])
    return replace_with(cst.Expr(call, semicolon=semicolon))


def _append_after(joins: list[cst.BaseStatement]) -> Edit:
    return lambda updated: cst.FlattenSentinel([updated, *joins])
