"""Clustering deltas: TF-IDF over their text, LSA, k-means with k chosen by silhouette, all seeded."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from optimizer_agent.skilllib.miner.config import TOP_TERMS, MinerConfig
from optimizer_agent.skilllib.miner.records import Delta

LABEL_PREFIX = "label="
TIE_EPSILON = 1e-9
"""Silhouettes closer than this count as equal, and the smaller k wins."""
_WORD = re.compile(r"[a-z_]{3,}")


def delta_text(delta: Delta, label_weight: int) -> str:
    """The document a delta contributes: weighted label tokens, feature tokens and evidence words."""
    tokens = [f"{LABEL_PREFIX}{label}" for label in delta.labels for _ in range(label_weight)]
    tokens += delta.features
    for line in delta.evidence:
        tokens += _WORD.findall(line.lower())
    return " ".join(tokens)


@dataclass
class Clustering:
    """Which cluster each delta fell into, and how k was chosen."""

    assignments: list[int]
    """Cluster number per delta; clusters are numbered by size, largest first."""
    k: int
    silhouette: float | None
    silhouette_by_k: dict[int, float]
    representatives: list[int] = field(default_factory=list)
    """Per cluster: position (in the deltas list) of the member closest to the centroid."""
    top_terms: list[list[str]] = field(default_factory=list)
    """Per cluster: the heaviest TF-IDF terms of its centroid."""

    def members(self, cluster: int) -> list[int]:
        """Positions of the deltas in `cluster`."""
        return [i for i, c in enumerate(self.assignments) if c == cluster]


def _vectorize(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)
    return vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()


def _reduce(matrix, config: MinerConfig) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    components = min(config.svd_components, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if components < 2:
        return normalize(matrix.toarray())
    reduced = TruncatedSVD(n_components=components, random_state=config.random_state).fit_transform(matrix)
    return normalize(reduced)


def _candidate_ks(points: np.ndarray, config: MinerConfig) -> range:
    distinct = len(np.unique(np.round(points, 9), axis=0))
    upper = min(config.k_max, len(points) // config.min_pairs_per_cluster, len(points) - 1, distinct)
    return range(config.k_min, upper + 1)


def _choose_k(points: np.ndarray, config: MinerConfig) -> tuple[np.ndarray, dict[int, float]]:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    best: tuple[float, np.ndarray] | None = None
    scores: dict[int, float] = {}
    for k in _candidate_ks(points, config):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            labels = KMeans(n_clusters=k, random_state=config.random_state, n_init=config.n_init).fit_predict(points)
        if not 2 <= len(set(labels)) <= len(points) - 1:
            continue
        scores[k] = float(silhouette_score(points, labels, metric="cosine"))
        if best is None or scores[k] > best[0] + TIE_EPSILON:
            best = (scores[k], labels)
    if best is None:
        return np.zeros(len(points), dtype=int), scores
    return best[1], scores


def _renumber(labels: np.ndarray) -> list[int]:
    """Cluster numbers by size (largest first), ties by first member, so output order is stable."""
    order = sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()), int(np.argmax(labels == c))))
    mapping = {old: new for new, old in enumerate(order)}
    return [mapping[c] for c in labels.tolist()]


def cluster_deltas(deltas: list[Delta], config: MinerConfig) -> Clustering:
    """Group deltas by what changed; deterministic for a given input and config."""
    import sklearn.cluster  # noqa: F401 (loads the OpenMP runtime so the limit below reaches it)
    from threadpoolctl import threadpool_limits

    # One thread: on a busy machine OpenMP's spinning workers make k-means ~15x slower, and one
    # thread also keeps float summation order, and so the clusters, identical from run to run.
    with threadpool_limits(limits=1):
        return _cluster(deltas, config)


def _cluster(deltas: list[Delta], config: MinerConfig) -> Clustering:
    texts = [delta_text(d, config.label_weight) for d in deltas]
    if len(deltas) < 3 or len(set(texts)) < 2:
        result = Clustering(assignments=[0] * len(deltas), k=1, silhouette=None, silhouette_by_k={})
    else:
        matrix, _ = _vectorize(texts)
        labels, scores = _choose_k(_reduce(matrix, config), config)
        assignments = _renumber(labels)
        k = len(set(assignments))
        result = Clustering(assignments=assignments, k=k, silhouette=scores.get(k) if k > 1 else None,
                            silhouette_by_k=scores)
    _describe(result, texts)
    return result


def _describe(result: Clustering, texts: list[str]) -> None:
    """Fill each cluster's representative member and top terms from its TF-IDF centroid."""
    matrix, terms = _vectorize(texts)
    for cluster in range(result.k):
        members = result.members(cluster)
        rows = matrix[members]
        centroid = np.asarray(rows.mean(axis=0)).ravel()
        closeness = rows @ centroid
        result.representatives.append(members[int(np.argmax(closeness))])
        top = [int(i) for i in np.argsort(-centroid, kind="stable")[:TOP_TERMS] if centroid[i] > 0]
        result.top_terms.append([str(terms[i]) for i in top])
