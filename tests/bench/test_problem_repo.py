"""The problem repo: generated tests judge the solution (checker, equality, stdout), workloads are sized and run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from optimizer_agent.bench.calibrate import GroupTime, calibrate_private, calibrate_public, choose_public, repeats
from optimizer_agent.bench.problem_repo import (
    bench_command,
    git_commit,
    private_files,
    Workload,
    problem_test_command,
    public_files,
    result_judge,
    workload_files,
    write_files,
)
from optimizer_agent.bench.suite import parse_problem
from optimizer_agent.bench.thresholds import MAX_PASS_S
from optimizer_agent.sandbox.local import LocalSandbox
from optimizer_agent.verify.testrun import run_tests

from tests.bench.conftest import code

ROOT_FINDER = {
    "id": "f/root",
    "entry": "root",
    # The checker calls `poly` from the original code, as ENAMEL's find_zero checker does.
    "slow_code": code('''
        def poly(c, x):
            return sum(a * x ** i for i, a in enumerate(c))


        def root(c):
            lo, hi = -100.0, 100.0
            for _ in range(200):
                mid = (lo + hi) / 2
                if poly(c, lo) * poly(c, mid) <= 0:
                    hi = mid
                else:
                    lo = mid
            return lo
    '''),
    "checker": "def __check(input, answer, output):\n    return abs(poly(*input, output)) < 1e-6\n",
    "tests": [{"input": "([-2.0, 1.0],)", "expected": "2.0", "level": 0},
              {"input": "([-2.0, 1.0, -2.0, 1.0],)", "expected": "2.0", "level": 0},
              {"input": "([-8.0, 0.0, 0.0, 1.0],)", "expected": "2.0", "level": 1}],
    "private_tests": [{"input": "([-27.0, 0.0, 0.0, 1.0],)", "expected": "3.0", "level": 1}],
}
SORTER = {
    "id": "f/sorter", "entry": "biggest",
    "slow_code": "def biggest(values):\n    values.sort()\n    return values[-1]\n",
    "tests": [{"input": "([3, 1, 2],)", "expected": "3", "level": 0},
              {"input": repr((list(range(2000, 0, -1)),)), "expected": "2000", "level": 1},
              {"input": repr((list(range(20000, 0, -1)),)), "expected": "20000", "level": 2}],
    "private_tests": [{"input": repr((list(range(3000, 0, -1)),)), "expected": "3000", "level": 2}],
}
ECHO = {
    "id": "p/sum", "kind": "program",
    "slow_code": code('''
        import sys


        def total(words):
            return sum(int(w) for w in words)


        if "__main__" == __name__:
            print(total(sys.stdin.read().split()))
    '''),
    "tests": [{"stdin": "1 2 3\n", "expected_stdout": "6\n"}, {"stdin": "5\n", "expected_stdout": "5  \n\n"}],
    "private_tests": [{"stdin": "10 20\n", "expected_stdout": "30\n"}],
}


@pytest.fixture
def sandbox(tmp_path: Path):
    box = LocalSandbox(root=tmp_path / "sandbox")
    yield box
    box.cleanup()


def build(tmp_path: Path, record: dict, sandbox: LocalSandbox, solution: str | None = None) -> tuple[object, str]:
    problem = parse_problem(record)
    repo = tmp_path / "repo"
    write_files(repo, public_files(problem))
    if solution is not None:
        (repo / "solution.py").write_text(solution)
    return problem, sandbox.stage(repo, "tree")


def test_checker_sees_the_original_helpers_and_judges_wrong_answers(tmp_path: Path, sandbox) -> None:
    problem, tree = build(tmp_path, ROOT_FINDER, sandbox)
    good = run_tests(sandbox, problem_test_command("python"), tree, 120)
    assert good.ok and good.passed == 3
    wrong = ROOT_FINDER["slow_code"] + "\n\ndef root(c):\n    return 0.0\n"
    problem, tree = build(tmp_path, ROOT_FINDER, sandbox, solution=wrong)
    bad = run_tests(sandbox, problem_test_command("python"), tree, 120)
    assert not bad.ok and bad.failed == 3 and "case 0: got 0.0" in bad.output_tail


def test_program_runs_in_process_through_its_main_guard(tmp_path: Path, sandbox) -> None:
    problem, tree = build(tmp_path, ECHO, sandbox)
    summary = run_tests(sandbox, problem_test_command("python"), tree, 120)
    assert summary.ok and summary.passed == 2  # trailing spaces and blank lines are not differences
    for rel, text in private_files(problem, calibrate_public(sandbox, tree, problem, "python", 0.05).workload).items():
        sandbox.write_file(f"{tree}/{rel}", text)
    private = run_tests(sandbox, problem_test_command("python", "tests/test_private.py"), tree, 120)
    assert private.ok and private.passed == 1
    assert sandbox.execute("python bench_private.py", tree, 60).ok
    problem, tree = build(tmp_path, ECHO, sandbox, solution="import sys\nprint(len(sys.stdin.read()) + 100)\n")
    assert run_tests(sandbox, problem_test_command("python"), tree, 120).failed == 2


def test_calibration_sizes_the_workload_and_detects_mutation(tmp_path: Path, sandbox) -> None:
    problem, tree = build(tmp_path, SORTER, sandbox)
    public = calibrate_public(sandbox, tree, problem, "python", 0.2)
    times = {g.group: g for g in public.groups}
    assert set(times) == {"level-1", "level-2"} and all(g.mutates for g in times.values())
    workload = public.workload
    assert workload.level == 2 and workload.fresh_copies and workload.inputs == [SORTER["tests"][2]["input"]]
    assert workload.repeat == repeats(times["level-2"].seconds, 0.2) > 1
    private = calibrate_private(sandbox, tree, problem, "python", 0.5, workload)
    assert private.workload.fresh_copies and private.workload.repeat >= 1
    write_files(Path(tree), workload_files(problem, workload, private=False))
    assert sandbox.execute(bench_command("python"), tree, 60).ok


def test_a_level_slower_than_the_cap_falls_back_to_a_smaller_one() -> None:
    problem = parse_problem(SORTER)
    times = {"level-1": GroupTime(group="level-1", seconds=0.01, mutates=False),
             "level-2": GroupTime(group="level-2", seconds=None)}
    chosen = choose_public(problem, times, 0.2)
    assert chosen.level == 1 and chosen.repeat == 20 and not chosen.fresh_copies
    too_slow = {"level-1": GroupTime(group="level-1", seconds=MAX_PASS_S * 2, mutates=False)}
    assert choose_public(problem, too_slow, 0.2).level == 1 and choose_public(problem, too_slow, 0.2).repeat == 1


def test_commits_are_reproducible(tmp_path: Path) -> None:
    problem = parse_problem(ROOT_FINDER)
    shas = []
    for name in ("one", "two"):
        write_files(tmp_path / name, public_files(problem))
        shas.append(git_commit(tmp_path / name, "problem"))
    assert shas[0] == shas[1]
    author = subprocess.run(["git", "log", "-1", "--format=%an <%ae>"], cwd=tmp_path / "one", capture_output=True,
                            text=True, check=True).stdout.strip()
    assert author == "optimizer-agent bench <bench@optimizer-agent.invalid>"


def gate_request(tmp_path: Path, sandbox, record: dict, solution: str, judge: str | None):
    """A gate request for `solution` in the problem repo, as a bench run's verify node would send it."""
    from optimizer_agent.state import Candidate, FunctionRef
    from optimizer_agent.verify.gate import GateRequest
    from optimizer_agent.verify.timing import TimingPolicy

    problem = parse_problem(record)
    repo = tmp_path / f"repo-{bool(judge)}"
    workload = Workload(inputs=[t.input for t in problem.tests], repeat=20)
    write_files(repo, {**public_files(problem), **workload_files(problem, workload, private=False)})
    base, cand = sandbox.stage(repo, f"base-{bool(judge)}"), sandbox.stage(repo, f"cand-{bool(judge)}")
    sandbox.write_file(f"{cand}/solution.py", solution)
    candidate = Candidate(id="c1", function=FunctionRef(file="solution.py", qualname=problem.entry), plan_id="p",
                          skills=[], origin="llm", source=solution, diff="")
    return GateRequest(candidate=candidate, sandbox=sandbox, base_dir=base, cand_dir=cand,
                       original_source=problem.slow_code, allowed_files=["solution.py"],
                       test_cmd=problem_test_command("python"), bench_cmd=bench_command("python"),
                       baseline_tests=run_tests(sandbox, problem_test_command("python"), base, 120),
                       policy=TimingPolicy(time_budget_s=10.0), result_judge=judge)


