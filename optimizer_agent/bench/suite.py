"""Benchmark suites: JSONL (optionally gzip), one problem a line, validated into pydantic records."""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator

from optimizer_agent.errors import BadInput

GZIP_MAGIC = b"\x1f\x8b"
SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FunctionTest(BaseModel):
    """One call: `input` is the repr of the argument tuple, `expected` the repr of the return value."""

    input: str
    expected: str
    level: int | None = None
    """Input size class when the suite gives one (0 = correctness; higher = performance-sized)."""


class ProgramTest(BaseModel):
    """One run of the script: its stdin and the stdout it must print."""

    stdin: str
    expected_stdout: str
    level: int | None = None


class _ProblemBase(BaseModel):
    id: str = Field(min_length=1)
    language: Literal["python"] = "python"
    prompt: str = ""
    slow_code: str = Field(min_length=1)
    """The code to optimize; it becomes the problem repo's `solution.py`."""
    reference_code: str | None = None
    """A known faster solution (used by reference runs, never shown to the optimizer)."""
    checker: str | None = None
    """Code defining `__check(input, answer, output) -> bool`; equality is used without it."""
    meta: dict = Field(default_factory=dict)

    @model_validator(mode="after")
    def _parses(self):
        for name in ("slow_code", "reference_code", "checker"):
            code = getattr(self, name)
            if code is None:
                continue
            try:
                ast.parse(code)
            except SyntaxError as exc:
                raise ValueError(f"{name} has a syntax error on line {exc.lineno}: {exc.msg}") from None
        if self.checker is not None and "__check" not in _top_level_defs(self.checker):
            raise ValueError("checker does not define __check(input, answer, output)")
        return self

    @property
    def slug(self) -> str:
        """A file-system-safe form of the id."""
        return SLUG_UNSAFE.sub("_", self.id).strip("._") or "problem"

    def content_hash(self) -> str:
        """A hash of the whole record: a changed problem is re-run even when its id is unchanged."""
        canonical = json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class FunctionProblem(_ProblemBase):
    """A function-level problem: call `entry` from `solution.py` on each test's arguments."""

    kind: Literal["function"] = "function"
    entry: str = Field(min_length=1)
    tests: list[FunctionTest] = Field(min_length=1)
    private_tests: list[FunctionTest] = Field(min_length=1)

    @model_validator(mode="after")
    def _entry_defined(self):
        if self.entry not in _top_level_defs(self.slow_code):
            raise ValueError(f"entry {self.entry!r} is not a top-level function of slow_code")
        return self


class ProgramProblem(_ProblemBase):
    """A stdin/stdout problem: run `solution.py` as a script on each test's stdin."""

    kind: Literal["program"]
    entry: str | None = None
    tests: list[ProgramTest] = Field(min_length=1)
    private_tests: list[ProgramTest] = Field(min_length=1)


Problem = Annotated[Union[FunctionProblem, ProgramProblem], Field(discriminator="kind")]
_PROBLEM = TypeAdapter(Problem)


def _top_level_defs(code: str) -> set[str]:
    return {n.name for n in ast.parse(code).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def parse_problem(record: dict) -> FunctionProblem | ProgramProblem:
    """Validate one suite record; `kind` defaults to "function" as in the original format."""
    if isinstance(record, dict) and "kind" not in record:
        record = {**record, "kind": "function"}
    return _PROBLEM.validate_python(record)


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise BadInput(f"{path}: no such suite file")
    raw = path.read_bytes()
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise BadInput(f"{path}: broken gzip data ({exc})") from None
    try:
        return raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text (a suite is JSONL, optionally gzip-compressed)") from None


def load_suite(path: Path) -> list[FunctionProblem | ProgramProblem]:
    """Every problem of a suite file, in file order; any bad line is one clear BadInput."""
    problems: list[FunctionProblem | ProgramProblem] = []
    seen: dict[str, int] = {}
    slugs: dict[str, str] = {}
    for number, line in enumerate(_read_lines(Path(path)), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise BadInput(f"{where}: a problem must be a JSON object")
        try:
            problem = parse_problem(record)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"][1:] if p not in ("function", "program")) or "record"
            name = record.get("id", "?")
            raise BadInput(f"{where} (id {name}): {loc}: {err['msg']}") from None
        if problem.id in seen:
            raise BadInput(f"{where}: duplicate id {problem.id!r} (first on line {seen[problem.id]})")
        if problem.slug in slugs:
            raise BadInput(f"{where}: ids {problem.id!r} and {slugs[problem.slug]!r} map to the same folder name")
        seen[problem.id] = number
        slugs[problem.slug] = problem.id
        problems.append(problem)
    if not problems:
        raise BadInput(f"{path}: the suite has no problems")
    return problems


def select(problems: list, ids: list[str], limit: int | None) -> list:
    """The problems named by `ids` (all when empty), then the first `limit` of them."""
    if ids:
        known = {p.id for p in problems}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise BadInput(f"unknown problem id(s): {', '.join(unknown[:5])}")
        wanted = set(ids)
        problems = [p for p in problems if p.id in wanted]
    if limit is not None:
        if limit < 1:
            raise BadInput("--limit must be at least 1")
        problems = problems[:limit]
    return problems
