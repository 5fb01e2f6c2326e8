"""sorted_slice_heapq: `sorted(x)[:k]` becomes `heapq.nsmallest(k, x)` (O(n log k) for O(n log n)).

`sorted(x, reverse=True)[:k]` becomes `heapq.nlargest(k, x)`; `key=` is carried over. The heapq docs define
`nsmallest(k, x, key=f)` as equivalent to `sorted(x, key=f)[:k]` (and `nlargest` to the reversed sort), ties
included. Only a slice `[:k]` with no start and no step applies, and `reverse` must be a literal.

`k` must be an integer literal >= 1 or a plain name. A slice and heapq disagree when `k` is negative (`[:-2]`
drops two items, `nsmallest(-2, x)` is `[]`), zero (heapq never looks at `x`, so a generator is not consumed
and an unorderable input does not raise) or not an int (`[:None]` keeps everything). A name is therefore
guarded: `heapq.nsmallest(k, x) if isinstance(k, int) and k > 0 else sorted(x)[:k]`, so those cases keep the
original slice. Declines when `sorted` or `isinstance` are rebound in the file, or `heapq` is bound to
something other than a plain top-level `import heapq` (which is added when missing).

Left to the gate, as for sorted_min_max: the equivalence assumes a total order (NaNs, sets).
"""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.base import FunctionRewrite, Target
from optimizer_agent.skilllib.rewrites.imports import ModuleName, add_import, module_name_state
from optimizer_agent.skilllib.rewrites.literals import is_int_literal
from optimizer_agent.skilllib.rewrites.names import any_bound_anywhere, is_target
from optimizer_agent.skilllib.rewrites.tree import Edit, walk
from optimizer_agent.skilllib.rewrites.usage import call_name

BUILTINS_USED = ("sorted", "isinstance")
HEAPQ = "heapq"
MIN_LITERAL_K = 1
"""Smallest literal `k` taken without a guard (0 would skip consuming `x`)."""


class SortedSliceHeapq(FunctionRewrite):
    """Replace keeping the first k items of a full sort by a bounded heap selection."""

    id = "sorted_slice_heapq"
    description = "Replace `sorted(x)[:k]` by `heapq.nsmallest(k, x)` (`reverse=True` gives `nlargest`)."

    def edits(self, target: Target) -> dict[int, Edit]:
        """One edit per `sorted(...)[:k]` that is safe to replace."""
        if any_bound_anywhere(target.module, BUILTINS_USED, target.parents):
            return {}
        if module_name_state(target.module, HEAPQ, target.parents) is ModuleName.TAKEN:
            return {}
        edits: dict[int, Edit] = {}
        for node in walk(target.func.body):
            if isinstance(node, cst.Subscript) and not is_target(node, target.parents):
                plan = _plan(node)
                if plan is not None:
                    edits[id(node)] = _to_heapq(target.module, node, *plan)
        return edits

    def finish(self, module: cst.Module, target: Target) -> cst.Module | None:
        """Add `import heapq` when the file lacks it."""
        return add_import(module, HEAPQ)


def _plan(node: cst.Subscript) -> tuple[str, cst.BaseExpression, bool] | None:
    """(`nsmallest`|`nlargest`, k, needs a guard) for a replaceable `sorted(...)[:k]`, else None."""
    call = node.value
    if call_name(call) != "sorted" or call.lpar or len(node.slice) != 1:
        return None
    part = node.slice[0].slice
    if not isinstance(part, cst.Slice) or part.lower is not None or part.step is not None or part.upper is None:
        return None
    if part.second_colon is not cst.MaybeSentinel.DEFAULT:
        return None
    k = part.upper
    if isinstance(k, cst.Name) and not k.lpar:
        guarded = True
    elif is_int_literal(k) and not isinstance(k, cst.UnaryOperation) and _int_value(k) >= MIN_LITERAL_K:
        guarded = False
    else:
        return None
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    if len(positional) != 1 or positional[0].star or set(keywords) - {"key", "reverse"}:
        return None
    reverse = keywords.get("reverse", cst.Name("False"))
    if not (isinstance(reverse, cst.Name) and reverse.value in ("True", "False")):
        return None
    return ("nlargest" if reverse.value == "True" else "nsmallest"), k, guarded


def _int_value(node: cst.Integer) -> int:
    return int(node.value.replace("_", ""), 0)


def _to_heapq(module: cst.Module, original: cst.Subscript, function: str, k: cst.BaseExpression,
              guarded: bool) -> Edit:
    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        call = updated.value
        args = [arg for arg in call.args if not (arg.keyword is not None and arg.keyword.value == "reverse")]
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        heap_call = cst.Call(
            func=cst.Attribute(cst.Name(HEAPQ), cst.Name(function)),
            args=[cst.Arg(k, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *args],
        )
        if not guarded:
            return heap_call.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        name = module.code_for_node(k)
        test = cst.parse_expression(f"isinstance({name}, int) and {name} > 0")
        fallback = updated.with_changes(lpar=[], rpar=[])
        return cst.IfExp(test=test, body=heap_call, orelse=fallback,
                         lpar=updated.lpar or [cst.LeftParen()], rpar=updated.rpar or [cst.RightParen()])

    return edit
