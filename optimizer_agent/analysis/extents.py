"""Function extents from tree-sitter: where each function starts and ends, and its dotted name."""

from __future__ import annotations

import textwrap

from pydantic import BaseModel
from tree_sitter import Node

from optimizer_agent.analysis.parsing import node_text, parse


class FunctionExtent(BaseModel):
    """One function or method definition in a file (lines are 1-based, inclusive)."""

    qualname: str
    name: str
    start_line: int
    """First line, including decorators."""
    def_line: int
    end_line: int
    indent: int
    """Column of the `def` keyword (or of the first decorator)."""
    is_method: bool = False


def function_extents(source: str) -> list[FunctionExtent]:
    """Every function in `source`, outermost first, with dotted qualnames like `Class.method`."""
    tree = parse(source)
    src = source.encode("utf-8")
    found: list[FunctionExtent] = []
    _walk(tree.root_node, src, [], False, found)
    return found


def _walk(node: Node, src: bytes, scope: list[str], in_class: bool, out: list[FunctionExtent]) -> None:
    for child in node.children:
        target = child
        outer = child
        if child.type == "decorated_definition":
            target = child.child_by_field_name("definition") or child
        if target.type == "function_definition":
            name = node_text(target.child_by_field_name("name"), src)
            out.append(
                FunctionExtent(
                    qualname=".".join([*scope, name]),
                    name=name,
                    start_line=outer.start_point[0] + 1,
                    def_line=target.start_point[0] + 1,
                    end_line=outer.end_point[0] + 1,
                    indent=outer.start_point[1],
                    is_method=in_class,
                )
            )
            body = target.child_by_field_name("body")
            if body is not None:
                _walk(body, src, [*scope, name], False, out)
        elif target.type == "class_definition":
            name = node_text(target.child_by_field_name("name"), src)
            body = target.child_by_field_name("body")
            if body is not None:
                _walk(body, src, [*scope, name], True, out)
        elif child.type in {"if_statement", "try_statement", "with_statement", "block", "else_clause",
                            "elif_clause", "except_clause", "finally_clause"}:
            # Functions defined under `if TYPE_CHECKING:` or `try:` still belong to this scope.
            _walk(child, src, scope, in_class, out)


def find_function(source: str, qualname: str) -> FunctionExtent | None:
    """The extent of `qualname` in `source`, or None; a bare name matches if it is unique."""
    extents = function_extents(source)
    for ext in extents:
        if ext.qualname == qualname:
            return ext
    named = [e for e in extents if e.name == qualname]
    return named[0] if len(named) == 1 else None


def innermost_function(extents: list[FunctionExtent], line: int) -> FunctionExtent | None:
    """The most deeply nested function whose extent contains `line`."""
    best: FunctionExtent | None = None
    for ext in extents:
        if ext.start_line <= line <= ext.end_line:
            if best is None or ext.start_line >= best.start_line:
                best = ext
    return best


def function_source(source: str, extent: FunctionExtent) -> str:
    """The text of one function, decorators included, dedented to column 0."""
    lines = source.splitlines(keepends=True)
    return textwrap.dedent("".join(lines[extent.start_line - 1 : extent.end_line]))


def replace_function(source: str, qualname: str, new_code: str) -> str:
    """Return `source` with the function `qualname` replaced by `new_code`, re-indented to fit."""
    extent = find_function(source, qualname)
    if extent is None:
        raise KeyError(qualname)
    lines = source.splitlines(keepends=True)
    body = textwrap.indent(textwrap.dedent(new_code).strip("\n") + "\n", " " * extent.indent)
    return "".join(lines[: extent.start_line - 1]) + body + "".join(lines[extent.end_line :])
