"""Which functions a pull request changed: diff hunks against the merge base, mapped to tree-sitter extents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from optimizer_agent.analysis.extents import FunctionExtent, function_extents
from optimizer_agent.analysis.targets import is_source_file
from optimizer_agent.action.workspace import git
from optimizer_agent.state import FunctionRef

# `@@ -a,b +c,d @@`: old lines a..a+b-1 became new lines c..c+d-1 (a count left out means 1).
_HUNK = re.compile(r"^@@ -(?P<a>\d+)(?:,(?P<b>\d+))? \+(?P<c>\d+)(?:,(?P<d>\d+))? @@", re.MULTILINE)


class Hunk(NamedTuple):
    """One diff hunk's line spans on the base (old) and head (new) side."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int


def changed_files(root: Path, base: str, head: str) -> list[str]:
    """Source files that exist at `head` and differ from `base` (added, modified, renamed or retyped)."""
    out = git(root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=AMT", base, head).stdout
    return sorted(f for f in out.split("\x00") if f and is_source_file(f))


def changed_lines(root: Path, base: str, head: str, rel: str) -> list[Hunk]:
    """The hunks of `rel` between `base` and `head`, without context lines."""
    patch = git(root, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", base, head, "--", rel).stdout
    count = lambda v: int(v) if v is not None else 1  # noqa: E731
    return [Hunk(int(m["a"]), count(m["b"]), int(m["c"]), count(m["d"])) for m in _HUNK.finditer(patch)]


def _outermost(extents: list[FunctionExtent], line: int) -> FunctionExtent | None:
    """The outermost function containing `line`: a nested helper is optimized as part of its parent."""
    holders = [e for e in extents if e.start_line <= line <= e.end_line]
    return min(holders, key=lambda e: e.start_line) if holders else None


def functions_touched(new_source: str, old_source: str, hunks: list[Hunk]) -> list[FunctionExtent]:
    """Functions of `new_source` whose lines the hunks add or change, or whose lines they only delete."""
    new_extents = function_extents(new_source)
    old_extents = function_extents(old_source) if any(h.new_count == 0 for h in hunks) else []
    by_name = {e.qualname: e for e in new_extents}
    found: dict[str, FunctionExtent] = {}
    for h in hunks:
        if h.new_count:
            hits = [_outermost(new_extents, line) for line in range(h.new_start, h.new_start + h.new_count)]
        else:
            # A pure deletion: the removed lines exist only on the base side. A function that lost lines and
            # still exists changed; a function removed entirely is gone and has nothing to optimize.
            olds = [_outermost(old_extents, line) for line in range(h.old_start, h.old_start + h.old_count)]
            hits = [by_name.get(e.qualname) for e in olds if e is not None]
        for ext in hits:
            if ext is not None:
                found.setdefault(ext.qualname, ext)
    return sorted(found.values(), key=lambda e: e.start_line)


def changed_functions(root: Path, base: str, head: str, exclude: frozenset[str] = frozenset()) -> list[FunctionRef]:
    """Functions in non-protected source files that `base..head` added or changed, in file and line order."""
    refs: list[FunctionRef] = []
    for rel in changed_files(root, base, head):
        if rel in exclude:
            continue
        new_source = git(root, "show", f"{head}:{rel}").stdout
        old = git(root, "show", f"{base}:{rel}", check=False)
        old_source = old.stdout if old.returncode == 0 else ""
        for ext in functions_touched(new_source, old_source, changed_lines(root, base, head, rel)):
            refs.append(FunctionRef(file=rel, qualname=ext.qualname, start_line=ext.start_line, end_line=ext.end_line))
    return refs
