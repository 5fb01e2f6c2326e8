"""plan: turn retrieved skills into plans, each a meta-skill procedure plus operator skills."""

from __future__ import annotations

from langgraph.runtime import Runtime

from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import read_function_file
from optimizer_agent.skilllib.rewrites import applicable
from optimizer_agent.state import FunctionRef, Plan, RunState, SkillMatch

LLM_PLAN_SKILLS = 3


def rewrite_plans(fn: FunctionRef, rewrite_ids: list[str], matches: list[SkillMatch], library) -> list[Plan]:
    """Deterministic plans: all applicable rewrites together first, then each alone."""
    if not rewrite_ids:
        return []
    by_rewrite = {s.rewrite: s.id for s in library.operators if getattr(s, "rewrite", None)}
    score = {m.skill_id: m.score for m in matches}
    ordered = sorted(rewrite_ids, key=lambda r: -score.get(by_rewrite.get(r, ""), 0.0))
    meta = _meta_for(matches, {by_rewrite.get(r) for r in ordered})
    groups = ([ordered] if len(ordered) > 1 else []) + [[r] for r in ordered]
    return [
        Plan(id=f"{fn.qualname}#r{i}", function=fn, meta_skill=meta,
             skills=[by_rewrite[r] for r in group if r in by_rewrite], rewrites=group,
             rationale="apply " + " + ".join(group))
        for i, group in enumerate(groups, 1)
    ]


def _meta_for(matches: list[SkillMatch], operator_ids: set[str | None]) -> str | None:
    """The best-scoring retrieved meta skill, which retrieval returns only when it uses a matched operator."""
    metas = [m for m in matches if m.kind == "meta"]
    return metas[0].skill_id if metas and operator_ids else None


def plan(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Make rewrite plans for every target, plus an LLM plan when a model is configured."""
    ctx = runtime.context
    plans: list[Plan] = []
    notes: list[str] = []
    for fn in state.get("targets", []):
        matches = state.get("matches", {}).get(fn.key, [])
        source = read_function_file(state, fn)
        fn_plans = rewrite_plans(fn, applicable(source, fn.qualname), matches, ctx.library)
        if ctx.model is not None:
            from optimizer_agent.nodes.llm_steps import llm_plans

            diagnosis = next((d.summary for d in state.get("diagnoses", []) if d.function.key == fn.key), "")
            fn_plans += llm_plans(ctx, source, fn, matches, diagnosis, notes)
        plans += fn_plans
        ctx.progress(f"plan {fn.qualname}: {len(fn_plans)} plan(s)")
    return {"plans": plans, "notes": notes}
