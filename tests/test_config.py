"""Settings precedence: flags > environment > [tool.optimizer-agent] > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.config import Settings, load_settings
from optimizer_agent.errors import BadInput


def write_pyproject(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(body)
    return tmp_path


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    s = load_settings(tmp_path, {}, environ={})
    assert s == Settings()
    assert s.test_command().endswith("-m pytest -q -p no:cacheprovider")
    assert s.bench_command() == s.test_command()
    assert not s.llm_enabled


def test_precedence_flag_over_env_over_file(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.optimizer-agent]\nmin-speedup = 1.2\ntop-n = 3\nbench = "python b.py"\n')
    env = {"OPTIMIZER_AGENT_MIN_SPEEDUP": "1.3", "OPTIMIZER_AGENT_TOP_N": "4"}
    s = load_settings(tmp_path, {"top_n": 7, "bench": None}, environ=env)
    assert s.min_speedup == 1.3  # env beats file
    assert s.top_n == 7  # flag beats env
    assert s.bench == "python b.py"  # unset flag leaves the file's value


def test_openai_variables_enable_the_llm(tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "k", "OPENAI_MODEL": "m"}
    s = load_settings(tmp_path, {}, environ=env)
    assert s.llm_enabled and s.base_url.endswith("/v1") and s.model == "m"
    assert load_settings(tmp_path, {"model": "other"}, environ=env).model == "other"


def test_list_settings_from_env(tmp_path: Path) -> None:
    s = load_settings(tmp_path, {}, environ={"OPTIMIZER_AGENT_FILES": "a.py,b/c.py"})
    assert s.files == ["a.py", "b/c.py"]


def test_bad_values_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="bad setting sandbox"):
        load_settings(tmp_path, {"sandbox": "vm"}, environ={})
    write_pyproject(tmp_path, "[tool.optimizer-agent\n")
    with pytest.raises(BadInput, match="cannot read"):
        load_settings(tmp_path, {}, environ={})


def test_behaviour_tolerances_and_result_judge_come_from_the_project(tmp_path: Path) -> None:
    write_pyproject(tmp_path, '[tool.optimizer-agent]\nrel-tol = 1e-6\nresult-judge = "tests.judges:same_root"\n')
    s = load_settings(tmp_path, {}, environ={"OPTIMIZER_AGENT_ABS_TOL": "1e-9"})
    assert (s.rel_tol, s.abs_tol, s.result_judge) == (1e-6, 1e-9, "tests.judges:same_root")
    with pytest.raises(BadInput, match="result_judge"):
        load_settings(tmp_path, {"result_judge": "not a function reference"}, environ={})
