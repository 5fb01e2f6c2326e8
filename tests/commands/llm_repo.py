"""An example repo no deterministic rewrite can speed up, and the scripted LLM replies the LLM tests serve."""

from __future__ import annotations

import json
from pathlib import Path

from optimizer_agent.models.scripted_server import ScriptedServer
from tests.conftest import run_cli

MODEL = "gpt-4o-mini"
KEY = "sk-test-key"

INVERSIONS_PROJECT = {
    "pyproject.toml": """
        [project]
        name = "inv"
        version = "0.0.1"
    """,
    "inv/__init__.py": "",
    "inv/core.py": '''
        """Order statistics over sequences."""


        def count_inversions(values):
            """Number of pairs i < j with values[i] > values[j]."""
            count = 0
            n = len(values)
            for i in range(n):
                for j in range(i + 1, n):
                    if values[i] > values[j]:
                        count += 1
            return count
    ''',
    "tests/test_core.py": '''
        from inv.core import count_inversions

        def test_sorted_has_none():
            assert count_inversions([1, 2, 3]) == 0

        def test_reversed_has_all():
            assert count_inversions([3, 2, 1]) == 3

        def test_ties_are_not_inversions():
            assert count_inversions([2, 2, 1]) == 2

        def test_empty():
            assert count_inversions([]) == 0
    ''',
    "bench.py": '''
        import random

        from inv.core import count_inversions

        rng = random.Random(7)
        data = [rng.randrange(1000) for _ in range(2000)]
        for _ in range(2):
            count_inversions(data)
    ''',
}
"""count_inversions is O(n^2); no deterministic rewrite applies, but sorting seen values with bisect is O(n log n)."""

TWO_TARGETS = {
    **INVERSIONS_PROJECT,
    "inv/filters.py": '''
        def keep_allowed(items, blocked):
            """Items that are not blocked, in order."""
            out = []
            for item in items:
                if item in blocked:
                    continue
                out.append(item)
            return out
    ''',
    "tests/test_filters.py": '''
        from inv.filters import keep_allowed

        def test_keep_allowed():
            assert keep_allowed([3, 1, 2, 1], [1]) == [3, 2]
    ''',
    "bench.py": INVERSIONS_PROJECT["bench.py"] + '''
        from inv.filters import keep_allowed

        keep_allowed(list(range(4000)), list(range(0, 4000, 2)))
    ''',
}
"""Adds keep_allowed, which one deterministic rewrite (list membership to set) speeds up without any LLM."""

# Each prompt template opens with words no other template uses; steps keyed on them answer only that step.
DIAGNOSE = "Diagnose the performance of the function `{}`"
RERANK = "Choose the optimization skills most likely to speed up `{}`"
PLAN = "Write a concrete optimization plan for `{}`"
GENERATE = "Rewrite `{}`"
REPAIR = "A previous rewrite of `{}`"
FIX_JSON = "could not be read as JSON"
PURPOSE_OF = {DIAGNOSE: "diagnose", RERANK: "rerank", PLAN: "plan", GENERATE: "generate", REPAIR: "repair"}

DIAGNOSIS = {
    "dominant_operations": ["comparing every pair values[i] > values[j] in a nested loop"],
    "complexity": {"time": "O(n^2)", "space": "O(1)"},
    "bottlenecks": [{"line": 10, "why": "the inner loop body runs n*(n-1)/2 times"}],
    "trigger_signals": ["nested loop over all pairs", "counting pairs by an inequality",
                        "repeated lookups of the insertion point in sorted data"],
    "summary": "Counts inversions by brute force over all pairs. Keeping the seen values sorted and "
               "finding each value's insertion point by binary search needs O(n log n) comparisons.",
}
SKILL_SETS = {"skill_sets": [{"skills": ["O019"], "meta_skill": "M003",
                              "why": "a sorted list of seen values answers 'how many are greater' by bisect"}]}
PLAN_STEPS = ["keep the values seen so far in a sorted list",
              "count the seen values greater than the current one with bisect_right",
              "insert the current value with insort"]
PLANS = {"plans": [{"meta_skill": "M003", "skills": ["O019"], "steps": PLAN_STEPS,
                    "risks": ["equal values are not inversions, so the count must use bisect_right"],
                    "rationale": "O(n log n) comparisons instead of O(n^2)"}]}

WRONG = '''from bisect import bisect_left, insort


def count_inversions(values):
    """Number of pairs i < j with values[i] > values[j]."""
    seen = []
    count = 0
    for value in values:
        count += len(seen) - bisect_left(seen, value)
        insort(seen, value)
    return count
'''
SLOWER = '''def count_inversions(values):
    """Number of pairs i < j with values[i] > values[j]."""
    n = len(values)
    return sum(values[i] > values[j] for i in range(n) for j in range(i + 1, n))
'''
FAST = WRONG.replace("bisect_left", "bisect_right")
FILTER_FAST = '''def keep_allowed(items, blocked):
    """Items that are not blocked, in order."""
    blocked_set = set(blocked)
    return [item for item in items if item not in blocked_set]
'''


def candidate(code: str, skills: list[str], notes: str, number: int = 1) -> str:
    """One candidate in the format the generate prompt asks for."""
    header = json.dumps({"skills": skills, "notes": notes})
    return f"### Candidate {number}\n{header}\n```python\n{code}```\n"


def reply(text: str, match: str, **extra) -> dict:
    """A script step that answers only the request whose prompt contains `match`."""
    return {"text": text, "match": match, **extra}


def json_reply(value: dict, match: str, **extra) -> dict:
    """A step answering with a JSON object wrapped the way chat models often wrap it."""
    return reply("Here is the analysis.\n```json\n" + json.dumps(value, indent=2) + "\n```", match, **extra)


def planning_steps(fn: str = "count_inversions") -> list[dict]:
    """Diagnose, rerank and plan replies for `fn`."""
    return [json_reply(DIAGNOSIS, DIAGNOSE.format(fn)), json_reply(SKILL_SETS, RERANK.format(fn)),
            json_reply(PLANS, PLAN.format(fn))]


def purposes(server: ScriptedServer) -> list[str]:
    """The step each request the server received was for, in arrival order."""
    out = []
    for body in server.requests:
        last = body["messages"][-1]["content"]
        if FIX_JSON in last:
            out.append("fix-json")
            continue
        out.append(next((p for marker, p in PURPOSE_OF.items() if marker.split("`")[0] in last), "?"))
    return out


def llm_env(server: ScriptedServer | None, key: str = KEY, **extra: str) -> dict[str, str]:
    """The environment of a CLI run against `server` (none: no OPENAI_* variables at all)."""
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": key} if server else {}
    return {**env, **extra}


def optimize(repo: Path, *args: str, env: dict[str, str] | None = None):
    """`optimizer-agent optimize REPO --sandbox local --bench 'python bench.py' --json ARGS` as a subprocess."""
    return run_cli("optimize", str(repo), "--sandbox", "local", "--bench", "python bench.py", "--json", *args,
                   env=env or {}, timeout=900)


def replay(repo: Path, run_id: str, *args: str):
    """`optimizer-agent optimize REPO --replay RUN_ID --sandbox local --json ARGS`, with no OPENAI_* variable set."""
    return run_cli("optimize", str(repo), "--replay", run_id, "--sandbox", "local", "--json", *args, env={},
                   timeout=900)
