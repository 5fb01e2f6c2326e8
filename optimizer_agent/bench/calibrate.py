"""Sizing the workloads: time the slow code once per input group in the sandbox, then pick level and repeats."""

from __future__ import annotations

import json
import math
import shlex

from pydantic import BaseModel

from optimizer_agent.bench.problem_repo import Workload, raw_inputs
from optimizer_agent.bench.suite import FunctionProblem, ProgramProblem
from optimizer_agent.bench.thresholds import (
    CALIBRATION_SETTLE_S,
    CALIBRATION_TIMEOUT_S,
    MAX_PASS_S,
    MAX_REPEAT,
    PRIVATE_CALIBRATION_CAP_S,
)
from optimizer_agent.errors import BadInput
from optimizer_agent.sandbox.base import Sandbox

CALIBRATION_SPEC = "calibration.json"
PRIVATE_GROUP = "private"


class GroupTime(BaseModel):
    """One input group's calibration: seconds of one pass (None when it passed its cap)."""

    group: str
    seconds: float | None = None
    mutates: bool | None = None


class Calibration(BaseModel):
    """A chosen workload with what calibration measured to choose it."""

    workload: Workload
    groups: list[GroupTime]
    seconds: float = 0.0

    @property
    def run_s(self) -> float | None:
        """About how long one run of the chosen workload takes on the slow code (None when unknown)."""
        w = self.workload
        return None if w.pass_s is None else w.pass_s * w.repeat


def public_groups(problem: FunctionProblem | ProgramProblem) -> list[tuple[int | None, list]]:
    """Perf levels (>= 1) in ascending order; all public tests as one group when the suite has no levels."""
    levels = sorted({t.level for t in problem.tests if t.level is not None and t.level >= 1})
    if not levels:
        return [(None, list(problem.tests))]
    return [(level, [t for t in problem.tests if t.level == level]) for level in levels]


def group_name(level: int | None) -> str:
    """The calibration group of a perf level."""
    return "public" if level is None else f"level-{level}"


def repeats(seconds: float | None, target: float) -> int:
    """Passes needed to reach `target` seconds (1 when a single pass is unknown or already long enough)."""
    if seconds is None or seconds >= target:
        return 1
    return max(1, min(MAX_REPEAT, math.ceil(target / max(seconds, 1e-6))))


def fresh_copies(times: dict[str, GroupTime]) -> bool:
    """Whether workload calls need fresh argument copies: yes if any group saw mutation, or none could tell."""
    known = [t.mutates for t in times.values() if t.mutates is not None]
    return any(known) if known else True


def choose_public(problem: FunctionProblem | ProgramProblem, times: dict[str, GroupTime], target: float) -> Workload:
    """The largest perf level whose single pass fits MAX_PASS_S (else the smallest), repeated to `target` seconds."""
    groups = public_groups(problem)
    level, tests = groups[0]
    for lvl, group_tests in groups:
        got = times.get(group_name(lvl))
        if got is not None and got.seconds is not None and got.seconds <= MAX_PASS_S:
            level, tests = lvl, group_tests
    got = times.get(group_name(level)) or GroupTime(group=group_name(level))
    return Workload(inputs=raw_inputs(problem, tests), repeat=repeats(got.seconds, target),
                    fresh_copies=fresh_copies(times), level=level, pass_s=got.seconds)


def choose_private(problem: FunctionProblem | ProgramProblem, times: dict[str, GroupTime], target: float,
                   public: Workload) -> Workload:
    """All private inputs, repeated to `target` seconds; fresh copies when either calibration saw mutation."""
    got = times.get(PRIVATE_GROUP) or GroupTime(group=PRIVATE_GROUP)
    fresh = public.fresh_copies if got.mutates is None else (got.mutates or public.fresh_copies)
    level = max((t.level for t in problem.private_tests if t.level is not None), default=None)
    return Workload(inputs=raw_inputs(problem, problem.private_tests), repeat=repeats(got.seconds, target),
                    fresh_copies=fresh, level=level, pass_s=got.seconds)


def parse_lines(stdout: str) -> dict[str, GroupTime]:
    """The group lines `harness.calibrate` printed (a cut-off run simply has fewer)."""
    out: dict[str, GroupTime] = {}
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                got = GroupTime.model_validate(json.loads(line))
            except ValueError:
                continue
            out[got.group] = got
    return out


def time_groups(sandbox: Sandbox, tree: str, problem: FunctionProblem | ProgramProblem, groups: list[dict],
                python: str) -> tuple[dict[str, GroupTime], float]:
    """Run `harness.calibrate` over `groups` ({name, cap_s, inputs}) in a staged tree of the problem repo."""
    spec = {"kind": problem.kind, "entry": problem.entry, "groups": groups, "settle_s": CALIBRATION_SETTLE_S}
    sandbox.write_file(f"{tree}/tests/{CALIBRATION_SPEC}", json.dumps(spec))
    code = f"from tests import harness; harness.calibrate({CALIBRATION_SPEC!r})"
    result = sandbox.execute(f"{python} -c {shlex.quote(code)}", tree, CALIBRATION_TIMEOUT_S)
    times = parse_lines(result.stdout)
    if not times and not result.ok:
        raise BadInput(f"the slow code fails on its own inputs: {result.tail(300)}")
    return times, result.duration


def calibrate_public(sandbox: Sandbox, tree: str, problem: FunctionProblem | ProgramProblem, python: str,
                     target: float) -> Calibration:
    """Time each public perf level (each capped at MAX_PASS_S) and choose the public workload."""
    groups = [{"name": group_name(level), "cap_s": MAX_PASS_S, "inputs": raw_inputs(problem, tests)}
              for level, tests in public_groups(problem)]
    times, seconds = time_groups(sandbox, tree, problem, groups, python)
    return Calibration(workload=choose_public(problem, times, target), groups=list(times.values()), seconds=seconds)


def calibrate_private(sandbox: Sandbox, tree: str, problem: FunctionProblem | ProgramProblem, python: str,
                      target: float, public: Workload) -> Calibration:
    """Time the private inputs (up to PRIVATE_CALIBRATION_CAP_S) and choose their workload."""
    groups = [{"name": PRIVATE_GROUP, "cap_s": max(target, PRIVATE_CALIBRATION_CAP_S),
               "inputs": raw_inputs(problem, problem.private_tests)}]
    times, seconds = time_groups(sandbox, tree, problem, groups, python)
    return Calibration(workload=choose_private(problem, times, target, public), groups=list(times.values()), seconds=seconds)
