"""Static anti-gaming guards: what a candidate adds that an honest speedup never needs, each with a named reason.

Every guard compares the candidate's module with the original's, so only what the candidate adds counts:
a module that already reads `os.environ` may keep doing so.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from pydantic import BaseModel, Field

from optimizer_agent.verify.figures import GuardFinding
from optimizer_agent.verify.guards import detection, exits, literals, skips, state, tampering
from optimizer_agent.verify.guards.base import Hit, added


class FileChange(BaseModel):
    """One changed source file: its repo-relative path and both texts."""

    file: str
    original: str
    new: str


class GuardInput(BaseModel):
    """What the guards look at: the changed files, and the benchmark and test files that judge them."""

    changes: list[FileChange]
    judge_files: dict[str, str] = Field(default_factory=dict)
    """Repo-relative path -> text of benchmark scripts, test files and their data (.py and .json)."""


def run_guards(data: GuardInput) -> list[GuardFinding]:
    """Every finding, in a fixed order of guard families; an empty list means nothing suspicious was added."""
    judges = literals.judge_literals(data.judge_files)
    judge_names = frozenset(PurePosixPath(p).name for p in data.judge_files)
    findings: list[GuardFinding] = []
    for change in data.changes:
        try:
            before, after = ast.parse(change.original), ast.parse(change.new)
        except (SyntaxError, ValueError):
            continue  # the scope check reports what does not parse
        findings += added(_hits(before, judge_names), _hits(after, judge_names), change.file)
        findings += literals.scan(change.original, change.new, judges, change.file)
    return findings


def _hits(tree: ast.Module, judge_names: frozenset[str]) -> list[Hit]:
    return [*state.scan(tree), *tampering.scan(tree), *detection.scan(tree, judge_names), *exits.scan(tree),
            *skips.scan(tree)]
