"""Paired ABBA/BAAB timing: the stopping rules on a scripted sandbox, then real runs on the local one."""

from pathlib import Path

import pytest

from optimizer_agent.sandbox.base import Result
from optimizer_agent.verify.critic import P_VALUE_EARLY
from optimizer_agent.verify.timing import TimingPolicy, measure, repeated_command, repeats_for

BASE, CAND = "/trees/base", "/trees/cand"


class ScriptedSandbox:
    """Answers every command instantly with a made-up duration per tree and advances a fake clock by it."""

    name = "scripted"

    def __init__(self, base: float, cand: float, spread: float = 0.01, fail_on: dict | None = None):
        self.centers = {BASE: base, CAND: cand}
        # A fixed cycle instead of random noise, so the stopping tests cannot flake.
        self.factors = (1.0 - spread, 1.0, 1.0 + spread)
        self.seen = {BASE: 0, CAND: 0}
        self.fail_on = fail_on or {}
        """{call index: Result fields} to fail a particular call."""
        self.now = 0.0
        self.calls: list[tuple[str, str, float]] = []

    def clock(self) -> float:
        """The fake wall clock, moved only by the scripted runs."""
        return self.now

    def execute(self, cmd, cwd, timeout, env=None):
        """Record the call and pretend the command took its scripted time."""
        index = len(self.calls)
        self.calls.append((cmd, cwd, timeout))
        duration = self.centers[cwd] * self.factors[self.seen[cwd] % len(self.factors)]
        self.seen[cwd] += 1
        if index in self.fail_on:
            return Result(duration=duration, **self.fail_on[index])
        if duration > timeout:
            self.now += timeout
            return Result(returncode=124, duration=timeout, timed_out=True, killed_reason="timeout")
        self.now += duration
        return Result(returncode=0, duration=duration)


def run(box: ScriptedSandbox, **policy):
    """Measure `bench` on the scripted sandbox under a policy with quick test defaults."""
    settings = {"min_round_seconds": 0.0, "max_rounds": 20, **policy}
    return measure(box, "bench", BASE, CAND, TimingPolicy(**settings), clock=box.clock)


def test_rounds_alternate_abba_and_baab_blocks_after_one_warm_up_each():
    box = ScriptedSandbox(1.0, 0.5)
    result = run(box)
    order = [cwd for _, cwd, _ in box.calls]
    assert order[:2] == [BASE, CAND]
    blocks = [order[i : i + 4] for i in range(2, len(order), 4)]
    assert len(blocks) >= 2 and all(len(b) == 4 for b in blocks)
    assert blocks[0::2] == [[BASE, CAND, CAND, BASE]] * len(blocks[0::2])
    assert blocks[1::2] == [[CAND, BASE, BASE, CAND]] * len(blocks[1::2])
    assert len(result.times_a) == len(result.times_b) == result.rounds == (len(order) - 2) // 2


def test_clear_speedup_stops_at_the_minimum_rounds():
    result = run(ScriptedSandbox(1.0, 0.5), min_rounds=6)
    assert result.stopped == "clear-accept"
    # The scripted times repeat within a side, so scipy's tie-corrected p after 6 rounds (0.0023) misses the
    # early-stop threshold by a hair; the next block settles it.
    assert result.rounds == 8
    assert result.ci_low > 1.8 and result.ci_high < 2.2
    assert result.p_value < P_VALUE_EARLY
    assert result.speedup == pytest.approx(2.0, rel=0.05)


def test_no_difference_stops_as_a_clear_reject():
    result = run(ScriptedSandbox(1.0, 1.0, spread=0.005), min_rounds=6)
    assert result.stopped == "clear-reject"
    assert result.rounds == 6
    assert result.ci_high < 1.05


def test_borderline_result_keeps_measuring_up_to_max_rounds():
    result = run(ScriptedSandbox(1.0, 1 / 1.05, spread=0.2), min_rounds=6, max_rounds=16)
    assert result.stopped == "max-rounds"
    assert result.rounds == 16
    assert result.ci_low < 1.05 <= result.ci_high


def test_budget_stops_before_a_block_that_would_not_fit():
    box = ScriptedSandbox(1.0, 1 / 1.05, spread=0.2)
    result = run(box, time_budget_s=15.0, max_rounds=40)
    assert result.stopped == "budget"
    assert result.seconds <= 15.0
    assert result.rounds == 6  # about 2 s of warm-up and three 3.9 s blocks fit in 15 s; a fourth would not
    assert result.speedup is not None


def test_run_timeout_is_capped_by_the_remaining_budget():
    box = ScriptedSandbox(1.0, 1.0)
    run(box, time_budget_s=50.0, run_timeout_s=1000.0)
    assert all(timeout <= 50.0 for _, _, timeout in box.calls)
    assert box.calls[0][2] == pytest.approx(50.0)


def test_a_candidate_slower_than_the_budget_stops_on_budget():
    result = run(ScriptedSandbox(1.0, 100.0), time_budget_s=20.0)
    assert result.stopped == "budget"
    assert result.rounds == 0
    assert "candidate run outlasted the time budget" in result.error
    assert result.error_side == "candidate"


