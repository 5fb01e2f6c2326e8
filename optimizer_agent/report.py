"""The run report: `report.md` in the run folder, and the summary the CLI prints."""

from __future__ import annotations

import math
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


def llm_usage(run_dir: str | Path | None) -> dict | None:
    """The run's LLM ledger as plain figures (requests, tokens, cost, by purpose), or None without LLM use."""
    if not run_dir:
        return None
    from optimizer_agent.models.ledger import read_ledger

    ledger = read_ledger(Path(run_dir))
    if ledger is None:
        return None

    def figures(usage) -> dict:
        return {"requests": usage.requests, "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens, "tokens": usage.tokens,
                "cost_usd": round(usage.cost_usd, 6)}

    return {**figures(ledger.total), "by_purpose": {k: figures(v) for k, v in ledger.by_purpose.items()},
            "unpriced_models": ledger.unpriced_models, "budget_tokens": ledger.budget_tokens,
            "budget_usd": ledger.budget_usd, "budget_stop": ledger.stopped}


def skill_credit(state: RunState) -> list[dict]:
    """Per skill (operators, and the meta skill of the plan): candidates, acceptances, and the speedups it landed."""
    rows = _credit_rows(state)
    for row in rows:
        speeds = row["speedups"]
        row["speedups"] = [round(s, 3) for s in speeds]
        row["best_speedup"] = round(max(speeds), 3) if speeds else None
        row["geomean_speedup"] = round(math.prod(speeds) ** (1 / len(speeds)), 3) if speeds else None
    return rows


def _credit_rows(state: RunState) -> list[dict]:
    # Speedups stay unrounded here so report.md formats them once, exactly as the commit message does;
    # rounding to 3 places first turned a landed 5.1855x into "5.18x" beside a commit saying 5.19x.
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    landed = {c.candidate_id: c for c in state.get("commits", [])}
    plans = {p.id: p for p in state.get("plans", [])}
    rows: dict[str, dict] = {}
    for cand in state.get("candidates", []):
        plan = plans.get(cand.plan_id)
        ids = list(dict.fromkeys([*cand.skills, *([plan.meta_skill] if plan and plan.meta_skill else [])]))
        for sid in ids:
            row = rows.setdefault(sid, {"skill": sid, "candidates": 0, "accepted": 0, "committed": 0,
                                        "speedups": [], "tokens": 0})
            row["candidates"] += 1
            row["tokens"] += cand.tokens
            verdict = verdicts.get(cand.id)
            row["accepted"] += int(bool(verdict and verdict.accepted))
            if cand.id in landed:
                row["committed"] += 1
                row["speedups"].append(landed[cand.id].speedup)
    return sorted(rows.values(), key=lambda r: (-r["committed"], -r["accepted"], r["skill"]))


def summary(state: RunState) -> dict:
    """A JSON-ready account of the run: branch, commits, every candidate's verdict, notes."""
    verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
    return {
        "run_id": state.get("run_id"),
        "branch": state.get("branch"),
        "branch_kept": state.get("branch_kept"),
        "worktree": state.get("worktree"),
        "base_sha": state.get("base_sha"),
        "dirty": state.get("dirty", False),
        "baseline_tests": state["baseline"].model_dump() if state.get("baseline") else None,
        "hotspots": [h.model_dump() for h in state.get("hotspots", [])[:20]],
        "targets": [t.key for t in state.get("targets", [])],
        "candidates": [
            {"id": c.id, "function": c.function.key, "origin": c.origin, "skills": c.skills, "plan": c.plan_id,
             "round": c.round, "parent": c.parent, "tokens": c.tokens, "latency": round(c.latency, 3),
             "prompt_hash": c.prompt_hash,
             "verdict": verdicts[c.id].model_dump(exclude={"timings_base", "timings_cand"}) if c.id in verdicts else None}
            for c in state.get("candidates", [])
        ],
        "commits": [c.model_dump() for c in state.get("commits", [])],
        "notes": state.get("notes", []),
        "skill_credit": skill_credit(state),
        "llm": llm_usage(state.get("run_dir")),
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
    lines += _provenance(state) + _credit_lines(state) + _usage_lines(llm_usage(state.get("run_dir")))
    lines += ["", "## Commits", ""]
    for rec in state.get("commits", []):
        lines.append(f"- `{rec.sha[:10]}` {rec.subject}")
    by_id = {c.id: c for c in state.get("candidates", [])}
    for rec in state.get("commits", []):
        cand = by_id.get(rec.candidate_id)
        if cand:
            lines += ["", f"### {rec.subject}", "", "```diff", cand.diff.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def _provenance(state: RunState) -> list[str]:
    """Where each LLM candidate came from: plan, parent, round, prompt hash, tokens and latency."""
    llm = [c for c in state.get("candidates", []) if c.origin == "llm"]
    if not llm:
        return []
    plans = {p.id: p for p in state.get("plans", [])}
    lines = ["", "## LLM candidates", "", "| id | plan | repairs | round | prompt | tokens | latency |",
             "|---|---|---|---|---|---|---|"]
    for c in llm:
        plan = plans.get(c.plan_id)
        label = "-"
        if c.plan_id:
            uses = f" ({plan.meta_skill} + {', '.join(plan.skills)})" if plan and plan.meta_skill else ""
            label = f"`{c.plan_id}`{uses}"
        lines.append(f"| {c.id} | {label} | {c.parent or '-'} | {c.round} | `{c.prompt_hash or '-'}` | "
                     f"{c.tokens} | {c.latency:.2f}s |")
    used = [p for p in plans.values() if p.id in {c.plan_id for c in llm} and p.rationale]
    lines += ["", *[f"- `{p.id}`: {p.rationale}".replace("\n", " ") for p in used]]
    return lines


def _credit_lines(state: RunState) -> list[str]:
    rows = _credit_rows(state)
    if not rows:
        return []
    lines = ["", "## Skill credit", "", "| skill | candidates | accepted | committed | speedups landed | tokens |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        landed = ", ".join(f"{s:.2f}x" for s in r["speedups"]) or "-"
        lines.append(f"| {r['skill']} | {r['candidates']} | {r['accepted']} | {r['committed']} | {landed} | "
                     f"{r['tokens']} |")
    return lines


def _usage_lines(usage: dict | None) -> list[str]:
    if not usage:
        return []
    lines = ["", "## LLM usage", "", "| purpose | requests | prompt tokens | completion tokens | cost (USD) |",
             "|---|---|---|---|---|"]
    for purpose, u in [*usage["by_purpose"].items(), ("**total**", usage)]:
        lines.append(f"| {purpose} | {u['requests']} | {u['prompt_tokens']} | {u['completion_tokens']} | "
                     f"{u['cost_usd']:.4f} |")
    if usage["unpriced_models"]:
        lines.append(f"\nNo price known for {', '.join(usage['unpriced_models'])}; their cost counts as 0.")
    if usage["budget_stop"]:
        lines.append(f"\nBudget stop: {usage['budget_stop']}.")
    return lines


def write_report(state: RunState, run_dir: Path) -> Path:
    """Write `report.md` into the run folder and return its path."""
    path = run_dir / "report.md"
    path.write_text(render_markdown(state))
    return path
