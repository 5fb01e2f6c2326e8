"""sorted_min_max: `sorted(x)[0]` becomes `min(x)` and `sorted(x)[-1]` becomes `max(x)` (O(n) for O(n log n)).

`reverse=True` swaps the two. Sorting is stable (also in reverse), so `[0]` is the first minimal element
(first maximal with reverse), which is exactly what `min`/`max` return, with or without `key=`. `[-1]` is
the *last* extreme element while `max`/`min` return the first: equal values but possibly different objects
(`1` vs `1.0`), so `[-1]` is only rewritten without `key=`. `reverse` must be a literal.

Empty input: `sorted([])[0]` raises IndexError while `min([])` raises ValueError. The rewrite therefore
declines inside any `try` or `with` in the function (a handler might catch one and not the other); outside a `try`
the difference only shows in the exception type a caller sees, which the verification gate compares.
Declines when `sorted`, `min` or `max` are rebound anywhere in the file.

Also left to the gate: the equivalence assumes a total order. With NaNs or other partially ordered values
(sets) sorting and a linear scan can pick different elements.
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.literals import is_int_literal
from optimizer_agent.skilllib.rewrites.names import any_bound_anywhere, is_target
from optimizer_agent.skilllib.rewrites.tree import Edit, walk
from optimizer_agent.skilllib.rewrites.usage import call_name, guarded

BUILTINS_USED = ("sorted", "min", "max")
FIRST, LAST = 0, -1


class SortedMinMax(FunctionRewrite):
    """Replace taking one end of a sorted copy by a linear min/max."""

    id = "sorted_min_max"
    description = "Replace `sorted(x)[0]` / `sorted(x)[-1]` by `min(x)` / `max(x)` (reverse swaps them)."

    def edits(self, target: Target) -> dict[int, Edit]:
        """One edit per `sorted(...)[0|-1]` that is safe to replace."""
        if any_bound_anywhere(target.module, BUILTINS_USED, target.parents):
            return {}
        edits: dict[int, Edit] = {}
        for node in walk(target.func.body):
            if not isinstance(node, cst.Subscript) or is_target(node, target.parents):
                continue
            if not guarded(target.func, node, target.parents):
                builtin = _replacement(node)
                if builtin is not None:
                    edits[id(node)] = _to_call(builtin)
        return edits



def _replacement(node: cst.Subscript) -> str | None:
    """`min` or `max` when `node` is a safely replaceable `sorted(...)[0|-1]`, else None."""
    call = node.value
    if call_name(call) != "sorted" or call.lpar or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    if not isinstance(index, cst.Index) or index.star is not None:
        return None
    if is_int_literal(index.value, FIRST):
        end = FIRST
    elif is_int_literal(index.value, LAST):
        end = LAST
    else:
        return None
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    if len(positional) != 1 or positional[0].star or set(keywords) - {"key", "reverse"}:
        return None
    reverse = _literal_bool(keywords.get("reverse", cst.Name("False")))
    if reverse is None or (end == LAST and "key" in keywords):
        return None
    wants_min = (end == FIRST) != reverse
    return "min" if wants_min else "max"


def _literal_bool(node: cst.BaseExpression) -> bool | None:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def _to_call(builtin: str) -> Edit:
    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        call = updated.value
        args = [arg for arg in call.args if not (arg.keyword is not None and arg.keyword.value == "reverse")]
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return call.with_changes(func=cst.Name(builtin), args=args, lpar=updated.lpar, rpar=updated.rpar)

    return edit
