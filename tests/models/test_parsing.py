"""Reply parsing: JSON and code out of messy replies, and the one fix-your-JSON follow-up over HTTP."""

from __future__ import annotations

from optimizer_agent.models.parsing import ask_json, extract_candidates, extract_code_blocks, extract_json
from optimizer_agent.models.scripted_server import ScriptedServer

FENCE = "```"


def test_json_inside_a_fence_with_prose_around_it():
    text = f'Here is my diagnosis:\n{FENCE}json\n{{"complexity": {{"time": "O(n^2)"}}}}\n{FENCE}\nHope it helps.'
    assert extract_json(text) == {"complexity": {"time": "O(n^2)"}}


def test_json_in_prose_without_a_fence():
    text = 'Use {key: value} pairs. Result: {"skills": ["O001", "O007"]} -- done'
    assert extract_json(text) == {"skills": ["O001", "O007"]}


def test_trailing_commas_are_forgiven():
    assert extract_json('{"a": [1, 2, ], "b": {"c": 3,},}') == {"a": [1, 2], "b": {"c": 3}}


def test_commas_inside_strings_are_kept():
    assert extract_json('{"why": "slow, ]really] slow,}", }') == {"why": "slow, ]really] slow,}"}


def test_truncated_json_is_closed():
    text = '{"dominant_operations": ["list.index in loop", "string conc'
    assert extract_json(text) == {"dominant_operations": ["list.index in loop", "string conc"]}


def test_truncated_json_drops_a_dangling_key():
    assert extract_json('{"summary": "ok", "bottlenecks": [{"line": 3}], "trig') == {
        "summary": "ok",
        "bottlenecks": [{"line": 3}],
    }


def test_truncated_json_inside_an_unclosed_fence():
    text = f'{FENCE}json\n{{"plans": [{{"skills": ["O001"], "steps": ["hoist the set'
    assert extract_json(text) == {"plans": [{"skills": ["O001"], "steps": ["hoist the set"]}]}


def test_escaped_quotes_survive_repair():
    assert extract_json('{"why": "uses \\"in\\" on a list", "x": ') == {"why": 'uses "in" on a list', "x": None}


def test_no_json_gives_none():
    assert extract_json("I cannot help with that.") is None
    assert extract_json("") is None


def test_python_fences_win_over_plain_ones():
    text = f"{FENCE}\nplain = 1\n{FENCE}\n{FENCE}python\ndef f():\n    return 1\n{FENCE}\n"
    assert extract_code_blocks(text) == ["def f():\n    return 1\n"]


def test_plain_fences_are_used_when_no_python_fence():
    text = f'{FENCE}\n{{"skills": []}}\n{FENCE}\n{FENCE}\ndef g(x):\n    return x\n{FENCE}'
    assert extract_code_blocks(text) == ["def g(x):\n    return x\n"]


def test_bare_def_without_fence_drops_trailing_prose():
    text = "Sure, here it is:\nimport re\n\ndef f(xs):\n    return set(xs)\nThis is faster because sets hash."
    assert extract_code_blocks(text) == ["import re\n\ndef f(xs):\n    return set(xs)\n"]


def test_no_code_gives_an_empty_list():
    assert extract_code_blocks("No change is needed.") == []


def test_candidates_carry_the_skills_of_their_header_line():
    text = (
        "### Candidate 1\n"
        '{"skills": ["O007"], "notes": "set lookup"}\n'
        f"{FENCE}python\ndef f(xs, ys):\n    s = set(ys)\n    return [x for x in xs if x in s]\n{FENCE}\n"
        "### Candidate 2\n"
        f"{FENCE}python\ndef f(xs, ys):\n    return list(filter(set(ys).__contains__, xs))\n{FENCE}\n"
    )
    first, second = extract_candidates(text)
    assert first.skills == ["O007"] and first.notes == "set lookup"
    assert first.code.startswith("def f(xs, ys):\n    s = set(ys)")
    assert second.skills == [] and "filter" in second.code


def test_ask_json_returns_the_object_without_a_follow_up(model_for):
    with ScriptedServer(['{"skill_sets": [{"skills": ["O001"]}]}']) as server:
        result = ask_json(model_for(server), [{"role": "user", "content": "rank"}], "rerank")
    assert result == {"skill_sets": [{"skills": ["O001"]}]}
    assert len(server.requests) == 1


def test_ask_json_sends_one_fix_json_follow_up(model_for):
    script = ["I think the answer is O001, honestly.", '{"skill_sets": []}']
    with ScriptedServer(script) as server:
        model = model_for(server)
        result = ask_json(model, [{"role": "user", "content": "rank"}], "rerank")

    assert result == {"skill_sets": []}
    assert len(server.requests) == 2
    follow_up = server.requests[1]["messages"]
    assert follow_up[0] == {"role": "user", "content": "rank"}
    assert follow_up[1] == {"role": "assistant", "content": script[0]}
    assert follow_up[2]["role"] == "user"
    assert "could not be read as JSON" in follow_up[2]["content"]
    assert "<<<ERROR\nExpecting value" in follow_up[2]["content"]
    assert set(model.ledger.by_purpose) == {"rerank", "fix-json"}


def test_ask_json_gives_up_after_one_follow_up(model_for):
    with ScriptedServer(["nope", "[1, 2]", "never asked"]) as server:
        assert ask_json(model_for(server), [{"role": "user", "content": "plan"}], "plan") is None
    assert len(server.requests) == 2
