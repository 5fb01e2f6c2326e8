"""Loading the library: the shipped cards all validate, and a broken card fails with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.loader import SKILLS_ENV, Library, SkillError, default_root, load_card, load_skills

GOOD_OPERATOR = '''---
id: O900
type: operator
language: python
family: builtins
name: Test skill
description: A card used by the loader tests.
tags: [test]
triggers: ["a trigger"]
detect: sorted-then-index
rewrite: sorted_min_max
complexity: {before: "O(n log n)", after: "O(n)"}
provenance: {source: curated}
example:
  entry: smallest
  inputs: ["([3, 1, 2],)"]
---
## When to use
Always in tests.

## Steps
1. Load it.

## Pitfalls
- None.

## When not to use
- Production.

## Example
```python before
def smallest(xs):
    return sorted(xs)[0]
```

```python after
def smallest(xs):
    return min(xs)
```
'''

GOOD_META = '''---
id: M900
type: meta
language: python
family: constant-factor
name: Test meta
description: A meta card used by the loader tests.
procedure: ["apply O900"]
uses: [O900]
provenance: {source: curated}
---
## When to use
Tests.

## Steps
Follow the procedure.

## Pitfalls
- None.

## When not to use
- Production.
'''


def write_library(root: Path, cards: dict[str, str]) -> Path:
    """Write cards (relative path -> text) under `root`; return `root`."""
    for rel, text in cards.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_shipped_library_loads_and_validates() -> None:
    library = Library.load()
    assert len(library.operators) >= 16
    assert len(library.metas) >= 4
    ids = [s.id for s in library.skills]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for skill in library.skills:
        assert skill.path and Path(skill.path).name.startswith(skill.id)
        assert skill.provenance.source == "curated"
        assert set(skill.sections) >= {"When to use", "Steps", "Pitfalls", "When not to use"}


def test_required_rewrite_ids_are_present() -> None:
    library = Library.load()
    expected = {
        "O001": ("membership_set", "list-membership-in-loop"), "O002": ("str_join", "string-concat-in-loop"),
        "O003": ("hoist_regex", "regex-in-loop"), "O004": ("sorted_min_max", "sorted-then-index"),
        "O005": ("append_to_comprehension", "append-loop"), "O006": ("hoist_len", "len-in-loop-condition"),
        "O007": ("pop0_deque", "list-pop0"), "O008": ("builtin_sum", "manual-sum-loop"),
        "O009": ("dict_keys_membership", "dict-keys-membership"),
        "O010": ("memoize_recursion", "recursion-no-cache"),
    }
    for skill_id, (rewrite, detect) in expected.items():
        skill = library.get(skill_id)
        assert (skill.rewrite, skill.detect) == (rewrite, detect)


def test_meta_skills_use_existing_operators() -> None:
    library = Library.load()
    for meta in library.metas:
        assert meta.uses and meta.procedure and meta.decision_rules and meta.failure_modes
        assert all(library.get(u).type == "operator" for u in meta.uses)


def test_library_lookup() -> None:
    library = Library.load()
    assert library.get("O007").rewrite == "pop0_deque"
    assert "O007" in library and "O999" not in library
    assert len(library) == len(library.operators) + len(library.metas)
    with pytest.raises(KeyError, match="O999"):
        library.get("O999")


def test_env_override_picks_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_library(tmp_path, {"python/operator/O900-test.md": GOOD_OPERATOR, "python/meta/M900-test.md": GOOD_META})
    monkeypatch.setenv(SKILLS_ENV, str(tmp_path))
    assert default_root() == tmp_path
    skills = load_skills()
    assert [s.id for s in skills] == ["M900", "O900"]
    assert skills[1].before.startswith("def smallest") and skills[1].example.inputs == ["([3, 1, 2],)"]


def test_missing_root_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not found"):
        load_skills(tmp_path / "nowhere")


BROKEN = [
    ("id: O900", "id: X9", "id"),
    ("type: operator", "type: meta", "type"),
    ("family: builtins", "family: speed", "family"),
    ('triggers: ["a trigger"]', "triggers: []", "triggers"),
    ("name: Test skill\n", "", "name"),
    ("tags: [test]", "tags: [test]\nflavour: sweet", "flavour"),
    ("provenance: {source: curated}", "provenance: {source: guessed}", "provenance.source"),
    ("entry: smallest", "entry: tiniest", "before"),
    ('inputs: ["([3, 1, 2],)"]', 'inputs: ["([3, 1,"]', "example.inputs"),
    ("    return min(xs)", "    return min(xs", "after"),
    ("## Pitfalls", "## Caveats", "body"),
    ("tags: [test]", "tags: [test\n", "front matter"),
    ("rewrite: sorted_min_max", "rewrite: sorted_min_max\nprocedure: [x]", "procedure"),
]


@pytest.mark.parametrize(("old", "new", "field"), BROKEN, ids=[b[2] for b in BROKEN])
def test_broken_card_names_file_and_field_on_one_line(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in GOOD_OPERATOR
    path = tmp_path / "O900-broken.md"
    path.write_text(GOOD_OPERATOR.replace(old, new, 1))
    with pytest.raises(SkillError) as err:
        load_card(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: field '{field}': ")
    assert err.value.field == field and err.value.problem
    assert isinstance(err.value, BadInput)


@pytest.mark.parametrize(("old", "new", "field"), [
    ('procedure: ["apply O900"]', "procedure: []", "procedure"),
    ("uses: [O900]", "uses: [O900]\nrewrite: x", "rewrite"),
    ("uses: [O900]", "uses: [M001]", "uses"),
])
def test_broken_meta_card(tmp_path: Path, old: str, new: str, field: str) -> None:
    path = tmp_path / "M900-broken.md"
    path.write_text(GOOD_META.replace(old, new, 1))
    with pytest.raises(SkillError, match=f"field '{field}'"):
        load_card(path)


def test_meta_using_an_unknown_operator_fails_at_library_level(tmp_path: Path) -> None:
    root = write_library(tmp_path, {"python/meta/M900-test.md": GOOD_META})
    with pytest.raises(SkillError, match=r"M900-test\.md: field 'uses': no operator skill O900"):
        load_skills(root)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    root = write_library(tmp_path, {"python/operator/O900-a.md": GOOD_OPERATOR,
                                    "python/operator/O900-b.md": GOOD_OPERATOR})
    with pytest.raises(SkillError, match=r"O900-b\.md: field 'id': O900 is also used by"):
        load_skills(root)


def test_card_in_the_wrong_folder_is_rejected(tmp_path: Path) -> None:
    root = write_library(tmp_path, {"python/meta/O900-test.md": GOOD_OPERATOR})
    with pytest.raises(SkillError, match="field 'type': operator card in the 'meta' folder"):
        load_skills(root)
