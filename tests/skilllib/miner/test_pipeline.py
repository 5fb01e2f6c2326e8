"""Mining end to end in-process: drafts in the library's card format, support counts, dedupe, and safe outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.cards import example_code, split_front_matter, split_sections
from optimizer_agent.skilllib.loader import Library, default_root
from optimizer_agent.skilllib.miner import mine
from optimizer_agent.skilllib.miner.catalog import LABELS
from optimizer_agent.skilllib.miner.records import MineSummary
from optimizer_agent.skilllib.schema import OPERATOR_SECTIONS, Skill
from tests.skilllib.miner.conftest import sample_file
from tests.skilllib.miner.samples import SAMPLES

COPIES = 3


def deque_card() -> Skill:
    """A library card saying exactly what the miner's deque label says."""
    info = LABELS["deque"]
    code = "def f(x):\n    return x\n"
    return Skill(id="O900", type="operator", family="data-structure", name=info.title, description=info.description,
                 tags=list(info.tags), triggers=list(info.triggers), provenance={"source": "curated"},
                 example={"entry": "f", "inputs": ["(1,)"]}, before=code, after=code)


def run(tmp_path: Path, out: Path, skills: list[Skill], limit: int | None = None) -> MineSummary:
    return mine(sample_file(tmp_path, COPIES), out, skills=skills, skills_root=default_root(), limit=limit)


@pytest.fixture(scope="module")
def mined(tmp_path_factory) -> tuple[Path, MineSummary]:
    """One mining run over the samples, against the library plus a card that copies the deque label."""
    tmp = tmp_path_factory.mktemp("mine")
    out = tmp / "mined"
    return out, run(tmp, out, [*Library.load().skills, deque_card()])


def test_drafts_summary_and_deltas(mined: tuple[Path, MineSummary]) -> None:
    out, summary = mined
    total = COPIES * len(SAMPLES)
    assert summary.pairs == total and summary.sources == {"ast": total}
    assert sum(c.support for c in summary.clusters) == total
    assert [c.support for c in summary.clusters] == sorted((c.support for c in summary.clusters), reverse=True)
    assert [c.draft_id for c in summary.clusters] == [f"D{i:03d}" for i in range(1, summary.k + 1)]
    assert json.loads((out / "summary.json").read_text()) == json.loads(summary.model_dump_json())
    deltas = [json.loads(line) for line in (out / "deltas.jsonl").read_text().splitlines()]
    assert [d["index"] for d in deltas] == list(range(total))

    drafts = sorted((out / "drafts").glob("D*.md"))
    assert len(drafts) == summary.k
    for stat in summary.clusters:
        text = (out / stat.file).read_text()
        front, body = split_front_matter(text)
        data = yaml.safe_load(front)
        assert data["id"] == stat.draft_id and data["type"] == "operator" and data["language"] == "python"
        assert data["family"] == stat.family
        assert data["provenance"] == {"source": "mined", "pairs": stat.support, "dataset": "pairs.jsonl"}
        assert data["tags"] and data["triggers"] and data["name"] and data["description"]
        sections = split_sections(body)
        assert set(OPERATOR_SECTIONS) <= set(sections)
        code = example_code(sections["Example"])
        assert code["before"].strip() and code["after"].strip()
        assert f"Support: {stat.support} pairs" in sections["Evidence"]

    deque = next(c for c in summary.clusters if "deque" in c.label)
    assert deque.duplicate_of == "O900" and deque.nearest_cosine >= summary.duplicate_cosine
    deque_front = yaml.safe_load(split_front_matter((out / deque.file).read_text())[0])
    assert deque_front["duplicate_of"] == "O900"
    assert all(c.duplicate_of is None for c in summary.clusters if "deque" not in c.labels)


def test_representative_example_comes_from_the_cluster(mined: tuple[Path, MineSummary]) -> None:
    out, summary = mined
    memo = next(c for c in summary.clusters if c.label == "memoization")
    assert memo.support == COPIES and memo.representative in memo.members
    assert memo.labels == {"memoization": COPIES} and memo.median_speedup == pytest.approx(3.01)
    text = (out / memo.file).read_text()
    assert "@lru_cache(maxsize=None)" in example_code(split_sections(split_front_matter(text)[1])["Example"])["after"]


def test_rerun_replaces_own_drafts_only(tmp_path: Path) -> None:
    out = tmp_path / "mined"
    run(tmp_path, out, Library.load().skills, limit=12)
    assert len(list((out / "drafts").glob("D*.md"))) > 2
    keep = out / "drafts" / "notes.md"
    keep.write_text("reviewer notes\n")
    summary = run(tmp_path, out, Library.load().skills, limit=2)
    assert summary.pairs == 2 and summary.k == 1
    assert len(list((out / "drafts").glob("D*.md"))) == summary.k
    assert keep.read_text() == "reviewer notes\n"


def test_refuses_to_write_into_the_library(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="inside the skill library"):
        run(tmp_path, default_root() / "python" / "mined", Library.load().skills)
    assert not (default_root() / "python" / "mined").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="not a folder"):
        run(tmp_path, tmp_path / "file", [])
