"""skills/registry.json: in sync with the cards, used for loading only while in sync, evidence kept per example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from optimizer_agent.skilllib import registry
from optimizer_agent.skilllib.loader import Library, default_root, load_skills
from optimizer_agent.skilllib.schema import Evidence

ROOT = default_root()


def test_shipped_registry_is_in_sync_with_the_cards() -> None:
    assert registry.in_sync(ROOT), f"skills/registry.json is out of date; run `{registry.REGENERATE_HINT}`"


def test_every_shipped_example_has_passing_evidence() -> None:
    # `skills check` writes this evidence; an example edited without re-checking it loses its evidence.
    library = Library.load(ROOT)
    missing = [s.id for s in library.skills if s.example and not (s.evidence and s.evidence.passed)]
    assert missing == [], f"run `optimizer-agent skills check {' '.join(missing)}`"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the shipped skills folder with a freshly generated registry."""
    copy = tmp_path / "skills"
    shutil.copytree(ROOT / "python", copy / "python")
    registry.write_registry(copy)
    return copy


def _evidence(skill, speedup: float = 2.0) -> Evidence:
    return Evidence(passed=True, speedup=speedup, ci_low=1.5, ci_high=2.5, p_value=0.001, date="2026-01-01",
                    sandbox="local", python="3.11", example_hash=skill.example_hash())


def test_library_loads_from_the_registry_while_it_is_in_sync(root: Path) -> None:
    fast = registry.skills_from_registry(root)
    assert fast is not None
    parsed = load_skills(root)
    assert [s.model_dump(exclude={"evidence"}) for s in fast] == [s.model_dump(exclude={"evidence"}) for s in parsed]
    assert Library.load(root).get("O001").path == str(root / "python/operator/O001-list-membership-to-set.md")


def test_an_edited_card_bypasses_the_registry_until_regenerated(root: Path) -> None:
    card = root / "python/operator/O001-list-membership-to-set.md"
    card.write_text(card.read_text().replace("tags: [membership,", "tags: [edited-tag, membership,"))
    assert registry.skills_from_registry(root) is None
    assert not registry.in_sync(root)
    assert "edited-tag" in Library.load(root).get("O001").tags
    registry.write_registry(root)
    fast = {s.id: s for s in registry.skills_from_registry(root)}
    assert registry.in_sync(root) and "edited-tag" in fast["O001"].tags


def test_evidence_is_kept_only_for_unchanged_examples(root: Path) -> None:
    library = Library.load(root)
    o001, o002 = library.get("O001"), library.get("O002")
    registry.record_evidence(root, {"O001": _evidence(o001), "O002": _evidence(o002, 3.0)})
    assert Library.load(root).get("O002").evidence.speedup == 3.0
    card = root / "python/operator/O001-list-membership-to-set.md"
    card.write_text(card.read_text().replace("in_stock = set(stock)", "in_stock = frozenset(stock)"))
    reloaded = Library.load(root)  # parsed from the cards now, evidence attached where the example is unchanged
    assert reloaded.get("O001").evidence is None
    assert reloaded.get("O002").evidence.speedup == 3.0
    document = registry.build_registry(root)
    by_id = {e["id"]: e for e in document["skills"]}
    assert by_id["O001"]["evidence"] is None and by_id["O002"]["evidence"]["speedup"] == 3.0


def test_registry_document_shape_and_check_command(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    document = json.loads(registry.registry_path(root).read_text())
    assert document["version"] == registry.REGISTRY_VERSION
    assert document["counts"]["operators"] == len([s for s in document["skills"] if s["type"] == "operator"])
    assert all(not Path(e["path"]).is_absolute() for e in document["skills"])
    monkeypatch.setenv("OPTIMIZER_AGENT_SKILLS", str(root))
    assert registry.main(["--check"]) == 0
    registry.registry_path(root).write_text("{}")
    assert registry.main(["--check"]) == 1
    assert "out of sync" in capsys.readouterr().err
    assert registry.main([]) == 0 and registry.in_sync(root)


def test_evidence_cannot_be_written_in_a_card(root: Path) -> None:
    from optimizer_agent.skilllib.loader import SkillError

    card = root / "python/operator/O001-list-membership-to-set.md"
    card.write_text(card.read_text().replace("provenance: {source: curated}",
                                             "provenance: {source: curated}\nevidence: {passed: true}"))
    with pytest.raises(SkillError, match="evidence"):
        load_skills(root)
