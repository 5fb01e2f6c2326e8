"""`run_action(environ)`: decide, optimize the changed functions, publish, and summarise; returns the exit code."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

from optimizer_agent.action import workspace
from optimizer_agent.action.changes import changed_functions
from optimizer_agent.action.comment import render_comment
from optimizer_agent.action.event import PullRequest, load_event, pull_request_from_api
from optimizer_agent.action.github import GitHub, GitHubError
from optimizer_agent.action.inputs import ActionInputs, read_inputs
from optimizer_agent.action.outcome import RunOutcome, outcome_from_state
from optimizer_agent.action.publish import Delivery, open_follow_up, push_branch, upsert_comment
from optimizer_agent.action.rules import effective_mode, skip_reason
from optimizer_agent.action.summary import JobSummary
from optimizer_agent.errors import BadInput, OptimizerError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_CONFIG = 2
UNSAFE_EVENT = "pull_request_target"

Log = Callable[[str], None]


class Stop(Exception):
    """Ends the action early with a status line for the summary and an exit code."""

    def __init__(self, status: str, code: int = EXIT_OK, level: str = "notice") -> None:
        super().__init__(status)
        self.status, self.code, self.level = status, code, level


def run_action(environ: Mapping[str, str], progress: Log = lambda m: None, warn: Log = lambda m: None) -> int:
    """Run the action for the event in `environ`; every outcome, including errors, ends in the job summary."""
    summary = JobSummary(environ)
    try:
        status = _run(environ, summary, progress, warn)
        summary.write(status)
        return EXIT_OK
    except Stop as stop:
        summary.write(stop.status, stop.level)
        return stop.code
    except Exception as exc:  # the summary must still say what happened
        traceback.print_exc()
        summary.write(f"optimizer-agent failed unexpectedly: {type(exc).__name__}: {exc}", "error")
        return EXIT_FAILED


def _run(environ: Mapping[str, str], summary: JobSummary, progress: Log, warn: Log) -> str:
    try:
        inputs = read_inputs(environ)
        event_name, pr = load_event(environ)
    except BadInput as exc:
        raise Stop(f"Bad action configuration: {exc}", EXIT_BAD_CONFIG, "error") from None
    if event_name == UNSAFE_EVENT:
        raise Stop(f"Refusing the `{UNSAFE_EVENT}` event: it would run a fork's code with this repository's secrets "
                   "and a write token. Trigger the workflow on `pull_request`.", EXIT_BAD_CONFIG, "error")
    if pr is None:
        raise Stop(f"Nothing to do: the `{event_name or 'unknown'}` event is not a pull_request; "
                   "optimizer-agent only optimizes the functions a pull request changes.")
    reason = skip_reason(pr)
    if reason:
        raise Stop(f"Skipped: {reason}.")
    root = Path(environ.get("GITHUB_WORKSPACE") or os.getcwd())
    base = _prepare_checkout(root, pr, summary)
    gh = GitHub.from_env(environ, pr.base_repo)
    mode, notes = effective_mode(inputs, pr, gh is not None)
    for n in notes:
        summary.note(n)
    outcome = _optimize(root, pr, base, inputs, environ, summary, progress, warn)
    summary.outcome = outcome
    if gh is None:
        return _status(outcome, "not published")
    return publish(gh, root, pr, mode, outcome, summary)


def _prepare_checkout(root: Path, pr: PullRequest, summary: JobSummary) -> str:
    """Bring in the head and base commits, stand down on our own commits, check out the head; return the merge base."""
    try:
        workspace.ensure_commit(root, pr.head_sha, [f"refs/pull/{pr.number}/head", pr.head_ref])
        if workspace.is_own_commit(root, pr.head_sha):
            raise Stop(f"Skipped: the head commit {pr.head_sha[:10]} was written by optimizer-agent "
                       "(its `Optimized-by` trailer says so), so there is nothing new to optimize.")
        workspace.ensure_commit(root, pr.base_sha, [pr.base_ref])
        if workspace.check_out(root, pr.head_sha):
            summary.note(f"Checked out the pull request's head commit {pr.head_sha[:10]} (the workflow had "
                         "checked out another commit, usually GitHub's merge commit).")
        return workspace.merge_base(root, pr.base_sha, pr.head_sha)
    except (BadInput, workspace.GitFailed) as exc:
        raise Stop(f"Cannot read the pull request's commits: {exc}", EXIT_BAD_CONFIG, "error") from None


def _optimize(root: Path, pr: PullRequest, base: str, inputs: ActionInputs, environ: Mapping[str, str],
              summary: JobSummary, progress: Log, warn: Log) -> RunOutcome:
    """Run the optimize workflow on the changed functions (at most `max-functions`)."""
    from optimizer_agent.analysis.targets import command_scripts
    from optimizer_agent.config import load_settings
    from optimizer_agent.runner import start_run

    flags = inputs.settings_flags()
    try:
        settings = load_settings(root, flags, dict(environ))
    except BadInput as exc:
        raise Stop(f"Bad optimizer settings: {exc}", EXIT_BAD_CONFIG, "error") from None
    judges = frozenset(command_scripts(settings.bench_command()) | command_scripts(settings.test_command()))
    functions = changed_functions(root, base, pr.head_sha, exclude=judges)
    if not functions:
        raise Stop(f"Nothing to optimize: pull request #{pr.number} changes no function in the repository's "
                   "source files (tests, benchmarks, docs and config are never optimized).")
    chosen, rest = functions[: inputs.max_functions], functions[inputs.max_functions:]
    if rest:
        summary.note(f"{len(functions)} functions changed; the first {len(chosen)} were optimized (input "
                     f"`max-functions`). Not optimized: {', '.join(f'`{f.key}`' for f in rest)}.")
    progress(f"changed functions: {', '.join(f.key for f in chosen)}")
    settings = settings.model_copy(update={"functions": [f.key for f in chosen]})
    try:
        state = start_run(root, settings, progress, warn)
    except BadInput as exc:
        # The pull request's code cannot be worked on (red tests, failing workload...): say why, but do not
        # turn an optimizer's refusal into a failed check.
        raise Stop(f"optimizer-agent could not optimize this pull request: {exc}", EXIT_OK, "warning") from None
    except OptimizerError as exc:
        raise Stop(f"optimizer-agent failed: {exc}", exc.exit_code, "error") from None
    report = Path(state.get("run_dir", "")) / "report.md"
    return outcome_from_state(state, report.read_text() if report.is_file() else "")


def _status(outcome: RunOutcome, how: str) -> str:
    n = len(outcome.speedups)
    if not n:
        return f"No verified speedup in the {len(outcome.targets)} changed function(s)."
    return f"{n} verified speedup{'s' if n != 1 else ''} ({how})."


def publish(gh: GitHub, root: Path, pr: PullRequest, mode: str, outcome: RunOutcome, summary: JobSummary) -> str:
    """Deliver the run in `mode`, then create or update the one comment; return the status line.

    Raises Stop when the PR moved on or must be skipped now, and when GitHub or the remote refuses for good.
    """
    delivery = Delivery()
    failure: str | None = None
    try:
        _check_settled(gh, pr)
        if outcome.speedups and mode == "commit":
            failure = _deliver_commits(root, pr, outcome, delivery, summary)
        elif outcome.speedups and mode == "pr":
            failure = _deliver_follow_up(gh, root, pr, outcome, delivery, summary)
        elif outcome.speedups:
            delivery.lines.append("Nothing was pushed (mode `comment`): apply a diff below with `git apply`, or "
                                  "set the action's `mode` to `commit` or `pr` to get the commits.")
        summary.delivery = delivery.lines
        comment = upsert_comment(gh, pr.number, render_comment(outcome, pr.head_sha, delivery.lines),
                                 create=bool(outcome.speedups))
        if comment:
            summary.note(f"Comment: {comment.get('html_url') or comment.get('id')}")
    except GitHubError as exc:
        if exc.status == 403 and pr.is_fork:
            summary.note("GitHub refused to write with this token: workflows on fork pull requests get a "
                         "read-only token, so the results are in this summary only.")
            return _status(outcome, "not published: read-only token on a fork pull request")
        hint = " (does the workflow grant `permissions: contents: write, pull-requests: write`?)" \
            if exc.status in (401, 403, 404) else ""
        raise Stop(f"Publishing failed: {exc}{hint}", EXIT_FAILED, "error") from None
    if failure:
        raise Stop(failure, EXIT_FAILED, "error")
    if mode == "commit":
        where = f"pushed to `{pr.head_ref}`" if delivery.pushed else f"not pushed: `{pr.head_ref}` moved on"
    else:
        where = f"opened {delivery.pull_url}" if mode == "pr" else "posted as a comment"
    return _status(outcome, where)


def _check_settled(gh: GitHub, pr: PullRequest) -> None:
    """Stand down when the PR moved on, was labelled to skip, or became a draft while the run was going."""
    now = pull_request_from_api(gh.get_pull(pr.number))
    if now.head_sha != pr.head_sha:
        raise Stop(f"Not published: pull request #{pr.number} moved on to {now.head_sha[:10]} while "
                   f"{pr.head_sha[:10]} was being optimized; the run for the new head publishes instead.")
    reason = skip_reason(now)
    if reason:
        raise Stop(f"Not published: {reason} now.")


def _deliver_commits(root: Path, pr: PullRequest, outcome: RunOutcome, delivery: Delivery,
                     summary: JobSummary) -> str | None:
    """Push the perf commits onto the PR's branch; a lost race or a refusal falls back to the comment."""
    result = push_branch(root, outcome.branch, pr.head_ref)
    if result.ok:
        delivery.pushed = [s.sha for s in outcome.speedups]
        delivery.lines.append(f"Pushed {len(outcome.speedups)} commit(s) to `{pr.head_ref}`: "
                              + ", ".join(s.sha[:10] for s in outcome.speedups) + ".")
        return None
    if result.raced:
        delivery.lines.append(f"Nothing was pushed: `{pr.head_ref}` moved on while this run was going.")
        summary.note(f"Push to `{pr.head_ref}` lost a race with a newer push: {result.message}")
        return None
    delivery.lines.append(f"Pushing to `{pr.head_ref}` failed, so the commits are shown here instead.")
    return f"Could not push to `{pr.head_ref}` (does the token have `contents: write`?): {result.message}"


def _deliver_follow_up(gh: GitHub, root: Path, pr: PullRequest, outcome: RunOutcome, delivery: Delivery,
                       summary: JobSummary) -> str | None:
    """Open a follow-up pull request into the PR's branch."""
    result, created = open_follow_up(gh, root, pr, outcome)
    if not result.ok:
        delivery.lines.append("Opening a follow-up pull request failed, so the commits are shown here instead.")
        return f"Could not push the follow-up branch (does the token have `contents: write`?): {result.message}"
    delivery.pull_url = (created or {}).get("html_url")
    number = (created or {}).get("number")
    delivery.lines.append(f"Opened #{number} with these commits, to merge into `{pr.head_ref}`.")
    summary.note(f"Follow-up pull request: {delivery.pull_url or number}")
    return None
