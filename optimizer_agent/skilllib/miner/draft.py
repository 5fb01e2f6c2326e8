"""Drafting one skill card per cluster: front matter, sections from the label catalog, and a mined example."""

from __future__ import annotations

import re
import statistics
from collections import Counter

from pydantic import BaseModel, Field

from optimizer_agent.skilllib.miner.catalog import LABELS, OTHER, LabelInfo
from optimizer_agent.skilllib.miner.config import CLUSTER_LABEL_SHARE, MAX_CLUSTER_LABELS
from optimizer_agent.skilllib.miner.example import trim_pair
from optimizer_agent.skilllib.miner.records import Delta, Pair

DRAFT_ID_FORMAT = "D{:03d}"
SLUG_CHARS = 48
MAX_TAGS = 12
MAX_TRIGGERS = 6
FEATURE_PREFIXES = ("+", "-", "loops:", "loop-depth:", "size:", "diff:", "parse:")


class Draft(BaseModel):
    """A skill card drafted from one cluster, before it is rendered to Markdown."""

    id: str
    cluster: int
    name: str
    family: str
    description: str
    labels: dict[str, int]
    dominant: list[str]
    tags: list[str]
    triggers: list[str]
    steps: list[str]
    pitfalls: list[str]
    when_not: list[str]
    support: int
    dataset: str
    members: list[int]
    """Pair indices in the cluster."""
    representative: int
    before: str
    after: str
    top_terms: list[str]
    evidence: list[str]
    """The representative pair's evidence lines."""
    mechanisms: list[str] = Field(default_factory=list)
    """What the LLM said changed, for the members it traced."""
    complexity: dict[str, str] | None = None
    median_speedup: float | None = None
    duplicate_of: str | None = None
    nearest_skill: str | None = None
    nearest_cosine: float = 0.0

    @property
    def slug(self) -> str:
        """A file-name-safe form of the name."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:SLUG_CHARS].rstrip("-") or "draft"

    @property
    def file_name(self) -> str:
        """`D001-some-name.md`."""
        return f"{self.id}-{self.slug}.md"

    def search_text(self) -> str:
        """The text dedupe compares with library skills: name, description, tags and triggers."""
        return " ".join([self.name, self.description, *self.tags, *self.triggers])


def dominant_labels(counts: Counter[str], support: int) -> list[str]:
    """Labels carried by at least CLUSTER_LABEL_SHARE of the members (at least the most common one)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], list(LABELS).index(kv[0]) if kv[0] in LABELS else 99))
    chosen = [label for label, n in ranked if n / support >= CLUSTER_LABEL_SHARE][:MAX_CLUSTER_LABELS]
    if not chosen and ranked:
        chosen = [ranked[0][0]]
    # `other` only names a cluster that has nothing better.
    return [label for label in chosen if label != OTHER] or chosen


def _union(groups: list[tuple[str, ...]], limit: int) -> list[str]:
    return list(dict.fromkeys(item for group in groups for item in group))[:limit]


def _name(infos: list[LabelInfo], top_terms: list[str]) -> str:
    if [i.id for i in infos] == [OTHER]:
        features = [t for t in top_terms if t.startswith(FEATURE_PREFIXES)][:3]
        return "Unclassified change" + (f" ({', '.join(features)})" if features else "")
    return "; ".join(info.title for info in infos)


def _complexity(deltas: list[Delta]) -> dict[str, str] | None:
    pairs = Counter((d.trace.slow_audit.complexity, d.trace.fast_audit.complexity) for d in deltas
                    if d.trace and d.trace.slow_audit.complexity and d.trace.fast_audit.complexity)
    if not pairs:
        return None
    (before, after), _ = pairs.most_common(1)[0]
    return {"before": before, "after": after}


def draft_cluster(cluster: int, draft_number: int, members: list[Delta], pairs: dict[int, Pair],
                  representative: Delta, top_terms: list[str], dataset: str) -> Draft:
    """The draft card for one cluster of deltas."""
    counts = Counter(label for d in members for label in d.labels)
    support = len(members)
    dominant = dominant_labels(counts, support)
    infos = [LABELS[label] for label in dominant if label in LABELS] or [LABELS[OTHER]]
    rep_pair = pairs[representative.index]
    before, after = trim_pair(rep_pair.slow, rep_pair.fast)
    speedups = [s for d in members if (s := pairs[d.index].speedup) is not None]
    mechanisms = Counter(d.trace.mechanism for d in members if d.trace and d.trace.mechanism)
    return Draft(
        id=DRAFT_ID_FORMAT.format(draft_number), cluster=cluster, name=_name(infos, top_terms),
        family=infos[0].family, description=infos[0].description,
        labels=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))), dominant=dominant,
        tags=_union([(*info.tags,) for info in infos] + [tuple(i.id for i in infos)], MAX_TAGS),
        triggers=_union([info.triggers for info in infos], MAX_TRIGGERS),
        steps=_union([info.steps for info in infos], 99), pitfalls=_union([info.pitfalls for info in infos], 99),
        when_not=_union([info.when_not for info in infos], 99), support=support, dataset=dataset,
        members=[d.index for d in members], representative=representative.index, before=before, after=after,
        top_terms=top_terms, evidence=representative.evidence, mechanisms=[m for m, _ in mechanisms.most_common(3)],
        complexity=_complexity(members), median_speedup=round(statistics.median(speedups), 2) if speedups else None,
    )
