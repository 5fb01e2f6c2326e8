"""Run every guard over one changed module."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.verify.guards import FileChange, GuardInput, run_guards

ORIGINAL = '''
"""A module under test; docstrings may say anything."""
import re


def total(values):
    """Sum the values (pytest checks this)."""
    out = 0
    for v in values:
        out += v
    return out
'''


@pytest.fixture
def findings():
    """findings(new module text, original=ORIGINAL, judges={...}) -> [(guard, message)]."""

    def run(new: str, original: str = ORIGINAL, judges: dict[str, str] | None = None) -> list[tuple[str, str]]:
        change = FileChange(file="pkg/mod.py", original=textwrap.dedent(original), new=textwrap.dedent(new))
        found = run_guards(GuardInput(changes=[change], judge_files=judges or {}))
        return [(f.guard, f.message) for f in found]

    return run


def body(code: str) -> str:
    """ORIGINAL with `code` placed at the start of total()'s body."""
    lines = textwrap.indent(textwrap.dedent(code).strip("\n"), "    ")
    return ORIGINAL.replace('    out = 0\n', lines + "\n    out = 0\n")
