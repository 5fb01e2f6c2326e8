"""The runner's checkout: make the PR head available and checked out, find the merge base, read trailers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from optimizer_agent.errors import BadInput
from optimizer_agent.vcs.commit import TRAILER_BY

REMOTE = "origin"
GIT_TIMEOUT = 300.0
BOT_TRAILER_VALUE = "optimizer-agent"


class GitFailed(Exception):
    """A git command in the workspace failed; the message is git's own last line."""


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in `root` without prompts; raise GitFailed on a non-zero exit when `check`."""
    env_args = ["-c", "core.quotepath=off", "-c", "advice.detachedHead=false"]
    proc = subprocess.run(["git", *env_args, *args], cwd=root, capture_output=True, text=True,
                          timeout=GIT_TIMEOUT, env=_no_prompt_env())
    if check and proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise GitFailed(f"git {args[0]} failed: {last}")
    return proc


def _no_prompt_env() -> dict[str, str]:
    # A CI job has nobody to type a password; fail fast instead of hanging.
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0"}


def has_commit(root: Path, sha: str) -> bool:
    """True when `sha` names a commit present in the local repository."""
    return git(root, "cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0


def ensure_commit(root: Path, sha: str, refs: list[str]) -> None:
    """Fetch the first of `refs` that brings `sha` in, unless it is already here."""
    for ref in [None, *refs]:
        if ref is not None:
            git(root, "fetch", "-q", "--no-tags", REMOTE, ref, check=False)
        if has_commit(root, sha):
            return
    raise BadInput(f"commit {sha[:12]} is not in the checkout and could not be fetched; "
                   "use actions/checkout with fetch-depth: 0")


def head_sha(root: Path) -> str:
    """The sha the workspace has checked out."""
    return git(root, "rev-parse", "HEAD").stdout.strip()


def check_out(root: Path, sha: str) -> bool:
    """Detach the workspace at `sha` (actions/checkout gives the merge commit); True when it had to move."""
    if head_sha(root) == sha:
        return False
    if git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise BadInput("the workspace has uncommitted changes to tracked files, so the action cannot check out "
                       "the pull request's head commit; run it before steps that modify the checkout")
    git(root, "checkout", "-q", "--detach", sha)
    return True


def merge_base(root: Path, base_sha: str, head: str) -> str:
    """The merge base of the PR's base and head; a shallow checkout gets a clear message."""
    proc = git(root, "merge-base", base_sha, head, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        shallow = git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"
        hint = "the checkout is shallow; " if shallow else ""
        raise BadInput(f"{hint}no merge base between {base_sha[:12]} and {head[:12]}; "
                       "use actions/checkout with fetch-depth: 0")
    return proc.stdout.strip()


def is_own_commit(root: Path, sha: str) -> bool:
    """True when the commit carries our `Optimized-by: optimizer-agent ...` trailer."""
    fmt = f"--format=%(trailers:key={TRAILER_BY},valueonly,separator=%x00)"
    values = git(root, "log", "-1", fmt, sha).stdout.strip().split("\x00")
    return any(v.strip().split(" ")[0] == BOT_TRAILER_VALUE for v in values if v.strip())


def push(root: Path, source: str, branch: str) -> subprocess.CompletedProcess:
    """Push `source` to `refs/heads/<branch>` on the remote, never forcing; the caller reads the outcome."""
    return git(root, "push", "--porcelain", REMOTE, f"{source}:refs/heads/{branch}", check=False)


def commits_between(root: Path, base: str, tip: str) -> list[tuple[str, str]]:
    """`(sha, subject)` of the commits in `base..tip`, oldest first."""
    out = git(root, "log", "--reverse", "--format=%H%x00%s", f"{base}..{tip}").stdout
    return [tuple(line.split("\x00", 1)) for line in out.splitlines() if "\x00" in line]  # type: ignore[misc]
