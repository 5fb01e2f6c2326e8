"""Routers: where the graph goes after propose, verify and commit."""

from __future__ import annotations

from typing import Literal

from optimizer_agent.state import RunState


def after_propose(state: RunState) -> Literal["verify", "commit"]:
    """Judge new candidates, or go straight to commit when there are none."""
    return "verify" if state.get("pending") else "commit"


def after_verify(state: RunState) -> Literal["verify", "commit"]:
    """Keep judging until the current target's candidates are done."""
    return "verify" if state.get("pending") else "commit"


def after_commit(state: RunState) -> Literal["propose", "__end__"]:
    """Work on the next target (or a repair round of this one), or finish."""
    return "propose" if state.get("cursor", 0) < len(state.get("targets", [])) else "__end__"
