"""Scope: a candidate may only change an allowed, ordinary source file, and must still parse."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from optimizer_agent.state import Candidate

# Folders whose files steer how the candidate is judged (tests, benchmarks, CI) rather than what it does.
PROTECTED_DIR_PREFIXES = ("test", "bench")
PROTECTED_DIRS = frozenset({".github", ".gitlab", ".circleci", "ci", ".ci", "tox", ".tox", ".nox"})
PROTECTED_FILES = frozenset(
    {
        "conftest.py",
        "tests.py",
        "setup.py",
        "setup.cfg",
        "pyproject.toml",
        "tox.ini",
        "noxfile.py",
        "pytest.ini",
        ".coveragerc",
        "mypy.ini",
        "makefile",
        ".gitlab-ci.yml",
        ".travis.yml",
        "azure-pipelines.yml",
        ".pre-commit-config.yaml",
    }
)


def normalize(rel: str) -> str:
    """A repo-relative path with forward slashes and no leading `./`."""
    text = rel.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def is_protected_path(rel: str) -> bool:
    """True for tests, benchmarks, conftest, packaging/config and CI files, which a candidate must never touch."""
    parts = [p.lower() for p in PurePosixPath(normalize(rel)).parts]
    if not parts:
        return True
    *folders, name = parts
    if any(f.startswith(PROTECTED_DIR_PREFIXES) or f in PROTECTED_DIRS for f in folders):
        return True
    if name in PROTECTED_FILES or name.startswith("requirements"):
        return True
    stem = name[:-3] if name.endswith(".py") else name
    return stem.startswith(("test_", "bench")) or stem.endswith("_test") or stem == "test"


def scope_problem(candidate: Candidate, allowed_files: list[str]) -> str | None:
    """Why the candidate falls outside its scope, or None when it stays inside."""
    rel = normalize(candidate.function.file)
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts:
        return f"{candidate.function.file} leaves the repository"
    if is_protected_path(rel):
        return f"{rel} is a test, benchmark, config or CI file"
    if rel not in {normalize(f) for f in allowed_files}:
        return f"{rel} is not among the allowed files"
    if not rel.endswith(".py"):
        return f"{rel} is not a Python source file"
    try:
        ast.parse(candidate.source, filename=rel)
    except SyntaxError as exc:
        return f"{rel} does not parse: line {exc.lineno}: {exc.msg}"
    except ValueError as exc:  # null bytes, before Python 3.12
        return f"{rel} does not parse: {exc}"
    return None
