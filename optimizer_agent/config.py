"""Run settings: CLI flags beat environment variables, which beat `[tool.optimizer-agent]`, which beats defaults."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from optimizer_agent.errors import BadInput
from optimizer_agent.verify.critic import FLOAT_ABS_TOL, FLOAT_REL_TOL

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

ENV_PREFIX = "OPTIMIZER_AGENT_"
# The OpenAI client's own variable names, so an existing setup just works.
OPENAI_ENV = {"base_url": "OPENAI_BASE_URL", "api_key": "OPENAI_API_KEY", "model": "OPENAI_MODEL"}


class Settings(BaseModel):
    """Everything a run can be told; each field's docstring is its help text."""

    bench: str | None = None
    """Workload command to profile and time; defaults to the test command."""
    test: str | None = None
    """Test command; defaults to `python -m pytest -q`."""
    files: list[str] = Field(default_factory=list)
    """Only optimize functions in these repo-relative files."""
    functions: list[str] = Field(default_factory=list)
    """Only optimize these functions (`name`, `Class.method` or `path.py::name`)."""
    min_speedup: float = 1.05
    """The lower bound of the speedup's 95% CI must reach this."""
    max_candidates: int = 6
    """Most candidates the gate judges per function."""
    top_n: int = 5
    """How many hot functions to work on."""
    min_share: float = 0.02
    """Ignore functions with less than this share of profile samples."""
    sandbox: Literal["auto", "docker", "local"] = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(default=None, exclude=True, repr=False)
    """Never written to the run folder or the checkpoints; a resumed run reads it again (see `with_secrets`)."""
    budget_tokens: int | None = Field(default=None, ge=0)
    """Stop proposing once the run has used this many LLM tokens."""
    budget_usd: float | None = Field(default=None, ge=0)
    """Stop proposing once the run's LLM cost reaches this many US dollars."""
    prices: str | None = None
    """A JSON or TOML file of model prices (USD per 1M tokens) that overrides the built-in table."""
    llm_timeout: float = 120.0
    """Seconds one LLM request may take."""
    llm_retries: int = 4
    """Retries on timeouts, 429 and 5xx."""
    k: int = 4
    """Candidates the LLM writes per plan."""
    rounds: int = 2
    """Repair rounds after the gate rejects every candidate of a function."""
    test_timeout: float = 900.0
    bench_timeout: float = 600.0
    profile_rate: int = 250
    """py-spy samples per second."""
    timing_budget: float = 120.0
    """Seconds of paired timing per candidate at most."""
    python: str = "python"
    """The interpreter name that test and bench commands use inside the sandbox."""
    rel_tol: float = Field(default=FLOAT_REL_TOL, ge=0)
    """Behaviour replay: floats match when math.isclose(expected, got, rel_tol, abs_tol)."""
    abs_tol: float = Field(default=FLOAT_ABS_TOL, ge=0)
    result_judge: str | None = Field(default=None, pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
    """`module:function` in the project's tests, asked `f(target, args, kwargs, expected, got) -> bool` when a
    replayed result differs from the original's; True accepts it (for functions with more than one right answer)."""

    @property
    def llm_enabled(self) -> bool:
        """True when an OpenAI-compatible endpoint and a model are configured."""
        return bool(self.model and (self.base_url or self.api_key))

    def test_command(self) -> str:
        """The effective test command."""
        return self.test or f"{self.python} -m pytest -q -p no:cacheprovider"

    def bench_command(self) -> str:
        """The effective workload command."""
        return self.bench or self.test_command()


def _from_pyproject(repo: Path) -> dict[str, Any]:
    path = repo / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read [tool.optimizer-agent]: {exc}") from exc
    section = data.get("tool", {}).get("optimizer-agent", {})
    return {k.replace("-", "_"): v for k, v in section.items()}


def _from_env(environ: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in environ:
            raw = environ[key]
            values[name] = raw.split(",") if name in {"files", "functions"} else raw
    for name, key in OPENAI_ENV.items():
        if key in environ and name not in values:
            values[name] = environ[key]
    return values


def load_settings(repo: Path, flags: dict[str, Any], environ: dict[str, str] | None = None) -> Settings:
    """Merge defaults, the target's pyproject, the environment and flags (None flags are unset)."""
    merged: dict[str, Any] = {}
    merged.update(_from_pyproject(repo))
    merged.update(_from_env(dict(os.environ if environ is None else environ)))
    merged.update({k: v for k, v in flags.items() if v is not None and v != []})
    unknown = sorted(set(merged) - set(Settings.model_fields))
    if unknown:
        raise BadInput(f"unknown setting(s) in [tool.optimizer-agent]: {', '.join(unknown)}")
    try:
        return Settings(**merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise BadInput(f"bad setting {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc


def with_secrets(settings: Settings, repo: Path, environ: dict[str, str] | None = None) -> Settings:
    """Settings read back from a run folder, with the API key (never saved there) from the environment or pyproject."""
    if settings.api_key:
        return settings
    found = {**_from_pyproject(repo), **_from_env(dict(os.environ if environ is None else environ))}
    return settings.model_copy(update={"api_key": found.get("api_key")}) if found.get("api_key") else settings


def local_python() -> str:
    """The interpreter that runs this tool, used by the local sandbox."""
    return sys.executable
