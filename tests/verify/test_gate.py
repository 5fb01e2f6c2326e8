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
    time.sleep(0.1)
    return n * 2
"""
FASTER = ORIGINAL.replace("0.1", "0.01")
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
    assert verdict.speedup > 2.0 and verdict.ci_low > 1.05 and verdict.p_value < 0.01
    assert verdict.seconds > 0


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


def test_candidate_that_makes_tests_vanish_is_rejected(sandbox, repo):
    verdict = BasicGate().judge(request(sandbox, repo, candidate(SKIPS_TESTS)))
    assert (verdict.accepted, verdict.stage) == (False, "tests")
    assert verdict.reason.startswith("tests disappeared")


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
