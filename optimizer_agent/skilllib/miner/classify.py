"""The offline classifier: a pair's two profiles become labels, change features and evidence lines."""

from __future__ import annotations

import builtins
import difflib

from optimizer_agent.skilllib.miner.catalog import LABELS, OTHER
from optimizer_agent.skilllib.miner.config import EVIDENCE_CHARS, MAX_EVIDENCE
from optimizer_agent.skilllib.miner.profile import Profile, profile_program
from optimizer_agent.skilllib.miner.records import Delta, Pair
from optimizer_agent.skilllib.miner.rules import RULES, Finding, library_import

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_")) | {"pow/3"}
METHODS = frozenset({".append", ".sort", ".pop(0)", ".insert(0)", ".join", ".index", ".count", ".get", ".add",
                     ".popleft", ".appendleft", ".extend", ".copy", ".split", ".setdefault", ".keys", ".values",
                     ".items", ".update"})
"""Method calls worth a feature; other `.name` calls are too program-specific to cluster on."""
MAX_FEATURES = 32
SIZE_CHANGE = 0.3
"""A relative change in non-empty lines beyond this makes a `size:` feature."""
DIFF_TINY_LINES = 2
DIFF_SMALL_LINES = 10
"""Changed-line counts up to these make `diff:tiny` and `diff:small`; more is `diff:large`."""


def _interesting(callee: str) -> bool:
    if callee.startswith("."):
        return callee in METHODS
    return callee in BUILTIN_NAMES or "." in callee


def changed_lines(slow: str, fast: str) -> int:
    """Lines added or removed between the two programs, ignoring blank lines and indentation."""
    a = [line.strip() for line in slow.splitlines() if line.strip()]
    b = [line.strip() for line in fast.splitlines() if line.strip()]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _diff_feature(lines: int) -> str:
    if lines <= DIFF_TINY_LINES:
        return "diff:tiny"
    return "diff:small" if lines <= DIFF_SMALL_LINES else "diff:large"


def change_features(slow: Profile, fast: Profile) -> list[str]:
    """Compact facts about what changed, e.g. `+import:collections`, `-call:eval`, `loop-depth:3>1`."""
    features: list[str] = []
    slow_mods = {i.split(".")[0] for i in slow.imports}
    fast_mods = {i.split(".")[0] for i in fast.imports}
    features += [f"+import:{m}" for m in sorted(fast_mods - slow_mods)]
    features += [f"-import:{m}" for m in sorted(slow_mods - fast_mods)]
    for callee in sorted(set(slow.calls) | set(fast.calls)):
        before, after = slow.calls.get(callee, 0), fast.calls.get(callee, 0)
        if before != after and _interesting(callee) and (before == 0 or after == 0):
            features.append(f"{'+' if after else '-'}call:{callee}")
    if slow.loops != fast.loops:
        features.append(f"loops:{'fewer' if fast.loops < slow.loops else 'more'}")
    if slow.max_loop_depth != fast.max_loop_depth:
        features.append(f"loop-depth:{slow.max_loop_depth}>{fast.max_loop_depth}")
    if slow.lines and abs(fast.lines - slow.lines) / slow.lines > SIZE_CHANGE:
        features.append(f"size:{'smaller' if fast.lines < slow.lines else 'larger'}")
    if not (slow.parsed and fast.parsed):
        features.append("parse:tokens")
    return features[:MAX_FEATURES]


def shorten(text: str) -> str:
    """`text` on one line, cut to EVIDENCE_CHARS."""
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 3] + "..."


def _quote(source: str, other: str, needles: tuple[str, ...]) -> str | None:
    """The first line holding a needle that the other program does not have verbatim."""
    others = {line.strip() for line in other.splitlines()}
    for needle in needles:
        for line in source.splitlines():
            stripped = line.strip()
            if needle in stripped and stripped not in others and not stripped.startswith("#"):
                return stripped
    return None


def _evidence(findings: list[Finding], pair: Pair) -> list[str]:
    lines: list[str] = []
    for finding in findings:
        lines += [f"{finding.label}: {e}" for e in finding.evidence]
        slow = _quote(pair.slow, pair.fast, finding.slow_needles)
        fast = _quote(pair.fast, pair.slow, finding.fast_needles)
        if slow:
            lines.append(f"slow: {slow}")
        if fast:
            lines.append(f"fast: {fast}")
    unique = list(dict.fromkeys(shorten(line) for line in lines))
    return unique[:MAX_EVIDENCE]


def classify_profiles(slow: Profile, fast: Profile) -> list[Finding]:
    """Every rule's finding for this pair of profiles, in catalog order."""
    findings = [f for rule in RULES if (f := rule(slow, fast)) is not None]
    extra = library_import(slow, fast, {f.label for f in findings})
    if extra is not None:
        findings.append(extra)
    order = list(LABELS)
    return sorted(findings, key=lambda f: order.index(f.label))


def classify_pair(pair: Pair) -> Delta:
    """The AST-diff delta of one pair (token-level when either program does not parse)."""
    slow, fast = profile_program(pair.slow), profile_program(pair.fast)
    findings = classify_profiles(slow, fast)
    labels = [f.label for f in findings] or [OTHER]
    features = [_diff_feature(changed_lines(pair.slow, pair.fast)), *change_features(slow, fast)]
    return Delta(index=pair.index, problem_id=pair.problem_id, source="ast" if slow.parsed and fast.parsed else "tokens",
                 labels=labels, features=features[:MAX_FEATURES], evidence=_evidence(findings, pair))
