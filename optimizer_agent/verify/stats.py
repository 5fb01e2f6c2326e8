"""Statistics over two timing samples (seconds, lower is better): speedup, its CI, and a rank test."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from optimizer_agent.verify.critic import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE


def _positive(sample: Sequence[float], name: str) -> np.ndarray:
    """The sample as a float array; timings must be a non-empty set of positive numbers."""
    arr = np.asarray(sample, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sample")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must hold positive, finite timings")
    return arr


def speedup(a: Sequence[float], b: Sequence[float]) -> float:
    """median(a) / median(b): how many times faster B is than A."""
    return float(np.median(_positive(a, "a")) / np.median(_positive(b, "b")))


def bootstrap_ci(
    a: Sequence[float],
    b: Sequence[float],
    confidence: float = CONFIDENCE,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of median(a) / median(b), each sample resampled on its own."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    if resamples < 1:
        raise ValueError("resamples must be positive")
    xa, xb = _positive(a, "a"), _positive(b, "b")
    rng = np.random.default_rng(seed)
    # One (resamples x n) index matrix per side keeps the whole bootstrap in a few numpy calls.
    med_a = np.median(xa[rng.integers(0, xa.size, size=(resamples, xa.size))], axis=1)
    med_b = np.median(xb[rng.integers(0, xb.size, size=(resamples, xb.size))], axis=1)
    ratios = med_a / med_b
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(ratios, [tail, 1.0 - tail])
    return float(low), float(high)


def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float:
    """One-sided Mann-Whitney U p-value for "B is stochastically smaller (faster) than A"."""
    # scipy.stats takes over a second to import; only load it when a measurement needs it.
    from scipy.stats import mannwhitneyu

    xa, xb = _positive(a, "a"), _positive(b, "b")
    return float(mannwhitneyu(xa, xb, alternative="greater").pvalue)
