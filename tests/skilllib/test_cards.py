"""Splitting a skill card's Markdown: front matter, sections, Before/After code."""

from __future__ import annotations

import pytest

from optimizer_agent.skilllib.cards import example_code, split_front_matter, split_sections
from optimizer_agent.skilllib.schema import FieldProblem


def test_front_matter_and_body_are_split_at_the_fences() -> None:
    front, body = split_front_matter("---\nid: O001\n---\n## When to use\nhere\n")
    assert front == "id: O001\n"
    assert body == "## When to use\nhere\n"


@pytest.mark.parametrize("text", ["id: O001\n---\nbody\n", "---\nid: O001\nbody\n"])
def test_missing_fence_names_front_matter(text: str) -> None:
    with pytest.raises(FieldProblem) as err:
        split_front_matter(text)
    assert err.value.field == "front matter"


def test_sections_by_heading_ignore_subheadings() -> None:
    sections = split_sections("intro\n## When to use\nloops\n### detail\nmore\n## Steps\n1. do it\n")
    assert sections == {"When to use": "loops\n### detail\nmore", "Steps": "1. do it"}


def test_duplicate_section_is_rejected() -> None:
    with pytest.raises(FieldProblem, match="twice"):
        split_sections("## Steps\na\n## Steps\nb\n")


def test_example_code_accepts_both_label_styles() -> None:
    section = "text\n```python before\ndef f():\n    return 1\n```\n\n```python (after)\ndef f():\n    return 2\n```\n"
    assert example_code(section) == {"before": "def f():\n    return 1\n", "after": "def f():\n    return 2\n"}


def test_unlabelled_code_is_not_an_example() -> None:
    assert example_code("```python\nx = 1\n```\n") == {}
