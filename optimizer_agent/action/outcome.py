"""What one optimize run produced, reduced to what a pull request reader needs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from optimizer_agent.state import RunState


class Speedup(BaseModel):
    """One verified optimization as it landed on the run branch."""

    function: str
    """`path/to/mod.py::qualname`."""
    subject: str
    sha: str
    speedup: float
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    tests_passed: int = 0
    tests_run: int = 0
    calls_compared: int = 0
    skills: list[str] = Field(default_factory=list)
    diff: str = ""


class RunOutcome(BaseModel):
    """The run's speedups and the figures around them."""

    run_id: str
    branch: str
    base_sha: str
    speedups: list[Speedup] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    judged: int = 0
    """Candidates the gate decided on."""
    min_speedup: float | None = None
    """The CI lower bound each speedup had to reach."""
    notes: list[str] = Field(default_factory=list)
    report: str | None = None
    """Path of report.md on the runner."""
    report_text: str = ""


def outcome_from_state(state: RunState, report_text: str = "") -> RunOutcome:
    """Join each commit with its candidate and verdict."""
    candidates = {c.id: c for c in state.get("candidates", [])}
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    speedups = []
    for rec in state.get("commits", []):
        cand, verdict = candidates.get(rec.candidate_id), verdicts.get(rec.candidate_id)
        speedups.append(Speedup(
            function=rec.function.key, subject=rec.subject, sha=rec.sha, speedup=rec.speedup,
            ci_low=verdict.ci_low if verdict else None, ci_high=verdict.ci_high if verdict else None,
            p_value=verdict.p_value if verdict else None,
            tests_passed=verdict.tests_passed if verdict else 0, tests_run=verdict.tests_run if verdict else 0,
            calls_compared=verdict.calls_compared if verdict else 0,
            skills=cand.skills if cand else [], diff=cand.diff if cand else "",
        ))
    run_dir = state.get("run_dir")
    return RunOutcome(
        run_id=state.get("run_id", ""), branch=state.get("branch", ""), base_sha=state.get("base_sha", ""),
        speedups=speedups, targets=[t.key for t in state.get("targets", [])], judged=len(verdicts),
        min_speedup=(state.get("settings") or {}).get("min_speedup"), notes=list(state.get("notes", [])), report=f"{run_dir}/report.md" if run_dir else None,
        report_text=report_text,
    )
