"""Sandbox backends: `local` subprocesses and `docker` containers behind one protocol."""

from optimizer_agent.sandbox.base import Result, Sandbox

__all__ = ["Result", "Sandbox"]
