"""The run's worktree and branch live beside the user's checkout and never touch it."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer_agent.errors import BadInput
from optimizer_agent.state import Candidate, FunctionRef, Verdict
from optimizer_agent.vcs.commit import commit_file, commit_message, committed_candidates
from optimizer_agent.vcs.diffs import unified_diff
from optimizer_agent.vcs.worktree import (add_worktree, exclude_run_folder, is_dirty, open_repo, remove_worktree,
                                          run_folder)
from tests.conftest import branches, git, make_repo, worktrees


def test_open_repo_errors(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a git repository"):
        open_repo(tmp_path)
    git(tmp_path, "init", "-q")
    with pytest.raises(BadInput, match="no commits yet"):
        open_repo(tmp_path)


def test_worktree_commit_leaves_user_checkout_alone(tmp_path: Path) -> None:
    repo_path = make_repo(tmp_path / "r", {"pkg/mod.py": "def f():\n    return 1\n"})
    (repo_path / "pkg" / "mod.py").write_text("def f():\n    return 'uncommitted'\n")
    repo = open_repo(repo_path)
    assert is_dirty(repo)
    exclude_run_folder(repo)
    exclude_run_folder(repo)
    assert (repo_path / ".git/info/exclude").read_text().count("/.optimizer-agent/") == 1
    run_dir = run_folder(repo_path, "r1")
    run_dir.mkdir(parents=True)
    wt = run_dir / "worktree"
    add_worktree(repo, wt, "optimizer-agent/r1", repo.head.commit.hexsha)
    assert (wt / "pkg/mod.py").read_text() == "def f():\n    return 1\n"

    fn = FunctionRef(file="pkg/mod.py", qualname="f", start_line=1, end_line=2)
    new = "def f():\n    return 2\n"
    cand = Candidate(id="c001", function=fn, plan_id="f#r1", skills=["O001"], origin="rewrite", source=new,
                     diff=unified_diff("pkg/mod.py", "def f():\n    return 1\n", new))
    verdict = Verdict(candidate_id="c001", accepted=True, reason="ok", stage="accepted", tests_run=3,
                      tests_passed=3, rounds=12, speedup=2.5, ci_low=2.3, ci_high=2.7, p_value=0.0001)
    message = commit_message(cand, verdict, "r1")
    sha = commit_file(wt, "pkg/mod.py", new, message)
    assert committed_candidates(wt, repo.head.commit.hexsha) == {"c001": sha}
    log = git(wt, "log", "-1", "--format=%an <%ae>%n%B")
    assert log.startswith("optimizer-agent <")
    assert "perf(pkg.mod.f): 2.50x faster" in log
    assert "95% CI 2.30-2.70" in log and "Tests: 3/3 passed" in log and "Skills: O001" in log
    assert "Optimized-by: optimizer-agent" in log and "Optimizer-Run: r1" in log

    # The user's branch, index and uncommitted change are untouched.
    assert git(repo_path, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert (repo_path / "pkg/mod.py").read_text() == "def f():\n    return 'uncommitted'\n"
    assert git(repo_path, "status", "--porcelain").strip() == "M pkg/mod.py"

    remove_worktree(repo, wt, "optimizer-agent/r1")
    assert branches(repo_path) == ["main"] and worktrees(repo_path) == [str(repo_path)]
    remove_worktree(repo, wt, "optimizer-agent/r1")  # idempotent
