"""Whether a stdlib module is usable by its plain name in a file, and adding `import x` when it is not."""

from __future__ import annotations

import sys
from enum import Enum

import libcst as cst

from optimizer_agent.skilllib.rewrites.names import bindings
from optimizer_agent.skilllib.rewrites.tree import Parents, parent_map


class ModuleName(Enum):
    """How a module's plain name stands in a file."""

    IMPORTED = "imported"
    """Bound only by top-level `import x` statements."""
    FREE = "free"
    """Not bound anywhere: `import x` can be added safely."""
    TAKEN = "taken"
    """Bound some other way (a variable, `import y as x`, a nested import): leave it alone."""


def module_name_state(module: cst.Module, name: str, parents: Parents | None = None) -> ModuleName:
    """Whether `name` is a plain top-level `import name`, unbound, or used for something else."""
    parents = parents if parents is not None else parent_map(module)
    found = bindings(module, name, parents)
    if not found:
        return ModuleName.FREE
    top_level = {id(alias) for alias in _top_level_plain_imports(module, name)}
    for node in found:
        if id(parents.get(id(node))) not in top_level:
            return ModuleName.TAKEN
    return ModuleName.IMPORTED


def _top_level_plain_imports(module: cst.Module, name: str) -> list[cst.ImportAlias]:
    aliases = []
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                aliases += [
                    alias for alias in small.names
                    if alias.asname is None and isinstance(alias.name, cst.Name) and alias.name.value == name
                ]
    return aliases


def from_imported(module: cst.Module, source: str, name: str, parents: Parents | None = None) -> bool:
    """Whether `name` is bound only by a top-level `from source import name`."""
    parents = parents if parents is not None else parent_map(module)
    found = bindings(module, name, parents)
    if not found:
        return False
    for node in found:
        stmt = parents.get(id(parents.get(id(node))))
        line = parents.get(id(stmt))
        ok = (
            isinstance(stmt, cst.ImportFrom)
            and isinstance(stmt.module, cst.Name)
            and stmt.module.value == source
            and not stmt.relative
            and any(s is line for s in module.body)
        )
        if not ok:
            return False
    return True


def add_import(module: cst.Module, name: str) -> cst.Module:
    """`module` with `import name` added among its leading stdlib imports (or after its docstring)."""
    if module_name_state(module, name) is ModuleName.IMPORTED:
        return module
    body = list(module.body)
    index = _after_leading_imports(body)
    body.insert(index, cst.parse_statement(f"import {name}\n"))
    following = body[index + 1] if index + 1 < len(body) else None
    if following is not None and not _is_import(following) and not following.leading_lines:
        # Keep the import block visually separate from the code that used to start the file.
        body[index + 1] = following.with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=body)


def _after_leading_imports(body: list[cst.BaseStatement]) -> int:
    """After the last stdlib import of the file's leading import block, else after its docstring/__future__."""
    header, last_stdlib = 0, None
    for index, stmt in enumerate(body):
        if index == 0 and _is_docstring(stmt):
            header = 1
            continue
        if not _is_import(stmt):
            break
        top = _top_module(stmt.body[0])
        if top == "__future__":
            header = index + 1
        elif top in sys.stdlib_module_names:
            last_stdlib = index + 1
    return last_stdlib if last_stdlib is not None else header


def _top_module(small: cst.BaseSmallStatement) -> str | None:
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return None
        node = small.module
    else:
        node = small.names[0].name
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _is_import(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body
    )


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
