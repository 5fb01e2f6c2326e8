"""Literals copied from the benchmark or the tests: a candidate that knows the inputs can special-case them."""

from __future__ import annotations

import ast
import json
import math
from collections import Counter
from collections.abc import Iterator

from optimizer_agent.verify.critic import (
    JUDGE_FILE_MAX_BYTES,
    JUDGE_FILES_MAX_BYTES,
    MIN_COPIED_SEQUENCE_LEN,
    MIN_COPIED_STR_LEN,
    TRIVIAL_FLOAT_DIGITS,
    TRIVIAL_INT_MAX,
)
from optimizer_agent.verify.figures import GuardFinding
from optimizer_agent.verify.guards.base import docstring_nodes

Key = tuple
"""("int", 832040), ("str", "..."), or ("seq", (key, key, ...)): a literal's value with its type."""


def judge_literals(files: dict[str, str]) -> dict[Key, str]:
    """Every literal in the benchmark and test files, mapped to the first file that holds it."""
    found: dict[Key, str] = {}
    budget = JUDGE_FILES_MAX_BYTES
    for path, text in sorted(files.items()):
        if len(text) > JUDGE_FILE_MAX_BYTES or len(text) > budget:
            continue
        budget -= len(text)
        keys = _python_literals(text) if path.endswith(".py") else _json_literals(text) if path.endswith(".json") else []
        for key, _ in keys:
            found.setdefault(key, path)
    return found


def scan(original: str, candidate: str, judges: dict[Key, str], file: str) -> list[GuardFinding]:
    """New non-trivial literals in the candidate that a benchmark or test file also holds."""
    before = Counter(key for key, _ in _python_literals(original))
    seen: Counter[Key] = Counter()
    findings = []
    for key, line in _python_literals(candidate):
        seen[key] += 1
        if seen[key] <= before[key] or key not in judges or is_trivial(key):
            continue
        if seen[key] == before[key] + 1:
            findings.append(GuardFinding(guard="benchmark-literal", file=file, line=line,
                                         message=f"{_show(key)} also appears in {judges[key]}"))
    return findings


def is_trivial(key: Key) -> bool:
    """Values too common to say anything: small or round numbers, short strings, identifier-like words."""
    kind, value = key
    if kind == "seq":
        return len(value) < MIN_COPIED_SEQUENCE_LEN
    if kind in ("bool", "NoneType"):
        return True
    if kind == "int":
        size = abs(value)
        return size <= TRIVIAL_INT_MAX or _round(size) or _round(size + 1)
    if kind == "float":
        return not math.isfinite(value) or _significant_digits(value) <= TRIVIAL_FLOAT_DIGITS
    if kind in ("str", "bytes"):
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        stripped = text.strip()
        return len(stripped) < MIN_COPIED_STR_LEN or stripped.isidentifier() or not any(c.isalnum() for c in stripped)
    return True


def _round(n: int) -> bool:
    """Powers of two and of ten (buffer sizes, limits)."""
    return n > 0 and (n & (n - 1) == 0 or str(n).rstrip("0") == "1")


def _significant_digits(value: float) -> int:
    digits = f"{abs(value):.15e}".split("e")[0].replace(".", "").rstrip("0")
    return len(digits.lstrip("0")) or 1


def _python_literals(text: str) -> Iterator[tuple[Key, int]]:
    """(key, line) of every constant and every all-constant tuple/list/set literal, docstrings left out."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    docstrings = docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            yield _key(node.value), node.lineno
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            if isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
                yield _key(-node.operand.value), node.lineno
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts:
            if all(isinstance(e, ast.Constant) for e in node.elts):
                yield ("seq", tuple(_key(e.value) for e in node.elts)), node.lineno


def _json_literals(text: str) -> Iterator[tuple[Key, int]]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            if item and all(not isinstance(v, (list, dict)) for v in item):
                yield ("seq", tuple(_key(v) for v in item)), 0
            stack.extend(item)
        else:
            yield _key(item), 0


def _key(value: object) -> Key:
    return (type(value).__name__, value)


def _show(key: Key) -> str:
    kind, value = key
    text = repr(tuple(v for _, v in value)) if kind == "seq" else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
