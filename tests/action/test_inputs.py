"""Reading and validating the action's inputs from the environment."""

from __future__ import annotations

import pytest

from optimizer_agent.action.inputs import DEFAULT_MAX_FUNCTIONS, read_inputs
from optimizer_agent.errors import BadInput


def test_empty_inputs_mean_not_given() -> None:
    inputs = read_inputs({"INPUT_MODE": "", "INPUT_BENCH": "  ", "INPUT_MIN_SPEEDUP": ""})
    assert inputs.mode == "comment" and inputs.max_functions == DEFAULT_MAX_FUNCTIONS
    assert inputs.settings_flags() == {"bench": None, "test": None, "min_speedup": None, "model": None,
                                       "base_url": None, "api_key": None}


def test_inputs_reach_the_settings_flags() -> None:
    inputs = read_inputs({"INPUT_MODE": "PR", "INPUT_BENCH": "python bench.py", "INPUT_TEST": "pytest -q",
                          "INPUT_MIN_SPEEDUP": "1.2", "INPUT_MODEL": "m", "INPUT_BASE_URL": "http://h/v1",
                          "INPUT_API_KEY": "sk-secret", "INPUT_MAX_FUNCTIONS": "3", "GITHUB_TOKEN": "ghs_x"})
    assert inputs.mode == "pr" and inputs.max_functions == 3 and inputs.github_token == "ghs_x"
    assert inputs.settings_flags() == {"bench": "python bench.py", "test": "pytest -q", "min_speedup": 1.2,
                                       "model": "m", "base_url": "http://h/v1", "api_key": "sk-secret"}
    assert inputs.has_llm_key


@pytest.mark.parametrize("env, message", [
    ({"INPUT_MODE": "push"}, "input mode: 'push' is not one of comment, commit, pr"),
    ({"INPUT_MAX_FUNCTIONS": "0"}, "input max-functions: Value error, must be between 1 and 50"),
    ({"INPUT_MAX_FUNCTIONS": "many"}, "input max-functions: "),
    ({"INPUT_MIN_SPEEDUP": "0.5"}, "input min-speedup: Value error, must be at least 1.0"),
])
def test_bad_inputs_name_the_input(env: dict, message: str) -> None:
    with pytest.raises(BadInput) as info:
        read_inputs(env)
    assert str(info.value).startswith(message)


def test_a_bad_value_is_never_echoed() -> None:
    with pytest.raises(BadInput) as info:
        read_inputs({"INPUT_MAX_FUNCTIONS": "sk-live-abcdef123456"})
    assert "sk-live" not in str(info.value)
