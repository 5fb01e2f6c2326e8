"""The whole gate on a tiny real project in the local sandbox."""

from pathlib import Path

import pytest

from optimizer_agent.sandbox.local import LocalSandbox
from optimizer_agent.state import Candidate, FunctionRef
from optimizer_agent.verify.gate import BasicGate, GateRequest
from optimizer_agent.verify.testrun import default_test_command, run_tests
from optimizer_agent.verify.timing import TimingPolicy

ORIGINAL = """\
import time


def work(n):
    time.sleep(0.3)
    return n * 2
"""
# Sleep-bound (CPU/wall far below critic.CPU_BOUND_RATIO), so wall time is the metric and the win is plain.
FASTER = ORIGINAL.replace("0.3", "0.03")
BROKEN = FASTER.replace("n * 2", "n * 3")
SKIPS_TESTS = "import pytest\n\npytest.skip('gone', allow_module_level=True)\n" + FASTER

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/work.py": ORIGINAL,
    "tests/test_work.py": """
        from pkg.work import work


        def test_work():
            assert work(2) == 4


        def test_work_zero():
            assert work(0) == 0
    """,
    "bench.py": "from pkg.work import work\n\nwork(3)\n",
}
POLICY = TimingPolicy(max_rounds=16, time_budget_s=20.0)


@pytest.fixture
def repo(tmp_path, write_project) -> Path:
    """The tiny project on the host."""
    return Path(write_project(tmp_path / "repo", PROJECT))


def candidate(source: str, file: str = "pkg/work.py") -> Candidate:
    """A candidate replacing `file` with `source`."""
    return Candidate(
        id="c1",
        function=FunctionRef(file=file, qualname="work"),
        plan_id="p1",
        skills=["O001"],
        origin="rewrite",
        source=source,
        diff="",
    )


def request(sandbox, repo: Path, cand: Candidate, allowed=("pkg/work.py",)) -> GateRequest:
    """Stage both trees, run the baseline tests, and build the request the verify node would send."""
    base_dir = sandbox.stage(repo, "base")
    cand_dir = sandbox.stage(repo, "cand")
    sandbox.write_file(str(Path(cand_dir) / cand.function.file), cand.source)
    test_cmd = default_test_command()
    return GateRequest(
        candidate=cand,
        sandbox=sandbox,
        base_dir=base_dir,
        cand_dir=cand_dir,
        original_source=ORIGINAL,
        allowed_files=list(allowed),
        test_cmd=test_cmd,
        bench_cmd="python bench.py",
        baseline_tests=run_tests(sandbox, test_cmd, base_dir, 60.0),
        min_speedup=1.05,
        test_timeout=60.0,
        policy=POLICY,
    )


def test_much_faster_candidate_is_accepted_with_every_figure(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(FASTER)))
    assert verdict.accepted, verdict.reason
    assert verdict.stage == "accepted"
    assert verdict.reason.startswith("accepted: ")
    assert (verdict.tests_run, verdict.tests_passed) == (2, 2)
    assert verdict.rounds >= POLICY.min_rounds
    assert len(verdict.timings_base) == len(verdict.timings_cand) == verdict.rounds
    # 0.3 s of sleep against 0.03 s plus interpreter start-up: unmistakable even on a loaded machine.
    assert verdict.speedup > 1.3 and verdict.ci_low > 1.05 and verdict.p_value < 0.01
    assert verdict.seconds > 0
    # work(2) and work(0) from the tests, work(3) from the workload: recorded on the base, replayed here.
    assert (verdict.calls_recorded, verdict.calls_compared, verdict.calls_skipped) == (3, 3, 0)
    assert verdict.metric in ("cpu", "wall") and verdict.stopped == "clear-accept" and verdict.repeats >= 1
    assert len(verdict.walls_base) == verdict.rounds and verdict.guard is None and verdict.mismatch is None


def test_identical_candidate_is_rejected_as_not_faster(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(ORIGINAL)))
    assert not verdict.accepted
    assert verdict.stage == "timing"
    assert verdict.reason.startswith("not faster: "), verdict.reason
    assert verdict.rounds >= POLICY.min_rounds


def test_broken_candidate_is_rejected_by_the_tests_before_timing(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(BROKEN)))
    assert (verdict.accepted, verdict.stage) == (False, "tests")
    assert verdict.reason.startswith("tests failed: 1 failed (tests/test_work.py::test_work")
    assert (verdict.tests_run, verdict.tests_passed) == (2, 1)
    assert verdict.rounds == 0 and verdict.speedup is None


def test_candidate_that_skips_tests_is_stopped_by_a_guard_before_they_run(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(SKIPS_TESTS)))
    assert (verdict.accepted, verdict.stage, verdict.guard) == (False, "guards", "test-skip")
    assert verdict.reason == "guard test-skip: skips or excuses tests via pytest.skip (pkg/work.py:3)"
    assert verdict.tests_run == 0 and verdict.guard_findings == [verdict.reason.removeprefix("guard ")]


def test_wrong_candidate_that_passes_the_tests_is_rejected_by_its_behaviour(sandbox, repo):
    wrong = FASTER.replace("return n * 2", "return n * 2 if n < 3 else n * 2 + 1")
    verdict = BasicGate().judge(request(sandbox, repo, candidate(wrong)))
    assert (verdict.accepted, verdict.stage) == (False, "equivalence")
    assert (verdict.tests_run, verdict.tests_passed) == (2, 2)
    assert verdict.reason == "behaviour differs: pkg/work.py::work(3): result: expected 6, got 7"
    assert verdict.mismatch and verdict.rounds == 0


