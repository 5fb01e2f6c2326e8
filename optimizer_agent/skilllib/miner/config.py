"""Every threshold of the miner in one place, and the pydantic config that carries them."""

from __future__ import annotations

from pydantic import BaseModel, Field

DUPLICATE_COSINE = 0.78
"""A draft whose TF-IDF cosine with a library skill reaches this is marked as its duplicate."""
K_MIN = 2
K_MAX = 40
"""Cluster counts tried; the one with the best silhouette wins (ties go to the smaller k)."""
MIN_PAIRS_PER_CLUSTER = 3
"""k never exceeds pairs / this, so a tiny input is not shattered into singletons."""
RANDOM_STATE = 0
KMEANS_N_INIT = 10
SVD_COMPONENTS = 64
"""LSA dimensions before k-means; sparse TF-IDF vectors cluster poorly in their raw space."""
LABEL_WEIGHT = 3
"""Each label is repeated this often in the delta text, so labels outweigh incidental evidence words."""
CLUSTER_LABEL_SHARE = 0.5
"""A label names a cluster when at least this share of its pairs carry it."""
MAX_CLUSTER_LABELS = 3
MAX_EVIDENCE = 8
"""Evidence lines kept per pair."""
EVIDENCE_CHARS = 140
EXAMPLE_MAX_LINES = 30
"""Longest Before or After block in a draft; longer programs are cut to the changed region."""
EXAMPLE_CONTEXT_LINES = 3
MEMBERS_LISTED = 12
"""Member pairs named in a draft's Evidence section (summary.json lists them all)."""
TOP_TERMS = 8
LLM_CODE_CHARS = 6000
"""Programs longer than this are cut before they are sent to the LLM."""
HEAVY_MODULES = frozenset({"numpy", "scipy", "pandas", "networkx", "sklearn", "numba", "sympy", "matplotlib"})
"""Imports whose start-up cost alone dominates a short script."""


class MinerConfig(BaseModel):
    """How the miner clusters, drafts and dedupes; defaults are the constants above."""

    duplicate_cosine: float = Field(DUPLICATE_COSINE, ge=0.0, le=1.0)
    k_min: int = Field(K_MIN, ge=2)
    k_max: int = Field(K_MAX, ge=2)
    min_pairs_per_cluster: int = Field(MIN_PAIRS_PER_CLUSTER, ge=1)
    random_state: int = RANDOM_STATE
    n_init: int = Field(KMEANS_N_INIT, ge=1)
    svd_components: int = Field(SVD_COMPONENTS, ge=2)
    label_weight: int = Field(LABEL_WEIGHT, ge=1)
    dataset: str = ""
    """Name recorded in each draft's provenance; defaults to the pairs file name."""
LLM_GIVE_UP_AFTER = 3
"""Consecutive pairs without any reply after which the miner stops asking the LLM (the endpoint is down)."""
PROGRESS_EVERY = 50
"""Pairs between progress lines on the LLM path."""
