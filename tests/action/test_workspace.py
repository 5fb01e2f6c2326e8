"""The runner's checkout: fetching missing commits, checking out the head, merge bases, our own trailer."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.action.workspace import check_out, ensure_commit, head_sha, is_own_commit, merge_base
from optimizer_agent.errors import BadInput
from tests.conftest import git, make_repo


def commit(repo: Path, message: str, name: str = "f.txt") -> str:
    (repo / name).write_text(message)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("message, ours", [
    ("perf(m.f): 2.00x faster\n\nSpeedup: 2.00x\n\nOptimized-by: optimizer-agent 0.1.0\nOptimizer-Run: r1\n", True),
    ("Fix a bug\n\nOptimized-by: someone-else 1.0\n", False),
    ("Fix a bug\n\nOptimized-by: optimizer-agent 0.1.0\n\nThis paragraph ends the message, so the line above "
     "is not a trailer.\n", False),
    ("Plain message\n", False),
])
def test_own_commits_are_recognised_by_their_trailer(tmp_path: Path, message: str, ours: bool) -> None:
    repo = make_repo(tmp_path / "r", {"a.txt": "a"})
    assert is_own_commit(repo, commit(repo, message)) is ours


def test_check_out_detaches_at_the_head_and_refuses_a_dirty_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.txt": "a"})
    first = head_sha(repo)
    second = commit(repo, "two")
    assert check_out(repo, first) is True and head_sha(repo) == first
    assert check_out(repo, first) is False
    (repo / "a.txt").write_text("edited")
    with pytest.raises(BadInput, match="uncommitted changes to tracked files"):
        check_out(repo, second)


def test_missing_commits_are_fetched_from_the_pull_ref(tmp_path: Path) -> None:
    author = make_repo(tmp_path / "author", {"a.txt": "a"})
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(author, "push", "-q", str(remote), "main:main")
    git(author, "checkout", "-q", "-b", "topic")
    pr_head = commit(author, "pr work")
    git(author, "push", "-q", str(remote), "topic:refs/pull/1/head")  # only GitHub's PR ref holds it
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    ensure_commit(clone, pr_head, ["refs/heads/nope", "refs/pull/1/head"])
    assert git(clone, "cat-file", "-t", pr_head).strip() == "commit"
    with pytest.raises(BadInput, match="could not be fetched; use actions/checkout with fetch-depth: 0"):
        ensure_commit(clone, "0123456789" * 4, ["refs/pull/1/head"])


def test_a_shallow_checkout_gets_a_clear_message(tmp_path: Path) -> None:
    author = make_repo(tmp_path / "author", {"a.txt": "a"})
    base = head_sha(author)
    commit(author, "two")
    commit(author, "three")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{author}", str(shallow))
    git(shallow, "fetch", "-q", "--depth", "1", "origin", base)
    with pytest.raises(BadInput, match="the checkout is shallow; no merge base .* fetch-depth: 0"):
        merge_base(shallow, base, head_sha(shallow))
    assert merge_base(author, base, head_sha(author)) == base
