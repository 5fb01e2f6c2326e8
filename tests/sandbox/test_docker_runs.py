"""Whole runs under Docker: the same verified commits as the local sandbox, py-spy inside the
container, and a run stopped by SIGTERM leaves no container behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer_agent.sandbox.daemon import OWNER_LABEL, RUN_LABEL
from tests.conftest import SLOW_PROJECT, make_repo, run_cli

pytestmark = pytest.mark.docker

TWO_TARGETS = {
    **SLOW_PROJECT,
    # One candidate per function and a short timing budget keep both runs to about a minute.
    "pyproject.toml": """
        [project]
        name = "slowpkg"
        version = "0.0.1"

        [tool.optimizer-agent]
        max_candidates = 1
        timing_budget = 40
    """,
    "slowpkg/ranks.py": '''
        def smallest(values):
            """The smallest value."""
            return sorted(values)[0]
    ''',
    "tests/test_ranks.py": '''
        from slowpkg.ranks import smallest

        def test_smallest():
            assert smallest([3, 1, 2]) == 1

        def test_smallest_single():
            assert smallest([7]) == 7
    ''',
    "bench.py": '''
        from slowpkg.core import common
        from slowpkg.ranks import smallest

        blocked = list(range(0, 6000, 2))
        items = list(range(6000))
        values = [(i * 7919) % 100_003 for i in range(200_000)]
        for _ in range(3):
            common(items, blocked)
            smallest(values)
    ''',
}
BENCH = "python bench.py"
SIGTERM_AFTER_S = 2.0
START_TIMEOUT_S = 300


def _optimize(repo: Path, sandbox: str) -> dict:
    """Run `optimize --json` on `repo` with the given sandbox and return its summary."""
    proc = run_cli("optimize", str(repo), "--sandbox", sandbox, "--bench", BENCH, "--json", timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _functions(result: dict) -> list[str]:
    """The functions the run's commits optimized."""
    return sorted(f"{c['function']['file']}::{c['function']['qualname']}" for c in result["commits"])


def _profile_files(result: dict) -> set[str]:
    """Every source file named by a frame of the run's speedscope profile."""
    profile = json.loads((Path(result["report"]).parent / "profile.speedscope.json").read_text())
    return {frame.get("file", "") for frame in profile["shared"]["frames"]}


@pytest.mark.slow
def test_docker_lands_the_same_verified_commits_as_local_with_py_spy_in_the_container(docker_client, tmp_path):
    on_local = _optimize(make_repo(tmp_path / "local", TWO_TARGETS), "local")
    on_docker = _optimize(make_repo(tmp_path / "docker", TWO_TARGETS), "docker")

    assert _functions(on_local) == _functions(on_docker) == ["slowpkg/core.py::common", "slowpkg/ranks.py::smallest"]
    assert on_docker["baseline_tests"]["passed"] == on_local["baseline_tests"]["passed"] == 5
    assert [c["skills"] for c in on_local["candidates"]] == [c["skills"] for c in on_docker["candidates"]]
    # The profile was recorded inside the container: its frames point into the container's staged tree.
    docker_files = {f for f in _profile_files(on_docker) if f.endswith("slowpkg/core.py")}
    assert docker_files and all(f.startswith("/work/base-") for f in docker_files), docker_files
    assert not any(str(tmp_path) in f for f in _profile_files(on_docker))
    assert docker_client.containers.list(all=True, filters={"label": f"{RUN_LABEL}={on_docker['run_id']}"}) == []


def test_sigterm_cleans_up_the_run_container(docker_client, tmp_path):
    repo = make_repo(tmp_path / "r", TWO_TARGETS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    proc = subprocess.Popen([sys.executable, "-m", "optimizer_agent.cli", "optimize", str(repo), "--sandbox", "docker",
                             "--bench", BENCH], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    owner = {"label": f"{OWNER_LABEL}={socket.gethostname()}:{proc.pid}"}
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not docker_client.containers.list(filters=owner):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the run never started its container"
            time.sleep(0.2)
        [container] = docker_client.containers.list(filters=owner)
        run_id = container.labels[RUN_LABEL]
        time.sleep(SIGTERM_AFTER_S)  # into the baseline tests or the profile: commands are running
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, stderr
    assert "error: terminated; the run's worktree is kept" in stderr
    assert docker_client.containers.list(all=True, filters={"label": f"{RUN_LABEL}={run_id}"}) == []
