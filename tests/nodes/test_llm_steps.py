"""The LLM steps over real HTTP: unusable replies become notes, credit fields are filled, budgets stop cleanly."""

from __future__ import annotations

import json
import textwrap

import pytest

from optimizer_agent.config import Settings
from optimizer_agent.context import RunContext
from optimizer_agent.models import Ledger, ModelConfig, OpenAIModel
from optimizer_agent.models.scripted_server import ScriptedServer
from optimizer_agent.nodes.llm_steps import llm_candidates, llm_diagnosis, llm_plans
from optimizer_agent.prompts import prompt_hash
from optimizer_agent.skilllib.loader import Library
from optimizer_agent.state import Candidate, FunctionRef, Plan, SkillMatch, Verdict

SOURCE = textwrap.dedent('''
    """Pairs out of order."""


    def count_inversions(values):
        count = 0
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                if values[i] > values[j]:
                    count += 1
        return count


    class Table:
        def total(self, rows):
            out = 0
            for r in rows:
                out = out + r
            return out
''').lstrip()
FN = FunctionRef(file="inv/core.py", qualname="count_inversions", start_line=4, end_line=10)
METHOD = FunctionRef(file="inv/core.py", qualname="Table.total", start_line=14, end_line=18)
PLAN = Plan(id="count_inversions#l1", function=FN, meta_skill="M003", skills=["O019"], rationale="M003: bisect")
FAST = '''from bisect import bisect_right, insort


def count_inversions(values):
    seen = []
    count = 0
    for v in values:
        count += len(seen) - bisect_right(seen, v)
        insort(seen, v)
    return count
'''


def fence(code: str, header: dict | None = None) -> str:
    return (json.dumps(header) + "\n" if header else "") + "```python\n" + code + "```\n"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


@pytest.fixture
def context(library):
    """A RunContext whose model talks to a ScriptedServer; yields (make, progress lines)."""
    made = []

    def make(server: ScriptedServer, ledger: Ledger | None = None, **settings) -> RunContext:
        model = OpenAIModel(ModelConfig(base_url=server.base_url, api_key="sk-test", model="gpt-4o-mini",
                                        backoff_base=0.001, backoff_cap=0.01, max_retries=1, timeout=5),
                            ledger=ledger)
        made.append(model)
        return RunContext(settings=Settings(**settings), sandbox=None, library=library, gate=None, model=model)

    yield make
    for model in made:
        model.close()


def test_generate_keeps_usable_blocks_and_notes_the_rest(context):
    reply = "\n".join([
        "### Candidate 1", fence(FAST, {"skills": ["O019", "O999"], "notes": "bisect"}),
        "### Candidate 2", fence("def count_inversions(values):\n    return sum(\n"),
        "### Candidate 3", fence("def something_else(values):\n    return 0\n"),
        "### Candidate 4", fence(SOURCE.split("\n\n\n")[1] + "\n"),
    ])
    script = [{"text": reply, "usage": {"prompt_tokens": 900, "completion_tokens": 300}}]
    with ScriptedServer(script) as server:
        ctx = context(server, k=4)
        notes: list[str] = []
        [cand] = llm_candidates(ctx, {"round": 0}, FN, SOURCE, [PLAN], number=5, room=6, notes=notes)
        sent = server.requests[0]["messages"]
    assert (cand.id, cand.origin, cand.plan_id, cand.round, cand.parent) == ("c005", "llm", PLAN.id, 0, None)
    assert cand.skills == ["O019"]  # made-up ids are dropped
    assert cand.tokens == 1200 and cand.latency > 0
    assert cand.prompt_hash == prompt_hash(sent)
    assert "from bisect import bisect_right, insort" in cand.source and "insort(seen, v)" in cand.source
    assert "+from bisect import" in cand.diff
    [note] = notes
    assert "dropped 3 of 4 code block(s)" in note
    assert "block 2 has a syntax error" in note and "block 3 does not define `count_inversions`" in note
    assert "block 4 changes nothing" in note


def test_a_reply_without_code_or_cut_short_is_dropped_with_a_note(context):
    cut = "### Candidate 1\n```python\ndef count_inversions(values):\n    seen = [\n"
    script = ["I would use a Fenwick tree here, but I cannot show code.", {"text": cut, "finish_reason": "length"}]
    with ScriptedServer(script) as server:
        ctx = context(server)
        notes: list[str] = []
        plans = [PLAN, PLAN.model_copy(update={"id": "count_inversions#l2"})]
        assert llm_candidates(ctx, {"round": 0}, FN, SOURCE, plans, number=1, room=6, notes=notes) == []
    assert "no Python code block" in notes[0]
    assert "syntax error" in notes[1] and "cut at max_tokens" in notes[1]


