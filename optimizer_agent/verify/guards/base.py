"""What every guard shares: hits keyed so that only what the candidate adds counts, and import-aware names."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from optimizer_agent.verify.figures import GuardFinding, GuardName


BUILTIN_NAMES = frozenset({"open", "exit", "quit", "__builtins__", "__import__", "globals", "breakpoint"})
"""Builtins the guards look for by bare name (everything else must come from an import)."""


class Hit(NamedTuple):
    """One suspicious construct; `key` identifies it without its line so original and candidate compare."""

    guard: GuardName
    key: str
    message: str
    line: int


def added(original: list[Hit], candidate: list[Hit], file: str) -> list[GuardFinding]:
    """Findings for the hits the candidate has more of than the original (one finding per key)."""
    before = Counter(h.key for h in original)
    seen: Counter[str] = Counter()
    findings = []
    for hit in candidate:
        seen[hit.key] += 1
        if seen[hit.key] == before[hit.key] + 1:
            findings.append(GuardFinding(guard=hit.guard, message=hit.message, file=file, line=hit.line))
    return findings


def import_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted thing it stands for, from every import in the module."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """`os.environ.get` for the expression `os.environ.get` (or `environ.get` after `from os import environ`)."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        base = dotted(node.value, aliases)
        return f"{base}.{node.attr}" if base else None
    return None


def imported_modules(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """(dotted module or `module.name`, line) for every import statement."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno


def names_used(tree: ast.AST, aliases: dict[str, str]) -> Iterator[tuple[str, ast.AST]]:
    """(dotted name, node) for every outermost name or attribute chain (`sys.modules.get` once, not its parts)."""
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and id(node) not in inner:
            root = node
            while isinstance(root, ast.Attribute):
                root = root.value
            # A local variable that happens to be called `time` is not the module.
            if not isinstance(root, ast.Name) or (root.id not in aliases and root.id not in BUILTIN_NAMES):
                continue
            name = dotted(node, aliases)
            if name:
                yield name, node


def docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (they are prose, not values)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def matches(name: str, prefixes: tuple[str, ...]) -> str | None:
    """The entry of `prefixes` that `name` is, or lies under (`gc` matches `gc.disable`)."""
    for prefix in prefixes:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None
