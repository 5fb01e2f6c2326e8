"""The LLM path: one structured trace per pair (slow audit, fast audit, delta), or the AST delta when it fails."""

from __future__ import annotations

import re

from pydantic import ValidationError

from optimizer_agent.models.base import Model, ModelUnavailable
from optimizer_agent.models.parsing import ask_json
from optimizer_agent.prompts import MAX_PARAM_CHARS, render
from optimizer_agent.skilllib.miner.catalog import LABELS
from optimizer_agent.skilllib.miner.classify import shorten
from optimizer_agent.skilllib.miner.config import LLM_CODE_CHARS, MAX_EVIDENCE
from optimizer_agent.skilllib.miner.records import Audit, Delta, Pair, Trace

PURPOSE = "mine"
CUT_MARK = "\n# ... (cut)\n"
UNKNOWN_LABEL_PREFIX = "llm-label:"


def label_menu() -> str:
    """The label vocabulary as the prompt lists it."""
    return "\n".join(f"{info.id}: {info.title}" for info in LABELS.values())


def _cut(code: str) -> str:
    return code if len(code) <= LLM_CODE_CHARS else code[:LLM_CODE_CHARS] + CUT_MARK


def _problem(pair: Pair) -> str:
    text = re.sub(r"\s+", " ", pair.problem_id).strip() or "unknown"
    return text[:MAX_PARAM_CHARS]


def _text(value: object) -> str:
    if isinstance(value, dict):  # {"time": "O(n)", "space": "O(1)"} as the diagnose step writes it
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [_text(v) for v in value if v is not None]
    return []


def _audit(value: object) -> Audit:
    if not isinstance(value, dict):
        raise ValueError("an audit must be a JSON object")
    return Audit(dominant_operations=_texts(value.get("dominant_operations")),
                 complexity=_text(value.get("complexity")), bottlenecks=_texts(value.get("bottlenecks")))


def parse_trace(value: dict) -> Trace:
    """A Trace from the reply's JSON; the delta may be nested under `delta` or given at the top level."""
    delta = value.get("delta") if isinstance(value.get("delta"), dict) else value
    return Trace(slow_audit=_audit(value.get("slow_audit")), fast_audit=_audit(value.get("fast_audit")),
                 labels=[str(x).strip().lower() for x in _texts(delta.get("labels"))],
                 mechanism=_text(delta.get("mechanism")), evidence=_texts(delta.get("evidence")))


def _fallback(ast_delta: Delta, reason: str, trace: Trace | None = None) -> Delta:
    return ast_delta.model_copy(update={"fallback_reason": reason, "trace": trace})


def llm_delta(model: Model, pair: Pair, ast_delta: Delta) -> Delta:
    """The LLM's delta for `pair`; on any per-pair failure, `ast_delta` with the reason attached.

    ModelFailure (bad key, unknown model) and BudgetExhausted propagate: they end the LLM path for every pair.
    """
    messages = render("mine", problem_id=_problem(pair), slow=_cut(pair.slow), fast=_cut(pair.fast),
                      labels=label_menu())
    try:
        value = ask_json(model, messages, PURPOSE)
    except ModelUnavailable as exc:
        return _fallback(ast_delta, f"LLM unavailable: {exc}")
    if value is None:
        return _fallback(ast_delta, "the reply was not a JSON object, even after the fix-JSON retry")
    try:
        trace = parse_trace(value)
    except (ValueError, ValidationError) as exc:
        return _fallback(ast_delta, f"the trace did not match the schema: {shorten(str(exc))}")
    known = [label for label in dict.fromkeys(trace.labels) if label in LABELS]
    if not known:
        return _fallback(ast_delta, "the trace named no known label", trace)
    unknown = [f"{UNKNOWN_LABEL_PREFIX}{re.sub(r'[^a-z0-9-]+', '-', x)}" for x in trace.labels if x not in LABELS]
    evidence = [shorten(line) for line in [trace.mechanism, *trace.evidence] if line.strip()]
    return Delta(index=pair.index, problem_id=pair.problem_id, source="llm", labels=known,
                 features=[*ast_delta.features, *unknown], evidence=evidence[:MAX_EVIDENCE], trace=trace)
