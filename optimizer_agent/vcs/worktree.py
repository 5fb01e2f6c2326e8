"""The run's own git worktree and branch; the user's checkout is never touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import git

from optimizer_agent.errors import BadInput

BRANCH_PREFIX = "optimizer-agent/"
RUNS_DIR = ".optimizer-agent"


def open_repo(path: Path) -> git.Repo:
    """Open the git repository at or above `path`, or fail with a one-line error."""
    if not path.exists():
        raise BadInput(f"{path}: no such directory")
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise BadInput(f"{path} is not a git repository (run `git init` and commit first)") from None
    if repo.bare:
        raise BadInput(f"{path} is a bare repository; point at a checkout")
    try:
        repo.head.commit
    except ValueError:
        raise BadInput(f"{path} has no commits yet; commit your code first") from None
    return repo


def is_dirty(repo: git.Repo) -> bool:
    """True when the user's tree has uncommitted changes to tracked files (untracked ones are ignored)."""
    return repo.is_dirty(index=True, working_tree=True, untracked_files=False)


def exclude_run_folder(repo: git.Repo) -> None:
    """Keep `.optimizer-agent/` out of `git status` through `.git/info/exclude`."""
    exclude = Path(repo.git_dir) / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    existing = exclude.read_text() if exclude.exists() else ""
    line = f"/{RUNS_DIR}/"
    if line not in existing.splitlines():
        exclude.write_text(existing + ("" if existing.endswith("\n") or not existing else "\n") + line + "\n")


def run_folder(repo_root: Path, run_id: str) -> Path:
    """Where a run keeps its state, profiles, candidates and report."""
    return repo_root / RUNS_DIR / "runs" / run_id


def add_worktree(repo: git.Repo, path: Path, branch: str, commit: str) -> None:
    """Create a worktree at `path` on a new `branch` starting at `commit`."""
    repo.git.worktree("add", "-q", "-b", branch, str(path), commit)


def remove_worktree(repo: git.Repo, path: Path, branch: str | None) -> None:
    """Remove a worktree and, if given, its branch; tolerate either being gone already."""
    if path.exists():
        try:
            repo.git.worktree("remove", "--force", str(path))
        except git.GitCommandError:
            shutil.rmtree(path, ignore_errors=True)
    repo.git.worktree("prune")
    if branch and branch in [h.name for h in repo.heads]:
        repo.git.branch("-D", branch)
