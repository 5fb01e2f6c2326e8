"""The run report: `report.md` in the run folder, and the summary the CLI prints."""

from __future__ import annotations

from pathlib import Path

from optimizer_agent.state import RunState, Verdict


def _fmt_speed(v: Verdict | None) -> str:
    if v is None or v.speedup is None:
        return "-"
    ci = f" [{v.ci_low:.2f}, {v.ci_high:.2f}]" if v.ci_low is not None and v.ci_high is not None else ""
    return f"{v.speedup:.2f}x{ci}"


def _fmt_p(v: Verdict | None) -> str:
    if v is None or v.p_value is None:
        return "-"
    return "<0.001" if v.p_value < 0.001 else f"{v.p_value:.3f}"


def summary(state: RunState) -> dict:
    """A JSON-ready account of the run: branch, commits, every candidate's verdict, notes."""
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    return {
        "run_id": state.get("run_id"),
        "branch": state.get("branch"),
        "worktree": state.get("worktree"),
        "base_sha": state.get("base_sha"),
        "dirty": state.get("dirty", False),
        "baseline_tests": state["baseline"].model_dump() if state.get("baseline") else None,
        "hotspots": [h.model_dump() for h in state.get("hotspots", [])[:20]],
        "targets": [t.key for t in state.get("targets", [])],
        "candidates": [
            {"id": c.id, "function": c.function.key, "origin": c.origin, "skills": c.skills, "plan": c.plan_id,
             "verdict": verdicts[c.id].model_dump(exclude={"timings_base", "timings_cand"}) if c.id in verdicts else None}
            for c in state.get("candidates", [])
        ],
        "commits": [c.model_dump() for c in state.get("commits", [])],
        "notes": state.get("notes", []),
        "report": str(Path(state["run_dir"]) / "report.md") if state.get("run_dir") else None,
    }


def render_markdown(state: RunState) -> str:
    """The report as Markdown: hot functions, candidates with verdicts, commits and diffs."""
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    base = state.get("baseline")
    lines = [
        f"# optimizer-agent run {state.get('run_id', '?')}",
        "",
        f"- Branch: `{state.get('branch', '?')}` from `{str(state.get('base_sha', '?'))[:12]}`",
        f"- Baseline tests: {base.passed} passed in {base.duration:.1f}s" if base else "- Baseline tests: not run",
        f"- Commits: {len(state.get('commits', []))}",
        "",
    ]
    if state.get("notes"):
        lines += ["## Notes", "", *[f"- {n}" for n in state["notes"]], ""]
    lines += ["## Hot functions", "", "| # | function | file | own | total |", "|---|---|---|---|---|"]
    for i, h in enumerate(state.get("hotspots", [])[:15], 1):
        fn = h.function
        lines.append(f"| {i} | `{fn.qualname}` | {fn.file}:{fn.start_line} | {h.own_share:.1%} | {h.total_share:.1%} |")
    lines += ["", "## Candidates", "",
              "| id | function | origin | skills | verdict | speedup [95% CI] | p | tests | rounds | reason |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for c in state.get("candidates", []):
        v = verdicts.get(c.id)
        status = "pending" if v is None else ("**accepted**" if v.accepted else f"rejected ({v.stage})")
        tests = f"{v.tests_passed}/{v.tests_run}" if v else "-"
        reason = (v.reason if v else "").replace("|", "\\|").replace("\n", " ")[:160]
        lines.append(f"| {c.id} | `{c.function.qualname}` | {c.origin} | {', '.join(c.skills) or '-'} | {status} | "
                     f"{_fmt_speed(v)} | {_fmt_p(v)} | {tests} | {v.rounds if v else '-'} | {reason} |")
    lines += ["", "## Commits", ""]
    for rec in state.get("commits", []):
        lines.append(f"- `{rec.sha[:10]}` {rec.subject}")
    by_id = {c.id: c for c in state.get("candidates", [])}
    for rec in state.get("commits", []):
        cand = by_id.get(rec.candidate_id)
        if cand:
            lines += ["", f"### {rec.subject}", "", "```diff", cand.diff.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def write_report(state: RunState, run_dir: Path) -> Path:
    """Write `report.md` into the run folder and return its path."""
    path = run_dir / "report.md"
    path.write_text(render_markdown(state))
    return path