def test_a_method_sent_inside_its_class_is_unwrapped(context):
    code = "class Table:\n    def total(self, rows):\n        return sum(rows)\n"
    with ScriptedServer([fence(code)]) as server:
        ctx = context(server)
        [cand] = llm_candidates(ctx, {"round": 0}, METHOD, SOURCE, [PLAN], number=1, room=2)
    assert "        return sum(rows)\n" in cand.source and cand.source.count("class Table") == 1


def test_repair_sends_the_reason_and_links_the_parent(context):
    first = Candidate(id="c001", function=FN, plan_id=PLAN.id, skills=["O019"], origin="llm", source="x",
                      diff="-old\n+wrong\n", round=0)
    verdict = Verdict(candidate_id="c001", accepted=False, stage="tests",
                      reason="tests failed: 1 failed (tests/test_core.py::test_ties)", tests_run=4, tests_passed=3)
    state = {"round": 1, "candidates": [first], "verdicts": [verdict]}
    with ScriptedServer([fence(FAST, {"skills": ["O019"]})]) as server:
        ctx = context(server)
        [fixed] = llm_candidates(ctx, state, FN, SOURCE, [PLAN], number=2, room=1)
        prompt = server.requests[0]["messages"][-1]["content"]
    assert "tests failed: 1 failed (tests/test_core.py::test_ties)" in prompt and "+wrong" in prompt
    assert '"tests_passed":3' in prompt
    assert (fixed.id, fixed.parent, fixed.round, fixed.plan_id) == ("c002", "c001", 1, PLAN.id)


def test_the_budget_stops_asking_once_with_one_note(context):
    script = [{"text": fence(FAST), "usage": {"prompt_tokens": 5000, "completion_tokens": 1000}}]
    with ScriptedServer(script) as server:
        ctx = context(server, ledger=Ledger(budget_tokens=6000))
        notes: list[str] = []
        assert len(llm_candidates(ctx, {"round": 0}, FN, SOURCE, [PLAN], number=1, room=4, notes=notes)) == 1
        assert llm_candidates(ctx, {"round": 0}, FN, SOURCE, [PLAN], number=2, room=4, notes=notes) == []
        assert llm_diagnosis(ctx, SOURCE, FN, [], notes=notes) == ""
        matches = [SkillMatch(skill_id="O019", name="bisect", kind="operator", score=1.0)]
        assert llm_plans(ctx, SOURCE, FN, matches, notes=notes) == []
        assert len(server.requests) == 1
    [note] = notes
    assert note.startswith("LLM budget reached at generate of count_inversions: token budget exhausted: 6000 of 6000")


def test_diagnosis_asks_to_fix_json_once_then_goes_on_without(context):
    truncated = '{"dominant_operations": ["nested loop over all pairs"], "complexity": {"time": "O(n^2)'
    with ScriptedServer(["no json at all", "still none", truncated]) as server:
        ctx = context(server)
        notes: list[str] = []
        assert llm_diagnosis(ctx, SOURCE, FN, [], notes=notes) == ""
        assert "not JSON even after asking again" in notes[0]
        assert "could not be read as JSON" in server.requests[1]["messages"][-1]["content"]
        # A reply cut mid-way is closed and read without asking again.
        data = json.loads(llm_diagnosis(ctx, SOURCE, FN, [], notes=notes))
        assert data["complexity"]["time"] == "O(n^2)" and len(server.requests) == 3


def test_plans_survive_odd_json_and_keep_only_known_skills(context):
    matches = [SkillMatch(skill_id="O019", name="bisect", kind="operator", score=1.0),
               SkillMatch(skill_id="O017", name="pairs", kind="operator", score=0.5),
               SkillMatch(skill_id="M003", name="precompute", kind="meta", score=0.5)]
    script = [json.dumps({"skill_sets": [{"skills": "O019", "meta_skill": ["M003"]},
                                         {"skills": ["O017", "Z1"], "meta_skill": "M003"}, "junk"]}),
              json.dumps({"plans": ["not an object"]}),
              json.dumps({"plans": [{"steps": ["index seen values", "look up partners"]}]})]
    with ScriptedServer(script) as server:
        ctx = context(server)
        first, second = llm_plans(ctx, SOURCE, FN, matches, "quadratic", notes=[])
    assert (first.skills, first.meta_skill, first.rationale) == (["O019"], None, "")
    assert (second.skills, second.meta_skill) == (["O017"], "M003")
    assert second.rationale == "M003: index seen values; look up partners"


def test_an_unreachable_endpoint_becomes_a_note(context):
    with ScriptedServer([{"status": 500}, {"status": 503}]) as server:
        ctx = context(server)
        notes: list[str] = []
        assert llm_candidates(ctx, {"round": 0}, FN, SOURCE, [PLAN], number=1, room=4, notes=notes) == []
    assert notes[0].startswith("LLM generate of count_inversions skipped:") and "503" in notes[0]
