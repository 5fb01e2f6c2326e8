"""diagnose: find inefficiency signals in each target without running it."""

from __future__ import annotations

from langgraph.runtime import Runtime

from optimizer_agent.analysis.detectors import detect
from optimizer_agent.context import RunContext
from optimizer_agent.nodes.common import read_function_file
from optimizer_agent.state import Diagnosis, RunState


def diagnose(state: RunState, runtime: Runtime[RunContext]) -> dict:
    """Run the static detectors (and the LLM's diagnosis, when configured) on every target."""
    ctx = runtime.context
    out: list[Diagnosis] = []
    notes: list[str] = []
    shares = {h.function.key: h for h in state.get("hotspots", [])}
    for fn in state.get("targets", []):
        source = read_function_file(state, fn)
        signals = detect(source, fn.qualname)
        summary = ""
        if ctx.model is not None:
            from optimizer_agent.nodes.llm_steps import llm_diagnosis

            hot = shares.get(fn.key)
            profile = f"{hot.own_share:.1%} of samples in its own code, {hot.total_share:.1%} including callees" \
                if hot else ""
            summary = llm_diagnosis(ctx, source, fn, signals, profile, notes)
        out.append(Diagnosis(function=fn, signals=signals, summary=summary))
        ctx.progress(f"diagnose {fn.qualname}: {', '.join(s.detector for s in signals) or 'no static signal'}")
    return {"diagnoses": out, "notes": notes}
