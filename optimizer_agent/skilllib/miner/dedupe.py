"""Marking drafts that repeat a library skill: TF-IDF cosine over name, description, tags and triggers."""

from __future__ import annotations

import numpy as np

from optimizer_agent.skilllib.miner.draft import Draft
from optimizer_agent.skilllib.schema import Skill


def similarity(draft_texts: list[str], skill_texts: list[str]) -> np.ndarray:
    """Cosine similarity of each draft text (rows) to each skill text (columns) in one TF-IDF space."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not draft_texts or not skill_texts:
        return np.zeros((len(draft_texts), len(skill_texts)))
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b\w[\w\-]+\b")
    try:
        matrix = vectorizer.fit_transform([*skill_texts, *draft_texts])
    except ValueError:  # every text is stop words: nothing to compare
        return np.zeros((len(draft_texts), len(skill_texts)))
    skills, drafts = matrix[: len(skill_texts)], matrix[len(skill_texts):]
    return np.asarray((drafts @ skills.T).todense())


def mark_duplicates(drafts: list[Draft], skills: list[Skill], threshold: float) -> None:
    """Set each draft's nearest skill and cosine, and `duplicate_of` where the cosine reaches `threshold`."""
    scores = similarity([d.search_text() for d in drafts], [s.search_text() for s in skills])
    for row, draft in zip(scores, drafts):
        if not len(row):
            continue
        best = int(np.argmax(row))
        draft.nearest_skill = skills[best].id
        draft.nearest_cosine = round(float(row[best]), 4)
        draft.duplicate_of = skills[best].id if row[best] >= threshold else None
