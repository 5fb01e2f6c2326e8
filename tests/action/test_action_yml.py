"""action.yml parses, its inputs are exactly what the entry point reads, and the README's workflow uses only them."""

from __future__ import annotations

import re

import yaml

from optimizer_agent.action.inputs import (ACTION_INPUTS, DEFAULT_MAX_FUNCTIONS, DEFAULT_MODE, MODES, SETUP_INPUTS,
                                           ActionInputs, field_name)
from tests.conftest import REPO_ROOT

ACTION = yaml.safe_load((REPO_ROOT / "action.yml").read_text())


def readme_workflow() -> dict:
    """The README's example workflow: the YAML block that uses this action."""
    text = (REPO_ROOT / "README.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]
    [workflow] = [b for b in blocks if isinstance(b, dict) and "jobs" in b
                  and any("optimizer-agent" in s.get("uses", "") for j in b["jobs"].values() for s in j["steps"])]
    return workflow


def test_action_yml_is_a_composite_action_whose_inputs_match_the_entry_point() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == set(ACTION_INPUTS) | set(SETUP_INPUTS)
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    [run_step] = [s for s in ACTION["runs"]["steps"] if "optimizer-agent action" in s.get("run", "")]
    # Each input the entry point reads reaches it through exactly the variable it reads.
    expected = {var: f"${{{{ inputs.{name} }}}}" for name, var in ACTION_INPUTS.items()}
    assert {k: v for k, v in run_step["env"].items() if k in expected} == expected
    # Secrets travel only through env, never through a command line the log could echo.
    for step in ACTION["runs"]["steps"]:
        assert "inputs.api-key" not in step.get("run", "") and "inputs.github-token" not in step.get("run", "")
    setup = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python")]
    assert setup and setup[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    install = [s for s in ACTION["runs"]["steps"] if "pip install" in s.get("run", "")]
    assert install and install[0]["env"]["ACTION_PATH"] == "${{ github.action_path }}"


def test_action_yml_defaults_agree_with_the_entry_point() -> None:
    inputs = ACTION["inputs"]
    assert inputs["mode"]["default"] == DEFAULT_MODE and all(m in inputs["mode"]["description"] for m in MODES)
    assert int(inputs["max-functions"]["default"]) == DEFAULT_MAX_FUNCTIONS
    defaults = ActionInputs()
    for name in ACTION_INPUTS:
        default = inputs[name].get("default", "")
        if default == "":  # empty means "not given": the entry point's own default applies
            assert name in {"bench", "test", "min-speedup", "model", "base-url", "api-key"}
            assert getattr(defaults, field_name(name)) is None


def test_readme_example_workflow_uses_existing_inputs_and_least_privilege() -> None:
    workflow = readme_workflow()
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert "pull_request" in on
    assert workflow["concurrency"]["cancel-in-progress"] is True
    assert "github.event.pull_request.number" in workflow["concurrency"]["group"]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    [job] = workflow["jobs"].values()
    assert "permissions" not in job
    checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert checkout and checkout[0]["with"]["fetch-depth"] == 0
    [step] = [s for s in job["steps"] if "optimizer-agent" in s.get("uses", "")]
    assert step["with"] and set(step["with"]) <= set(ACTION["inputs"])
    assert step["with"]["mode"] in MODES


def test_readme_names_only_existing_inputs() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## GitHub Action", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^Inputs: (.*?)\.\n", section, re.MULTILINE | re.DOTALL)[0].split("`")[1::2])
    assert set(ACTION["inputs"]) <= named
    assert {n for n in named if re.fullmatch(r"[a-z-]+", n)} <= set(ACTION["inputs"])
    assert f"`max-functions` defaults to {ACTION['inputs']['max-functions']['default']}," in section
    assert f"`python-version` to\n{ACTION['inputs']['python-version']['default']}," in section
