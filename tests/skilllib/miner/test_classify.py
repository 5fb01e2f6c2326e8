"""The offline AST-diff classifier: handwritten slow/fast pairs get the labels a reviewer would give them."""

from __future__ import annotations

import pytest

from optimizer_agent.skilllib.miner.catalog import LABELS
from optimizer_agent.skilllib.miner.classify import changed_lines, classify_pair
from tests.skilllib.miner.conftest import pair
from tests.skilllib.miner.samples import PY2_FAST, PY2_SLOW, SAMPLES


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_handwritten_pair_gets_its_labels(name: str) -> None:
    slow, fast, expected = SAMPLES[name]
    delta = classify_pair(pair(slow, fast))
    assert delta.source == "ast"
    assert expected <= set(delta.labels), (delta.labels, delta.evidence)
    assert all(label in LABELS for label in delta.labels)
    if expected != {"other"}:
        assert "other" not in delta.labels
        assert delta.evidence, "a labelled change must say why"


def test_cosmetic_change_is_only_other() -> None:
    slow, fast, _ = SAMPLES["cosmetic"]
    delta = classify_pair(pair(slow, fast))
    assert delta.labels == ["other"]
    assert "diff:tiny" in delta.features


def test_evidence_quotes_the_changed_lines() -> None:
    slow, fast, _ = SAMPLES["stdin"]
    delta = classify_pair(pair(slow, fast))
    assert "fast: input = sys.stdin.readline" in delta.evidence
    assert any(line.startswith("slow: ") and "eval(input())" in line for line in delta.evidence)
    assert "+import:sys" in delta.features and "-call:eval" in delta.features


def test_python2_program_degrades_to_tokens() -> None:
    delta = classify_pair(pair(PY2_SLOW, PY2_FAST))
    assert delta.source == "tokens"
    assert "parse:tokens" in delta.features
    assert {"fast-input", "batched-output"} <= set(delta.labels)
    assert "batched-output: print inside loops 1 -> 0" in delta.evidence


def test_unparseable_garbage_on_both_sides_is_other() -> None:
    delta = classify_pair(pair("def (:\n  ???", "def )):\n  !!!"))
    assert delta.source == "tokens"
    assert delta.labels == ["other"]


def test_labels_follow_catalog_order() -> None:
    slow, fast, _ = SAMPLES["formula"]
    labels = classify_pair(pair(slow, fast)).labels
    order = list(LABELS)
    assert labels == sorted(labels, key=order.index)


def test_changed_lines_ignores_blank_lines_and_indentation() -> None:
    assert changed_lines("a = 1\n\n\nb = 2\n", "a = 1\n    b = 2\n") == 0
    assert changed_lines("a = 1\nb = 2\n", "a = 1\nb = 3\nc = 4\n") == 2
