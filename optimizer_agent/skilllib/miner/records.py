"""The miner's records: a slow/fast pair, its structured delta, clusters, drafts and the run summary."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Pair(BaseModel):
    """One slow/fast program pair read from the input JSONL."""

    index: int
    """0-based position among the file's pairs; the stable id used everywhere else."""
    line: int
    """1-based line of the JSONL file, for messages."""
    problem_id: str = ""
    slow: str
    fast: str
    cpu_time_slow: float | None = None
    cpu_time_fast: float | None = None

    @property
    def speedup(self) -> float | None:
        """Slow CPU time over fast CPU time, when both are known and positive."""
        if self.cpu_time_slow and self.cpu_time_fast and self.cpu_time_fast > 0:
            return self.cpu_time_slow / self.cpu_time_fast
        return None


class Audit(BaseModel):
    """An execution-free audit of one program, as the LLM wrote it."""

    dominant_operations: list[str] = Field(default_factory=list)
    complexity: str = ""
    bottlenecks: list[str] = Field(default_factory=list)


class Trace(BaseModel):
    """The LLM's structured trace of a pair: both audits and what changed between them."""

    slow_audit: Audit
    fast_audit: Audit
    labels: list[str] = Field(default_factory=list)
    mechanism: str = ""
    evidence: list[str] = Field(default_factory=list)


class Delta(BaseModel):
    """What changed between a pair's slow and fast program, in labels, features and evidence."""

    index: int
    problem_id: str = ""
    source: Literal["ast", "tokens", "llm"]
    """`ast` when both programs parsed, `tokens` when one did not, `llm` for a model's trace."""
    labels: list[str]
    features: list[str] = Field(default_factory=list)
    """Compact change facts such as `+import:collections` or `loop-depth:3>1`."""
    evidence: list[str] = Field(default_factory=list)
    """Short human-readable lines that justify the labels."""
    trace: Trace | None = None
    fallback_reason: str | None = None
    """Why the LLM trace was not used for this pair, when an LLM was configured."""


class ClusterStat(BaseModel):
    """One cluster as the summary lists it."""

    draft_id: str
    file: str
    support: int
    label: str
    """The cluster's dominant labels joined with ` + `."""
    family: str
    labels: dict[str, int]
    """Every label in the cluster with how many member pairs carry it."""
    top_terms: list[str]
    representative: int
    """Index of the member closest to the cluster centre, whose programs make the Example."""
    members: list[int]
    median_speedup: float | None = None
    duplicate_of: str | None = None
    nearest_skill: str | None = None
    nearest_cosine: float = 0.0


class MineSummary(BaseModel):
    """The outcome of one `skills mine` run, written to `summary.json`."""

    pairs: int
    sources: dict[str, int]
    """How many deltas came from each source (`ast`, `tokens`, `llm`)."""
    k: int
    silhouette: float | None
    silhouette_by_k: dict[int, float]
    duplicate_cosine: float
    dataset: str
    model: str | None = None
    seconds: float = 0.0
    clusters: list[ClusterStat]
