"""Clustering: distinct changes land in distinct clusters, and the result never varies between runs."""

from __future__ import annotations

from optimizer_agent.skilllib.miner.cluster import cluster_deltas, delta_text
from optimizer_agent.skilllib.miner.config import MinerConfig
from optimizer_agent.skilllib.miner.records import Delta

GROUPS = {
    "fast-input": (["+import:sys", "-call:input", "+call:sys.stdin.readline"], "input = sys.stdin.readline"),
    "deque": (["+import:collections", "+call:collections.deque", "-call:.pop(0)"], "queue = deque()"),
    "memoization": (["+import:functools", "+call:functools.lru_cache"], "@lru_cache(maxsize=None)"),
}


def synthetic_deltas(per_group: int = 6) -> list[Delta]:
    """Three clearly different kinds of change, interleaved; each member adds one word of its own."""
    deltas = []
    for i in range(per_group):
        for label, (features, quote) in GROUPS.items():
            own = f"word{len(deltas)}"
            deltas.append(Delta(index=len(deltas), source="ast", labels=[label], features=features,
                                evidence=[f"fast: {quote}", own]))
    return deltas


def test_distinct_changes_form_their_own_clusters() -> None:
    deltas = synthetic_deltas()
    result = cluster_deltas(deltas, MinerConfig())
    assert result.k == 3
    for cluster in range(result.k):
        labels = {deltas[i].labels[0] for i in result.members(cluster)}
        assert len(labels) == 1
        assert len(result.members(cluster)) == 6
        assert deltas[result.representatives[cluster]].labels[0] in labels
        assert result.top_terms[cluster][0].startswith("label=")
    assert result.silhouette is not None and result.silhouette > 0.5
    assert set(result.silhouette_by_k) >= {2, 3}


def test_clusters_are_numbered_by_size() -> None:
    deltas = synthetic_deltas()[:-2]  # drop one deque and one memoization delta
    result = cluster_deltas(deltas, MinerConfig())
    sizes = [len(result.members(c)) for c in range(result.k)]
    assert sizes == sorted(sizes, reverse=True)
    assert deltas[result.members(0)[0]].labels == ["fast-input"]


def test_tiny_or_uniform_input_is_one_cluster() -> None:
    two = synthetic_deltas()[:2]
    assert cluster_deltas(two, MinerConfig()).k == 1
    same = [Delta(index=i, source="ast", labels=["other"]) for i in range(5)]
    result = cluster_deltas(same, MinerConfig())
    assert result.k == 1 and result.assignments == [0] * 5 and result.silhouette is None


def test_labels_outweigh_evidence_words() -> None:
    delta = Delta(index=0, source="ast", labels=["deque"], features=["+import:collections"], evidence=["Fast: X1 y"])
    text = delta_text(delta, label_weight=3)
    assert text.split().count("label=deque") == 3
    assert "fast" in text.split() and "+import:collections" in text.split()


def test_same_input_same_clusters() -> None:
    here = cluster_deltas(synthetic_deltas(8), MinerConfig())
    again = cluster_deltas(synthetic_deltas(8), MinerConfig())
    assert (here.assignments, here.k, here.representatives, here.top_terms) == (
        again.assignments, again.k, again.representatives, again.top_terms)
    assert here.silhouette_by_k == again.silhouette_by_k
