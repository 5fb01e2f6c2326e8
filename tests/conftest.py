"""Shared fixtures: throwaway git repos with a fixed author, and a small slow project to optimize."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

AUTHOR = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}
REPO_ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with the fixed test author; return stdout."""
    env = {**os.environ, **AUTHOR}
    out = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)
    return out.stdout


def make_repo(path: Path, files: dict[str, str], message: str = "initial") -> Path:
    """Create a git repo at `path` holding `files` (dedented) in one commit."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    for rel, text in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)
    return path


SLOW_PROJECT = {
    "pyproject.toml": """
        [project]
        name = "slowpkg"
        version = "0.0.1"
    """,
    "slowpkg/__init__.py": "",
    "slowpkg/core.py": '''
        def common(items, blocked):
            """Items that are not blocked, in order."""
            out = []
            for item in items:
                if item not in blocked:
                    out.append(item)
            return out
    ''',
    "tests/test_core.py": '''
        from slowpkg.core import common

        def test_common_keeps_order():
            assert common([3, 1, 2, 1], [1]) == [3, 2]

        def test_common_empty():
            assert common([], [1, 2]) == []

        def test_common_none_blocked():
            assert common(["a", "b"], []) == ["a", "b"]
    ''',
    "bench.py": '''
        from slowpkg.core import common

        blocked = list(range(0, 6000, 2))
        items = list(range(6000))
        for _ in range(3):
            common(items, blocked)
    ''',
}


@pytest.fixture
def slow_repo(tmp_path: Path) -> Path:
    """A committed repo whose `common` is quadratic because it tests membership in a list."""
    return make_repo(tmp_path / "slowrepo", SLOW_PROJECT)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `optimizer-agent ARGS` as a real subprocess."""
    full_env = {**os.environ, **(env or {})}
    for key in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL"):
        if env is None or key not in env:
            full_env.pop(key, None)
    return subprocess.run([sys.executable, "-m", "optimizer_agent.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def branches(repo: Path) -> list[str]:
    """Local branch names of `repo`."""
    return [b.strip(" *") for b in git(repo, "branch", "--format=%(refname:short)").splitlines()]


def worktrees(repo: Path) -> list[str]:
    """Paths of every worktree of `repo` (the main one included)."""
    return [l.split(" ", 1)[1] for l in git(repo, "worktree", "list", "--porcelain").splitlines()
            if l.startswith("worktree ")]
