"""The local backend: the same behaviours as Docker where subprocesses and rlimits can give them."""

from __future__ import annotations

import os
import time

import pytest

from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.sandbox.local import LocalSandbox

from .conftest import TARGET_FILES, write_tree
from .processes import gone_soon

SMALL_MEMORY = 512 * 1024**2
SLACK_S = 3.0


@pytest.fixture
def local(tmp_path):
    """A local sandbox with a small memory limit, cleaned up after the test."""
    sandbox = LocalSandbox(root=None, memory_bytes=SMALL_MEMORY)
    yield sandbox
    sandbox.cleanup()


def test_satisfies_the_protocol(local):
    assert isinstance(local, Sandbox)


def test_output_and_exit_code_are_data(local):
    result = local.execute("echo out; echo err >&2; exit 3", str(local.root), timeout=10)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert not result.timed_out and not result.ok


def test_environment_is_deterministic_and_secret_free(local, monkeypatch):
    monkeypatch.setenv("OA_TEST_API_KEY", "leaked")
    cwd = str(local.root)
    result = local.execute("env", cwd, timeout=10, env={"EXTRA": "yes"})
    env = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert env["PYTHONHASHSEED"] == "0" and env["EXTRA"] == "yes"
    assert env["PYTHONPATH"].split(os.pathsep)[:2] == [cwd, os.path.join(cwd, "src")]
    assert "OA_TEST_API_KEY" not in env


def test_timeout_kills_the_whole_process_group(local, tmp_path):
    pid_file = tmp_path / "child"
    started = time.monotonic()
    result = local.execute(f"sleep 300 & echo $! > {pid_file}; sleep 300", str(local.root), timeout=1)
    assert time.monotonic() - started < 1 + SLACK_S
    assert result.timed_out and result.killed_reason == "timeout" and result.returncode == 124
    assert gone_soon(int(pid_file.read_text()))


def test_background_children_do_not_outlive_their_command(local, tmp_path):
    result = local.execute("nohup sleep 300 >/dev/null 2>&1 & echo $!", str(local.root), timeout=10)
    assert result.ok
    assert gone_soon(int(result.stdout))


def test_memory_limit_stops_a_large_allocation(local):
    grab = "python -c 'x = [bytearray(256 * 1024**2) for _ in range(32)]; print(\"allocated 8 GiB\")'"
    result = local.execute(grab, str(local.root), timeout=60)
    assert result.returncode != 0 and "allocated" not in result.stdout
    assert "MemoryError" in result.stderr


def test_stage_write_copy_round_trip(local, tmp_path):
    src = write_tree(tmp_path / "src", {**TARGET_FILES, ".git/HEAD": "ref\n"})
    where = local.stage(src, "round")
    assert not os.path.exists(os.path.join(where, ".git"))
    tests = local.execute("python -m pytest -q -p no:cacheprovider tests", where, timeout=60)
    assert "1 passed" in tests.stdout, tests.tail()

    local.write_file(f"{where}/deep/new/note.txt", "hello\n")
    local.copy_out(f"{where}/deep", tmp_path / "deep")
    assert (tmp_path / "deep" / "new" / "note.txt").read_text() == "hello\n"
    local.copy_in(src / "bench.py", f"{where}/bench_copy.py")
    assert local.execute("cmp bench.py bench_copy.py", where, timeout=10).ok


def test_cleanup_is_idempotent_and_removes_scratch():
    sandbox = LocalSandbox()
    root = sandbox.root
    assert root.is_dir()
    sandbox.cleanup()
    sandbox.cleanup()
    assert not root.exists()


def test_scratch_is_writable_and_cleared_and_remove_deletes(tmp_path):
    sandbox = LocalSandbox()
    try:
        tree = sandbox.stage(write_tree(tmp_path / "src", {"a.txt": "a\n"}), "tree")
        assert sandbox.execute(f"echo x > {sandbox.scratch}/left", tree, timeout=10).ok
        sandbox.clear_scratch()
        assert os.listdir(sandbox.scratch) == []
        sandbox.remove(tree)
        sandbox.remove(tree)
        assert not os.path.exists(tree)
    finally:
        sandbox.cleanup()
