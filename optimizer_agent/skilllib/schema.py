"""The skill card model: the YAML front matter of a skill file plus its parsed Markdown body."""

from __future__ import annotations

import ast
import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Family = Literal["constant-factor", "data-structure", "algorithmic", "caching", "io", "builtins", "numeric",
                 "concurrency"]

SKILL_ID = re.compile(r"^[OM]\d{3}$")
OPERATOR_SECTIONS = ("When to use", "Steps", "Pitfalls", "When not to use", "Example")
META_SECTIONS = ("When to use", "Steps", "Pitfalls", "When not to use")
"""Body sections every card of that type must have (meta skills may omit the Example)."""


class Complexity(BaseModel):
    """Asymptotic cost before and after applying the skill."""

    model_config = ConfigDict(extra="forbid")
    before: str
    after: str


class Provenance(BaseModel):
    """Where a skill came from: written by hand, or mined from slow/fast pairs."""

    model_config = ConfigDict(extra="forbid")
    source: Literal["curated", "mined"]
    pairs: int | None = None
    """How many slow/fast pairs support a mined skill."""
    dataset: str | None = None


class Example(BaseModel):
    """How to run the card's Before/After code: call `entry(*args)` for each args tuple in `inputs`."""

    model_config = ConfigDict(extra="forbid")
    entry: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """Name of the function that both the Before and the After code define."""
    inputs: list[str] = Field(min_length=1)
    """Python expressions, each evaluating to the positional-arguments tuple of one call; builtins only."""
    metric: Literal["cpu", "wall"] = "cpu"
    """How `skills check` times the example: CPU seconds for computation, wall seconds for examples whose
    gain is less waiting (concurrency), which CPU time cannot show."""

    @field_validator("inputs")
    @classmethod
    def _inputs_are_expressions(cls, value: list[str]) -> list[str]:
        for i, text in enumerate(value):
            try:
                ast.parse(text, mode="eval")
            except SyntaxError as exc:
                raise ValueError(f"inputs[{i}] is not a Python expression: {exc.msg}") from None
        return value


class Evidence(BaseModel):
    """What `skills check` measured for the card's example; generated into the registry, never written by hand."""

    model_config = ConfigDict(extra="forbid")
    passed: bool
    speedup: float | None = None
    """median(Before) / median(After) under the gate's paired timing of the whole workload process."""
    call_speedup: float | None = None
    """Before/After seconds of one in-process pass over the inputs, without interpreter start-up."""
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    metric: str = "cpu"
    rounds: int = 0
    date: str
    """ISO date of the measurement."""
    sandbox: str
    python: str
    example_hash: str
    """Hash of the example (code, entry, inputs) measured; evidence for a changed example is dropped."""
    reason: str = ""


class Skill(BaseModel):
    """One optimization skill: an operator (a single rewrite pattern) or a meta skill (a procedure over operators)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    type: Literal["operator", "meta"]
    language: Literal["python"] = "python"
    family: Family
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    triggers: list[str] = Field(default_factory=list)
    """Plain-language situations that call for the skill; retrieval matches against them."""
    detect: str | None = None
    """Id of the static detector (analysis.detectors) whose signal points at this skill."""
    rewrite: str | None = None
    """Id of the deterministic rewrite that applies this skill without an LLM."""
    complexity: Complexity | None = None
    provenance: Provenance
    procedure: list[str] = Field(default_factory=list)
    decision_rules: list[str] = Field(default_factory=list)
    failure_modes: list[str] = Field(default_factory=list)
    uses: list[str] = Field(default_factory=list)
    """Operator ids a meta skill's procedure applies."""
    example: Example | None = None
    sections: dict[str, str] = Field(default_factory=dict)
    """Body sections by heading (`When to use`, `Steps`, ...), text without the heading line."""
    before: str | None = None
    """The Example's slow code."""
    after: str | None = None
    """The Example's fast code."""
    path: str | None = None
    """The file the card was loaded from."""
    evidence: Evidence | None = None
    """The last `skills check` measurement of the example, from the registry."""

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not SKILL_ID.match(value):
            raise ValueError(f"{value!r} is not O### (operator) or M### (meta)")
        return value

    @field_validator("uses")
    @classmethod
    def _uses_operators(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(r"^O\d{3}$", v)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not an operator id (O###)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Skill:
        expected = "operator" if self.id.startswith("O") else "meta"
        if self.type != expected:
            raise FieldProblem("type", f"id {self.id} needs type {expected!r}, not {self.type!r}")
        if self.type == "operator":
            self._check_operator()
        else:
            self._check_meta()
        self._check_sections(OPERATOR_SECTIONS if self.type == "operator" else META_SECTIONS)
        self._check_example()
        return self

    def _check_operator(self) -> None:
        if not self.triggers:
            raise FieldProblem("triggers", "operator skills need at least one trigger")
        for name in ("procedure", "decision_rules", "failure_modes", "uses"):
            if getattr(self, name):
                raise FieldProblem(name, "only meta skills have this field")
        if self.example is None:
            raise FieldProblem("example", "operator skills need an example (entry and inputs)")

    def _check_meta(self) -> None:
        if not self.procedure:
            raise FieldProblem("procedure", "meta skills need a procedure")
        for name in ("detect", "rewrite"):
            if getattr(self, name):
                raise FieldProblem(name, "meta skills have a procedure instead of this field")

    def _check_sections(self, required: tuple[str, ...]) -> None:
        if not self.sections:
            return  # a card built in code, not parsed from Markdown
        missing = [s for s in required if s not in self.sections]
        if missing:
            raise FieldProblem("body", f"missing section '## {missing[0]}'")

    def _check_example(self) -> None:
        if self.example is None:
            return
        for field in ("before", "after"):
            code = getattr(self, field)
            if not code:
                raise FieldProblem(field, "the Example needs a ```python " + field + " code block")
            try:
                tree = ast.parse(code)
            except SyntaxError as exc:
                raise FieldProblem(field, f"syntax error at line {exc.lineno}: {exc.msg}") from None
            defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            if self.example.entry not in defined:
                raise FieldProblem(field, f"does not define the entry function {self.example.entry!r}")

    @property
    def is_operator(self) -> bool:
        """True for operator skills."""
        return self.type == "operator"

    def example_hash(self) -> str | None:
        """A short hash of what `skills check` runs (Before, After, entry, inputs, metric); None without an example."""
        if self.example is None:
            return None
        blob = json.dumps([self.before, self.after, self.example.entry, self.example.inputs, self.example.metric])
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def search_text(self) -> str:
        """The text retrieval indexes: name, description, tags and triggers."""
        return " ".join([self.name, self.description, *self.tags, *self.triggers])


class FieldProblem(ValueError):
    """A card problem that names the field it is about (pydantic keeps it as the error's context)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
