"""`skills check` on real sandboxes: equal and faster passes, different outputs fail, equal speed fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.sandbox.local import LocalSandbox
from optimizer_agent.skilllib.check import (
    CHECK_MIN_SPEEDUP,
    CHECK_P_MAX,
    SkillCheck,
    check_skill,
    compare_outcomes,
    reps_for,
    verdict,
)
from optimizer_agent.skilllib.schema import Skill
from optimizer_agent.verify.timing import TimingPolicy

QUADRATIC = "def common(a, b):\n    return [x for x in a if x in b]\n"
LINEAR = "def common(a, b):\n    s = set(b)\n    return [x for x in a if x in s]\n"
WRONG = "def common(a, b):\n    return [x for x in a if x not in set(b)]\n"
INPUTS = ["([], [1])", "([1, 2, 3], [3, 1])", "(list(range(3000)), list(range(0, 3000, 2)))"]
QUICK = TimingPolicy(min_rounds=4, max_rounds=6, time_budget_s=15)


def skill(before: str, after: str, inputs: list[str] = INPUTS) -> Skill:
    """A card built in code around one Before/After pair."""
    return Skill(id="O900", type="operator", family="data-structure", name="list membership -> set",
                 description="test skill", triggers=["x in list"], provenance={"source": "curated"},
                 example={"entry": "common", "inputs": inputs}, before=before, after=after)


@pytest.fixture
def sandbox():
    """A local sandbox, cleaned up after the test."""
    box = LocalSandbox()
    yield box
    box.cleanup()


def test_faster_equal_example_passes(sandbox: LocalSandbox, tmp_path: Path) -> None:
    result = check_skill(sandbox, skill(QUADRATIC, LINEAR), tmp_path, QUICK, target_seconds=0.05)
    assert result.status == "passed", result.reason
    assert result.speedup > 1 and result.ci_low >= CHECK_MIN_SPEEDUP and result.p_value < CHECK_P_MAX
    assert result.call_speedup > 1 and result.metric == "cpu"
    evidence = result.evidence(skill(QUADRATIC, LINEAR), "local")
    assert evidence.passed and evidence.example_hash == skill(QUADRATIC, LINEAR).example_hash()


def test_different_outputs_fail_before_any_timing(sandbox: LocalSandbox, tmp_path: Path) -> None:
    result = check_skill(sandbox, skill(QUADRATIC, WRONG), tmp_path, QUICK, target_seconds=0.05)
    assert result.status == "failed" and result.reason.startswith("outputs differ: input ([1, 2, 3], [3, 1])")
    assert result.speedup is None


def test_an_example_that_is_not_faster_fails(sandbox: LocalSandbox, tmp_path: Path) -> None:
    result = check_skill(sandbox, skill(QUADRATIC, QUADRATIC), tmp_path, QUICK, target_seconds=0.03)
    assert result.status == "failed" and "not measurably faster" in result.reason


def test_missing_module_is_skipped_and_a_crash_fails(sandbox: LocalSandbox, tmp_path: Path) -> None:
    missing = "import no_such_module_oa\n" + LINEAR
    assert check_skill(sandbox, skill(QUADRATIC, missing), tmp_path, QUICK).status == "skipped"
    crashed = check_skill(sandbox, skill(QUADRATIC, "import sys\nsys.exit(3)\n" + LINEAR), tmp_path, QUICK)
    assert crashed.status == "failed" and "after side did not run" in crashed.reason


def test_pure_parts() -> None:
    assert reps_for(0.5, 0.25) == 1 and reps_for(0.001, 0.25) == 250
    ok = {"result": {"int": "1"}, "args": {"tuple": [], "type": "tuple"}, "fresh_args": {"tuple": [], "type": "tuple"}}
    assert compare_outcomes(["()"], [ok], [ok]) is None
    base = SkillCheck(skill_id="O900", name="n", status="failed", speedup=1.5, ci_low=1.2, ci_high=1.9, p_value=0.001)
    assert verdict(base)["status"] == "passed"
    assert verdict(base.model_copy(update={"ci_low": 0.98}))["status"] == "failed"
    assert verdict(base.model_copy(update={"p_value": 0.02}))["status"] == "failed"
    assert verdict(base, error="boom")["reason"].startswith("timing failed")
