"""Which files a candidate may change, and which it must never touch."""

from __future__ import annotations

import ast
import shlex
from pathlib import PurePosixPath

# Tests, benchmarks, build config and CI judge a candidate; a candidate must never edit its judges.
# Docs, examples and scripts are not library code worth optimizing.
PROTECTED_DIR_PREFIXES = ("test", "bench")
PROTECTED_DIRS = frozenset({".github", ".gitlab", ".circleci", ".ci", "ci", ".tox", ".nox", "docs", "doc",
                            "examples", "example", "scripts", "tools", "fixtures", "testdata"})
PROTECTED_FILES = frozenset({"conftest.py", "tests.py", "setup.py", "noxfile.py", "tasks.py", "makefile"})
CONFIG_SUFFIXES = (".cfg", ".ini", ".toml", ".yml", ".yaml", ".lock")


def normalize(rel: str) -> str:
    """A repo-relative path with forward slashes and no leading `./`."""
    text = rel.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def is_protected_path(rel: str) -> bool:
    """True for tests, benchmarks, conftest, config, docs and CI files, which a candidate must never touch."""
    parts = [p.lower() for p in PurePosixPath(normalize(rel)).parts]
    if not parts:
        return True
    *folders, name = parts
    if any(f.startswith(PROTECTED_DIR_PREFIXES) or f.startswith(".") or f in PROTECTED_DIRS for f in folders):
        return True
    if name in PROTECTED_FILES or name.startswith(("requirements", ".")) or name.endswith(CONFIG_SUFFIXES):
        return True
    stem = name[:-3] if name.endswith(".py") else name
    return stem.startswith(("test_", "bench")) or stem.endswith("_test") or stem == "test"


def is_source_file(rel: str) -> bool:
    """True for Python files that a candidate may rewrite."""
    return rel.endswith(".py") and not is_protected_path(rel)


def command_scripts(cmd: str) -> set[str]:
    """Python files named in a command line (e.g. `python bench.py`), which are judges too."""
    try:
        words = shlex.split(cmd)
    except ValueError:
        words = cmd.split()
    return {w.lstrip("./") for w in words if w.endswith(".py")}


def syntax_error(rel: str, text: str) -> str | None:
    """A one-line description of the first syntax error in `text`, or None."""
    try:
        ast.parse(text, filename=rel)
    except SyntaxError as exc:
        return f"syntax error in {rel} line {exc.lineno}: {exc.msg}"
    except ValueError as exc:  # null bytes
        return f"cannot parse {rel}: {exc}"
    return None
