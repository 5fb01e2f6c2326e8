"""sum_range_closed_form: `sum(range(...))` becomes the arithmetic-series closed form, O(1) instead of O(n).

    sum(range(a, b, s))  ->  (lambda _r: (_r[0] + _r[-1]) * ((_r[-1] - _r[0]) // _r.step + 1) // 2 if _r else 0)(range(a, b, s))

The same `range(...)` is still built, so its argument checks stay (TypeError for floats, ValueError for a zero
step) and every edge case (empty, negative step, `stop` not on the grid) comes from range itself. The count
is derived from the first and last terms rather than `len()`, which overflows past `sys.maxsize` where the
original loop would merely be slow. The product of the count and the sum of the ends is always even, so
`//` is exact. The lambda's own scope keeps `_r` from touching any name of the function.

Declines when `sum` has a start argument (positional or `start=`), when either call has keywords or starred
arguments, and when `sum` or `range` are rebound in the file.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.names import any_bound_anywhere
from optimizer_agent.skilllib.rewrites.tree import Edit, walk
from optimizer_agent.skilllib.rewrites.usage import call_name, plain_args

BUILTINS_USED = ("sum", "range")
MAX_RANGE_ARGS = 3
SERIES = "(lambda _r: (_r[0] + _r[-1]) * ((_r[-1] - _r[0]) // _r.step + 1) // 2 if _r else 0)"


class SumRangeClosedForm(FunctionRewrite):
    """Replace summing a range term by term with the arithmetic-series formula."""

    id = "sum_range_closed_form"
    description = "Replace `sum(range(...))` by the closed form `count * (first + last) // 2` of the same range."

    def edits(self, target: Target) -> dict[int, Edit]:
        """One edit per `sum(range(...))` call."""
        if any_bound_anywhere(target.module, BUILTINS_USED, target.parents):
            return {}
        return {id(node): _closed_form for node in walk(target.func.body) if _is_sum_of_range(node)}


def _is_sum_of_range(node: cst.CSTNode) -> bool:
    if call_name(node) != "sum":
        return False
    args = plain_args(node)
    if args is None or len(args) != 1 or call_name(args[0]) != "range":
        return False
    range_args = plain_args(args[0])
    return range_args is not None and 1 <= len(range_args) <= MAX_RANGE_ARGS


def _closed_form(updated: cst.CSTNode) -> cst.CSTNode:
    range_call = updated.args[0].value.with_changes(lpar=[], rpar=[])
    series = cst.parse_expression(SERIES)
    return cst.Call(func=series, args=[cst.Arg(range_call)], lpar=updated.lpar, rpar=updated.rpar)
