"""tree-sitter parsing of Python source."""

from __future__ import annotations

from functools import cache

import tree_sitter_python
from tree_sitter import Language, Node, Parser, Tree


@cache
def python_language() -> Language:
    """The tree-sitter Python grammar (loaded once)."""
    return Language(tree_sitter_python.language())


def parse(source: str) -> Tree:
    """Parse Python source into a tree-sitter tree."""
    return Parser(python_language()).parse(source.encode("utf-8"))


def node_text(node: Node, source_bytes: bytes) -> str:
    """The source text that a node covers."""
    return source_bytes[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
