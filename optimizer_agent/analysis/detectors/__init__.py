"""Static inefficiency detectors: run them all over a file, or over one function of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from optimizer_agent.analysis.detectors import (
    accumulators,
    arrays,
    concurrency,
    containers,
    idioms,
    io_calls,
    loops,
    numbers,
    ranges,
    recursion,
    searches,
    structures,
    syntax,
)
from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.scopes import FileIndex
from optimizer_agent.analysis.detectors.source import ParsedSource
from optimizer_agent.analysis.extents import find_function
from optimizer_agent.state import Signal

AST_DETECTORS: dict[str, Callable[[FileIndex], Iterator[Signal]]] = {
    C.LIST_MEMBERSHIP: containers.list_membership,
    C.COUNT_IN_LOOP: containers.count_in_loop,
    C.INDEX_IN_LOOP: containers.index_in_loop,
    C.LIST_POP0: containers.list_pop0,
    C.LIST_INSERT0: containers.list_insert0,
    C.STRING_CONCAT: accumulators.string_concat,
    C.LIST_CONCAT: accumulators.list_concat,
    C.APPEND_LOOP: accumulators.append_loop,
    C.MANUAL_SUM: accumulators.manual_sum,
    C.LEN_IN_CONDITION: loops.len_in_condition,
    C.REGEX_IN_LOOP: loops.regex_in_loop,
    C.INVARIANT_REDUCTION: loops.invariant_reduction,
    C.NESTED_PAIR_SEARCH: loops.nested_pair_search,
    C.RECURSION_NO_CACHE: recursion.recursion_no_cache,
    C.MANUAL_GROUPING: structures.manual_grouping,
    C.MIN_REMOVE_IN_LOOP: structures.min_remove_in_loop,
    C.SORT_IN_LOOP: structures.sort_in_loop,
    C.BYTES_CONCAT: structures.bytes_concat,
    C.SLICE_CONSUME: structures.slice_consume,
    # One pass yields both: a slice rebuilt per position (window) or per query (prefix sums).
    C.WINDOW_RECOMPUTE: ranges.slice_aggregates,
    C.NESTED_PAIR_INEQUALITY: ranges.nested_pair_inequality,
    C.TRIAL_DIVISION_TO_N: numbers.trial_division_to_n,
    C.TRIAL_DIVISION_IN_LOOP: numbers.trial_division_in_loop,
    C.COUNT_MULTIPLES: numbers.count_multiples,
    C.POW_THEN_MOD: numbers.pow_then_mod,
    C.PRINT_IN_LOOP: io_calls.print_in_loop,
    C.INPUT_IN_LOOP: io_calls.input_in_loop,
    C.OPEN_IN_LOOP: io_calls.open_in_loop,
    C.BLOCKING_CALL_IN_LOOP: io_calls.blocking_call_in_loop,
    C.ATTRIBUTE_CHAIN_IN_LOOP: idioms.attribute_chain_in_loop,
    C.MAP_LAMBDA: idioms.map_lambda,
    C.FLATTEN_CONCAT: idioms.flatten_concat,
    C.MATERIALIZED_ANY: idioms.materialized_any,
    C.FLAG_WITHOUT_BREAK: idioms.flag_without_break,
    C.REPLACE_IN_LOOP: idioms.replace_in_loop,
    C.NUMPY_ELEMENT_LOOP: arrays.numpy_element_loop,
    C.BUILTIN_ON_NDARRAY: arrays.builtin_on_ndarray,
    C.LOCK_IN_LOOP: concurrency.lock_in_loop,
    C.AWAIT_IN_LOOP: concurrency.await_in_loop,
    C.LINEAR_SCAN_SORTED: searches.linear_scan_sorted,
    C.RECOMPUTED_PROPERTY: searches.recomputed_property,
}
"""Detectors that need name bindings and loop structure; they are skipped when the file does not compile."""

SYNTAX_DETECTORS: dict[str, Callable[[ParsedSource], Iterator[Signal]]] = {
    C.SORTED_INDEX: syntax.sorted_then_index,
    C.SORTED_SLICE: syntax.sorted_then_slice,
    C.DICT_KEYS_MEMBERSHIP: syntax.dict_keys_membership,
    C.SUM_OF_RANGE: syntax.sum_of_range,
}
"""Detectors that are tree-sitter queries; they also run on files with syntax errors."""

DETECTOR_IDS: frozenset[str] = frozenset(AST_DETECTORS) | frozenset(SYNTAX_DETECTORS) | {C.SLICE_SUM_IN_LOOP}
"""Every id a signal can carry (`slice_aggregates` reports two of them)."""


def detect(source: str, qualname: str | None = None) -> list[Signal]:
    """All signals in `source`, or only those inside function `qualname` (none if it is not found), by line."""
    src = ParsedSource(source)
    signals = [s for run in SYNTAX_DETECTORS.values() for s in run(src)]
    if src.index is not None:
        signals += [s for run in AST_DETECTORS.values() for s in run(src.index)]
    if qualname is not None:
        extent = find_function(source, qualname)
        if extent is None:
            return []
        signals = [s for s in signals if extent.start_line <= s.line <= extent.end_line]
    unique = {(s.line, s.detector): s for s in signals}
    return sorted(unique.values(), key=lambda s: (s.line, s.detector))


__all__ = ["DETECTOR_IDS", "detect"]
