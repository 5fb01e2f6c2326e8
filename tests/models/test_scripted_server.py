"""The scripted server speaks the OpenAI wire format, in-process and as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from optimizer_agent.models import ModelConfig, OpenAIModel
from optimizer_agent.models.scripted_server import ScriptedServer

REPO_ROOT = Path(__file__).resolve().parents[2]


def post(url: str, body: dict, key: str | None = None) -> tuple[int, dict, dict]:
    headers = {"content-type": "application/json"}
    if key:
        headers["authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_completion_wire_format():
    body = {"model": "m1", "messages": [{"role": "user", "content": "12345678"}]}
    with ScriptedServer(["abcdefgh"]) as server:
        status, payload, _ = post(server.base_url + "/chat/completions", body)
    assert status == 200
    assert payload["object"] == "chat.completion"
    assert payload["id"] and isinstance(payload["created"], int)
    assert payload["model"] == "m1"
    choice = payload["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "abcdefgh"}
    assert choice["finish_reason"] == "stop"
    assert payload["usage"] == {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}
    assert server.requests == [body]


def test_errors_use_the_openai_error_shape():
    body = {"model": "m1", "messages": []}
    with ScriptedServer([{"status": 429, "retry_after": 2}], api_key="right") as server:
        status, payload, _ = post(server.base_url + "/chat/completions", body, key="wrong")
        assert status == 401
        assert payload["error"]["code"] == "invalid_api_key"
        assert set(payload["error"]) >= {"message", "type", "code"}
        status, payload, headers = post(server.base_url + "/chat/completions", body, key="right")
        assert status == 429 and headers["retry-after"] == "2"
        assert payload["error"]["type"] == "requests"
        status, payload, _ = post(server.base_url + "/chat/completions", body, key="right")
    assert status == 400
    assert "script exhausted" in payload["error"]["message"]


def test_models_listing():
    with ScriptedServer([], models=["a", "b"]) as server:
        with urllib.request.urlopen(server.base_url + "/models", timeout=5) as response:
            listing = json.loads(response.read())
    assert listing["object"] == "list"
    assert [m["id"] for m in listing["data"]] == ["a", "b"]


@pytest.mark.timeout(20)
def test_runs_as_a_process_and_prints_its_url(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps(["from a subprocess"]))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "optimizer_agent.models.scripted_server"]
    args = ["--script", str(script), "--port", "0", "--api-key", "k"]
    process = subprocess.Popen(command + args, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        model = OpenAIModel(ModelConfig(base_url=url, api_key="k", model="gpt-4o", max_retries=0))
        try:
            reply = model.complete([{"role": "user", "content": "hi"}], purpose="diagnose")
        finally:
            model.close()
        assert reply.text == "from a subprocess"
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_matching_steps_answer_by_prompt_over_http(model_for):
    script = [{"text": "plan json", "match": "PLAN"}, {"status": 429, "retry_after": 0.01, "match": "GEN"},
              {"text": "code", "match": "GEN"}, {"text": "diagnosis", "match": "DIAG"}]
    with ScriptedServer(script) as server:
        model = model_for(server)
        assert model.complete([{"role": "user", "content": "GEN f"}], purpose="generate").text == "code"
        assert model.complete([{"role": "user", "content": "DIAG f"}], purpose="diagnose").text == "diagnosis"
        assert model.complete([{"role": "user", "content": "PLAN f"}], purpose="plan").text == "plan json"
        assert server.remaining == 0 and len(server.requests) == 4
        status, payload, _ = post(server.base_url + "/chat/completions",
                                  {"model": "m", "messages": [{"role": "user", "content": "DIAG again"}]})
    assert status == 400 and "script exhausted" in payload["error"]["message"]
