"""Scope: a candidate may only change an allowed, ordinary source file, and must still parse."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from optimizer_agent.analysis.targets import is_protected_path, normalize


def result_judge_files(result_judge: str | None) -> set[str]:
    """Repo-relative files that could hold the result judge's module (flat or `src/` layout)."""
    if not result_judge:
        return set()
    stem = result_judge.partition(":")[0].replace(".", "/")
    return {f"{root}{stem}{tail}" for root in ("", "src/") for tail in (".py", "/__init__.py")}


def scope_problem(file: str, source: str, allowed_files: list[str], result_judge: str | None = None) -> str | None:
    """Why a change of `file` to `source` falls outside the scope, or None when it stays inside."""
    rel = normalize(file)
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts:
        return f"{file} leaves the repository"
    if is_protected_path(rel):
        return f"{rel} is a test, benchmark, config or CI file"
    if rel in result_judge_files(result_judge):
        return f"{rel} holds the result judge ({result_judge}) that decides whether its results are right"
    if rel not in {normalize(f) for f in allowed_files}:
        return f"{rel} is not among the allowed files"
    if not rel.endswith(".py"):
        return f"{rel} is not a Python source file"
    try:
        ast.parse(source, filename=rel)
    except SyntaxError as exc:
        return f"{rel} does not parse: line {exc.lineno}: {exc.msg}"
    except ValueError as exc:  # null bytes, before Python 3.12
        return f"{rel} does not parse: {exc}"
    return None
