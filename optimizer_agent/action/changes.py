"""Which functions a pull request changed: diff hunks against the merge base, mapped to tree-sitter extents."""

from __future__ import annotations

import re
from pathlib import Path

from optimizer_agent.analysis.extents import FunctionExtent, function_extents
from optimizer_agent.analysis.targets import is_source_file
from optimizer_agent.state import FunctionRef
from optimizer_agent.action.workspace import git

# `@@ -a,b +c,d @@`: the new side starts at line c and spans d lines (d omitted means 1).
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@", re.MULTILINE)


def changed_files(root: Path, base: str, head: str) -> list[str]:
    """Source files that exist at `head` and differ from `base` (added, modified, renamed or retyped)."""
    out = git(root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=AMT", base, head).stdout
    return sorted(f for f in out.split("\x00") if f and is_source_file(f))


def changed_lines(root: Path, base: str, head: str, rel: str) -> list[tuple[int, int]]:
    """`(start, count)` of each hunk on the `head` side of `rel`; count 0 means lines deleted after `start`."""
    patch = git(root, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", base, head, "--", rel).stdout
    return [(int(m["start"]), int(m["count"]) if m["count"] is not None else 1) for m in _HUNK.finditer(patch)]


def _outermost(extents: list[FunctionExtent], line: int) -> FunctionExtent | None:
    """The outermost function containing `line`: a nested helper is optimized as part of its parent."""
    holders = [e for e in extents if e.start_line <= line <= e.end_line]
    return min(holders, key=lambda e: e.start_line) if holders else None


def functions_touched(source: str, hunks: list[tuple[int, int]]) -> list[FunctionExtent]:
    """Functions of `source` that the hunks overlap; a pure deletion counts only inside one function."""
    extents = function_extents(source)
    found: dict[str, FunctionExtent] = {}
    for start, count in hunks:
        if count == 0:
            # Lines removed between `start` and `start + 1`: that changed a function only if both neighbours
            # belong to it; removing a whole function between two others changes neither of them.
            before, after = _outermost(extents, start), _outermost(extents, start + 1)
            hits = [before] if before is not None and after is not None and before.qualname == after.qualname else []
        else:
            hits = [e for line in range(start, start + count) if (e := _outermost(extents, line)) is not None]
        for ext in hits:
            found.setdefault(ext.qualname, ext)
    return sorted(found.values(), key=lambda e: e.start_line)


def changed_functions(root: Path, base: str, head: str, exclude: frozenset[str] = frozenset()) -> list[FunctionRef]:
    """Functions in non-protected source files that `base..head` added or changed, in file and line order."""
    refs: list[FunctionRef] = []
    for rel in changed_files(root, base, head):
        if rel in exclude:
            continue
        source = git(root, "show", f"{head}:{rel}").stdout
        for ext in functions_touched(source, changed_lines(root, base, head, rel)):
            refs.append(FunctionRef(file=rel, qualname=ext.qualname, start_line=ext.start_line, end_line=ext.end_line))
    return refs
