"""Small helpers that several nodes share: staging trees and reading the worktree."""

from __future__ import annotations

from pathlib import Path

import git

from optimizer_agent.analysis.targets import is_source_file
from optimizer_agent.context import RunContext
from optimizer_agent.state import FunctionRef, RunState


def head_sha(worktree: Path) -> str:
    """The commit the worktree is at."""
    return git.Repo(worktree).head.commit.hexsha


def head_tree(ctx: RunContext, worktree: Path) -> str:
    """Stage the worktree's current HEAD into the sandbox (once per commit) and return its path there."""
    sha = head_sha(worktree)
    return ctx.stage_tree(worktree, f"base-{sha[:12]}")


def source_files(worktree: Path) -> list[str]:
    """Tracked Python files that candidates may change."""
    listed = git.Repo(worktree).git.ls_files("-z", "--", "*.py")
    return sorted(f for f in listed.split("\0") if f and is_source_file(f))


def read_function_file(state: RunState, fn: FunctionRef) -> str:
    """The current text of the file that holds `fn`, from the run's worktree."""
    return (Path(state["worktree"]) / fn.file).read_text()


def current_target(state: RunState) -> FunctionRef | None:
    """The function the graph is working on now, or None when all are done."""
    targets = state.get("targets", [])
    cursor = state.get("cursor", 0)
    return targets[cursor] if cursor < len(targets) else None
