"""The Docker backend: commands as data, limits that hold, files that round-trip, nothing left behind."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.sandbox.daemon import RUN_LABEL, prune_containers
from optimizer_agent.sandbox.docker import HOST_GRACE_S, KEEPER, SWEEP_GRACE_S, DockerConfig, DockerSandbox

from .conftest import write_tree

pytestmark = pytest.mark.docker

REPO_ROOT = Path(__file__).resolve().parents[2]
WORK = "/work"
# Lists the processes that do not belong to the listing command itself.
LIST_OTHER_PROCS = r"""
for p in /proc/[0-9]*; do
  grep -qz "^OA_EXEC=$OA_EXEC\$" "$p/environ" 2>/dev/null || tr '\0' ' ' < "$p/cmdline" 2>/dev/null && echo
done | grep -v '^$'
"""
IDLE_PROCS = sorted([f"bash -c {KEEPER}", "sleep 86400"])


def _procs(sandbox: DockerSandbox) -> list[str]:
    """The command lines of the container's processes, apart from the command that lists them."""
    result = sandbox.execute(LIST_OTHER_PROCS, WORK, timeout=10)
    assert result.ok, result.tail()
    return sorted(line.strip() for line in result.stdout.splitlines())


def _containers_of(client, run_id: str) -> list:
    """Containers, running or not, labelled with `run_id`."""
    return client.containers.list(all=True, filters={"label": f"{RUN_LABEL}={run_id}"})


def test_satisfies_the_protocol(docker_sandbox):
    assert isinstance(docker_sandbox, Sandbox)
    assert docker_sandbox.name == "docker"


def test_output_and_exit_code_are_data(docker_sandbox):
    result = docker_sandbox.execute("echo out; echo err >&2; exit 3", WORK, timeout=10)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert not result.timed_out and result.killed_reason == ""
    assert 0 < result.duration < 1


def test_cpu_time_counts_the_command_and_its_waited_children(docker_sandbox):
    spin = "python -c 'import time; end = time.process_time() + 0.4\nwhile time.process_time() < end: pass'"
    busy = docker_sandbox.execute(f"{spin} & {spin}; wait", WORK, timeout=60)
    assert busy.ok, busy.tail()
    # Two spinners on one pinned CPU: CPU time adds up to both, whatever the wall time was.
    assert 0.8 <= busy.cpu_time < 1.5, busy
    idle = docker_sandbox.execute("sleep 0.5", WORK, timeout=10)
    assert idle.duration >= 0.5 and idle.cpu_time < 0.1, idle
    timed_out = docker_sandbox.execute("python -c 'while True: pass'", WORK, timeout=1)
    assert timed_out.timed_out and timed_out.cpu_time is not None and timed_out.cpu_time > 0.1, timed_out


def test_missing_command_fails_as_data(docker_sandbox):
    result = docker_sandbox.execute("no-such-command-here", WORK, timeout=10)
    assert result.returncode == 127
    assert "not found" in result.stderr


def test_environment_is_deterministic_and_secret_free(docker_sandbox, monkeypatch):
    monkeypatch.setenv("OA_TEST_API_KEY", "leaked")
    result = docker_sandbox.execute("env", "/repo", timeout=10, env={"EXTRA": "yes"})
    env = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert env["PYTHONHASHSEED"] == "0"
    assert env["PYTHONPATH"].split(":")[:2] == ["/repo", "/repo/src"]
    assert env["EXTRA"] == "yes"
    assert "OA_TEST_API_KEY" not in env


def test_timeout_kills_the_whole_process_group(docker_sandbox):
    cmd = "sleep 300 & echo $! > /tmp/child; setsid sleep 300 & echo $! > /tmp/escaped; sleep 300"
    started = time.monotonic()
    result = docker_sandbox.execute(cmd, WORK, timeout=1)
    assert time.monotonic() - started < 1 + HOST_GRACE_S
    assert result.timed_out and result.killed_reason == "timeout" and result.returncode == 124
    assert 1 <= result.duration < 2
    check = docker_sandbox.execute("kill -0 $(cat /tmp/child) || kill -0 $(cat /tmp/escaped)", WORK, timeout=10)
    assert check.returncode != 0, "a child of the timed-out command survived"
    assert _procs(docker_sandbox) == IDLE_PROCS


def test_background_children_do_not_outlive_their_command(docker_sandbox):
    result = docker_sandbox.execute("nohup sleep 300 >/dev/null 2>&1 & echo $!", WORK, timeout=10)
    assert result.ok
    assert docker_sandbox.execute(f"kill -0 {result.stdout.strip()}", WORK, timeout=10).returncode != 0


