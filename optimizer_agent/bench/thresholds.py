"""Every number the batch runner decides by, in one place."""

from __future__ import annotations

OPT_SPEEDUP = 1.10
"""A problem counts towards OPT@1/OPT@k when a correct candidate is at least this much faster on private inputs."""
BUCKET_EDGES = (1.10, 1.25, 1.5)
"""Speedup buckets: <1.10, 1.10-1.25, 1.25-1.5, >1.5 (EffiSkill's)."""
BOOTSTRAP_RESAMPLES = 10_000
"""Resamples of the paired bootstrap that compares two runs' OPT."""
BOOTSTRAP_SEED = 20_251_204
"""Fixed so the same two result sets always give the same interval."""
COMPARE_CONFIDENCE = 0.95

DEFAULT_K = 4
"""Candidates the LLM writes per plan, and how many candidates OPT@k may pick from."""
DEFAULT_BUDGET_S = 900.0
"""Seconds one problem's optimize run may take before it is stopped and what it landed is scored."""
SCORE_TIMING_BUDGET_S = 120.0
"""Seconds of paired private timing per scored tree, unless the slow code needs more (SCORE_BASE_RUNS)."""
SCORE_BASE_RUNS = 8
"""The private timing budget always covers this many runs of the slow workload (warm-ups and two ABBA blocks)."""
PRIVATE_CALIBRATION_CAP_S = 60.0
"""The private pass of the slow code is timed up to this long, so the timing budget can cover slow problems."""
HARD_KILL_GRACE_S = 120.0
"""Beyond budget plus scoring, a worker that still runs is killed (a hang, not a slow result)."""
RUN_SHARE_OF_BUDGET = {"timing_budget": 0.15, "test_timeout": 0.25, "bench_timeout": 0.25}
"""Per-problem settings capped at these shares of the budget, so one slow step cannot eat the whole run."""

WORKLOAD_TARGET_S = 0.3
"""One run of the public `bench.py` repeats its inputs until the slow code takes about this long (shorter
runs are sometimes missed by py-spy, which finds subprocesses by polling)."""
PRIVATE_WORKLOAD_TARGET_S = 1.0
"""The private workload is longer, so interpreter start-up dilutes the scored speedup less."""
MAX_PASS_S = 3.0
"""A perf level whose single pass takes longer than this is too big for the workload; a smaller level is used."""
MAX_REPEAT = 1_000_000
"""Most in-process repetitions of one workload pass (microsecond functions need this many to show in a profile)."""
CALIBRATION_SETTLE_S = 0.1
"""Calibration repeats passes shorter than this for this long and takes their median (one short pass is cold)."""
CALIBRATION_TIMEOUT_S = 120.0
"""Seconds the one-off calibration of the slow code may take in the sandbox."""
TEST_TIMEOUT_S = 600.0
"""Limit on one private test run."""

WORKER_POLL_S = 1.0
"""How often a worker checks that the batch runner that started it is still alive."""
