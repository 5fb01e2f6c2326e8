"""The LLM's part of diagnose, plan and propose; every failure degrades to 'no LLM output' plus a note, never a crash."""

from __future__ import annotations

import ast
import json
import textwrap

from optimizer_agent.analysis.extents import find_function, function_source
from optimizer_agent.analysis.splice import splice_replacement
from optimizer_agent.context import RunContext
from optimizer_agent.models.base import BudgetExhausted, ModelError, Reply
from optimizer_agent.models.parsing import CodeCandidate, ask_json, extract_candidates
from optimizer_agent.prompts import prompt_hash, render
from optimizer_agent.state import Candidate, FunctionRef, Plan, RunState, Signal, SkillMatch

MAX_CONTEXT_CHARS = 12_000
"""Module text sent as context with a generate prompt; longer modules are cut (the target is sent whole)."""
MAX_SKILL_SETS = 3
MAX_NOTE_CHARS = 400
TRUNCATED = "length"
"""The finish reason of a reply cut at max_tokens."""


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


def _known(ctx: RunContext, ids: object) -> list[str]:
    """The ids in a model-written list that name skills of the library (others are made up)."""
    if not isinstance(ids, list):
        return []
    return list(dict.fromkeys(str(s) for s in ids if str(s) in ctx.library))


def _note(ctx: RunContext, notes: list[str] | None, text: str) -> None:
    text = " ".join(text.split())[:MAX_NOTE_CHARS]
    ctx.progress(text)
    if notes is not None:
        notes.append(text)


def budget_spent(ctx: RunContext) -> bool:
    """True once the run's LLM budget has refused a request; the run then stops asking (already noted)."""
    return bool(getattr(getattr(ctx.model, "ledger", None), "stopped", None))


def _model_failed(ctx: RunContext, notes: list[str] | None, step: str, fn: FunctionRef, exc: ModelError) -> None:
    if isinstance(exc, BudgetExhausted):
        _note(ctx, notes, f"LLM budget reached at {step} of {fn.qualname}: {exc}; no more LLM requests in this "
                          "run, which goes on with the candidates it has")
    else:
        _note(ctx, notes, f"LLM {step} of {fn.qualname} skipped: {exc}")


def llm_diagnosis(ctx: RunContext, source: str, fn: FunctionRef, signals: list[Signal], profile: str = "",
                  notes: list[str] | None = None) -> str:
    """An EffiSkill-style execution-free audit of one function, as compact JSON text ('' on failure)."""
    if budget_spent(ctx):
        return ""
    messages = render("diagnose", qualname=fn.qualname, file=fn.file, code=_code(source, fn),
                      profile=profile or "(not given)",
                      signals="\n".join(f"line {s.line}: {s.detector}: {s.message}" for s in signals) or "(none)")
    try:
        data = ask_json(ctx.model, messages, "diagnose")
    except ModelError as exc:
        _model_failed(ctx, notes, "diagnose", fn, exc)
        return ""
    if data is None:
        _note(ctx, notes, f"LLM diagnose reply for {fn.qualname} was not JSON even after asking again; "
                          "went on with the static signals only")
        return ""
    return json.dumps(data, separators=(",", ":"))


def _first_dict(value: object) -> dict:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    return value if isinstance(value, dict) else {}


def _plan_text(meta: str | None, drafted: dict, skill_set: dict) -> str:
    steps = drafted.get("steps")
    if isinstance(steps, list):
        text = "; ".join(str(s).strip() for s in steps if str(s).strip())
    else:
        text = str(steps or "").strip()
    text = text or str(drafted.get("rationale") or skill_set.get("why") or "").strip()
    text = " ".join(text.split())
    return f"{meta}: {text}" if meta and text else text


def llm_plans(ctx: RunContext, source: str, fn: FunctionRef, matches: list[SkillMatch], diagnosis: str = "",
              notes: list[str] | None = None) -> list[Plan]:
    """Rerank the retrieved skills into 1-3 sets, then have the model write a plan for each."""
    operators = [m.skill_id for m in matches if m.kind == "operator"]
    metas = [m.skill_id for m in matches if m.kind == "meta"]
    if not operators or budget_spent(ctx):
        return []
    plans: list[Plan] = []
    step = "rerank"
    try:
        chosen = ask_json(ctx.model, render("rerank", qualname=fn.qualname, max_sets=MAX_SKILL_SETS,
                                            diagnosis=diagnosis or "(none)",
                                            skills=_skill_text(ctx, operators + metas)), "rerank") or {}
        raw = chosen.get("skill_sets")
        sets = [s for s in raw if isinstance(s, dict)][:MAX_SKILL_SETS] if isinstance(raw, list) else []
        if not sets:
            _note(ctx, notes, f"LLM rerank for {fn.qualname} chose no skill set; planning with the top retrieved skills")
            sets = [{"skills": operators[:MAX_SKILL_SETS], "meta_skill": metas[0] if metas else None}]
        step = "plan"
        for i, skill_set in enumerate(sets, 1):
            skills = _known(ctx, skill_set.get("skills")) or operators[:1]
            meta = str(skill_set.get("meta_skill")) if str(skill_set.get("meta_skill")) in ctx.library else None
            meta_card = ctx.library.get(meta) if meta else None
            reply = ask_json(ctx.model, render(
                "plan", qualname=fn.qualname, diagnosis=diagnosis or "(none)",
                meta_skill="\n".join(getattr(meta_card, "procedure", []) or []) if meta_card else "(none)",
                operator_skills=_skill_text(ctx, skills)), "plan") or {}
            plans.append(Plan(id=f"{fn.qualname}#l{i}", function=fn, meta_skill=meta, skills=skills,
                              rationale=_plan_text(meta, _first_dict(reply.get("plans")), skill_set)))
    except ModelError as exc:
        _model_failed(ctx, notes, step, fn, exc)
    return plans


