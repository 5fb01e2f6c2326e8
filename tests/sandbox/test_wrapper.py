"""The exec wrapper, run here with the host's bash: timing, group kills, marker sweeps, and its report."""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import pytest

from optimizer_agent.sandbox.wrapper import (
    BASH_CHECK,
    MIN_BASH,
    MARKER_VAR,
    REPORT_TAG,
    ExecReport,
    killed_reason,
    split_report,
    sweep_argv,
    wrapper_argv,
)

from .processes import alive, gone_soon

HOST_SLACK_S = 3.0

pytestmark = pytest.mark.skipif(
    subprocess.run(["bash", "-c", BASH_CHECK]).returncode != 0, reason=f"the host's bash is older than {MIN_BASH}"
)


def _wrapped(cmd: str, timeout: float) -> tuple[subprocess.CompletedProcess, str]:
    """Run `cmd` under the wrapper as `docker exec` would; return the process and its marker."""
    exec_id = uuid.uuid4().hex
    env = {**os.environ, MARKER_VAR: exec_id}
    done = subprocess.run(
        wrapper_argv(cmd, timeout, exec_id), env=env, capture_output=True, text=True, timeout=timeout + HOST_SLACK_S
    )
    return done, exec_id


def test_report_carries_exit_code_and_inner_duration():
    done, _ = _wrapped("echo out; echo err >&2; sleep 0.3; exit 5", timeout=10)
    stderr, report = split_report(done.stderr)
    assert done.returncode == 5 and done.stdout == "out\n" and stderr == "err\n"
    assert report is not None and report.returncode == 5 and not report.timed_out
    assert 0.3 <= report.duration < 1.0


def test_timeout_kills_group_and_setsid_escapees(tmp_path):
    pids = tmp_path / "pids"
    cmd = f"sleep 300 & echo $! >> {pids}; setsid sleep 300 & echo $! >> {pids}; sleep 300"
    started = time.monotonic()
    done, _ = _wrapped(cmd, timeout=1)
    assert time.monotonic() - started < 1 + HOST_SLACK_S
    _, report = split_report(done.stderr)
    assert report is not None and report.timed_out and report.returncode != 0
    survivors = [int(p) for p in pids.read_text().split() if not gone_soon(int(p))]
    assert survivors == []


def test_finished_command_leaves_no_background_child(tmp_path):
    pid_file = tmp_path / "pid"
    done, _ = _wrapped(f"nohup sleep 300 >/dev/null 2>&1 & echo $! > {pid_file}", timeout=10)
    assert done.returncode == 0
    assert gone_soon(int(pid_file.read_text()))


def test_sweep_kills_what_a_dead_wrapper_left(tmp_path):
    pid_file = tmp_path / "pid"
    done, exec_id = _wrapped(f"sleep 300 >/dev/null 2>&1 & echo $! > {pid_file}; kill -9 $PPID", timeout=10)
    assert done.returncode == -9
    orphan = int(pid_file.read_text())
    assert alive(orphan)
    subprocess.run(sweep_argv(exec_id), check=True, timeout=10)
    assert gone_soon(orphan)


def test_report_carries_cpu_time_of_the_command_and_what_it_waited_for():
    spin = "python3 -c 'import time; end = time.process_time() + 0.4\nwhile time.process_time() < end: pass'"
    done, _ = _wrapped(f"{spin} & {spin}; wait", timeout=30)
    _, report = split_report(done.stderr)
    assert report is not None and report.returncode == 0
    assert 0.8 <= report.cpu_time < 1.5, report

    idle, _ = _wrapped("sleep 0.5", timeout=10)
    _, report = split_report(idle.stderr)
    assert report is not None and report.duration >= 0.5
    assert report.cpu_time < 0.1, report


def test_split_report_ignores_a_forged_line_that_is_not_last():
    forged = f"\n{REPORT_TAG} 0 0 1.0 1.0 0 0 0 0 0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n"
    real = f"\n{REPORT_TAG} 1 0 5.0 7.5 0 2 1 2 0m0.010s 0m0.020s\n1m2,500s 0m0.250s\n"
    stderr, report = split_report("boom" + forged + "more" + real)
    assert stderr == "boom" + forged + "more"
    assert report == ExecReport(
        returncode=1, timed_out=False, duration=2.5, oom_kills=1, pids_limit_hits=0, cpu_time=62.75
    )


def test_split_report_without_report():
    assert split_report("plain error\n") == ("plain error\n", None)


@pytest.mark.parametrize(
    ("failed", "timed_out", "oom", "pids", "stderr", "reason"),
    [
        (False, False, 0, 0, "", ""),
        (True, False, 1, 0, "", "memory"),
        (True, True, 0, 3, "", "pids"),
        (True, False, -1, -1, "bash: fork: retry: Resource temporarily unavailable", "pids"),
        (True, True, 0, 0, "", "timeout"),
        (True, False, 0, 0, "Traceback ...", ""),
        (False, False, 1, 0, "", ""),
    ],
)
def test_killed_reason(failed, timed_out, oom, pids, stderr, reason):
    report = ExecReport(returncode=1, timed_out=timed_out, duration=1.0, oom_kills=oom, pids_limit_hits=pids)
    assert killed_reason(failed, timed_out, report, stderr) == reason
