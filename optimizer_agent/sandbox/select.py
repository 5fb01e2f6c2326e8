"""Choosing a sandbox backend: `auto` prefers Docker when a daemon answers, else `local` with a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.sandbox.local import LocalSandbox


def _docker_module():
    try:
        from optimizer_agent.sandbox import docker as docker_backend
    except ImportError:
        return None
    return docker_backend


def open_sandbox(kind: str, run_id: str, repo_root: Path, warn: Callable[[str], None]) -> Sandbox:
    """Start the sandbox the settings ask for; `auto` falls back to `local` visibly."""
    backend = _docker_module()
    if kind in ("docker", "auto"):
        if backend is not None and backend.docker_available():
            return backend.open_docker_sandbox(run_id=run_id, repo_root=repo_root, warn=warn)
        if kind == "docker":
            raise SandboxUnavailable("--sandbox docker: no Docker daemon answers (start it, or use --sandbox local)")
        warn("no Docker daemon answers; running candidates in the LOCAL sandbox (subprocesses with rlimits, "
             "weaker isolation). Use --sandbox local to silence this warning.")
    # Scratch lives outside the repo so that pytest never finds the user's conftest or config above it.
    return LocalSandbox()
