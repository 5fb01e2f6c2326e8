"""Load and validate the skill library from `skills/<language>/{operator,meta}/*.md`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import ValidationError

import optimizer_agent
from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.cards import example_code, split_front_matter, split_sections
from optimizer_agent.skilllib.schema import FieldProblem, Skill

SKILLS_ENV = "OPTIMIZER_AGENT_SKILLS"
KIND_FOLDERS = {"operator": "operator", "meta": "meta"}
"""Skill type -> the folder its cards live in."""


class SkillError(BadInput):
    """A skill card that cannot be loaded; the message names the file, the field and the problem."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        problem = re.sub(r"\s+", " ", problem).strip()
        super().__init__(f"{path}: field '{field}': {problem}")
        self.path = str(path)
        self.field = field
        self.problem = problem


def default_root() -> Path:
    """The skills folder: `$OPTIMIZER_AGENT_SKILLS` if set, else `skills/` next to the package."""
    override = os.environ.get(SKILLS_ENV)
    if override:
        return Path(override)
    return Path(optimizer_agent.__file__).resolve().parent.parent / "skills"


def card_paths(root: Path) -> Iterator[tuple[Path, str]]:
    """Every card file under `root` with the skill type its folder holds, in a stable order."""
    for kind, folder in KIND_FOLDERS.items():
        for path in sorted(root.glob(f"*/{folder}/*.md")):
            yield path, kind


def _describe(error: ValidationError) -> tuple[str, str]:
    """The first problem of a pydantic error as (field, problem)."""
    first = error.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, FieldProblem):
        return cause.field, cause.problem
    field = ".".join(str(part) for part in first["loc"]) or "front matter"
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        problem = "is required"
    elif first["type"] == "extra_forbidden":
        problem = "is not a known field"
    return field, problem


def load_card(path: Path) -> Skill:
    """Parse and validate one card file."""
    try:
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        try:
            data = yaml.safe_load(front)
        except yaml.YAMLError as exc:
            raise FieldProblem("front matter", f"invalid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise FieldProblem("front matter", "must be a YAML mapping")
        for field in ("sections", "before", "after", "path"):
            if field in data:
                raise FieldProblem(field, "is filled from the Markdown body, not the front matter")
        if "evidence" in data:
            raise FieldProblem("evidence", "is measured by `skills check` into the registry, not written in a card")
        sections = split_sections(body)
        code = example_code(sections.get("Example", ""))
        skill = Skill.model_validate(
            {**data, "sections": sections, "before": code.get("before"), "after": code.get("after"),
             "path": str(path)})
    except FieldProblem as exc:
        raise SkillError(path, exc.field, exc.problem) from None
    except ValidationError as exc:
        raise SkillError(path, *_describe(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SkillError(path, "file", str(exc)) from None
    return skill


def _check_place(path: Path, kind: str, skill: Skill) -> None:
    # The folder layout is how people browse the library, so a card must sit where its fields say.
    if skill.type != kind:
        raise SkillError(path, "type", f"{skill.type} card in the '{KIND_FOLDERS[kind]}' folder")
    if path.parent.parent.name != skill.language:
        raise SkillError(path, "language", f"{skill.language!r} card under '{path.parent.parent.name}/'")


def load_skills(root: Path | None = None) -> list[Skill]:
    """Every card under `root` (default: `default_root()`), validated, sorted by id."""
    root = default_root() if root is None else root
    if not root.is_dir():
        raise BadInput(f"{root}: skills folder not found")
    skills: dict[str, Skill] = {}
    for path, kind in card_paths(root):
        skill = load_card(path)
        _check_place(path, kind, skill)
        if skill.id in skills:
            raise SkillError(path, "id", f"{skill.id} is also used by {skills[skill.id].path}")
        skills[skill.id] = skill
    for skill in skills.values():
        unknown = [u for u in skill.uses if u not in skills]
        if unknown:
            raise SkillError(skill.path or skill.id, "uses", f"no operator skill {unknown[0]} in the library")
    return sorted(skills.values(), key=lambda s: s.id)


class Library:
    """The loaded skills, looked up by id or by type."""

    def __init__(self, skills: list[Skill]) -> None:
        self.skills = list(skills)
        self._by_id = {s.id: s for s in self.skills}

    @classmethod
    def load(cls, root: Path | None = None) -> Library:
        """Load the library from `root` (default: `default_root()`): from its registry when that is in sync."""
        from optimizer_agent.skilllib import registry  # the registry builds on this module

        root = default_root() if root is None else root
        if not root.is_dir():
            raise BadInput(f"{root}: skills folder not found")
        fast = registry.skills_from_registry(root)
        if fast is not None:
            return cls(fast)
        return cls(registry.attach_evidence(root, load_skills(root)))

    def get(self, skill_id: str) -> Skill:
        """The skill with this id; KeyError if there is none."""
        try:
            return self._by_id[skill_id]
        except KeyError:
            raise KeyError(f"no skill {skill_id!r} in the library") from None

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id

    def __len__(self) -> int:
        return len(self.skills)

    @property
    def operators(self) -> list[Skill]:
        """Operator skills, by id."""
        return [s for s in self.skills if s.type == "operator"]

    @property
    def metas(self) -> list[Skill]:
        """Meta skills, by id."""
        return [s for s in self.skills if s.type == "meta"]
