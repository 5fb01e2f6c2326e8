"""retrieve: score the skill library against each target's diagnosis."""

from __future__ import annotations

from langgraph.runtime import Runtime

from optimizer_agent.analysis.extents import find_function, function_source
from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import read_function_file
from optimizer_agent.skilllib.retrieval import retrieve as search_skills
from optimizer_agent.state import RunState, SkillMatch

TOP_SKILLS = 6


def retrieve(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Rank operator skills (and the meta skills that use them) for every diagnosed target."""
    ctx = runtime.context
    matches: dict[str, list[SkillMatch]] = {}
    for diag in state.get("diagnoses", []):
        source = read_function_file(state, diag.function)
        ext = find_function(source, diag.function.qualname)
        query = (function_source(source, ext) if ext else "") + "\n" + diag.summary
        found = search_skills(ctx.library, query, diag.signals, k=TOP_SKILLS)
        matches[diag.function.key] = found
        top = ", ".join(m.skill_id for m in found if m.kind == "operator")[:80]
        ctx.progress(f"retrieve {diag.function.qualname}: {top or 'no skill'}")
    return {"matches": matches}
