"""When the action stands down, and which mode it can honour for a given pull request."""

from __future__ import annotations

from optimizer_agent.action.event import PullRequest
from optimizer_agent.action.inputs import ActionInputs

SKIP_LABEL = "optimizer-agent:skip"


def skip_reason(pr: PullRequest) -> str | None:
    """Why this pull request is left alone (closed, draft, or labelled), or None to go ahead."""
    if pr.state != "open":
        return f"pull request #{pr.number} is {pr.state}"
    if pr.draft:
        return f"pull request #{pr.number} is a draft; the action runs once it is marked ready for review"
    if any(label.lower() == SKIP_LABEL for label in pr.labels):
        return f"pull request #{pr.number} has the label `{SKIP_LABEL}`"
    return None


def effective_mode(inputs: ActionInputs, pr: PullRequest, has_token: bool) -> tuple[str, list[str]]:
    """The mode the run can honour, and notes for the summary explaining any fallback or missing secret."""
    notes: list[str] = []
    mode = inputs.mode
    if pr.is_fork:
        where = f"the fork `{pr.head_repo}`" if pr.head_repo else "a fork that no longer exists"
        if mode != "comment":
            notes.append(f"This pull request comes from {where}. The action cannot push to a fork's branch, and "
                         f"GitHub gives workflows on fork pull requests a read-only token and no secrets, so "
                         f"mode `{mode}` fell back to `comment`.")
            mode = "comment"
        if not inputs.has_llm_key:
            notes.append("No secrets reach workflows on fork pull requests: without an LLM API key, only the "
                         "offline skills (deterministic rewrites) ran.")
    elif inputs.model and not (inputs.api_key or inputs.base_url):
        notes.append("The `model` input is set, but neither `api-key` nor `base-url` is: only the offline skills ran.")
    if not has_token:
        notes.append("No GitHub token reached the action, so nothing was published; the results are in this "
                     "summary only.")
    return mode, notes
