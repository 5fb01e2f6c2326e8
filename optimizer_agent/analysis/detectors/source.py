"""One source file parsed once for all detectors: a tree-sitter tree and, when it compiles, an AST index."""

from __future__ import annotations

import ast

from tree_sitter import Tree

from optimizer_agent.analysis.detectors.scopes import FileIndex
from optimizer_agent.analysis.parsing import parse


class ParsedSource:
    """The text, its tree-sitter tree, and its AST index (None when the file has a syntax error)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self.ts_tree: Tree = parse(text)
        try:
            self.index: FileIndex | None = FileIndex(ast.parse(text))
        except (SyntaxError, ValueError, RecursionError):
            # tree-sitter tolerates broken (or absurdly deep) code; the AST detectors then have nothing to say.
            self.index = None
