"""flag_loop_any: a search loop that returns on the first match becomes `return any(...)` / `return all(...)`.

    for v in it:                       
        if cond:            ->         return any(cond for v in it)
            return True
    return False

`if not cond: return False` … `return True` becomes `return all(cond for v in it)`; `return True` after
`return False` gives `not any(...)`, and other constant pairs give `return A if any(cond for v in it) else B`.
`any`/`all` stop at the same item the loop stops at, so `cond` runs on exactly the same items, calls included.

The loop must be a plain `for` (no `else`, not async) whose body is exactly that `if` (no `elif`/`else`), the
`return` after it must follow directly in the same block, and both returned values must be literal constants.
Declines when `cond` binds names (`:=`), yields or awaits, calls `next` (a StopIteration inside a generator
expression turns into RuntimeError), or uses what depends on the enclosing frame (`super()`, `locals()`,
`vars()`, `dir()`, `eval`, `exec`); when the loop variable is not a plain name or tuple of names, is
global/nonlocal or used by a nested function; inside `try`/`with` (a `finally` could read the loop
variable, which the generator no longer sets); and when `any`/`all` are rebound in the file.

Left to the gate: a StopIteration raised by a function `cond` calls becomes RuntimeError.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.literals import is_constant
from optimizer_agent.skilllib.rewrites.names import any_bound_anywhere
from optimizer_agent.skilllib.rewrites.tree import Edit, parse_stmt, statements, walk
from optimizer_agent.skilllib.rewrites.usage import guarded, shared_beyond_function

FRAME_NAMES = frozenset({"super", "locals", "vars", "dir", "eval", "exec", "next"})
"""Names whose meaning changes inside a generator expression's own frame (or that raise StopIteration)."""
BUILTINS_USED = ("any", "all")
NEEDS_PARENS = (cst.Lambda, cst.IfExp, cst.NamedExpr, cst.Yield)


class FlagLoopAny(FunctionRewrite):
    """Replace an early-return search loop by `any`/`all` over a generator expression."""

    id = "flag_loop_any"
    description = "Replace `for v in it: if cond: return True` + `return False` by `return any(cond for v in it)`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """Replace each matching loop by the new return and drop the return that followed it."""
        if any_bound_anywhere(target.module, BUILTINS_USED, target.parents):
            return {}
        edits: dict[int, Edit] = {}
        for loop in statements(target.func):
            if not isinstance(loop, cst.For):
                continue
            following = _next_statement(loop, target)
            code = _rewritten(target, loop, following)
            if code is not None:
                new = parse_stmt(code).with_changes(leading_lines=loop.leading_lines)
                edits[id(loop)] = lambda _updated, new=new: new
                edits[id(following)] = lambda _updated: cst.RemovalSentinel.REMOVE
        return edits


def _next_statement(loop: cst.For, target: Target) -> cst.BaseStatement | None:
    block = target.parents.get(id(loop))
    body = list(getattr(block, "body", ()))
    index = next((i for i, stmt in enumerate(body) if stmt is loop), None)
    return body[index + 1] if index is not None and index + 1 < len(body) else None


def _rewritten(target: Target, loop: cst.For, following: cst.BaseStatement | None) -> str | None:
    """The source of the single return replacing `loop` and `following`, or None to leave them alone."""
    if loop.orelse is not None or loop.asynchronous is not None or guarded(target.func, loop, target.parents):
        return None
    found = _only_if_return(loop.body)
    after = _constant_return(following)
    if found is None or after is None:
        return None
    cond, inside = found
    if not _safe_condition(cond) or not _plain_target(target, loop.target):
        return None
    code = target.module.code_for_node
    loop_var = code(loop.target)
    iterable = _wrapped(loop.iter, code)
    hit, miss = code(inside).strip(), code(after).strip()
    if hit == "True" and miss == "False":
        return f"return any({_wrapped(cond, code)} for {loop_var} in {iterable})"
    if hit == "False" and miss == "True":
        if isinstance(cond, cst.UnaryOperation) and isinstance(cond.operator, cst.Not) and not cond.lpar:
            return f"return all({_wrapped(cond.expression, code)} for {loop_var} in {iterable})"
        return f"return not any({_wrapped(cond, code)} for {loop_var} in {iterable})"
    return f"return {hit} if any({_wrapped(cond, code)} for {loop_var} in {iterable}) else {miss}"


def _only_if_return(body: cst.BaseSuite) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(cond, value) when the loop body is exactly `if cond: return <constant>`."""
    stmts = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    if len(stmts) != 1 or not isinstance(stmts[0], cst.If) or stmts[0].orelse is not None:
        return None
    check = stmts[0]
    inner = check.body
    smalls = list(inner.body) if isinstance(inner, cst.SimpleStatementSuite) else None
    if isinstance(inner, cst.IndentedBlock) and len(inner.body) == 1 and isinstance(inner.body[0], cst.SimpleStatementLine):
        smalls = list(inner.body[0].body)
    if smalls is None or len(smalls) != 1 or not isinstance(smalls[0], cst.Return):
        return None
    value = smalls[0].value
    return (check.test, value) if value is not None and is_constant(value) else None


def _constant_return(stmt: cst.BaseStatement | None) -> cst.BaseExpression | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Return):
        return None
    value = stmt.body[0].value
    return value if value is not None and is_constant(value) else None


def _safe_condition(cond: cst.BaseExpression) -> bool:
    for node in walk(cond):
        if isinstance(node, (cst.NamedExpr, cst.Yield, cst.Await)):
            return False
        if isinstance(node, cst.Name) and node.value in FRAME_NAMES:
            return False
    return True


def _plain_target(target: Target, node: cst.BaseAssignTargetExpression) -> bool:
    if isinstance(node, cst.Name):
        return not shared_beyond_function(target.func, node.value, target.parents)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(isinstance(el, cst.Element) and _plain_target(target, el.value) for el in node.elements)
    return False


def _wrapped(node: cst.BaseExpression, code) -> str:
    text = code(node).strip()
    bare_tuple = isinstance(node, cst.Tuple) and not node.lpar
    return f"({text})" if bare_tuple or (isinstance(node, NEEDS_PARENS) and not node.lpar) else text
