"""Prompt templates for the LLM steps, rendered into chat messages with untrusted data fenced off."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from importlib import resources
from string import Template
from types import MappingProxyType

from pydantic import BaseModel

PROMPT_HASH_CHARS = 16
MAX_PARAM_CHARS = 200
"""Params are short labels (names, counts); anything longer belongs in a delimited data block."""
SYSTEM_TEMPLATE = "system"

# Delimiter-like tokens inside data get a backslash, so data can never close its own block.
_OPEN_TOKEN = re.compile(r"<<<(?=[A-Z_]+)")
_CLOSE_TOKEN = re.compile(r"(?<=[A-Z_])>>>")


class StepSpec(BaseModel):
    """What a prompt step's template needs: short params and delimited data blocks."""

    template: str
    params: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    follow_up: bool = False
    """A follow-up is one user message appended to a conversation, without a system message."""


STEPS: Mapping[str, StepSpec] = MappingProxyType({
    "diagnose": StepSpec(template="diagnose", params=("qualname", "file"), data=("code", "profile", "signals")),
    "rerank": StepSpec(template="rerank", params=("qualname", "max_sets"), data=("diagnosis", "skills")),
    "plan": StepSpec(template="plan", params=("qualname",), data=("diagnosis", "meta_skill", "operator_skills")),
    "generate": StepSpec(
        template="generate", params=("qualname", "file", "k"), data=("code", "context", "plan", "skills")
    ),
    "repair": StepSpec(
        template="repair", params=("qualname", "file"), data=("code", "candidate", "reason", "evidence")
    ),
    "fix-json": StepSpec(template="fix_json", params=(), data=("error",), follow_up=True),
    "mine": StepSpec(template="mine", params=("problem_id",), data=("slow", "fast", "labels")),
})


def load_template(name: str) -> str:
    """The text of `prompts/<name>.md` shipped with the package."""
    return resources.files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8")


def escape_data(text: str) -> str:
    """Defuse delimiter-like tokens (`<<<NAME`, `NAME>>>`) inside untrusted data."""
    return _CLOSE_TOKEN.sub(">\\>>", _OPEN_TOKEN.sub("<<\\<", text))


def delimit(name: str, text: str) -> str:
    """Wrap untrusted data in a fixed `<<<NAME ... NAME>>>` block."""
    tag = name.upper()
    return f"<<<{tag}\n{escape_data(text)}\n{tag}>>>"


def _param(name: str, value: object) -> str:
    text = str(value)
    if "\n" in text or len(text) > MAX_PARAM_CHARS:
        raise ValueError(f"prompt param {name!r} must be one short line; pass long text as data")
    return escape_data(text)


def render(step: str, **values: object) -> list[dict]:
    """The chat messages for `step`, with params inlined and data values in delimited blocks."""
    if step not in STEPS:
        raise ValueError(f"unknown prompt step {step!r}; expected one of {', '.join(STEPS)}")
    spec = STEPS[step]
    expected = set(spec.params) | set(spec.data)
    missing = sorted(expected - set(values))
    extra = sorted(set(values) - expected)
    if missing or extra:
        raise TypeError(f"prompt {step!r}: missing values {missing}, unexpected values {extra}")
    fields = {name: _param(name, values[name]) for name in spec.params}
    fields.update({name: delimit(name, str(values[name])) for name in spec.data})
    user = {"role": "user", "content": Template(load_template(spec.template)).substitute(fields).strip()}
    if spec.follow_up:
        return [user]
    return [{"role": "system", "content": load_template(SYSTEM_TEMPLATE).strip()}, user]


def prompt_hash(messages: list[dict]) -> str:
    """A short stable hash of the messages' roles and contents (transcript replay keys on it)."""
    canonical = json.dumps(
        [{"role": m["role"], "content": m["content"]} for m in messages],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:PROMPT_HASH_CHARS]
