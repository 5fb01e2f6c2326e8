"""The timing statistics on synthetic samples whose truth is known."""

import numpy as np
import pytest

from optimizer_agent.verify.stats import bootstrap_ci, mann_whitney_p, speedup


def noisy(center: float, n: int, seed: int, spread: float = 0.05) -> np.ndarray:
    """Log-normal timings around `center`, the shape real run times tend to have."""
    return center * np.random.default_rng(seed).lognormal(0.0, spread, n)


def test_speedup_is_the_ratio_of_medians():
    assert speedup([1.0, 2.0, 9.0], [0.5, 1.0, 3.0]) == pytest.approx(2.0)


def test_same_distribution_gives_an_interval_around_one_and_a_large_p():
    a, b = noisy(1.0, 60, seed=1), noisy(1.0, 60, seed=2)
    low, high = bootstrap_ci(a, b)
    assert low < 1.0 < high
    assert high - low < 0.1
    assert mann_whitney_p(a, b) > 0.05


def test_twice_as_fast_gives_an_interval_around_two_and_a_tiny_p():
    a, b = noisy(1.0, 30, seed=3), noisy(0.5, 30, seed=4)
    low, high = bootstrap_ci(a, b)
    assert 1.8 < low <= speedup(a, b) <= high < 2.2
    assert mann_whitney_p(a, b) < 1e-6


def test_p_value_is_one_sided():
    slower = noisy(2.0, 30, seed=5)
    assert mann_whitney_p(noisy(1.0, 30, seed=6), slower) > 0.99


def test_bootstrap_is_deterministic_for_a_seed_and_varies_across_seeds():
    a, b = noisy(1.0, 20, seed=7, spread=0.3), noisy(0.9, 20, seed=8, spread=0.3)
    assert bootstrap_ci(a, b, seed=11) == bootstrap_ci(a, b, seed=11)
    assert bootstrap_ci(a, b, seed=11) != bootstrap_ci(a, b, seed=12)


def test_wider_confidence_gives_a_wider_interval():
    a, b = noisy(1.0, 20, seed=9, spread=0.2), noisy(0.8, 20, seed=10, spread=0.2)
    low90, high90 = bootstrap_ci(a, b, confidence=0.90)
    low99, high99 = bootstrap_ci(a, b, confidence=0.99)
    assert low99 <= low90 and high90 <= high99


def test_six_clearly_separated_rounds_per_side_reach_p_below_one_percent():
    # The exact test's smallest p for 6 vs 6 is 1/924, so the default minimum rounds can reach P_VALUE_MAX.
    p = mann_whitney_p([1.0, 1.1, 1.2, 1.3, 1.4, 1.5], [0.5, 0.51, 0.52, 0.53, 0.54, 0.55])
    assert p == pytest.approx(1 / 924)


def test_more_samples_narrow_the_interval():
    small = bootstrap_ci(noisy(1.0, 10, seed=13), noisy(1.0, 10, seed=14))
    large = bootstrap_ci(noisy(1.0, 200, seed=13), noisy(1.0, 200, seed=14))
    assert large[0] < 1.0 < large[1]
    assert large[1] - large[0] < small[1] - small[0]


@pytest.mark.parametrize(
    "a, b",
    [([], [1.0]), ([1.0], []), ([1.0, 0.0], [1.0]), ([1.0], [-1.0]), ([float("nan")], [1.0])],
)
def test_rejects_samples_that_are_not_timings(a, b):
    with pytest.raises(ValueError):
        speedup(a, b)
    with pytest.raises(ValueError):
        bootstrap_ci(a, b)
    with pytest.raises(ValueError):
        mann_whitney_p(a, b)


def test_rejects_bad_bootstrap_settings():
    with pytest.raises(ValueError):
        bootstrap_ci([1.0], [1.0], confidence=1.0)
    with pytest.raises(ValueError):
        bootstrap_ci([1.0], [1.0], resamples=0)
