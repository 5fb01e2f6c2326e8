"""`skills check`: run a skill's Before/After example in the sandbox, compare outputs, time them paired."""

from __future__ import annotations

import json
import math
import platform
import shutil
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from optimizer_agent.sandbox.base import Result, Sandbox
from optimizer_agent.skilllib import harness
from optimizer_agent.skilllib.compare import first_difference
from optimizer_agent.skilllib.schema import Evidence, Skill
from optimizer_agent.verify.critic import format_p
from optimizer_agent.verify.timing import TimingPolicy, measure

CHECK_MIN_SPEEDUP = 1.0
"""The speedup's CI lower bound must reach this for an example to count as faster."""
CHECK_P_MAX = 0.01
"""...and the one-sided Mann-Whitney p-value must be below this."""
TARGET_RUN_SECONDS = 0.25
"""The Before side's timed run is looped over the inputs until it lasts about this long, so interpreter
start-up and imports stay a small part of what is timed."""
MAX_BENCH_REPS = 5_000
CHECK_TIME_BUDGET_S = 45.0
"""Paired-timing seconds per skill at most."""
CHECK_MIN_ROUNDS = 6
CHECK_MAX_ROUNDS = 24
RUN_TIMEOUT_S = 120.0
"""Limit on one capture or calibration run."""
PYTHON = "python"
HARNESS_FILE = "oa_harness.py"

Status = Literal["passed", "failed", "skipped"]


class SkillCheck(BaseModel):
    """The outcome of checking one skill's example."""

    skill_id: str
    name: str
    status: Status
    reason: str = ""
    inputs: int = 0
    speedup: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    metric: str = ""
    rounds: int = 0
    reps: int = 0
    """Passes over the inputs inside one timed run."""
    call_speedup: float | None = None
    """Before/After time of one in-process pass over the inputs (no interpreter start-up): the example's own gain,
    which the end-to-end `speedup` dilutes with start-up and import time."""
    seconds: float = 0.0

    def evidence(self, skill: Skill, sandbox: str) -> Evidence:
        """This measurement as the registry's evidence for `skill`."""
        return Evidence(passed=self.status == "passed", speedup=_round(self.speedup), call_speedup=self.call_speedup,
                        ci_low=_round(self.ci_low),
                        ci_high=_round(self.ci_high), p_value=_round(self.p_value, 6), metric=self.metric or "cpu",
                        rounds=self.rounds, date=date.today().isoformat(), sandbox=sandbox,
                        python=platform.python_version(), example_hash=skill.example_hash() or "",
                        reason=self.reason)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def default_policy() -> TimingPolicy:
    """The gate's paired timing with the check's threshold and a per-skill budget."""
    return TimingPolicy(min_rounds=CHECK_MIN_ROUNDS, max_rounds=CHECK_MAX_ROUNDS, time_budget_s=CHECK_TIME_BUDGET_S,
                        min_speedup=CHECK_MIN_SPEEDUP)


