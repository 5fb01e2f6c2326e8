"""One staged corpus project per module, and a function that puts a candidate through the real gate."""

from __future__ import annotations

import itertools
import textwrap

import pytest

from optimizer_agent.sandbox.local import LocalSandbox
from optimizer_agent.state import Candidate, FunctionRef, Verdict
from optimizer_agent.verify.gate import BasicGate, GateRequest
from optimizer_agent.verify.judges import read_judge_files
from optimizer_agent.verify.testrun import default_test_command, run_tests
from optimizer_agent.verify.timing import TimingPolicy
from tests.verify.corpus.project import FILES, ORIGINAL, SOURCE

POLICY = TimingPolicy(max_rounds=24, time_budget_s=60.0)
TEST_CMD = default_test_command()


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    """judge(qualname, source, bench, skills=(), cache_skill=False) -> Verdict from one shared gate."""
    root = tmp_path_factory.mktemp("corpus")
    project = root / "project"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(textwrap.dedent(text))
    sandbox = LocalSandbox(root=root / "sandbox")
    base_dir = sandbox.stage(project, "base")
    baseline = run_tests(sandbox, TEST_CMD, base_dir, 120.0)
    assert baseline.ok and baseline.passed == 14, baseline.output_tail
    judges = read_judge_files(project, list(FILES), ["python bench.py"])
    gate = BasicGate()
    counter = itertools.count(1)

    def run(qualname: str, source: str, bench: str, skills=(), cache_skill: bool = False) -> Verdict:
        cid = f"c{next(counter):03d}"
        cand_dir = sandbox.stage(project, f"cand-{cid}")
        sandbox.write_file(f"{cand_dir}/{SOURCE}", source)
        candidate = Candidate(id=cid, function=FunctionRef(file=SOURCE, qualname=qualname), plan_id="corpus",
                              skills=list(skills), origin="llm", source=source, diff="")
        request = GateRequest(candidate=candidate, sandbox=sandbox, base_dir=base_dir, cand_dir=cand_dir,
                              original_source=ORIGINAL, allowed_files=[SOURCE], test_cmd=TEST_CMD, bench_cmd=bench,
                              baseline_tests=baseline, test_timeout=120.0, policy=POLICY, judge_files=judges,
                              cache_skill=cache_skill, base_sha="corpus")
        try:
            return gate.judge(request)
        finally:
            sandbox.remove(cand_dir)

    yield run
    sandbox.cleanup()
