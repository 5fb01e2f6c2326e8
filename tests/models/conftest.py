"""Fixtures: OpenAIModel clients pointed at a ScriptedServer, with tiny backoff so tests stay fast."""

from __future__ import annotations

import pytest

from optimizer_agent.models import ModelConfig, OpenAIModel
from optimizer_agent.models.scripted_server import ScriptedServer

TEST_KEY = "sk-test-key"
TEST_MODEL = "gpt-4o-mini"
TINY_BACKOFF = 0.001
TINY_CAP = 0.05


@pytest.fixture
def model_for():
    """Build OpenAIModels against a server; their HTTP pools are closed after the test."""
    made: list[OpenAIModel] = []

    def make(server: ScriptedServer, **overrides) -> OpenAIModel:
        settings = {
            "base_url": server.base_url,
            "api_key": TEST_KEY,
            "model": TEST_MODEL,
            "backoff_base": TINY_BACKOFF,
            "backoff_cap": TINY_CAP,
            "timeout": 5.0,
            "seed": 0,
            **overrides,
        }
        model = OpenAIModel(ModelConfig(**settings))
        made.append(model)
        return model

    yield make
    for model in made:
        model.close()

