"""The run's model from settings: the ledger lives in the run folder, replays record too, prices resolve in the repo."""

from __future__ import annotations

import pytest

from optimizer_agent.config import Settings, with_secrets
from optimizer_agent.errors import BadInput
from optimizer_agent.models import BudgetExhausted, OpenAIModel, ReplayModel
from optimizer_agent.models.factory import TRANSCRIPT_FILE, model_from_settings, price_table
from optimizer_agent.models.scripted_server import ScriptedServer


def ask(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_a_resumed_run_keeps_counting_against_its_budget(tmp_path):
    usage = {"usage": {"prompt_tokens": 400, "completion_tokens": 100}}
    with ScriptedServer([{"text": "a", **usage}, {"text": "b", **usage}]) as server:
        settings = Settings(model="gpt-4o-mini", base_url=server.base_url, api_key="sk-x", budget_tokens=1000)
        first = model_from_settings(settings, tmp_path)
        assert isinstance(first, OpenAIModel)
        first.complete(ask("one"), purpose="diagnose")
        first.close()
        # A new process of the same run (after --resume) starts from the saved spending.
        second = model_from_settings(settings, tmp_path)
        assert second.ledger.total.tokens == 500
        second.complete(ask("two"), purpose="plan")
        with pytest.raises(BudgetExhausted, match="1000 of 1000"):
            second.complete(ask("three"), purpose="generate")
        second.close()
    assert len((tmp_path / TRANSCRIPT_FILE).read_text().splitlines()) == 2
    assert model_from_settings(settings, tmp_path).ledger.stopped.startswith("token budget exhausted")


def test_a_replay_answers_from_the_old_transcript_and_writes_its_own(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    with ScriptedServer(["recorded"]) as server:
        live = model_from_settings(Settings(model="gpt-4o-mini", base_url=server.base_url), old)
        live.complete(ask("diagnose f"), purpose="diagnose")
        live.close()
    replay = model_from_settings(Settings(model="gpt-4o-mini"), new, replay_from=old / TRANSCRIPT_FILE)
    assert isinstance(replay, ReplayModel)
    assert replay.complete(ask("diagnose f, reworded"), purpose="diagnose").text == "recorded"
    assert (new / TRANSCRIPT_FILE).is_file() and (new / "ledger.json").is_file()


def test_prices_resolve_in_the_repo_and_bad_files_are_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "prices.toml").write_text('"local-70b" = {input = 0.5, output = 1.5}\n')
    assert price_table(Settings(prices="prices.toml"), repo)["local-70b"].output == 1.5
    assert price_table(Settings())["gpt-4o"].input == 2.5
    with pytest.raises(BadInput, match="cannot read the price table nowhere.json"):
        price_table(Settings(prices="nowhere.json"), repo)
    (repo / "bad.json").write_text('{"m": {"input": "cheap"}}')
    with pytest.raises(BadInput, match="cannot read the price table bad.json"):
        price_table(Settings(prices="bad.json"), repo)


def test_the_api_key_is_never_saved_and_comes_back_from_the_environment(tmp_path):
    settings = Settings(model="m", api_key="sk-secret", base_url="http://127.0.0.1:9/v1")
    saved = settings.model_dump_json()
    assert "sk-secret" not in saved and "sk-secret" not in repr(settings)
    restored = Settings.model_validate_json(saved)
    assert restored.api_key is None
    assert with_secrets(restored, tmp_path, environ={"OPENAI_API_KEY": "sk-again"}).api_key == "sk-again"
    assert with_secrets(restored, tmp_path, environ={"OPTIMIZER_AGENT_API_KEY": "sk-own"}).api_key == "sk-own"
    assert with_secrets(restored, tmp_path, environ={}).api_key is None
