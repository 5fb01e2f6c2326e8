"""ScriptedModel and ReplayModel: deterministic answers without a network."""

from __future__ import annotations

import pytest

from optimizer_agent.errors import ModelFailure
from optimizer_agent.models import (
    BudgetExhausted,
    Ledger,
    Model,
    ModelUnavailable,
    ReplayModel,
    RequestRejected,
    ScriptedModel,
)
from optimizer_agent.models.scripted_server import ScriptedServer
from optimizer_agent.prompts import prompt_hash


def ask(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_scripted_model_answers_in_order_and_records_calls():
    model = ScriptedModel(["one", {"text": "two", "usage": {"prompt_tokens": 7, "completion_tokens": 3}}])
    assert isinstance(model, Model)
    assert model.complete(ask("a"), purpose="plan").text == "one"
    second = model.complete(ask("b"), purpose="generate")
    assert (second.text, second.prompt_tokens, second.completion_tokens) == ("two", 7, 3)
    assert second.request_hash == prompt_hash(ask("b"))
    assert [r["purpose"] for r in model.requests] == ["plan", "generate"]
    assert model.remaining == 0
    assert model.ledger.by_purpose["generate"].tokens == 10
    with pytest.raises(ModelUnavailable, match="no reply left"):
        model.complete(ask("c"), purpose="plan")


def test_scripted_errors_raise_what_the_http_model_would():
    model = ScriptedModel([{"status": 401}, {"error": {"status": 429}}, {"status": 400}, {"delay": 5}, "after"])
    with pytest.raises(ModelFailure):
        model.complete(ask("a"), purpose="plan")
    with pytest.raises(ModelUnavailable, match="429"):
        model.complete(ask("a"), purpose="plan")
    with pytest.raises(RequestRejected):
        model.complete(ask("a"), purpose="plan")
    with pytest.raises(ModelUnavailable, match="timed out"):
        model.complete(ask("a"), purpose="plan")
    assert model.complete(ask("a"), purpose="plan").text == "after"


def test_scripted_model_respects_the_budget():
    model = ScriptedModel(
        [{"text": "x", "usage": {"prompt_tokens": 10, "completion_tokens": 10}}, "y"],
        ledger=Ledger(budget_tokens=20),
    )
    model.complete(ask("a"), purpose="plan")
    with pytest.raises(BudgetExhausted):
        model.complete(ask("b"), purpose="plan")
    assert model.remaining == 1


def test_replay_reproduces_a_recorded_run_without_a_server(model_for, tmp_path):
    path = tmp_path / "transcript.jsonl"
    script = [{"status": 500}, "diagnosis reply", {"text": "plan reply", "usage": {"prompt_tokens": 5, "completion_tokens": 2}}]
    with ScriptedServer(script) as server:
        live = model_for(server, transcript_path=path)
        live.complete(ask("diagnose f"), purpose="diagnose")
        live.complete(ask("plan f"), purpose="plan")

    replay = ReplayModel(path)
    assert replay.name == "gpt-4o-mini"
    # Asked in the other order, each request still gets its own recorded reply by hash.
    planned = replay.complete(ask("plan f"), purpose="plan")
    assert (planned.text, planned.prompt_tokens, planned.completion_tokens) == ("plan reply", 5, 2)
    assert replay.complete(ask("diagnose f"), purpose="diagnose").text == "diagnosis reply"
    assert replay.ledger.total.requests == 2
    with pytest.raises(ModelUnavailable, match="no reply left"):
        replay.complete(ask("diagnose f"), purpose="diagnose")


def test_replay_falls_back_to_order_when_prompts_changed(model_for, tmp_path):
    path = tmp_path / "transcript.jsonl"
    with ScriptedServer(["first", "second"]) as server:
        live = model_for(server, transcript_path=path)
        live.complete(ask("old prompt 1"), purpose="generate")
        live.complete(ask("old prompt 2"), purpose="generate")

    replay = ReplayModel(path)
    reply = replay.complete(ask("new prompt"), purpose="generate")
    assert reply.text == "first"
    assert reply.request_hash == prompt_hash(ask("new prompt"))
    assert replay.complete(ask("old prompt 2"), purpose="generate").text == "second"


def test_steps_with_a_match_answer_only_their_own_requests():
    model = ScriptedModel([{"text": "plan reply", "match": "Write a plan"}, {"text": "d1", "match": "Diagnose"},
                           "anything", {"text": "d2", "match": "Diagnose"}])
    assert model.complete(ask("Diagnose f"), purpose="diagnose").text == "d1"
    assert model.complete(ask("Write a plan for f"), purpose="plan").text == "plan reply"
    assert model.complete(ask("something else"), purpose="generate").text == "anything"
    # Matching looks at the last message only: a follow-up is judged by what it asks now.
    follow_up = [*ask("Diagnose g"), {"role": "assistant", "content": "?"}, *ask("fix it")]
    with pytest.raises(ModelUnavailable, match="no reply left"):
        model.complete(follow_up, purpose="fix-json")
    assert model.complete(ask("Diagnose g"), purpose="diagnose").text == "d2"
    assert model.remaining == 0


def test_replay_falls_back_by_purpose_not_by_position(model_for, tmp_path):
    path = tmp_path / "transcript.jsonl"
    with ScriptedServer(["diagnosis", "code 1", "fixed code"]) as server:
        live = model_for(server, transcript_path=path)
        live.complete(ask("diagnose f at 41.0% of samples"), purpose="diagnose")
        live.complete(ask("generate f"), purpose="generate")
        live.complete(ask("repair f: 0.93x slower"), purpose="repair")

    replay = ReplayModel(path)
    # Measured figures differ in a new run, so no hash matches; each purpose keeps its recorded order.
    assert replay.complete(ask("diagnose f at 39.5% of samples"), purpose="diagnose").text == "diagnosis"
    assert replay.complete(ask("repair f: 0.91x slower"), purpose="repair").text == "fixed code"
    with pytest.raises(ModelUnavailable, match="for a repair request"):
        replay.complete(ask("repair f again"), purpose="repair")
    assert replay.remaining == 1


def test_a_resumed_replay_skips_the_replies_it_already_used(model_for, tmp_path):
    path, own = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    with ScriptedServer(["g1", "g2", "g3"]) as server:
        live = model_for(server, transcript_path=path)
        for n in (1, 2, 3):
            live.complete(ask(f"generate target {n}"), purpose="generate")

    first = ReplayModel(path, record_to=own)
    assert first.complete(ask("generate target 1 (new wording)"), purpose="generate").text == "g1"
    assert len(own.read_text().splitlines()) == 1
    # A new process (after a crash) continues where the replay stopped, not from the start.
    second = ReplayModel(path, record_to=own)
    assert second.remaining == 2
    assert second.complete(ask("generate target 2 (new wording)"), purpose="generate").text == "g2"
    assert ReplayModel(own).complete(ask("generate target 1 (new wording)"), purpose="generate").text == "g1"


def test_a_malformed_scripted_answer_is_unavailable_like_over_http():
    model = ScriptedModel([{"raw_body": "<html/>", "content_type": "text/html"}, "ok"])
    with pytest.raises(ModelUnavailable, match="malformed"):
        model.complete(ask("a"), purpose="plan")
    assert model.complete(ask("a"), purpose="plan").text == "ok"