def _unwrap_method(code: str, qualname: str) -> str:
    """A method sent inside its class (`class C: def m`) becomes a bare `def m`, as the splice expects."""
    owner, _, name = qualname.rpartition(".")
    if not owner:
        return code
    tree = ast.parse(code)
    if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body):
        return code
    lines = code.splitlines()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == owner.rsplit(".", 1)[-1]:
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name:
                    start = min([d.lineno for d in item.decorator_list] + [item.lineno])
                    imports = [ast.get_source_segment(code, n) or "" for n in tree.body
                               if isinstance(n, (ast.Import, ast.ImportFrom))]
                    method = textwrap.dedent("\n".join(lines[start - 1: item.end_lineno]))
                    return "\n".join([*imports, method]) + "\n"
    return code


def _splice(source: str, fn: FunctionRef, block: CodeCandidate) -> tuple[str | None, str]:
    """The new file text for one code block, or None and why it cannot be used."""
    name = fn.qualname.rsplit(".", 1)[-1]
    try:
        code = _unwrap_method(block.code, fn.qualname)
        tree = ast.parse(code)
    except SyntaxError as exc:
        return None, f"has a syntax error (line {exc.lineno}: {exc.msg})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, f"cannot be parsed ({type(exc).__name__})"
    # A nested target may come back as a rewrite of its enclosing function (splice_replacement takes either).
    names = set(fn.qualname.split("."))
    if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in names for n in tree.body):
        return None, f"does not define `{name}`"
    try:
        new = splice_replacement(source, fn.qualname, code)
    except (ValueError, SyntaxError, RecursionError, MemoryError) as exc:
        return None, f"cannot be spliced into {fn.file} ({type(exc).__name__})"
    if new is None:
        return None, f"does not fit into {fn.file}"
    if new == source:
        return None, "changes nothing"
    return new, ""


def _to_candidates(ctx: RunContext, reply: Reply, fn: FunctionRef, source: str, plan: Plan | None, number: int,
                   round_: int, parent: str | None, messages, purpose: str,
                   notes: list[str] | None) -> list[Candidate]:
    from optimizer_agent.nodes.propose import new_candidate

    blocks = extract_candidates(reply.text)
    usable: list[tuple[CodeCandidate, str]] = []
    problems: list[str] = []
    for n, block in enumerate(blocks, 1):
        new, problem = _splice(source, fn, block)
        if new is None:
            problems.append(f"block {n} {problem}")
        elif new not in {u[1] for u in usable}:
            usable.append((block, new))
    if not blocks:
        problems.append("no Python code block")
    if problems:
        cut = "; the reply was cut at max_tokens" if reply.finish_reason == TRUNCATED else ""
        _note(ctx, notes, f"LLM {purpose} reply for {fn.qualname}: dropped {len(problems)} of "
                          f"{max(len(blocks), 1)} code block(s): {'; '.join(problems)}{cut}")
    # One reply's cost is shared by the candidates it produced, so per-candidate sums stay honest.
    share = max(len(usable), 1)
    out: list[Candidate] = []
    for block, new in usable:
        skills = _known(ctx, block.skills) or (plan.skills if plan else [])
        out.append(new_candidate(number + len(out), fn, plan, source, new, "llm", skills, round=round_,
                                 parent=parent, tokens=round(reply.tokens / share),
                                 latency=reply.latency / share, prompt_hash=prompt_hash(messages)))
    return out


def llm_candidates(ctx: RunContext, state: RunState, fn: FunctionRef, source: str, plans: list[Plan],
                   number: int, room: int, notes: list[str] | None = None) -> list[Candidate]:
    """Round 0: k candidates per LLM plan. Later rounds: one repair per rejected candidate of the last round."""
    round_ = state.get("round", 0)
    out: list[Candidate] = []
    if room <= 0 or budget_spent(ctx):
        return out
    step = "generate" if round_ == 0 else "repair"
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
                out += _to_candidates(ctx, reply, fn, source, plan, number + len(out), 0, None, messages,
                                      "generate", notes)
        else:
            verdicts = {v.candidate_id: v for v in state.get("verdicts", [])}
            rejected = [c for c in state.get("candidates", []) if c.function.key == fn.key
                        and c.round == round_ - 1 and c.id in verdicts and not verdicts[c.id].accepted]
            for cand in rejected[:room]:
                v = verdicts[cand.id]
                messages = render("repair", qualname=fn.qualname, file=fn.file, code=_code(source, fn),
                                  candidate=cand.diff, reason=v.reason,
                                  evidence=v.model_dump_json(exclude={"timings_base", "timings_cand"}))
                reply = ctx.model.complete(messages, purpose="repair")
                plan = next((p for p in plans if p.id == cand.plan_id), None)
                out += _to_candidates(ctx, reply, fn, source, plan, number + len(out), round_, cand.id, messages,
                                      "repair", notes)
    except ModelError as exc:
        _model_failed(ctx, notes, step, fn, exc)
    return out[:room]