def test_candidate_touching_tests_is_out_of_scope(sandbox, repo):
    cand = candidate("def test_work():\n    pass\n", file="tests/test_work.py")
    verdict = BasicGate().judge(request(sandbox, repo, cand, allowed=("pkg/work.py", "tests/test_work.py")))
    assert (verdict.accepted, verdict.stage) == (False, "scope")
    assert "tests/test_work.py" in verdict.reason
    assert verdict.tests_run == 0


def test_candidate_outside_the_allowed_files_is_out_of_scope(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(FASTER), allowed=("pkg/other.py",)))
    assert (verdict.accepted, verdict.stage) == (False, "scope")
    assert "not among the allowed files" in verdict.reason


def test_candidate_that_does_not_parse_is_out_of_scope(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate("def work(n):\n    return (\n")))
    assert (verdict.accepted, verdict.stage) == (False, "scope")
    assert "does not parse" in verdict.reason


class BrokenSandbox(LocalSandbox):
    """A sandbox whose backend falls over once the gate starts running commands."""

    def execute(self, cmd, cwd, timeout, env=None):
        raise RuntimeError("daemon went away")


def test_sandbox_failure_becomes_an_error_verdict(tmp_path, repo):
    box = BrokenSandbox(root=tmp_path / "broken")
    req = request(LocalSandbox(root=tmp_path / "ok"), repo, candidate(FASTER))
    verdict = BasicGate().judge(req.model_copy(update={"sandbox": box}))
    assert (verdict.accepted, verdict.stage) == (False, "error")
    assert verdict.reason == "gate error: RuntimeError: daemon went away"


def test_request_refuses_something_that_is_not_a_sandbox(sandbox, repo):
    req = request(sandbox, repo, candidate(FASTER))
    with pytest.raises(ValueError):
        GateRequest(**{**dict(req), "sandbox": object()})


MEMO_ORIGINAL = """\
def ways(n):
    return 1 if n < 2 else ways(n - 1) + ways(n - 2)
"""
MEMO_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/stairs.py": MEMO_ORIGINAL,
    "tests/test_stairs.py": "from pkg.stairs import ways\n\n\ndef test_ways():\n    assert ways(4) == 5\n",
    "bench.py": "from pkg.stairs import ways\n\nways(27)\n",
}
MEMOIZED = "import functools\n\n\n@functools.cache\n" + MEMO_ORIGINAL


def memo_request(sandbox, root: Path, source: str, skills: list[str], cache_skill: bool, run_dir=None) -> GateRequest:
    """The memoization project staged, with a candidate that replaces pkg/stairs.py."""
    base_dir = sandbox.stage(root, "memo-base")
    cand_dir = sandbox.stage(root, "memo-cand")
    sandbox.write_file(f"{cand_dir}/pkg/stairs.py", source)
    cand = Candidate(id="m1", function=FunctionRef(file="pkg/stairs.py", qualname="ways"), plan_id="p",
                     skills=skills, origin="rewrite", source=source, diff="")
    test_cmd = default_test_command()
    return GateRequest(candidate=cand, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir,
                       original_source=MEMO_ORIGINAL, allowed_files=["pkg/stairs.py"], test_cmd=test_cmd,
                       bench_cmd="python bench.py", baseline_tests=run_tests(sandbox, test_cmd, base_dir, 60.0),
                       test_timeout=60.0, policy=POLICY, cache_skill=cache_skill, run_dir=run_dir)


def test_memoization_is_allowed_on_a_pure_function_and_accepted(sandbox, tmp_path, write_project):
    root = Path(write_project(tmp_path / "memo", MEMO_PROJECT))
    verdict = BasicGate().judge(memo_request(sandbox, root, MEMOIZED, ["O010"], cache_skill=True))
    assert verdict.accepted, verdict.reason
    assert verdict.guard_findings == ["global-state: adds a cache that outlives a call (functools.cache) "
                                      "(pkg/stairs.py:4)"]
    assert verdict.calls_compared == 2


def test_the_same_cache_without_a_memoization_skill_is_gaming(sandbox, tmp_path, write_project):
    root = Path(write_project(tmp_path / "memo", MEMO_PROJECT))
    verdict = BasicGate().judge(memo_request(sandbox, root, MEMOIZED, ["O001"], cache_skill=False))
    assert (verdict.accepted, verdict.stage, verdict.guard) == (False, "guards", "global-state")
    assert verdict.tests_run == 0


def test_recordings_are_cached_in_the_run_folder_for_a_later_process(sandbox, tmp_path, write_project):
    root = Path(write_project(tmp_path / "memo", MEMO_PROJECT))
    run_dir = tmp_path / "run"
    req = memo_request(sandbox, root, MEMOIZED, ["O010"], cache_skill=True, run_dir=str(run_dir))
    first = BasicGate().equivalence(req, req.changes())
    assert not first.cached and first.calls_compared == 2 and first.pure
    assert len(list((run_dir / "captures").glob("*/self.json"))) == 1
    fresh = req.model_copy(update={"sandbox": LocalSandbox(root=tmp_path / "fresh")})
    again = BasicGate().equivalence(fresh, fresh.changes())
    assert again.cached and again.calls_compared == 2 and again.pure
