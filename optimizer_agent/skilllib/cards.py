"""The Markdown side of a skill card: front matter, `##` sections, and the Example's Before/After code."""

from __future__ import annotations

import re

from optimizer_agent.skilllib.schema import FieldProblem

_FENCE = "---"
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_CODE_BLOCK = re.compile(r"^```python[ \t]*\(?(before|after)\)?[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str]:
    """The YAML between the opening and closing `---` lines, and the Markdown body after it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        raise FieldProblem("front matter", "the file must start with a '---' line")
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == _FENCE:
            return "".join(lines[1:i]), "".join(lines[i + 1:])
    raise FieldProblem("front matter", "no closing '---' line")


def split_sections(body: str) -> dict[str, str]:
    """`## Heading` sections of the body, by heading, each without its heading line."""
    heads = list(_HEADING.finditer(body))
    sections: dict[str, str] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        name = head.group(1)
        if name in sections:
            raise FieldProblem("body", f"section '## {name}' appears twice")
        sections[name] = body[head.end():end].strip("\n")
    return sections


def example_code(section: str) -> dict[str, str]:
    """The ```python before``` and ```python after``` blocks of an Example section, by label."""
    found: dict[str, str] = {}
    for match in _CODE_BLOCK.finditer(section):
        label = match.group(1)
        if label in found:
            raise FieldProblem(label, f"the Example has two '{label}' code blocks")
        found[label] = match.group(2)
    return found
