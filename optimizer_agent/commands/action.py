"""`optimizer-agent action`: the GitHub Action's entry point, driven by the workflow's environment."""

from __future__ import annotations

import os

from optimizer_agent.commands.output import progress, warn


def run_github_action() -> int:
    """Run the action for the current workflow event; the job summary says what happened."""
    from optimizer_agent.action.entry import run_action

    return run_action(dict(os.environ), progress, warn)
