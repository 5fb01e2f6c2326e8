"""propose: write candidate rewrites of the current target from its plans (or repair rejected ones)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import current_target, read_function_file
from optimizer_agent.skilllib.rewrites import apply_rewrites
from optimizer_agent.state import Candidate, FunctionRef, Plan, RunState
from optimizer_agent.vcs.diffs import unified_diff


def new_candidate(number: int, fn: FunctionRef, plan: Plan | None, old: str, new: str, origin: str,
                  skills: list[str], **extra) -> Candidate:
    """A Candidate record with its diff against the current file."""
    return Candidate(id=f"c{number:03d}", function=fn, plan_id=plan.id if plan else "", skills=skills,
                     origin=origin, source=new, diff=unified_diff(fn.file, old, new), **extra)


def rewrite_candidates(fn: FunctionRef, plans: list[Plan], source: str, start: int, library) -> list[Candidate]:
    """Apply each deterministic plan; skip plans whose rewrites do not apply or repeat another's result."""
    skill_of = {s.rewrite: s.id for s in library.operators if getattr(s, "rewrite", None)}
    out: list[Candidate] = []
    seen = {source}
    for plan in plans:
        if not plan.rewrites:
            continue
        applied = apply_rewrites(plan.rewrites, source, fn.qualname)
        if applied is None or applied[0] in seen:
            continue
        new, used = applied
        seen.add(new)
        skills = [skill_of[r] for r in used if r in skill_of]
        out.append(new_candidate(start + len(out), fn, plan, source, new, "rewrite", skills))
    return out


def propose(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Generate this round's candidates for the current target, within the per-function cap."""
    ctx = runtime.context
    fn = current_target(state)
    if fn is None:
        return {"pending": []}
    source = read_function_file(state, fn)
    done = [c for c in state.get("candidates", []) if c.function.key == fn.key]
    room = max(ctx.settings.max_candidates - len(done), 0)
    start = len(state.get("candidates", [])) + 1
    plans = [p for p in state.get("plans", []) if p.function.key == fn.key]
    fresh: list[Candidate] = []
    notes: list[str] = []
    if state.get("round", 0) == 0:
        fresh = rewrite_candidates(fn, plans, source, start, ctx.library)
    if ctx.model is not None:
        from optimizer_agent.nodes.llm_steps import llm_candidates

        fresh += llm_candidates(ctx, state, fn, source, plans, start + len(fresh), room - len(fresh), notes)
    known = {c.source for c in done}
    fresh = [c for c in fresh if c.source not in known][:room]
    ctx.progress(f"propose {fn.qualname}: {len(fresh)} candidate(s)")
    return {"pending": fresh, "candidates": fresh, "notes": notes}
