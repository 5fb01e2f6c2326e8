"""The action's inputs: which environment variable carries each one, their defaults, and their validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ValidationError, field_validator

from optimizer_agent.errors import BadInput

# Composite actions do not export inputs by themselves; action.yml maps each one to exactly this variable.
ACTION_INPUTS: dict[str, str] = {
    "mode": "INPUT_MODE",
    "bench": "INPUT_BENCH",
    "test": "INPUT_TEST",
    "min-speedup": "INPUT_MIN_SPEEDUP",
    "model": "INPUT_MODEL",
    "base-url": "INPUT_BASE_URL",
    "api-key": "INPUT_API_KEY",
    "max-functions": "INPUT_MAX_FUNCTIONS",
    "github-token": "GITHUB_TOKEN",
}
"""Inputs the entry point reads, by input name -> environment variable."""
SETUP_INPUTS = ("python-version",)
"""Inputs that action.yml consumes itself (they never reach the entry point)."""

MODES = ("comment", "commit", "pr")
DEFAULT_MODE = "comment"
DEFAULT_MAX_FUNCTIONS = 5
"""Changed functions optimized per run at most; each one costs profiling and timing time on the runner."""
MAX_FUNCTIONS_CEILING = 50


class ActionInputs(BaseModel):
    """The action's inputs after validation; an empty input means "not given"."""

    mode: Literal["comment", "commit", "pr"] = DEFAULT_MODE
    bench: str | None = None
    """Workload command; unset falls back to `[tool.optimizer-agent]` and then to the tests."""
    test: str | None = None
    min_speedup: float | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    max_functions: int = DEFAULT_MAX_FUNCTIONS
    github_token: str | None = None

    @field_validator("max_functions")
    @classmethod
    def _positive(cls, value: int) -> int:
        if not 1 <= value <= MAX_FUNCTIONS_CEILING:
            raise ValueError(f"must be between 1 and {MAX_FUNCTIONS_CEILING}")
        return value

    @field_validator("min_speedup")
    @classmethod
    def _at_least_one(cls, value: float | None) -> float | None:
        if value is not None and value < 1.0:
            raise ValueError("must be at least 1.0")
        return value

    @property
    def has_llm_key(self) -> bool:
        """True when an API key for the LLM reached the action (forks never get one)."""
        return bool(self.api_key)

    def settings_flags(self) -> dict:
        """The optimizer settings these inputs set; unset inputs leave the target's own config in charge."""
        return {"bench": self.bench, "test": self.test, "min_speedup": self.min_speedup, "model": self.model,
                "base_url": self.base_url, "api_key": self.api_key}


def field_name(input_name: str) -> str:
    """The ActionInputs field for an input name (`min-speedup` -> `min_speedup`)."""
    return input_name.replace("-", "_")


def read_inputs(environ: Mapping[str, str]) -> ActionInputs:
    """Validate the inputs found in `environ`; a bad value raises BadInput naming the input."""
    raw = {field_name(name): environ.get(var, "").strip() for name, var in ACTION_INPUTS.items()}
    given = {k: v for k, v in raw.items() if v != ""}
    if "mode" in given:
        given["mode"] = given["mode"].lower()
        if given["mode"] not in MODES:
            raise BadInput(f"input mode: {given['mode']!r} is not one of {', '.join(MODES)}")
    try:
        return ActionInputs(**given)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).replace("_", "-") if err["loc"] else "?"
        # Never echo the value: it may be a secret pasted into the wrong input.
        raise BadInput(f"input {name}: {err['msg']}") from None
