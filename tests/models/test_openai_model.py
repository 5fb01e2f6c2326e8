"""OpenAIModel over real HTTP against the scripted server: replies, retries, failures, budget, transcript."""

from __future__ import annotations

import json
import time

import pytest

from optimizer_agent.errors import ModelFailure
from optimizer_agent.models import BudgetExhausted, ModelUnavailable, RequestRejected
from optimizer_agent.models.scripted_server import ScriptedServer
from optimizer_agent.models.transcript import read_transcript

from .conftest import TEST_KEY, TEST_MODEL


def ask(text: str = "hello") -> list[dict]:
    return [{"role": "user", "content": text}]


def test_reply_carries_text_usage_and_is_recorded_in_the_ledger(model_for):
    script = [{"text": "the answer", "usage": {"prompt_tokens": 120, "completion_tokens": 30}}]
    with ScriptedServer(script, api_key=TEST_KEY) as server:
        model = model_for(server)
        reply = model.complete(ask(), purpose="diagnose")

    assert reply.text == "the answer"
    assert (reply.prompt_tokens, reply.completion_tokens) == (120, 30)
    assert reply.model == TEST_MODEL
    assert reply.request_id == "req_scripted_1"
    assert reply.finish_reason == "stop"
    assert reply.latency > 0
    body = server.requests[0]
    assert body["model"] == TEST_MODEL
    assert body["messages"] == ask()
    assert body["temperature"] == 0.2 and body["max_tokens"] == 4096
    ledger = model.ledger
    assert ledger.total.requests == 1 and ledger.total.tokens == 150
    assert ledger.by_purpose["diagnose"].prompt_tokens == 120
    assert ledger.total.cost_usd == pytest.approx((120 * 0.15 + 30 * 0.60) / 1_000_000)


def test_rate_limited_twice_then_answers(model_for):
    script = [{"status": 429, "retry_after": 0}, {"status": 429, "retry_after": 0}, "ok"]
    with ScriptedServer(script) as server:
        reply = model_for(server).complete(ask(), purpose="plan")
    assert reply.text == "ok"
    assert len(server.requests) == 3


def test_retry_after_is_honoured(model_for):
    script = [{"status": 429, "retry_after": 0.3}, "ok"]
    with ScriptedServer(script) as server:
        started = time.monotonic()
        reply = model_for(server, backoff_cap=5.0).complete(ask(), purpose="plan")
        waited = time.monotonic() - started
    assert reply.text == "ok"
    assert waited >= 0.3


def test_retry_after_is_capped(model_for):
    script = [{"status": 429, "retry_after": 30}, "ok"]
    with ScriptedServer(script) as server:
        started = time.monotonic()
        reply = model_for(server, backoff_cap=0.05).complete(ask(), purpose="plan")
    assert reply.text == "ok"
    assert time.monotonic() - started < 5


def test_server_error_then_answers(model_for):
    with ScriptedServer([{"status": 500}, "recovered"]) as server:
        reply = model_for(server).complete(ask(), purpose="generate")
    assert reply.text == "recovered"
    assert len(server.requests) == 2


def test_read_timeout_then_answers(model_for):
    with ScriptedServer([{"delay": 3}, "in time"]) as server:
        started = time.monotonic()
        reply = model_for(server, timeout=0.3).complete(ask(), purpose="generate")
        elapsed = time.monotonic() - started
    assert reply.text == "in time"
    assert len(server.requests) == 2
    assert elapsed < 3


def test_timeouts_exhaust_the_retries(model_for):
    with ScriptedServer([{"delay": 3}, {"delay": 3}, "too late"]) as server:
        model = model_for(server, timeout=0.3, max_retries=1)
        with pytest.raises(ModelUnavailable, match=r"after 2 attempts: no answer within 0.3s"):
            model.complete(ask(), purpose="generate")
    assert len(server.requests) == 2
    assert model.ledger.total.requests == 0


def test_persistent_server_errors_raise_model_unavailable(model_for):
    with ScriptedServer([{"status": 503}] * 3) as server:
        with pytest.raises(ModelUnavailable, match="HTTP 503"):
            model_for(server, max_retries=2).complete(ask(), purpose="rerank")
    assert len(server.requests) == 3


def test_wrong_key_is_a_one_line_model_failure_without_retries(model_for):
    with ScriptedServer(["never sent"], api_key="the-right-key") as server:
        with pytest.raises(ModelFailure) as caught:
            model_for(server).complete(ask(), purpose="diagnose")
    message = str(caught.value)
    assert message.startswith(f"LLM endpoint rejected the API key (401) at {server.base_url}")
    assert "Incorrect API key" in message
    assert "\n" not in message
    assert caught.value.exit_code == 2
    assert server.requests == []


def test_scripted_401_is_a_model_failure(model_for):
    with ScriptedServer([{"status": 401, "message": "key revoked"}, "never"]) as server:
        with pytest.raises(ModelFailure, match="key revoked"):
            model_for(server).complete(ask(), purpose="diagnose")
    assert len(server.requests) == 1


