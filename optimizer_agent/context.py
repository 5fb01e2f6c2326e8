"""Run-scoped services handed to every node through langgraph's runtime context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optimizer_agent.config import Settings
from optimizer_agent.sandbox.base import Sandbox


def _silent(message: str) -> None:
    """Discard a progress message."""


@dataclass
class RunContext:
    """What nodes need besides the state: settings, sandbox, skills, model, gate and a progress sink."""

    settings: Settings
    sandbox: Sandbox
    library: Any
    """The loaded skill library (`optimizer_agent.skilllib.loader.Library`)."""
    gate: Any
    """The verification gate (`optimizer_agent.verify.gate.Gate`)."""
    model: Any | None = None
    """An `optimizer_agent.models.Model`, or None when no LLM is configured."""
    progress: Callable[[str], None] = _silent
    staged: dict[str, str] = field(default_factory=dict)
    """Sandbox paths of trees staged during this process, by name (not checkpointed: sandboxes are per process)."""

    def stage_tree(self, host_dir: Path, name: str) -> str:
        """Stage a host tree once per process under `name` and return its sandbox path."""
        if name not in self.staged:
            self.staged[name] = self.sandbox.stage(host_dir, name)
        return self.staged[name]
