"""A scripted OpenAI-compatible server whose `generate` answers are each problem's reference solution.

It stands in for a perfect model in reference runs (`benchmarks/reference_run.py`): the diagnose, rerank and
plan requests get minimal valid JSON, and a request to rewrite `name` gets the reference code of the suite
problem that defines `name` (with the original function when the reference has no function of that name,
so the reference's entry point still replaces the slow one); for a nested `outer.inner` it is the reference
code with its `outer`, which the splice puts in place of the whole enclosing function.
"""

from __future__ import annotations

import ast
import json
import re

from optimizer_agent.models.scripted import ScriptStep
from optimizer_agent.models.scripted_server import ScriptedServer, completion_body

TARGET = re.compile(r"`([A-Za-z_][\w.]*)`")
SKILL_ID = re.compile(r"\b([OM]\d{3})\b")
PURPOSES = (("Diagnose the performance", "diagnose"), ("Choose the optimization skills", "rerank"),
            ("Write a concrete optimization plan", "plan"), ("Rewrite `", "generate"),
            ("A previous rewrite of", "repair"), ("could not be read as JSON", "fix-json"))


def function_source(code: str, name: str) -> str | None:
    """The source of the top-level function `name` in `code`, decorators included."""
    tree = ast.parse(code)
    lines = code.splitlines()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            return "\n".join(lines[start - 1:node.end_lineno])
    return None


class ReferenceServer(ScriptedServer):
    """Answers from the suite instead of a fixed script (every request is recorded in `requests`)."""

    def __init__(self, problems: list, **kwargs) -> None:
        """`problems` are suite records (dicts or validated problems) with `slow_code` and `reference_code`."""
        super().__init__([], **kwargs)
        self.problems = [p if isinstance(p, dict) else p.model_dump() for p in problems]
        self.answered: dict[str, int] = {}
        """Requests answered, by purpose."""

    def answer(self, headers: dict[str, str], body: dict) -> tuple[int, dict, dict[str, str]]:
        """A reply that depends on what the request asks for."""
        messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
        prompt = str(messages[-1].get("content") or "") if messages else ""
        purpose = next((p for marker, p in PURPOSES if marker in prompt), "unknown")
        with self._lock:
            number = len(self.requests)
            self.requests.append(body)
            self.answered[purpose] = self.answered.get(purpose, 0) + 1
        text = self.reply_text(purpose, prompt)
        return 200, completion_body(ScriptStep(text=text), body, number), {}

    def reply_text(self, purpose: str, prompt: str) -> str:
        """The reply for one request."""
        skills = list(dict.fromkeys(i for i in SKILL_ID.findall(prompt) if i.startswith("O")))[:1]
        if purpose == "diagnose":
            return json.dumps({"dominant_operations": ["the algorithm"], "complexity": {"time": "?", "space": "?"},
                               "bottlenecks": [], "trigger_signals": [], "summary": "Use the known faster algorithm."})
        if purpose == "rerank":
            return json.dumps({"skill_sets": [{"skills": skills, "meta_skill": None, "why": "reference"}]})
        if purpose == "plan":
            return json.dumps({"plans": [{"skills": skills, "steps": ["replace with the reference solution"],
                                          "risks": [], "rationale": "the reference solution is faster"}]})
        if purpose in ("generate", "repair"):
            code = self.reference_for(prompt)
            if code is None:
                return "No candidate."
            return f"### Candidate 1\n{json.dumps({'skills': skills, 'notes': 'reference'})}\n```python\n{code}\n```\n"
        return "{}"

    def reference_for(self, prompt: str) -> str | None:
        """The replacement block for the function the prompt names, from the problem that defines it."""
        match = TARGET.search(prompt)
        if match is None:
            return None
        # A nested target (`outer.inner`) belongs to the problem whose top-level `outer` holds it.
        name = match.group(1).split(".", 1)[0] if "." in match.group(1) else match.group(1)
        owners = [p for p in self.problems if p.get("reference_code") and function_source(p["slow_code"], name)]
        if len(owners) > 1:
            owners = [p for p in owners if function_source(p["slow_code"], name) in prompt] or owners
        if not owners:
            return None
        problem = owners[0]
        reference = problem["reference_code"].rstrip("\n")
        if function_source(reference, name) is not None:
            return reference
        # The reference has no function of this name (the slow code's helper): keep the helper as it is and
        # bring in the reference's functions, which replace their slow namesakes.
        return function_source(problem["slow_code"], name) + "\n\n\n" + reference