def test_unknown_model_is_a_model_failure(model_for):
    with ScriptedServer(["never"], models=["some-other-model"]) as server:
        with pytest.raises(ModelFailure, match=r"no model 'gpt-4o-mini' \(404\)"):
            model_for(server).complete(ask(), purpose="diagnose")


def test_bad_request_is_rejected_without_retries(model_for):
    with ScriptedServer([{"status": 400, "message": "prompt too long"}, "never"]) as server:
        with pytest.raises(RequestRejected, match="prompt too long"):
            model_for(server).complete(ask(), purpose="generate")
    assert len(server.requests) == 1


def test_token_budget_stops_before_the_next_request(model_for):
    script = [{"text": "first", "usage": {"prompt_tokens": 60, "completion_tokens": 50}}, "second"]
    with ScriptedServer(script) as server:
        model = model_for(server, budget_tokens=100)
        assert model.complete(ask(), purpose="generate").text == "first"
        with pytest.raises(BudgetExhausted, match="110 of 100 tokens"):
            model.complete(ask(), purpose="generate")
    assert len(server.requests) == 1


def test_token_budget_refuses_a_prompt_that_alone_would_pass_it(model_for):
    script = [{"text": "small", "usage": {"prompt_tokens": 30, "completion_tokens": 10}}, "never"]
    with ScriptedServer(script) as server:
        model = model_for(server, budget_tokens=100)
        model.complete(ask(), purpose="generate")
        with pytest.raises(BudgetExhausted):
            model.complete(ask("x" * 400), purpose="generate")
    assert len(server.requests) == 1


def test_cost_budget_stops_before_the_next_request(model_for):
    script = [{"text": "pricey", "usage": {"prompt_tokens": 1_000_000, "completion_tokens": 0}}, "never"]
    with ScriptedServer(script) as server:
        model = model_for(server, budget_usd=0.10)
        model.complete(ask(), purpose="generate")
        with pytest.raises(BudgetExhausted, match="cost budget"):
            model.complete(ask(), purpose="generate")
    assert len(server.requests) == 1


def test_transcript_records_every_attempt(model_for, tmp_path):
    path = tmp_path / "logs" / "transcript.jsonl"
    with ScriptedServer([{"status": 500}, "fine"]) as server:
        model_for(server, transcript_path=path).complete(ask("why slow?"), purpose="diagnose")

    entries = read_transcript(path)
    assert [e.attempt for e in entries] == [0, 1]
    failed, succeeded = entries
    assert failed.error.startswith("HTTP 500") and failed.reply is None
    assert succeeded.reply.text == "fine"
    assert succeeded.purpose == "diagnose"
    assert succeeded.messages == ask("why slow?")
    assert succeeded.params == {"max_tokens": 4096, "temperature": 0.2}
    assert failed.request_hash == succeeded.request_hash == succeeded.reply.request_hash
    assert TEST_KEY not in path.read_text()
    assert all(json.loads(line) for line in path.read_text().splitlines())


def test_unknown_purpose_is_refused_before_sending(model_for):
    with ScriptedServer(["never"]) as server:
        with pytest.raises(ValueError, match="unknown model purpose"):
            model_for(server).complete(ask(), purpose="chat")
    assert server.requests == []


def test_reasoning_models_can_send_max_completion_tokens(model_for):
    with ScriptedServer(["ok"]) as server:
        model_for(server, token_param="max_completion_tokens", temperature=None).complete(ask(), purpose="plan")
    body = server.requests[0]
    assert body["max_completion_tokens"] == 4096
    assert "max_tokens" not in body and "temperature" not in body


def test_refused_connections_are_retried_then_unavailable(model_for):
    server = ScriptedServer([])
    server.close()  # the port was free a moment ago and nothing listens on it now
    model = model_for(server, max_retries=1)
    with pytest.raises(ModelUnavailable, match="after 2 attempts: connection failed"):
        model.complete(ask(), purpose="diagnose")


def test_malformed_200_answers_are_retried_like_server_errors(model_for, tmp_path):
    path = tmp_path / "t.jsonl"
    script = [{"raw_body": "<html><body>upstream error</body></html>", "content_type": "text/html"},
              {"raw_body": "{not json"}, "finally"]
    with ScriptedServer(script) as server:
        model = model_for(server, transcript_path=path)
        assert model.complete(ask(), purpose="plan").text == "finally"
        errors = [e.error for e in read_transcript(path) if e.error]
    assert errors[0] == "malformed response: not a chat completion: '<html><body>upstream error</body></html>'"
    assert errors[1].startswith("malformed response: ")
    with ScriptedServer([{"raw_body": "<html/>", "content_type": "text/html"}] * 2) as server:
        with pytest.raises(ModelUnavailable, match="malformed response"):
            model_for(server, max_retries=1).complete(ask(), purpose="plan")
