"""Which files a candidate may change, and which it must never touch."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import PurePosixPath

# Tests, benchmarks, build config and CI judge a candidate; a candidate must never edit its judges.
PROTECTED_DIRS = {"tests", "test", "testing", "benchmarks", "benchmark", "bench", ".github", ".ci", "ci",
                  "docs", "doc", "examples", "example", "scripts", "tools", "fixtures", "testdata"}
PROTECTED_FILE = re.compile(
    r"^(test_.*\.py|.*_test\.py|conftest\.py|bench.*\.py|setup\.py|noxfile\.py|tasks\.py|"
    r"pyproject\.toml|setup\.cfg|tox\.ini|pytest\.ini|.*\.(cfg|ini|toml|ya?ml|json|lock|txt|md))$"
)


def is_protected_path(rel: str) -> bool:
    """True for tests, benchmarks, conftest, config, docs and CI files."""
    path = PurePosixPath(rel)
    if any(part in PROTECTED_DIRS or part.startswith(".") for part in path.parts[:-1]):
        return True
    return bool(PROTECTED_FILE.match(path.name))


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
