"""Static inefficiency detectors: run them all over a file, or over one function of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from optimizer_agent.analysis.detectors import accumulators, containers, loops, recursion, syntax
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
}
"""Detectors that need name bindings and loop structure; they are skipped when the file does not compile."""

SYNTAX_DETECTORS: dict[str, Callable[[ParsedSource], Iterator[Signal]]] = {
    C.SORTED_INDEX: syntax.sorted_then_index,
    C.SORTED_SLICE: syntax.sorted_then_slice,
    C.DICT_KEYS_MEMBERSHIP: syntax.dict_keys_membership,
    C.SUM_OF_RANGE: syntax.sum_of_range,
}
"""Detectors that are tree-sitter queries; they also run on files with syntax errors."""

DETECTOR_IDS: frozenset[str] = frozenset(AST_DETECTORS) | frozenset(SYNTAX_DETECTORS)


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
