"""The small git repo each problem is optimized in: solution, generated tests, harness and workload."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pydantic import BaseModel

from optimizer_agent.bench.suite import FunctionProblem, ProgramProblem

SOLUTION_FILE = "solution.py"
HARNESS_FILE = "tests/harness.py"
RESULT_JUDGE = "tests.harness:same_answer"
"""The gate's result judge in a problem repo: the suite's checker decides whether a differing answer is right."""
PUBLIC_CASES = "public_cases.json"
PRIVATE_CASES = "private_cases.json"
PUBLIC_WORKLOAD = "workload_public.json"
PRIVATE_WORKLOAD = "workload_private.json"
BENCH_FILE = "bench.py"
PRIVATE_BENCH_FILE = "bench_private.py"
PRIVATE_TEST_FILE = "tests/test_private.py"
AUTHOR = {
    "GIT_AUTHOR_NAME": "optimizer-agent bench", "GIT_AUTHOR_EMAIL": "bench@optimizer-agent.invalid",
    "GIT_COMMITTER_NAME": "optimizer-agent bench", "GIT_COMMITTER_EMAIL": "bench@optimizer-agent.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}
"""Fixed, so the same problem always gets the same commit."""

TEST_TEMPLATE = '''"""Generated from the suite's {which} tests of {problem_id}."""

import pytest

from tests import harness

SPEC = harness.load("{cases}")


@pytest.mark.parametrize("index", range(len(SPEC["cases"])), ids=lambda i: f"case{{i}}")
def test_case(index):
    harness.check_case(SPEC, index)
'''
BENCH_TEMPLATE = '''"""Generated workload for {problem_id}: its {which} inputs, repeated (see {workload})."""

from tests import harness

harness.workload("{workload}")
'''


class Workload(BaseModel):
    """What a workload file runs: which inputs, how many passes, and whether calls need fresh copies."""

    inputs: list[str]
    repeat: int = 1
    fresh_copies: bool = False
    level: int | None = None
    """The perf level the inputs come from, when the suite has levels."""
    pass_s: float | None = None
    """Seconds one pass took on the slow code during calibration (None: slower than its cap)."""


def bench_command(python: str) -> str:
    """The workload command the optimize run profiles and times."""
    return f"{python} {BENCH_FILE}"


def problem_test_command(python: str, path: str = "") -> str:
    """pytest without third-party plugins: the generated tests need none, and loading them costs seconds."""
    return f"PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {python} -m pytest -q -p no:cacheprovider {path}".rstrip()


def raw_inputs(problem: FunctionProblem | ProgramProblem, tests: list) -> list[str]:
    """The inputs of tests as the harness reads them: argument reprs, or stdin texts."""
    return [t.input if problem.kind == "function" else t.stdin for t in tests]


def cases_spec(problem: FunctionProblem | ProgramProblem, private: bool) -> dict:
    """The JSON spec a generated test file checks."""
    tests = problem.private_tests if private else problem.tests
    cases = [{"input": t.input, "expected": t.expected} if problem.kind == "function"
             else {"stdin": t.stdin, "expected_stdout": t.expected_stdout} for t in tests]
    return {"kind": problem.kind, "entry": problem.entry, "checker": problem.checker,
            "context": problem.slow_code if problem.kind == "function" else None, "cases": cases}


def workload_spec(problem: FunctionProblem | ProgramProblem, workload: Workload) -> dict:
    """The JSON spec `harness.workload` runs."""
    return {"kind": problem.kind, "entry": problem.entry, "inputs": workload.inputs,
            "repeat": workload.repeat, "copy": workload.fresh_copies}


def result_judge(problem: FunctionProblem | ProgramProblem) -> str | None:
    """The result judge a problem's runs use: only a function problem with a checker has other right answers."""
    return RESULT_JUDGE if problem.kind == "function" and problem.checker else None


def harness_source() -> str:
    """The text of tests/harness.py (the package's own problem_harness module)."""
    return (Path(__file__).with_name("problem_harness.py")).read_text(encoding="utf-8")


def public_files(problem: FunctionProblem | ProgramProblem) -> dict[str, str]:
    """Files of the problem repo before the workload is sized: solution, harness and public tests."""
    return {
        SOLUTION_FILE: problem.slow_code if problem.slow_code.endswith("\n") else problem.slow_code + "\n",
        "tests/__init__.py": "",
        HARNESS_FILE: harness_source(),
        f"tests/{PUBLIC_CASES}": json.dumps(cases_spec(problem, private=False)),
        "tests/test_public.py": TEST_TEMPLATE.format(which="public", problem_id=problem.id, cases=PUBLIC_CASES),
    }


def workload_files(problem: FunctionProblem | ProgramProblem, workload: Workload, private: bool) -> dict[str, str]:
    """The bench script and its workload spec (public ones go in the repo, private ones only in scoring trees)."""
    name = PRIVATE_WORKLOAD if private else PUBLIC_WORKLOAD
    script = PRIVATE_BENCH_FILE if private else BENCH_FILE
    which = "private" if private else "public"
    return {f"tests/{name}": json.dumps(workload_spec(problem, workload)),
            script: BENCH_TEMPLATE.format(problem_id=problem.id, which=which, workload=name)}


def private_files(problem: FunctionProblem | ProgramProblem, workload: Workload) -> dict[str, str]:
    """What scoring adds to a staged tree: the private tests and the private workload."""
    files = {f"tests/{PRIVATE_CASES}": json.dumps(cases_spec(problem, private=True)),
             PRIVATE_TEST_FILE: TEST_TEMPLATE.format(which="private", problem_id=problem.id, cases=PRIVATE_CASES)}
    return {**files, **workload_files(problem, workload, private=True)}


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write repo-relative text files under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git_commit(root: Path, message: str) -> str:
    """Initialise the repo (once) and commit everything in it with the fixed author; return the sha."""
    env = {**os.environ, **AUTHOR}

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout

    if not (root / ".git").exists():
        git("init", "-q", "-b", "main")
    git("add", "-A")
    git("-c", "commit.gpgsign=false", "commit", "-q", "-m", message)
    return git("rev-parse", "HEAD").strip()
