"""The LLM's part of diagnose, plan and propose; every failure degrades to 'no LLM output', never a crash."""

from __future__ import annotations

import json

from optimizer_agent.analysis.extents import find_function, function_source
from optimizer_agent.analysis.splice import splice_replacement
from optimizer_agent.context import RunContext
from optimizer_agent.models.base import ModelError
from optimizer_agent.models.parsing import ask_json, extract_candidates
from optimizer_agent.prompts import prompt_hash, render
from optimizer_agent.state import Candidate, FunctionRef, Plan, RunState, Signal, SkillMatch

MAX_CONTEXT_CHARS = 12_000
MAX_SKILL_SETS = 3


def _code(source: str, fn: FunctionRef) -> str:
    ext = find_function(source, fn.qualname)
    return function_source(source, ext) if ext else ""


def _skill_text(ctx: RunContext, ids: list[str]) -> str:
    lines = []
    for sid in ids:
        if sid in ctx.library:
            skill = ctx.library.get(sid)
            triggers = "; ".join(getattr(skill, "triggers", []) or [])
            lines.append(f"{skill.id}: {skill.name}. {skill.description} Triggers: {triggers}")
    return "\n".join(lines) or "(none)"


def llm_diagnosis(ctx: RunContext, source: str, fn: FunctionRef, signals: list[Signal], profile: str = "") -> str:
    """An EffiSkill-style execution-free audit of one function, as compact JSON text ('' on failure)."""
    messages = render("diagnose", qualname=fn.qualname, file=fn.file, code=_code(source, fn),
                      profile=profile or "(not given)",
                      signals="\n".join(f"line {s.line}: {s.detector}: {s.message}" for s in signals) or "(none)")
    try:
        data = ask_json(ctx.model, messages, "diagnose")
    except ModelError as exc:
        ctx.progress(f"LLM diagnose skipped: {exc}")
        return ""
    return json.dumps(data, separators=(",", ":")) if data else ""


def llm_plans(ctx: RunContext, source: str, fn: FunctionRef, matches: list[SkillMatch], diagnosis: str = "") -> list[Plan]:
    """Rerank the retrieved skills into 1-3 sets, then have the model write a plan for each."""
    operators = [m.skill_id for m in matches if m.kind == "operator"]
    metas = [m.skill_id for m in matches if m.kind == "meta"]
    if not operators:
        return []
    try:
        chosen = ask_json(ctx.model, render("rerank", qualname=fn.qualname, max_sets=MAX_SKILL_SETS,
                                            diagnosis=diagnosis or "(none)",
                                            skills=_skill_text(ctx, operators + metas)), "rerank") or {}
        sets = [s for s in chosen.get("skill_sets", []) if isinstance(s, dict)][:MAX_SKILL_SETS]
        sets = sets or [{"skills": operators[:MAX_SKILL_SETS], "meta_skill": metas[0] if metas else None}]
        plans: list[Plan] = []
        for i, skill_set in enumerate(sets, 1):
            skills = [s for s in skill_set.get("skills", []) if str(s) in ctx.library] or operators[:1]
            meta = skill_set.get("meta_skill") if str(skill_set.get("meta_skill")) in ctx.library else None
            meta_card = ctx.library.get(meta) if meta else None
            reply = ask_json(ctx.model, render(
                "plan", qualname=fn.qualname, diagnosis=diagnosis or "(none)",
                meta_skill="\n".join(getattr(meta_card, "procedure", []) or []) if meta_card else "(none)",
                operator_skills=_skill_text(ctx, skills)), "plan") or {}
            drafted = (reply.get("plans") or [{}])[0] if isinstance(reply.get("plans"), list) else {}
            steps = "; ".join(str(s) for s in drafted.get("steps", []) if s)
            plans.append(Plan(id=f"{fn.qualname}#l{i}", function=fn, meta_skill=meta, skills=skills,
                              rationale=steps or str(drafted.get("rationale") or skill_set.get("why") or "")))
        return plans
    except ModelError as exc:
        ctx.progress(f"LLM planning stopped: {exc}")
        return []


def _to_candidates(ctx: RunContext, reply, fn: FunctionRef, source: str, plan: Plan | None, number: int,
                   round_: int, parent: str | None, messages) -> list[Candidate]:
    from optimizer_agent.nodes.propose import new_candidate

    out: list[Candidate] = []
    for block in extract_candidates(reply.text):
        new = splice_replacement(source, fn.qualname, block.code)
        if new is None or new == source:
            continue
        skills = [s for s in block.skills if s in ctx.library] or (plan.skills if plan else [])
        out.append(new_candidate(number + len(out), fn, plan, source, new, "llm", skills, round=round_,
                                 parent=parent, tokens=reply.tokens, latency=reply.latency,
                                 prompt_hash=prompt_hash(messages)))
    return out


def llm_candidates(ctx: RunContext, state: RunState, fn: FunctionRef, source: str, plans: list[Plan],
                   number: int, room: int) -> list[Candidate]:
    """Round 0: k candidates per LLM plan. Later rounds: one repair per rejected candidate of the last round."""
    round_ = state.get("round", 0)
    out: list[Candidate] = []
    try:
        if round_ == 0:
            context = source if len(source) <= MAX_CONTEXT_CHARS else source[:MAX_CONTEXT_CHARS] + "\n# ...\n"
            for plan in (p for p in plans if not p.rewrites):
                if len(out) >= room:
                    break
                messages = render("generate", qualname=fn.qualname, file=fn.file, k=ctx.settings.k,
                                  code=_code(source, fn), context=context, plan=plan.rationale or "(free)",
                                  skills=_skill_text(ctx, plan.skills))
                reply = ctx.model.complete(messages, purpose="generate")
                out += _to_candidates(ctx, reply, fn, source, plan, number + len(out), 0, None, messages)
        else:
            verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
            rejected = [c for c in state.get("candidates", []) if c.function.key == fn.key
                        and c.round == round_ - 1 and c.id in verdicts and not verdicts[c.id].accepted]
            for cand in rejected[: max(room, 0)]:
                v = verdicts[cand.id]
                messages = render("repair", qualname=fn.qualname, file=fn.file, code=_code(source, fn),
                                  candidate=cand.diff, reason=v.reason, evidence=v.model_dump_json(
                                      include={"stage", "tests_run", "tests_passed", "speedup", "ci_low",
                                               "ci_high", "p_value", "calls_compared"}))
                reply = ctx.model.complete(messages, purpose="repair")
                plan = next((p for p in plans if p.id == cand.plan_id), None)
                out += _to_candidates(ctx, reply, fn, source, plan, number + len(out), round_, cand.id, messages)
    except ModelError as exc:
        ctx.progress(f"LLM proposing stopped: {exc}")
    return out[: max(room, 0)]
