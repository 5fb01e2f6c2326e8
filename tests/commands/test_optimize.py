"""`optimize` end to end on real repos: commits, JSON output, untouched user tree, and resume after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SLOW_PROJECT, branches, git, make_repo, run_cli, worktrees

TWO_TARGETS = {
    **SLOW_PROJECT,
    "slowpkg/queue.py": '''
        def bfs(graph, start):
            """Breadth-first order of the nodes reachable from start."""
            seen = {start}
            order = []
            queue = [start]
            while queue:
                node = queue.pop(0)
                order.append(node)
                for nxt in graph.get(node, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            return order
    ''',
    "tests/test_queue.py": '''
        from slowpkg.queue import bfs

        def test_bfs_order():
            assert bfs({0: [1, 2], 1: [3], 2: [3]}, 0) == [0, 1, 2, 3]

        def test_bfs_single():
            assert bfs({}, 5) == [5]
    ''',
    "bench.py": '''
        from slowpkg.core import common
        from slowpkg.queue import bfs

        blocked = list(range(0, 6000, 2))
        items = list(range(6000))
        graph = {i: [i + 1, i + 2] for i in range(60000)}
        for _ in range(3):
            common(items, blocked)
        bfs(graph, 0)
    ''',
}


def test_optimize_json_lands_a_verified_commit_and_leaves_the_user_alone(slow_repo: Path) -> None:
    (slow_repo / "slowpkg" / "core.py").write_text("# my uncommitted edit\n")
    before = (slow_repo / "slowpkg" / "core.py").read_bytes()
    proc = run_cli("optimize", str(slow_repo), "--sandbox", "local", "--bench", "python bench.py", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # exactly one JSON document
    assert "uncommitted changes" in " ".join(result["notes"])
    assert result["targets"] == ["slowpkg/core.py::common"]
    [commit] = result["commits"]
    assert commit["subject"].startswith("perf(slowpkg.core.common): ") and commit["subject"].endswith("x faster")
    verdict = result["candidates"][0]["verdict"]
    assert verdict["accepted"] and verdict["ci_low"] >= 1.05 and verdict["p_value"] < 0.01
    assert verdict["tests_passed"] == 3
    assert "✓ profile" in proc.stderr and "verify c001" in proc.stderr

    branch = result["branch"]
    body = git(slow_repo, "log", "-1", "--format=%B", branch)
    assert "O001" in body.split("Skills: ")[1].splitlines()[0] and "Tests: 3/3 passed" in body and f"Optimizer-Run: {result['run_id']}" in body
    assert "set(" in git(slow_repo, "show", f"{branch}:slowpkg/core.py")
    # The user's branch, index and dirty file are exactly as they were.
    assert git(slow_repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert (slow_repo / "slowpkg" / "core.py").read_bytes() == before
    assert git(slow_repo, "status", "--porcelain").strip() == "M slowpkg/core.py"
    run_dir = Path(result["report"]).parent
    assert (run_dir / "profile.speedscope.json").is_file()
    assert (run_dir / "candidates" / "c001" / "verdict.json").is_file()
    assert "| c001 | `common` |" in Path(result["report"]).read_text()
    # A finished run gives its worktree back, so the user can check the result branch out straight away.
    assert result["branch_kept"] and result["worktree"] is None
    assert worktrees(slow_repo) == [str(slow_repo)] and branches(slow_repo) == ["main", branch]


def test_profile_json_ranks_the_hot_function(slow_repo: Path) -> None:
    proc = run_cli("profile", str(slow_repo), "--sandbox", "local", "--bench", "python bench.py", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["samples"] > 10
    top = data["hotspots"][0]["function"]
    assert (top["file"], top["qualname"]) == ("slowpkg/core.py", "common")
    assert Path(data["speedscope"]).is_file()
    assert branches(slow_repo) == ["main"] and worktrees(slow_repo) == [str(slow_repo)]


def _cli_process(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.Popen([sys.executable, "-m", "optimizer_agent.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_sigkill_during_verify_then_resume_finishes_without_redoing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", TWO_TARGETS)
    proc = _cli_process("optimize", str(repo), "--sandbox", "local", "--bench", "python bench.py")
    seen = []
    deadline = time.monotonic() + 300
    try:
        for line in proc.stderr:
            seen.append(line)
            # The first candidate is committed and the second is being verified: kill now.
            if line.startswith("· verify c002 ("):
                time.sleep(1.0)
                proc.send_signal(signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "".join(seen)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    [run_id] = os.listdir(repo / ".optimizer-agent" / "runs")
    first = repo / ".optimizer-agent" / "runs" / run_id / "candidates" / "c001" / "verdict.json"
    stamp = first.stat().st_mtime_ns

    resumed = run_cli("optimize", str(repo), "--resume", run_id, "--json")
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert "verify c001" not in resumed.stderr and "verify c002" in resumed.stderr
    assert first.stat().st_mtime_ns == stamp
    ids = [c["id"] for c in result["candidates"]]
    assert ids == sorted(set(ids))
    assert all(c["verdict"] is not None for c in result["candidates"])
    subjects = [c["subject"] for c in result["commits"]]
    assert len(subjects) == len(set(subjects)) >= 1
    assert git(repo, "rev-list", "--count", f"main..{result['branch']}").strip() == str(len(subjects))