def write_side(folder: Path, code: str, skill: Skill) -> None:
    """Lay out one side of the example on the host: the code, the harness and the spec."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{harness.EXAMPLE_MODULE}.py").write_text(code, encoding="utf-8")
    (folder / harness.SPEC_FILE).write_text(
        json.dumps({"entry": skill.example.entry, "inputs": skill.example.inputs}), encoding="utf-8")
    shutil.copyfile(harness.__file__, folder / HARNESS_FILE)


def _missing_module(result: Result) -> str | None:
    for line in reversed(result.stderr.splitlines()):
        if line.startswith("ModuleNotFoundError:"):
            return line.split(":", 1)[1].strip()
    return None


def _capture(sandbox: Sandbox, where: str) -> tuple[list[dict] | None, Result]:
    result = sandbox.execute(f"{PYTHON} {HARNESS_FILE} capture", cwd=where, timeout=RUN_TIMEOUT_S)
    if not result.ok:
        return None, result
    try:
        return json.loads(result.stdout.strip().splitlines()[-1]), result
    except (ValueError, IndexError):
        return None, result


def compare_outcomes(inputs: list[str], before: list[dict], after: list[dict]) -> str | None:
    """Why the After side behaves differently from the Before side on the example inputs, or None."""
    for text, b, a in zip(inputs, before, after):
        if "raised" in b or "raised" in a:
            if b.get("raised") != a.get("raised"):
                return f"input {text}: Before {b.get('raised') or 'returned'}, After {a.get('raised') or 'returned'}"
        else:
            diff = first_difference(b["result"], a["result"], "result")
            if diff:
                return f"input {text}: {diff}"
        diff = first_difference(b["args"], a["args"], "arguments after the call")
        if diff:
            return f"input {text}: {diff}"
        if first_difference(b["args"], b["fresh_args"]):
            return f"input {text}: the example mutates its arguments, so timed repetitions would see other inputs"
    return None


def _pass_seconds(sandbox: Sandbox, where: str) -> float | str:
    """Best-of-a-few seconds of one in-process pass over every input, or why calibration failed."""
    result = sandbox.execute(f"{PYTHON} {HARNESS_FILE} calibrate", cwd=where, timeout=RUN_TIMEOUT_S)
    try:
        return max(float(json.loads(result.stdout.strip().splitlines()[-1])["seconds"]), 1e-7)
    except (ValueError, IndexError, KeyError, TypeError):
        return f"calibration failed: {result.tail(300)}"


def reps_for(before_seconds: float, target_seconds: float = TARGET_RUN_SECONDS) -> int:
    """Passes per timed run so the Before side lasts about `target_seconds`."""
    return max(1, min(MAX_BENCH_REPS, math.ceil(target_seconds / before_seconds)))


def check_skill(sandbox: Sandbox, skill: Skill, scratch: Path, policy: TimingPolicy | None = None,
                target_seconds: float = TARGET_RUN_SECONDS) -> SkillCheck:
    """Check one skill: equal outcomes on every input, then After faster than Before under paired timing."""
    out = SkillCheck(skill_id=skill.id, name=skill.name, status="failed")
    if skill.example is None or not skill.before or not skill.after:
        return out.model_copy(update={"status": "skipped", "reason": "no example"})
    out.inputs = len(skill.example.inputs)
    sides = {}
    for side, code in (("before", skill.before), ("after", skill.after)):
        write_side(scratch / skill.id / side, code, skill)
        sides[side] = sandbox.stage(scratch / skill.id / side, f"{skill.id}-{side}")
    captured = {}
    for side, where in sides.items():
        outcomes, result = _capture(sandbox, where)
        if outcomes is None:
            missing = _missing_module(result)
            if missing:
                return out.model_copy(update={"status": "skipped", "reason": f"not importable in the sandbox: {missing}"})
            return out.model_copy(update={"reason": f"{side} side did not run: {result.tail(300)}"})
        captured[side] = outcomes
    problem = compare_outcomes(skill.example.inputs, captured["before"], captured["after"])
    if problem:
        return out.model_copy(update={"reason": f"outputs differ: {problem}"})
    passes = {side: _pass_seconds(sandbox, where) for side, where in sides.items()}
    failed = [p for p in passes.values() if isinstance(p, str)]
    if failed:
        return out.model_copy(update={"reason": failed[0]})
    reps = reps_for(passes["before"], target_seconds)
    out.call_speedup = round(passes["before"] / passes["after"], 2)
    # The metric is the card's, never `auto`: on a busy machine a CPU-bound example can look like a waiting one.
    policy = (policy or default_policy()).model_copy(update={"metric": skill.example.metric})
    timing = measure(sandbox, f"{PYTHON} {HARNESS_FILE} bench {reps}", sides["before"], sides["after"], policy)
    out = out.model_copy(update={"speedup": timing.speedup, "ci_low": timing.ci_low, "ci_high": timing.ci_high,
                                 "p_value": timing.p_value, "metric": timing.metric, "rounds": timing.rounds,
                                 "reps": reps, "seconds": round(timing.seconds, 1)})
    return out.model_copy(update=verdict(out, timing.error))


def verdict(check: SkillCheck, error: str = "") -> dict:
    """The status and reason for timed figures: faster means CI low >= CHECK_MIN_SPEEDUP and p < CHECK_P_MAX."""
    if error:
        return {"status": "failed", "reason": f"timing failed: {error[:300]}"}
    if check.speedup is None or check.ci_low is None or check.p_value is None:
        return {"status": "failed", "reason": "no timing figures"}
    figures = f"{check.speedup:.2f}x [{check.ci_low:.2f}, {check.ci_high:.2f}] {format_p(check.p_value)}"
    if check.ci_low >= CHECK_MIN_SPEEDUP and check.p_value < CHECK_P_MAX:
        return {"status": "passed", "reason": f"faster: {figures}"}
    return {"status": "failed", "reason": f"not measurably faster: {figures}"}
