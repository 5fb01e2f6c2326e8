"""Dedupe: a draft that copies a library card is marked as its duplicate; an unrelated one is not."""

from __future__ import annotations

from optimizer_agent.skilllib.loader import Library
from optimizer_agent.skilllib.miner.config import DUPLICATE_COSINE
from optimizer_agent.skilllib.miner.dedupe import mark_duplicates, similarity
from optimizer_agent.skilllib.miner.draft import Draft


def draft(name: str, description: str, tags: list[str], triggers: list[str]) -> Draft:
    return Draft(id="D001", cluster=0, name=name, family="data-structure", description=description, labels={},
                 dominant=[], tags=tags, triggers=triggers, steps=[], pitfalls=[], when_not=[], support=3,
                 dataset="t", members=[0, 1, 2], representative=0, before="", after="", top_terms=[], evidence=[])


def test_near_copy_of_a_library_card_is_a_duplicate() -> None:
    library = Library.load()
    card = library.get("O001")
    near_copy = draft(card.name.replace("inside a loop", "in a loop"), card.description,
                      [*card.tags[:-1], "mined"], card.triggers)
    unrelated = draft("Render HTML templates once", "Compile a Jinja template at start-up and reuse it per request.",
                      ["jinja", "template", "html"], ["a template compiled per request"])
    mark_duplicates([near_copy, unrelated], library.skills, DUPLICATE_COSINE)
    assert near_copy.duplicate_of == "O001"
    assert near_copy.nearest_skill == "O001" and near_copy.nearest_cosine >= DUPLICATE_COSINE
    assert unrelated.duplicate_of is None
    assert unrelated.nearest_cosine < DUPLICATE_COSINE


def test_threshold_is_inclusive_and_configurable() -> None:
    library = Library.load()
    card = library.get("O001")
    copy = draft(card.name, card.description, list(card.tags), list(card.triggers))
    mark_duplicates([copy], library.skills, threshold=0.999)
    assert copy.nearest_cosine >= 0.999 and copy.duplicate_of == "O001"
    mark_duplicates([copy], library.skills, threshold=1.01)
    assert copy.duplicate_of is None and copy.nearest_skill == "O001"


def test_similarity_edge_cases() -> None:
    assert similarity([], ["a b"]).shape == (0, 1)
    assert similarity(["a b"], []).shape == (1, 0)
    assert similarity(["the and of"], ["the"]).tolist() == [[0.0]]
    scores = similarity(["deque popleft queue", "sieve primes"], ["queue with deque popleft", "prime sieve"])
    assert scores[0, 0] > scores[0, 1] and scores[1, 1] > scores[1, 0]


def test_empty_library_marks_nothing() -> None:
    d = draft("x", "y", [], [])
    mark_duplicates([d], [], DUPLICATE_COSINE)
    assert d.duplicate_of is None and d.nearest_skill is None
