"""Splicing a replacement (from an LLM) for one function into its file."""

from __future__ import annotations

import ast

from optimizer_agent.analysis.extents import find_function, replace_function


def _top_level_imports(tree: ast.Module, code: str) -> list[str]:
    lines = code.splitlines()
    return ["\n".join(lines[n.lineno - 1 : n.end_lineno]) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]


def _insert_imports(source: str, imports: list[str]) -> str:
    """Add import statements the module lacks, after its docstring, `__future__` imports and existing imports."""
    existing = source.splitlines()
    missing = [imp for imp in imports if imp.strip() not in {l.strip() for l in existing}]
    if not missing:
        return source
    tree = ast.parse(source)
    at = 0
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        if is_doc or isinstance(node, (ast.Import, ast.ImportFrom)):
            at = node.end_lineno
        else:
            break
    lines = source.splitlines(keepends=True)
    return "".join(lines[:at]) + "".join(m + "\n" for m in missing) + "".join(lines[at:])


def splice_replacement(source: str, qualname: str, code: str) -> str | None:
    """Replace `qualname` with the same-named def in `code`; add its new imports and module-level helpers.

    For a nested function (`outer.inner`), a def of an enclosing function (`outer`) replaces that one instead:
    the faster algorithm often does away with the helper.

    Returns None when `code` does not parse or defines no function of that name.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    target, qualname = _replaced(source, qualname, defs)
    if target is None:
        return None
    lines = code.splitlines()

    def text_of(node: ast.stmt) -> str:
        start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
        return "\n".join(lines[start - 1 : node.end_lineno])

    new = replace_function(source, qualname, text_of(target))
    for helper in (d for d in defs if d is not target):
        existing = find_function(new, helper.name)
        if existing is not None and existing.indent == 0:
            new = replace_function(new, helper.name, text_of(helper))
        else:
            # A new helper goes at module level, just before the statement that holds the target.
            at = _top_anchor(new, qualname)
            parts = new.splitlines(keepends=True)
            new = "".join(parts[:at]) + text_of(helper) + "\n\n\n" + "".join(parts[at:])
    new = _insert_imports(new, _top_level_imports(tree, code))
    try:
        ast.parse(new)
    except SyntaxError:
        return None
    return new


def _replaced(source: str, qualname: str, defs: list[ast.FunctionDef | ast.AsyncFunctionDef]
              ) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, str]:
    """The def in `code` to splice and the qualname it replaces: the target itself, else its nearest enclosing def."""
    parts = qualname.split(".")
    for depth in range(len(parts), 0, -1):
        name = ".".join(parts[:depth])
        found = next((d for d in defs if d.name == parts[depth - 1]), None)
        extent = find_function(source, name)
        if found is not None and extent is not None:
            return found, name
        if extent is None and depth < len(parts):
            break  # an enclosing class, not a function: nothing further out is a replacement for the method
    return None, qualname


def _top_anchor(source: str, qualname: str) -> int:
    """The 0-based line of the top-level statement that contains `qualname`."""
    ext = find_function(source, qualname)
    tree = ast.parse(source)
    for node in tree.body:
        if ext and node.lineno <= ext.def_line <= (node.end_lineno or node.lineno):
            start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
            return start - 1
    return 0
