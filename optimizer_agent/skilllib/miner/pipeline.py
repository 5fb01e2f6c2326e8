"""Stage I end to end: pairs -> deltas -> clusters -> drafts -> dedupe -> files for review."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer_agent.skilllib.miner.classify import classify_pair
from optimizer_agent.skilllib.miner.cluster import Clustering, cluster_deltas
from optimizer_agent.skilllib.miner.config import LLM_GIVE_UP_AFTER, PROGRESS_EVERY, MinerConfig
from optimizer_agent.skilllib.miner.dedupe import mark_duplicates
from optimizer_agent.skilllib.miner.draft import Draft, draft_cluster
from optimizer_agent.skilllib.miner.outputs import prepare_out_dir, write_outputs
from optimizer_agent.skilllib.miner.pairs import read_pairs
from optimizer_agent.skilllib.miner.records import ClusterStat, Delta, MineSummary, Pair
from optimizer_agent.skilllib.schema import Skill

if TYPE_CHECKING:
    from optimizer_agent.models.base import Model

Say = Callable[[str], None]
UNAVAILABLE = "LLM unavailable"


def _quiet(_: str) -> None:
    """Discard a message."""


def compute_deltas(pairs: list[Pair], model: Model | None, progress: Say = _quiet, warn: Say = _quiet) -> list[Delta]:
    """One delta per pair: the LLM trace where a model is given and answers, else the AST classifier's."""
    deltas = [classify_pair(pair) for pair in pairs]
    if model is None:
        return deltas
    return _trace(pairs, deltas, model, progress, warn)


def _trace(pairs: list[Pair], ast_deltas: list[Delta], model: Model, progress: Say, warn: Say) -> list[Delta]:
    """Ask the model about each pair in turn; stop asking when the budget is spent or the endpoint is down."""
    from optimizer_agent.models.base import BudgetExhausted
    from optimizer_agent.skilllib.miner.trace import llm_delta

    deltas: list[Delta] = []
    live: Model | None = model
    down_streak = 0
    for n, (pair, delta) in enumerate(zip(pairs, ast_deltas), start=1):
        if live is not None:
            try:
                delta = llm_delta(live, pair, delta)
            except BudgetExhausted as exc:
                warn(f"LLM budget exhausted after {n - 1} pairs ({exc}); the rest use the AST classifier")
                live = None
                delta = delta.model_copy(update={"fallback_reason": "LLM budget exhausted"})
            down_streak = down_streak + 1 if (delta.fallback_reason or "").startswith(UNAVAILABLE) else 0
            if live is not None and down_streak >= LLM_GIVE_UP_AFTER:
                warn(f"the LLM gave no reply for {down_streak} pairs in a row; the rest use the AST classifier")
                live = None
        if n % PROGRESS_EVERY == 0:
            progress(f"traced {n}/{len(pairs)} pairs")
        deltas.append(delta)
    return deltas


def build_drafts(deltas: list[Delta], pairs: dict[int, Pair], config: MinerConfig, dataset: str,
                 skills: list[Skill]) -> tuple[list[Draft], Clustering]:
    """Cluster the deltas, draft one card per cluster (largest first) and mark library duplicates."""
    clustering = cluster_deltas(deltas, config)
    drafts = []
    for cluster in range(clustering.k):
        members = [deltas[i] for i in clustering.members(cluster)]
        drafts.append(draft_cluster(cluster, cluster + 1, members, pairs, deltas[clustering.representatives[cluster]],
                                    clustering.top_terms[cluster], dataset))
    mark_duplicates(drafts, skills, config.duplicate_cosine)
    return drafts, clustering


def _stat(draft: Draft) -> ClusterStat:
    return ClusterStat(draft_id=draft.id, file=f"drafts/{draft.file_name}", support=draft.support,
                       label=" + ".join(draft.dominant), family=draft.family, labels=draft.labels,
                       top_terms=draft.top_terms, representative=draft.representative, members=draft.members,
                       median_speedup=draft.median_speedup, duplicate_of=draft.duplicate_of,
                       nearest_skill=draft.nearest_skill, nearest_cosine=draft.nearest_cosine)


def mine(pairs_path: Path, out_dir: Path, *, skills: list[Skill], skills_root: Path, model: Model | None = None,
         limit: int | None = None, config: MinerConfig | None = None, progress: Say = _quiet,
         warn: Say = _quiet) -> MineSummary:
    """Mine `pairs_path` into draft skill cards under `out_dir`; returns what summary.json holds."""
    started = time.monotonic()
    config = config or MinerConfig()
    dataset = config.dataset or pairs_path.name
    prepare_out_dir(out_dir, skills_root)
    pairs = read_pairs(pairs_path, limit)
    progress(f"read {len(pairs)} pairs from {pairs_path}")
    deltas = compute_deltas(pairs, model, progress, warn)
    sources = Counter(d.source for d in deltas)
    progress("deltas: " + ", ".join(f"{n} {source}" for source, n in sorted(sources.items())))
    by_index = {p.index: p for p in pairs}
    drafts, clustering = build_drafts(deltas, by_index, config, dataset, skills)
    progress(f"{clustering.k} clusters (silhouette {clustering.silhouette or 0:.3f}); "
             f"{sum(1 for d in drafts if d.duplicate_of)} duplicate the library")
    summary = MineSummary(pairs=len(pairs), sources=dict(sorted(sources.items())), k=clustering.k,
                          silhouette=clustering.silhouette, silhouette_by_k=clustering.silhouette_by_k,
                          duplicate_cosine=config.duplicate_cosine, dataset=dataset,
                          model=getattr(model, "name", None), clusters=[_stat(d) for d in drafts])
    summary.seconds = round(time.monotonic() - started, 2)
    write_outputs(out_dir, by_index, deltas, drafts, summary)
    return summary
