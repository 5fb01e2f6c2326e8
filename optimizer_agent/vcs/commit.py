"""One commit per accepted optimization, with the evidence in the message."""

from __future__ import annotations

from pathlib import Path

import git

from optimizer_agent import __version__
from optimizer_agent.state import Candidate, Verdict

BOT_NAME = "optimizer-agent"
BOT_EMAIL = "optimizer-agent@users.noreply.github.com"
TRAILER_BY = "Optimized-by"
TRAILER_RUN = "Optimizer-Run"
TRAILER_CANDIDATE = "Optimizer-Candidate"


def commit_subject(candidate: Candidate, verdict: Verdict) -> str:
    """`perf(<module>.<function>): N.NNx faster`."""
    fn = candidate.function
    return f"perf({fn.module}.{fn.qualname}): {verdict.speedup:.2f}x faster"


def commit_message(candidate: Candidate, verdict: Verdict, run_id: str, plan_text: str = "") -> str:
    """The full message: subject, evidence, and trailers that tools (and our own action) can read."""
    p = "<0.001" if (verdict.p_value or 0) < 0.001 else f"={verdict.p_value:.3f}"
    body = [
        f"Speedup: {verdict.speedup:.2f}x (95% CI {verdict.ci_low:.2f}-{verdict.ci_high:.2f}, "
        f"Mann-Whitney p{p}, {verdict.rounds} paired rounds)",
        f"Tests: {verdict.tests_passed}/{verdict.tests_run} passed",
        f"Calls compared: {verdict.calls_compared}",
        f"Skills: {', '.join(candidate.skills) or 'none'}",
        f"Origin: {candidate.origin}" + (f" (plan {candidate.plan_id})" if candidate.plan_id else ""),
    ]
    if plan_text:
        body.append(f"Plan: {plan_text}")
    trailers = [
        f"{TRAILER_BY}: optimizer-agent {__version__}",
        f"{TRAILER_RUN}: {run_id}",
        f"{TRAILER_CANDIDATE}: {candidate.id}",
    ]
    return commit_subject(candidate, verdict) + "\n\n" + "\n".join(body) + "\n\n" + "\n".join(trailers) + "\n"


def committed_candidates(worktree: Path, base_sha: str) -> dict[str, str]:
    """Map candidate id -> commit sha for the run's commits since `base_sha` (for idempotent resume)."""
    repo = git.Repo(worktree)
    found: dict[str, str] = {}
    for commit in repo.iter_commits(f"{base_sha}..HEAD"):
        for line in str(commit.message).splitlines():
            if line.startswith(f"{TRAILER_CANDIDATE}: "):
                found[line.split(": ", 1)[1].strip()] = commit.hexsha
    return found


def commit_file(worktree: Path, rel_path: str, content: str, message: str) -> str:
    """Write one file in the worktree and commit it as the bot; returns the new sha."""
    repo = git.Repo(worktree)
    # A resumed run may find a half-applied change from a killed process; start from HEAD.
    repo.git.reset("--hard", "-q", "HEAD")
    (worktree / rel_path).write_text(content)
    repo.git.add("--", rel_path)
    identity = {
        "GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
        "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL,
    }
    # No hooks and no signing prompt: the run is unattended and its commit must be exactly the verified text.
    with repo.git.custom_environment(**identity):
        repo.git.commit("-q", "--no-verify", "--no-gpg-sign", "-m", message)
    return repo.head.commit.hexsha
