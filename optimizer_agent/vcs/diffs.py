"""Unified diffs of one file, as git would show them."""

from __future__ import annotations

import difflib


def unified_diff(rel_path: str, old: str, new: str) -> str:
    """A `git diff`-style patch of `rel_path` from `old` to `new`."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel_path}", f"b/{rel_path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