def test_network_is_off(docker_sandbox):
    with socket.create_server(("0.0.0.0", 0)) as server:
        port = server.getsockname()[1]
        probe = textwrap.dedent(f"""
            import socket, time
            for host in ("127.0.0.1", "172.17.0.1", "10.255.255.1", "1.1.1.1"):
                start = time.monotonic()
                try:
                    socket.create_connection((host, {port}), timeout=3).close()
                    print(host, "CONNECTED")
                except OSError as exc:
                    print(host, "refused", round(time.monotonic() - start, 2))
        """)
        docker_sandbox.write_file("/tmp/probe.py", probe)
        result = docker_sandbox.execute("python /tmp/probe.py; ls /sys/class/net", WORK, timeout=30)
    assert result.ok, result.tail()
    *attempts, interfaces = result.stdout.splitlines()
    assert interfaces == "lo", "the container has an interface besides loopback"
    for line in attempts:
        host, outcome, seconds = line.split()
        assert outcome == "refused" and float(seconds) < 1.0, line


def test_memory_limit_stops_a_large_allocation(docker_sandbox):
    grab = "python -c 'x = [bytearray(256 * 1024**2) for _ in range(32)]; print(\"allocated 8 GiB\")'"
    result = docker_sandbox.execute(grab, WORK, timeout=60)
    assert result.returncode != 0 and "allocated" not in result.stdout
    assert result.killed_reason == "memory"
    assert docker_sandbox.execute("echo alive", WORK, timeout=10).stdout == "alive\n"


def test_fork_bomb_is_contained_in_bounded_time(docker_sandbox):
    started = time.monotonic()
    result = docker_sandbox.execute(":(){ :|:& };:; sleep 60", WORK, timeout=4)
    assert time.monotonic() - started < 4 + HOST_GRACE_S
    assert result.timed_out and result.killed_reason == "pids"
    assert _procs(docker_sandbox) == IDLE_PROCS


def test_original_repo_is_read_only(docker_sandbox, target_repo):
    result = docker_sandbox.execute("touch /repo/new.py; echo x >> /repo/bench.py", WORK, timeout=10)
    assert result.returncode != 0
    # The sandbox user owns nothing there; the read-only mount holds even for root.
    assert "Permission denied" in result.stderr
    mounts = docker_sandbox.execute("grep ' /repo ' /proc/self/mounts", WORK, timeout=10)
    assert mounts.stdout.split()[3].split(",")[0] == "ro", mounts.stdout
    assert not (target_repo / "new.py").exists()


def test_commands_cannot_change_staged_trees(docker_sandbox, target_repo):
    tree = docker_sandbox.stage(target_repo, "locked")
    tamper = "rm -f tests/test_slow.py; echo x >> pkg/slow.py; mv tests gone; touch sitecustomize.py; touch /work/new"
    result = docker_sandbox.execute(tamper, tree, timeout=10)
    assert result.stderr.count("Permission denied") == 5, result.stderr
    listing = docker_sandbox.execute("ls -a; cat tests/test_slow.py pkg/slow.py | wc -l; id -u", tree, timeout=10)
    assert listing.stdout.split() == [".", "..", "bench.py", "pkg", "tests", "9", "65534"]
    scratch = docker_sandbox.execute(f"echo ok > {docker_sandbox.scratch}/note && cat {docker_sandbox.scratch}/note",
                                     tree, timeout=10)
    assert scratch.stdout == "ok\n"
    hide = "mkdir -p /tmp/private/deep && touch /tmp/private/deep/f /dev/shm/s /var/tmp/v && chmod 0 /tmp/private"
    assert docker_sandbox.execute(hide, tree, timeout=10).ok
    docker_sandbox.write_file("/tmp/by-root.txt", "root's\n")
    docker_sandbox.clear_scratch()
    left = docker_sandbox.execute("ls -A /tmp /dev/shm /var/tmp /run/lock", tree, timeout=10).stdout
    assert left.split() == ["/dev/shm:", "/run/lock:", "/tmp:", "/var/tmp:"], left
    docker_sandbox.remove(tree)
    assert docker_sandbox.execute(f"test -e {tree}", WORK, timeout=10).returncode == 1


def test_tmp_is_size_limited(docker_sandbox):
    result = docker_sandbox.execute("dd if=/dev/zero of=/tmp/fill bs=1M count=700; s=$?; rm -f /tmp/fill; exit $s", WORK, timeout=60)
    assert result.returncode != 0
    assert "No space left on device" in result.stderr


def test_killing_the_wrapper_does_not_break_the_sandbox(docker_sandbox):
    result = docker_sandbox.execute("sleep 300 & echo $! > /tmp/orphan; kill -9 $PPID", WORK, timeout=10)
    assert result.returncode == 137 and not result.timed_out and result.killed_reason == "wrapper-killed"
    after = docker_sandbox.execute("kill -0 $(cat /tmp/orphan) && echo survived || echo reaped", WORK, timeout=10)
    assert after.stdout == "reaped\n"
    assert _procs(docker_sandbox) == IDLE_PROCS


def test_killing_every_process_does_not_stop_the_container(docker_sandbox):
    result = docker_sandbox.execute("kill -9 -1; sleep 5", WORK, timeout=10)
    assert result.returncode != 0
    assert docker_sandbox.execute("echo alive", WORK, timeout=10).stdout == "alive\n"
    assert _procs(docker_sandbox) == IDLE_PROCS