def test_failing_candidate_run_stops_with_an_error():
    box = ScriptedSandbox(1.0, 0.5, fail_on={4: {"returncode": 1, "stderr": "Traceback: boom"}})
    result = run(box)
    assert result.stopped == "error"
    assert result.error_side == "candidate"
    assert result.error.startswith("exit 1") and "boom" in result.error
    assert len(box.calls) == 5


def test_failing_base_warm_up_stops_with_an_error_on_the_base():
    box = ScriptedSandbox(1.0, 0.5, fail_on={0: {"returncode": 2}})
    result = run(box)
    assert (result.stopped, result.error_side, result.rounds) == ("error", "base", 0)
    assert result.speedup is None


def test_hung_run_within_its_own_timeout_is_an_error():
    box = ScriptedSandbox(1.0, 5.0)
    result = run(box, run_timeout_s=2.0, time_budget_s=100.0)
    assert (result.stopped, result.error_side) == ("error", "candidate")
    assert result.error.startswith("timed out after 2s")


def test_short_commands_are_looped_and_divided():
    box = ScriptedSandbox(0.001, 0.001, spread=0.0)
    result = run(box, min_round_seconds=0.05)
    assert result.repeats == 50
    assert box.calls[0][0] == "bench"  # the warm-up runs once
    assert "seq 1 50" in box.calls[2][0]
    # Each scripted call lasts 1 ms whatever it runs, so a looped round reports 1/50 of it.
    assert result.times_a[0] == pytest.approx(0.001 / 50)


@pytest.mark.parametrize("duration, expected", [(0.2, 1), (0.05, 1), (0.01, 5), (0.003, 17), (0.0, 1000), (1e-7, 1000)])
def test_repeats_for(duration, expected):
    assert repeats_for(duration, 0.05, max_repeats=1000) == expected


def test_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        TimingPolicy(min_rounds=1)
    with pytest.raises(ValueError):
        TimingPolicy(time_budget_s=0)


def test_repeated_command_runs_n_times_and_survives_exit_and_comments(sandbox, tmp_path):
    cmd = repeated_command("echo x >> count.txt; exit 0  # a comment", 7)
    result = sandbox.execute(cmd, cwd=str(tmp_path), timeout=30)
    assert result.ok
    assert (tmp_path / "count.txt").read_text().count("x") == 7


def test_repeated_command_stops_at_the_first_failure(sandbox, tmp_path):
    result = sandbox.execute(repeated_command("echo x >> count.txt; exit 3", 5), cwd=str(tmp_path), timeout=30)
    assert result.returncode == 3
    assert (tmp_path / "count.txt").read_text().count("x") == 1


def bench_tree(root: Path, write_project, seconds: float) -> str:
    """A tree whose bench.py sleeps for `seconds`."""
    return write_project(root, {"bench.py": f"import time\ntime.sleep({seconds})\n"})


def test_ten_times_faster_tree_is_measured_as_clearly_faster(sandbox, tmp_path, write_project):
    base = bench_tree(tmp_path / "a", write_project, 0.15)
    cand = bench_tree(tmp_path / "b", write_project, 0.015)
    result = measure(sandbox, "python bench.py", base, cand, TimingPolicy(time_budget_s=30.0))
    assert result.stopped == "clear-accept"
    # Sleep dominates on a quiet machine (about 10x); a loaded one stretches start-up too, so only ask for a clear win.
    assert result.speedup > 1.3 and result.ci_low > 1.1
    assert result.p_value < 0.01


def test_fast_command_is_looped_in_real_runs(sandbox, tmp_path, write_project):
    base = write_project(tmp_path / "a", {"marker": ""})
    cand = write_project(tmp_path / "b", {"marker": ""})
    policy = TimingPolicy(min_rounds=2, max_rounds=2, min_round_seconds=0.2)
    result = measure(sandbox, "echo x >> count.txt", base, cand, policy)
    assert result.repeats > 1 and result.rounds == 2
    for tree in (base, cand):
        assert (Path(tree) / "count.txt").read_text().count("x") == 1 + 2 * result.repeats


def test_auto_metric_uses_cpu_only_for_cpu_bound_runs_that_report_it():
    from optimizer_agent.sandbox.base import Result
    from optimizer_agent.verify.timing import choose_metric

    busy = Result(returncode=0, duration=1.0, cpu_time=0.9)
    idle = Result(returncode=0, duration=1.0, cpu_time=0.02)
    unknown = Result(returncode=0, duration=1.0)
    assert choose_metric("auto", busy) == "cpu"
    assert choose_metric("auto", idle) == "wall"
    assert choose_metric("auto", unknown) == "wall"
    assert choose_metric("cpu", idle) == "cpu"
    assert choose_metric("wall", busy) == "wall"


class CpuScriptedSandbox(ScriptedSandbox):
    """The scripted sandbox, reporting CPU seconds (90% of the wall) like the local backend."""

    def execute(self, cmd, cwd, timeout, env=None):
        """The scripted result, with CPU time."""
        result = super().execute(cmd, cwd, timeout, env)
        return result.model_copy(update={"cpu_time": result.duration * 0.9})


def test_cpu_metric_measures_an_interval_for_the_wall_time_guard():
    result = run(CpuScriptedSandbox(1.0, 0.5), min_rounds=6)
    assert result.metric == "cpu" and result.stopped == "clear-accept"
    assert result.wall_ci_high == pytest.approx(2.0, rel=0.05)
