"""append_to_comprehension: `out = []` then `for v in it: [if c:] out.append(e)` becomes one list comprehension.

Nested `for`s and `if`s without `else` are folded into one comprehension, in order. Declines when a loop
has `else` (or the body has anything but the single append, so no `break`/`continue`), when `out` appears
in the iterables, conditions or element, when a loop variable is read outside the loop (a comprehension
does not leak it), when parts use walrus, lambdas, lazy generators, `yield` or `await` (their scoping or
timing would change), inside `try`/`with` (a caught error would expose a partially filled list), and when
`out` is global/nonlocal or used by a nested function. Comments inside the loop move above the new line.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.comprehension import (
    LoopNest,
    comprehension_code,
    fold_into_initialiser,
    following_statement,
    lazy_or_binding,
    loop_vars_escape,
    unwrap_loop,
)
from optimizer_agent.skilllib.rewrites.tree import Edit, statements, walk
from optimizer_agent.skilllib.rewrites.usage import guarded, plain_args, shared_beyond_function

APPEND = "append"


class AppendToComprehension(FunctionRewrite):
    """Build a list with a comprehension instead of repeated `.append` calls."""

    id = "append_to_comprehension"
    description = "Turn `out = []` + a `for`/`if` loop of `out.append(e)` into `out = [e for ... if ...]`."

    def edits(self, target: Target) -> dict[int, Edit]:
        """Replace the initialising line and remove the loop, for every loop that fits."""
        edits: dict[int, Edit] = {}
        for loop in statements(target.func):
            if not isinstance(loop, cst.For):
                continue
            line = following_statement(loop, target.parents, -1)
            name = _empty_list_name(line)
            nest = unwrap_loop(target.module, loop)
            if name is None or nest is None or id(line) in edits:
                continue
            element = _appended(nest, name)
            if element is None or not self._safe(target, loop, nest, name, element):
                continue
            listcomp = f"[{comprehension_code(target.module, element, nest)}]"
            edits.update(fold_into_initialiser(line, loop, nest, listcomp))
        return edits

    def _safe(self, target: Target, loop: cst.For, nest: LoopNest, name: str, element: cst.BaseExpression) -> bool:
        parts = [*nest.expressions, element]
        mentions_out = any(isinstance(n, cst.Name) and n.value == name for p in parts for n in walk(p))
        return not (
            mentions_out
            or name in nest.loop_vars
            or guarded(target.func, loop, target.parents)
            or lazy_or_binding(parts, target.parents)
            or loop_vars_escape(target.func, loop, nest.loop_vars, target.parents)
            or shared_beyond_function(target.func, name, target.parents)
        )


def _empty_list_name(line: cst.CSTNode | None) -> str | None:
    """`out` for a line that is exactly `out = []` or `out: T = []`."""
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    small = line.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target = small.target
    else:
        return None
    empty = isinstance(small.value, cst.List) and not small.value.elements
    return target.value if empty and isinstance(target, cst.Name) else None


def _appended(nest: LoopNest, name: str) -> cst.BaseExpression | None:
    """`e` when the nest's single statement is `name.append(e)`."""
    inner = nest.inner
    if not isinstance(inner, cst.Expr) or not isinstance(inner.value, cst.Call):
        return None
    call = inner.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name):
        return None
    args = plain_args(call)
    return args[0] if func.attr.value == APPEND and args is not None and len(args) == 1 else None
