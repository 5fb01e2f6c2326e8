"""Deterministic, semantics-preserving source rewrites of one hot function, used when no LLM is configured."""

from __future__ import annotations

import libcst as cst

from optimizer_agent.skilllib.rewrites.append_to_comprehension import AppendToComprehension
from optimizer_agent.skilllib.rewrites.base import Rewrite
from optimizer_agent.skilllib.rewrites.builtin_sum import BuiltinSum
from optimizer_agent.skilllib.rewrites.count_counter import CountCounter
from optimizer_agent.skilllib.rewrites.dict_keys_membership import DictKeysMembership
from optimizer_agent.skilllib.rewrites.flag_loop_any import FlagLoopAny
from optimizer_agent.skilllib.rewrites.hoist_len import HoistLen
from optimizer_agent.skilllib.rewrites.hoist_regex import HoistRegex
from optimizer_agent.skilllib.rewrites.list_concat_append import ListConcatAppend
from optimizer_agent.skilllib.rewrites.membership_set import MembershipSet
from optimizer_agent.skilllib.rewrites.memoize_recursion import MemoizeRecursion
from optimizer_agent.skilllib.rewrites.pop0_deque import Pop0Deque
from optimizer_agent.skilllib.rewrites.sorted_slice_heapq import SortedSliceHeapq
from optimizer_agent.skilllib.rewrites.sorted_min_max import SortedMinMax
from optimizer_agent.skilllib.rewrites.str_join import StrJoin
from optimizer_agent.skilllib.rewrites.sum_range_closed_form import SumRangeClosedForm

__all__ = ["REWRITES", "Rewrite", "applicable", "apply_rewrite", "apply_rewrites"]

REWRITES: dict[str, Rewrite] = {
    rewrite.id: rewrite
    for rewrite in (
        MembershipSet(),
        StrJoin(),
        HoistRegex(),
        SortedMinMax(),
        AppendToComprehension(),
        HoistLen(),
        Pop0Deque(),
        BuiltinSum(),
        DictKeysMembership(),
        MemoizeRecursion(),
        SortedSliceHeapq(),
        ListConcatAppend(),
        CountCounter(),
        FlagLoopAny(),
        SumRangeClosedForm(),
    )
}


def apply_rewrite(rewrite_id: str, source: str, qualname: str) -> str | None:
    """The full new file text with one rewrite applied to `qualname`, or None if it does not apply or is unsafe."""
    rewrite = REWRITES.get(rewrite_id)
    module = _parse(source)
    if rewrite is None or module is None:
        return None
    return _apply(rewrite, module, source, qualname)


def apply_rewrites(rewrite_ids: list[str], source: str, qualname: str) -> tuple[str, list[str]] | None:
    """Apply several rewrites in order; the new text and the ids that applied, or None if none did."""
    applied: list[str] = []
    for rewrite_id in rewrite_ids:
        result = apply_rewrite(rewrite_id, source, qualname)
        if result is not None:
            source = result
            applied.append(rewrite_id)
    return (source, applied) if applied else None


def applicable(source: str, qualname: str) -> list[str]:
    """Ids of the rewrites that would change `qualname` in `source`."""
    module = _parse(source)
    if module is None:
        return []
    return [rid for rid, rewrite in REWRITES.items() if _apply(rewrite, module, source, qualname) is not None]


def _parse(source: str) -> cst.Module | None:
    try:
        return cst.parse_module(source)
    except Exception:  # noqa: BLE001 - any unparsable text simply has nothing to rewrite
        return None


def _apply(rewrite: Rewrite, module: cst.Module, source: str, qualname: str) -> str | None:
    try:
        rewritten = rewrite.apply(module, qualname)
        if rewritten is None:
            return None
        code = rewritten.code
        compile(code, "<rewritten>", "exec", dont_inherit=True)
    # A rewrite that trips over an unforeseen shape must decline rather than stop the run.
    except Exception:  # noqa: BLE001
        return None
    return code if code != source else None