def test_the_gate_asks_the_suites_checker_about_an_answer_that_differs(tmp_path: Path, sandbox) -> None:
    from optimizer_agent.verify.gate import BasicGate

    # Fewer halvings: a root within the checker's tolerance, but not the same float as the original's.
    coarser = ROOT_FINDER["slow_code"].replace("range(200)", "range(34)")
    judge = result_judge(parse_problem(ROOT_FINDER))
    assert judge == "tests.harness:same_answer" and result_judge(parse_problem(SORTER)) is None
    strict = BasicGate().judge(gate_request(tmp_path, sandbox, ROOT_FINDER, coarser, None))
    assert strict.stage == "equivalence" and "result: expected 1.99999" in strict.reason
    judged = BasicGate().judge(gate_request(tmp_path, sandbox, ROOT_FINDER, coarser, judge))
    assert judged.stage in ("timing", "accepted") and judged.calls_compared >= 3, judged.reason
    # The checker still rejects a wrong root, and a helper's calls are never left to it.
    wrong = ROOT_FINDER["slow_code"].replace("range(200)", "range(3)")
    assert BasicGate().judge(gate_request(tmp_path, sandbox, ROOT_FINDER, wrong, judge)).stage in ("tests", "equivalence")
    helper = coarser.replace("return sum(a * x ** i", "return 0.0 + sum(a * x ** i").replace(
        "def poly(c, x):", "def poly(c, x):\n    x = x + 1e-12")
    changed = BasicGate().judge(gate_request(tmp_path, sandbox, ROOT_FINDER, helper, judge))
    assert changed.stage == "equivalence" and "poly" in changed.reason


def test_the_harness_reads_the_public_cases_the_runner_writes() -> None:
    from optimizer_agent.bench import problem_harness, problem_repo

    assert problem_harness.PUBLIC_CASES == problem_repo.PUBLIC_CASES
