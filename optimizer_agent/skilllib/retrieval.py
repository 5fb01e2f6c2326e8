"""Rank skills for one diagnosis: BM25 over each operator's text, boosted by the detectors that fired."""

from __future__ import annotations

import re

from optimizer_agent.skilllib.loader import Library
from optimizer_agent.skilllib.schema import Skill
from optimizer_agent.state import Signal, SkillMatch

DETECTOR_BOOST = 2.0
"""Added to a skill whose detector fired; larger than any normalised BM25 score, so detector hits rank first."""
MIN_BM25 = 0.2
"""A skill without a detector hit needs at least this share of the best BM25 score to be returned."""
MAX_HIT_REASONS = 3
"""Detector lines listed per skill; more hits add nothing to the reader."""
ASYMPTOTIC_BONUS = 0.5
"""Added on top of the detector boost when the skill changes the complexity class (O(n^2) -> O(n)): when several
detectors fire on one function, the quadratic problem outranks the constant-factor one."""
CALL_WEIGHT = 2
"""How many times a called name (`xs.count(`, `sorted(`) counts in a query, against once for any other word:
what code calls says more about its cost than what it names its variables."""

_STOPWORDS = frozenset(
    "a an and are as at be by def do does else elif for from if import in into is it its not of on or "
    "return self the then this to use used uses using when while with without none true false "
    # Plain-English glue that diagnoses are full of and that says nothing about a mechanism.
    "how many each every per up which what that than there their they them so very also just can could "
    "should would will was were has have had been being".split()
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"[a-z0-9]+|[A-Z][a-z0-9]*")
_CALL_WITH_ZERO = re.compile(r"\b([A-Za-z_]\w*)\(\s*(0)\s*[,)]")
_END_INDEX = re.compile(r"\)\s*\[\s*-?[01]\s*\]")
_HEAD_SLICE = re.compile(r"\)\s*\[\s*-?\w*\s*:\s*-?\w*\s*\]")
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_BIG_O = re.compile(r"O\(([^()]*(?:\([^()]*\)[^()]*)*)\)")


def _stem(word: str) -> str:
    # Plural folding only: `keys`/`key`, `queries`/`query`; anything smarter hurts code identifiers.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; identifiers are split on `_` and camelCase, and code idioms get their own tokens."""
    tokens: list[str] = []
    # `pop(0)` and `insert(0, x)` mean something different from `pop()`: keep the literal as part of a token.
    tokens += [f"{name.lower()}{arg}" for name, arg in _CALL_WITH_ZERO.findall(text)]
    tokens += ["endindex"] * len(_END_INDEX.findall(text))
    tokens += ["headslice"] * len(_HEAD_SLICE.findall(text))
    for word in _WORD.findall(text):
        parts = [p for chunk in word.split("_") for p in _CAMEL.findall(chunk)]
        if len(parts) > 1:
            tokens.append(word.lower())
        tokens += [p.lower() for p in parts]
    return [_stem(t) for t in tokens if len(t) > 1 and t not in _STOPWORDS]


def query_tokens(text: str) -> list[str]:
    """The tokens of a query, each distinct word once and each called name CALL_WEIGHT times.

    Repeated variable names would otherwise outweigh the one call that carries the cost (`best` five times
    against `count` twice)."""
    called = set(tokenize(" ".join(_CALLED.findall(text))))
    return [t for t in dict.fromkeys(tokenize(text)) for _ in range(CALL_WEIGHT if t in called else 1)]


def changes_complexity(skill: Skill) -> bool:
    """True when the card's complexity moves to a different big-O class (not just a smaller constant)."""
    if skill.complexity is None:
        return False
    before, after = _BIG_O.search(skill.complexity.before), _BIG_O.search(skill.complexity.after)
    if before is None or after is None:
        return False
    return before.group(1).replace(" ", "") != after.group(1).replace(" ", "")


def _bm25_scores(skills: list[Skill], query: list[str]) -> list[float]:
    """BM25 score of each skill for `query`, divided by the best score (all zeros when nothing matches)."""
    import bm25s  # deferred: it pulls in numpy and costs a quarter second that `--help` should not pay

    index = bm25s.BM25()
    index.index([tokenize(s.search_text()) for s in skills], show_progress=False)
    raw = [float(x) for x in index.get_scores(query)] if query else [0.0] * len(skills)
    best = max(raw, default=0.0)
    return [x / best if best > 0 else 0.0 for x in raw]


def _operator_match(skill: Skill, bm25: float, signals: list[Signal]) -> SkillMatch | None:
    hits = [s for s in signals if skill.detect and s.detector == skill.detect]
    if not hits and bm25 < MIN_BM25:
        return None
    reasons = [f"detector {h.detector} at line {h.line}" for h in hits[:MAX_HIT_REASONS]]
    if bm25 > 0:
        reasons.append(f"bm25 {bm25:.2f}")
    score = bm25 + (DETECTOR_BOOST + (ASYMPTOTIC_BONUS if changes_complexity(skill) else 0.0) if hits else 0.0)
    return SkillMatch(skill_id=skill.id, name=skill.name, kind="operator", score=round(score, 4),
                      rewrite=skill.rewrite, reasons=reasons)


def _meta_matches(library: Library, operators: list[SkillMatch]) -> list[SkillMatch]:
    found: list[tuple[int, SkillMatch]] = []
    for meta in library.metas:
        used = [m for m in operators if m.skill_id in meta.uses]
        if used:
            match = SkillMatch(skill_id=meta.id, name=meta.name, kind="meta", score=max(m.score for m in used),
                               reasons=[f"uses {', '.join(m.skill_id for m in used)}"])
            found.append((len(used), match))
    found.sort(key=lambda pair: (-pair[1].score, -pair[0], pair[1].skill_id))
    return [match for _, match in found]


def retrieve(library: Library, query_text: str, signals: list[Signal], k: int = 5) -> list[SkillMatch]:
    """The top-k operator skills for a query and its signals, then the meta skills that use any of them."""
    operators = library.operators
    if not operators or k <= 0:
        return []
    signal_text = " ".join(f"{s.detector} {s.message}" for s in signals)
    bm25 = _bm25_scores(operators, query_tokens(f"{query_text}\n{signal_text}"))
    matches = [m for skill, score in zip(operators, bm25) if (m := _operator_match(skill, score, signals))]
    matches.sort(key=lambda m: (-m.score, m.skill_id))
    top = matches[:k]
    return top + _meta_matches(library, top)