def test_orphans_are_reaped_not_left_as_zombies(docker_sandbox):
    assert docker_sandbox.execute("for i in 1 2 3 4 5; do (sleep 0.1 &); done; sleep 0.5", WORK, timeout=10).ok
    states = docker_sandbox.execute("cat /proc/[0-9]*/stat | awk '{print $3}'", WORK, timeout=10)
    assert "Z" not in states.stdout.split()


def test_host_steps_in_when_the_wrapper_is_frozen(docker_sandbox):
    started = time.monotonic()
    result = docker_sandbox.execute("kill -STOP $PPID; sleep 300", WORK, timeout=1)
    assert time.monotonic() - started < 1 + HOST_GRACE_S + SWEEP_GRACE_S
    assert result.timed_out and result.killed_reason == "timeout"
    assert _procs(docker_sandbox) == IDLE_PROCS


def test_stage_write_copy_round_trip(docker_sandbox, target_repo, tmp_path):
    (target_repo / ".git").mkdir(exist_ok=True)
    (target_repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    where = docker_sandbox.stage(target_repo, "round")
    assert where == "/work/round"
    listing = docker_sandbox.execute("find . -name HEAD; ls pkg; python -m pytest -q tests", where, timeout=60)
    assert "HEAD" not in listing.stdout and "slow.py" in listing.stdout
    assert "1 passed" in listing.stdout, listing.tail()

    docker_sandbox.write_file(f"{where}/deep/new/note.txt", "hello\n")
    docker_sandbox.write_file("/tmp/scratch/t.txt", "on tmpfs\n")
    docker_sandbox.copy_out(f"{where}/deep", tmp_path / "deep")
    docker_sandbox.copy_out("/tmp/scratch/t.txt", tmp_path / "t.txt")
    assert (tmp_path / "deep" / "new" / "note.txt").read_text() == "hello\n"
    assert (tmp_path / "t.txt").read_text() == "on tmpfs\n"

    extra = write_tree(tmp_path / "extra", {"a/b.txt": "b\n"})
    docker_sandbox.copy_in(extra, "/tmp/extra")
    docker_sandbox.copy_in(extra / "a" / "b.txt", f"{where}/b_copy.txt")
    shown = docker_sandbox.execute("cat /tmp/extra/a/b.txt b_copy.txt", where, timeout=10)
    assert shown.stdout == "b\nb\n"

    again = docker_sandbox.stage(write_tree(tmp_path / "v2", {"only.txt": "v2\n"}), "round")
    assert docker_sandbox.execute("ls", again, timeout=10).stdout == "only.txt\n"


def test_py_spy_records_inside_the_container(docker_sandbox, target_repo, tmp_path):
    where = docker_sandbox.stage(target_repo, "profiled")
    result = docker_sandbox.execute("py-spy record -o /tmp/p.json -f speedscope -- python bench.py", where, timeout=120)
    assert result.ok, result.tail()
    docker_sandbox.copy_out("/tmp/p.json", tmp_path / "p.json")
    profile = json.loads((tmp_path / "p.json").read_text())
    names = {frame["name"] for frame in profile["shared"]["frames"]}
    assert "total" in names


def test_missing_image_is_a_clear_error_without_a_pull(docker_client):
    started = time.monotonic()
    with pytest.raises(SandboxUnavailable, match="missing"):
        DockerSandbox(DockerConfig(image="optimizer-agent/py:does-not-exist", run_id="no-image"), client=docker_client)
    assert time.monotonic() - started < 5


def test_cleanup_is_idempotent_and_leaves_no_container(docker_client, sandbox_image):
    run_id = f"pytest-cleanup-{uuid.uuid4().hex[:8]}"
    with DockerSandbox(DockerConfig(image=sandbox_image, run_id=run_id), client=docker_client) as sandbox:
        assert len(_containers_of(docker_client, run_id)) == 1
        assert sandbox.execute("true", WORK, timeout=10).ok
    sandbox.cleanup()
    sandbox.cleanup()
    assert _containers_of(docker_client, run_id) == []


def test_prune_removes_containers_whose_owner_died(docker_client, sandbox_image, docker_sandbox):
    run_id = f"pytest-orphan-{uuid.uuid4().hex[:8]}"
    # The owner dies by SIGKILL, so neither atexit nor a context manager can clean up.
    orphan_maker = textwrap.dedent(f"""
        import os, signal
        from optimizer_agent.sandbox.docker import DockerConfig, DockerSandbox
        DockerSandbox(DockerConfig(image={sandbox_image!r}, run_id={run_id!r}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "-c", orphan_maker], env=env, timeout=60)
    assert len(_containers_of(docker_client, run_id)) == 1
    assert prune_containers(docker_client) >= 1
    assert _containers_of(docker_client, run_id) == []
    assert docker_sandbox.execute("true", WORK, timeout=10).ok, "prune removed a live run's container"
