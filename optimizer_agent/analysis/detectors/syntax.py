"""Detectors that are pure syntax, written as tree-sitter queries: `sorted(x)[0]`, `sorted(x)[:k]`,
`k in d.keys()`, `sum(range(...))`."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors.source import ParsedSource
from optimizer_agent.analysis.parsing import node_text, python_language
from optimizer_agent.state import Signal

_SORTED_SUBSCRIPT = """
(subscript value: (call function: (identifier) @fn) subscript: (_) @index
  (#eq? @fn "sorted")) @hit
"""
_KEYS_MEMBERSHIP = """
(comparison_operator (_) operators: ["in" "not in"]
  (call function: (attribute attribute: (identifier) @method) arguments: (argument_list) @args)
  (#eq? @method "keys")) @hit
"""
_SUM_OF_RANGE = """
(call function: (identifier) @outer
  arguments: (argument_list . (call function: (identifier) @inner) .)
  (#eq? @outer "sum") (#eq? @inner "range")) @hit
"""


@cache
def _query(text: str) -> Query:
    return Query(python_language(), text)


def _matches(src: ParsedSource, text: str) -> Iterator[dict[str, Node]]:
    for _, captures in QueryCursor(_query(text)).matches(src.ts_tree.root_node):
        yield {name: nodes[0] for name, nodes in captures.items()}


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def sorted_then_index(src: ParsedSource) -> Iterator[Signal]:
    """`sorted(xs)[0]` or `sorted(xs)[-1]`: a full sort to read one end."""
    for hit in _matches(src, _SORTED_SUBSCRIPT):
        index = node_text(hit["index"], src.data).replace(" ", "")
        if index in ("0", "-1"):
            yield Signal(detector=C.SORTED_INDEX, line=_line(hit["hit"]),
                         message=f"`sorted(...)[{index}]` sorts everything to read one end; use min()/max()")


def sorted_then_slice(src: ParsedSource) -> Iterator[Signal]:
    """`sorted(xs)[:k]` or `sorted(xs)[-k:]`: a full sort to keep a few items."""
    for hit in _matches(src, _SORTED_SUBSCRIPT):
        index = hit["index"]
        if index.type != "slice":
            continue
        text = node_text(index, src.data).replace(" ", "")
        parts = text.split(":")
        prefix = len(parts) == 2 and parts[0] == "" and parts[1] != ""
        suffix = len(parts) == 2 and parts[0].startswith("-") and parts[1] == ""
        if prefix or suffix:
            yield Signal(detector=C.SORTED_SLICE, line=_line(hit["hit"]),
                         message=f"`sorted(...)[{text}]` sorts everything to keep a few; "
                                 "heapq.nsmallest/nlargest is O(n log k)")


def dict_keys_membership(src: ParsedSource) -> Iterator[Signal]:
    """`k in d.keys()`: builds a keys view (or, for non-dicts, a list) just to test membership."""
    for hit in _matches(src, _KEYS_MEMBERSHIP):
        if hit["args"].named_child_count == 0:
            yield Signal(detector=C.DICT_KEYS_MEMBERSHIP, line=_line(hit["hit"]),
                         message="`in d.keys()` calls a method for nothing; `in d` tests the keys directly")


def sum_of_range(src: ParsedSource) -> Iterator[Signal]:
    """`sum(range(...))`: a linear loop for a value with a closed form."""
    for hit in _matches(src, _SUM_OF_RANGE):
        yield Signal(detector=C.SUM_OF_RANGE, line=_line(hit["hit"]),
                     message="`sum(range(...))` adds an arithmetic series one term at a time; use the closed form")
