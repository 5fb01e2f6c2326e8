"""Reading JSON and code out of model replies that wrap, truncate or decorate them."""

from __future__ import annotations

import ast
import json
import re

from pydantic import BaseModel, Field

from optimizer_agent.models.base import Message, Model
from optimizer_agent.prompts import render

PYTHON_LANGS = frozenset({"python", "py", "python3", "py3"})
MAX_JSON_STARTS = 20
"""Opening brackets tried per reply; code-heavy replies have many, and the JSON comes early."""
MAX_REPAIR_CUTS = 200
CLOSERS = {"{": "}", "[": "]"}

_FENCE_OPEN = re.compile(r"^\s*```+\s*([\w+.-]*)")
_FENCE_CLOSE = re.compile(r"^\s*```+\s*$")
_CODE_START = re.compile(r"^(?:async\s+def\s|def\s|class\s|@\w|import\s|from\s+\S+\s+import\s)")


class Fence(BaseModel):
    """One Markdown code fence: its language tag, body, and line span in the reply."""

    lang: str
    body: str
    start: int
    end: int
    """Line index just past the closing fence (or the end of the text when unclosed)."""


class CodeCandidate(BaseModel):
    """A proposed replacement read from a generate or repair reply."""

    code: str
    skills: list[str] = Field(default_factory=list)
    notes: str = ""


def fences(text: str) -> list[Fence]:
    """All fenced blocks in order; an unclosed last fence runs to the end (truncated replies)."""
    lines = text.splitlines()
    found, i = [], 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if not opening:
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and not _FENCE_CLOSE.match(lines[i]):
            body.append(lines[i])
            i += 1
        i = min(i + 1, len(lines))
        found.append(Fence(lang=opening.group(1).lower(), body="\n".join(body), start=start, end=i))
    return found


def _strip_trailing_commas(text: str) -> str:
    out, in_str, escaped = [], False, False
    for i, ch in enumerate(text):
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "," and text[i + 1 :].lstrip()[:1] in ("}", "]"):
            continue
        out.append(ch)
    return "".join(out)


def _loads(text: str) -> dict | list | None:
    for attempt in (text, _strip_trailing_commas(text)):
        try:
            value = json.loads(attempt)
        except json.JSONDecodeError:
            continue
        return value if isinstance(value, (dict, list)) else None
    return None


def _scan(text: str, start: int) -> tuple[int | None, list[str], bool, list[int]]:
    """Walk a JSON value from its opening bracket: (end or None, open stack, in string, cut points)."""
    stack, cuts, in_str, escaped = [], [], False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in CLOSERS:
            stack.append(ch)
            cuts.append(i + 1)
        elif ch in "}]":
            if not stack or CLOSERS[stack[-1]] != ch:
                return -1, stack, False, cuts
            stack.pop()
            if not stack:
                return i + 1, stack, False, cuts
        elif ch == ",":
            cuts.append(i)
    return None, stack, in_str, cuts


def _close(text: str) -> str:
    """Close an open string, drop a dangling comma, and close every open bracket."""
    _, stack, in_str, _ = _scan(text, 0)
    if in_str:
        text = (text[:-1] if text.endswith("\\") else text) + '"'
    text = text.rstrip()
    while text.endswith(","):
        text = text[:-1].rstrip()
    if text.endswith(":"):
        text += " null"
    return text + "".join(CLOSERS[b] for b in reversed(stack))


def _repair_truncated(text: str, cuts: list[int]) -> dict | list | None:
    """Parse JSON cut off mid-way, dropping the last partial element until what is left parses."""
    for cut in [len(text), *reversed(cuts)][:MAX_REPAIR_CUTS]:
        value = _loads(_close(text[:cut]))
        if value is not None:
            return value
    return None


def _find_json(text: str) -> dict | list | None:
    value = _loads(text.strip())
    if value is not None:
        return value
    for opener in "{[":
        starts = [m.start() for m in re.finditer(re.escape(opener), text)][:MAX_JSON_STARTS]
        for start in starts:
            end, _, _, cuts = _scan(text, start)
            value = None
            if end is None:
                value = _repair_truncated(text[start:], [c - start for c in cuts])
            elif end > start:
                value = _loads(text[start:end])
            if value is not None:
                return value
    return None


def extract_json(text: str) -> dict | list | None:
    """The first JSON object or array in a reply, surviving fences, prose, trailing commas and truncation."""
    blocks = sorted(fences(text), key=lambda f: f.lang != "json")
    for block in blocks:
        value = _find_json(block.body)
        if value is not None:
            return value
    return _find_json(text)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def _bare_code(text: str) -> str | None:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if _CODE_START.match(line)), None)
    if first is None:
        return None
    # Prose after the code is dropped by trimming trailing lines until the rest parses.
    for end in range(len(lines), first, -1):
        chunk = "\n".join(lines[first:end]).rstrip()
        if chunk and _parses(chunk):
            return chunk + "\n"
    return None


def extract_code_blocks(text: str) -> list[str]:
    """Python code in a reply: ```python fences, else plain ``` fences, else a bare `def ...`."""
    found = fences(text)
    python = [f.body for f in found if f.lang in PYTHON_LANGS]
    if python:
        return [body.rstrip() + "\n" for body in python if body.strip()]
    plain = [f.body for f in found if not f.lang and f.body.strip() and _loads(f.body) is None]
    if plain:
        return [body.rstrip() + "\n" for body in plain]
    bare = _bare_code(text)
    return [bare] if bare else []


def _header(lines: list[str]) -> dict:
    for line in reversed(lines):
        value = _loads(line.strip()) if line.strip().startswith("{") else None
        if isinstance(value, dict):
            return value
    return {}


def extract_candidates(text: str) -> list[CodeCandidate]:
    """Each python block of a reply with the skills named in the JSON line just before it."""
    lines = text.splitlines()
    found = [f for f in fences(text) if f.lang in PYTHON_LANGS or not f.lang]
    if not any(f.lang in PYTHON_LANGS for f in found):
        return [CodeCandidate(code=code) for code in extract_code_blocks(text)]
    candidates, previous_end = [], 0
    for block in found:
        if block.lang in PYTHON_LANGS and block.body.strip():
            header = _header(lines[previous_end : block.start])
            skills = header.get("skills")
            candidates.append(
                CodeCandidate(
                    code=block.body.rstrip() + "\n",
                    skills=[str(s) for s in skills] if isinstance(skills, list) else [],
                    notes=str(header.get("notes") or ""),
                )
            )
        previous_end = block.end
    return candidates


def _parse_problem(text: str, value: object) -> str:
    if isinstance(value, list):
        return "expected one JSON object, got a JSON array"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return "expected one JSON object"


def ask_json(model: Model, messages: list[Message], purpose: str) -> dict | None:
    """Ask for a JSON object; on a parse failure ask once more to fix it, then give up with None."""
    reply = model.complete(messages, purpose=purpose)
    value = extract_json(reply.text)
    if isinstance(value, dict):
        return value
    follow_up = [
        *messages,
        {"role": "assistant", "content": reply.text},
        *render("fix-json", error=_parse_problem(reply.text, value)),
    ]
    retry = model.complete(follow_up, purpose="fix-json")
    value = extract_json(retry.text)
    return value if isinstance(value, dict) else None
