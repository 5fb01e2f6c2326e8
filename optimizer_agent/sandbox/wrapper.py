"""The bash wrapper every Docker command runs under, and the report it leaves on stderr.

The wrapper starts a timer process, then the command in its own process group (`set -m`), and
waits for whichever ends first. Either way it then stops and kills the group and every other
process that carries this exec's marker variable (which catches children that called setsid).
It times the command inside the container, reads the cgroup's OOM-kill and pids-limit counters
before and after, and ends its report with bash's `times`, whose second line is the user and system
CPU of every process the wrapper reaped: the command with whatever it waited for, and the idle
timer, always reaped before `times` so that its tiny cost is the same on every run. The timer
exists before the command starts, and the kills and sweeps use only bash builtins, so a fork bomb
that has used up every pid cannot stop them. Job-control chatter goes to /dev/null; the
command's stderr goes through fd 3 untouched.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

# Names the variable that marks every process started under one exec, for the sweep.
MARKER_VAR = "OA_EXEC"
REPORT_TAG = "\x1eoptimizer-agent-exec"
UNKNOWN_COUNTER = -1
# The killed reason when the wrapper died before it could report, e.g. the command ran `kill -9 $PPID`.
WRAPPER_KILLED = "wrapper-killed"
# `wait -n -p` arrived in bash 5.1.
MIN_BASH = "5.1"
BASH_CHECK = "(( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501 ))"
# What a failed fork or thread start says in bash, coreutils and Python.
FORK_REFUSED = re.compile(
    r"fork: (retry: )?Resource temporarily unavailable|Cannot fork|\[Errno 11\] Resource temporarily unavailable"
    r"|can't start new thread"
)

WRAPPER = r"""
oa_id=$3
oa_read() {
  REPLY=-1
  [ -r "$1" ] || return 0
  local k v
  while read -r k v; do
    if [ "$k" = "$2" ]; then REPLY=$v; return 0; fi
  done < "$1"
}
oa_counters() {
  local m p
  oa_read /sys/fs/cgroup/memory.events oom_kill; m=$REPLY
  [ "$m" = -1 ] && { oa_read /sys/fs/cgroup/memory/memory.oom_control oom_kill; m=$REPLY; }
  oa_read /sys/fs/cgroup/pids.events max; p=$REPLY
  [ "$p" = -1 ] && { oa_read /sys/fs/cgroup/pids/pids.events max; p=$REPLY; }
  REPLY="$m $p"
}
oa_sweep() {
  local sig=$1 p e
  REPLY=0
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if [ "$p" = "$$" ]; then continue; fi
    while IFS= read -r -d '' e; do
      if [ "$e" = "OA_EXEC=$oa_id" ]; then kill "-$sig" "$p" 2>/dev/null; REPLY=$((REPLY + 1)); break; fi
    done 2>/dev/null < "/proc/$p/environ"
  done
}
oa_kill_all() {
  local i
  [ -n "$1" ] && kill -STOP -- "-$1" 2>/dev/null
  oa_sweep STOP; oa_sweep STOP
  [ -n "$1" ] && kill -KILL -- "-$1" 2>/dev/null
  for i in 1 2 3 4 5 6 7 8; do oa_sweep KILL; [ "$REPLY" = 0 ] && break; done
}
exec 3>&2 2>/dev/null
oa_counters; oa_before=$REPLY
set -m
sleep "$2" </dev/null >/dev/null 3>&- &
oa_timer=$!
oa_start=$EPOCHREALTIME
bash -c "$1" </dev/null 2>&3 3>&- &
oa_pg=$!
wait -n -p oa_done "$oa_timer" "$oa_pg"; oa_rc=$?
oa_end=$EPOCHREALTIME
oa_timed_out=0
if [ "$oa_done" != "$oa_pg" ]; then oa_timed_out=1; fi
oa_kill_all "$oa_pg"
if [ "$oa_timed_out" = 1 ]; then wait "$oa_pg"; oa_rc=$?; fi
kill -KILL "$oa_timer"; wait "$oa_timer"
oa_counters; oa_after=$REPLY
printf '\n%s %s %s %s %s %s %s ' "$4" "$oa_rc" "$oa_timed_out" "$oa_start" "$oa_end" "$oa_before" "$oa_after" >&3
times >&3
exit "$oa_rc"
"""

# Run by a separate exec when the wrapper itself died (`kill -9 $PPID`) or never answered.
SWEEP = WRAPPER.split("exec 3>&2", 1)[0] + 'oa_kill_all ""\n'

# bash's `times` prints "<min>m<sec>s" with the locale's decimal separator.
_TIMES = r"(\d+m[\d.,]+s)"
_REPORT = re.compile(
    "\n" + re.escape(REPORT_TAG) + r" (-?\d+) ([01]) ([\d.,]*) ([\d.,]*) (-?\d+) (-?\d+) (-?\d+) (-?\d+)"
    + rf" {_TIMES} {_TIMES}\n{_TIMES} {_TIMES}\n?\Z"
)


class ExecReport(BaseModel):
    """What the wrapper measured inside the container for one command."""

    returncode: int
    timed_out: bool
    duration: float | None
    """Seconds between the wrapper's start and end stamps; None when bash had no EPOCHREALTIME."""
    oom_kills: int
    """OOM kills in the container's cgroup during the command; -1 when the counter is unreadable."""
    pids_limit_hits: int
    """Forks refused by the pids limit during the command; -1 when the counter is unreadable."""
    cpu_time: float | None = None
    """User plus system CPU seconds of the command and the processes it waited for."""


def _delta(before: str, after: str) -> int:
    """Difference of two counter readings, or -1 when either was unreadable."""
    a, b = int(before), int(after)
    return UNKNOWN_COUNTER if UNKNOWN_COUNTER in (a, b) else b - a


def _seconds(text: str) -> float:
    """Seconds from one `times` field such as "1m2.345s"."""
    minutes, seconds = text.rstrip("s").split("m")
    return int(minutes) * 60 + float(seconds.replace(",", "."))


def split_report(stderr: str) -> tuple[str, ExecReport | None]:
    """Strip the wrapper's report line from the end of stderr and parse it; None when it is missing."""
    match = _REPORT.search(stderr)
    if match is None:
        return stderr, None
    rc, timed_out, start, end, mem0, pids0, mem1, pids1, _, _, child_user, child_sys = match.groups()
    # EPOCHREALTIME follows the locale's decimal separator.
    duration = float(end.replace(",", ".")) - float(start.replace(",", ".")) if start and end else None
    report = ExecReport(
        returncode=int(rc),
        timed_out=timed_out == "1",
        duration=duration,
        oom_kills=_delta(mem0, mem1),
        pids_limit_hits=_delta(pids0, pids1),
        cpu_time=_seconds(child_user) + _seconds(child_sys),
    )
    return stderr[: match.start()], report


def wrapper_argv(cmd: str, timeout: float, exec_id: str) -> list[str]:
    """The argv of one wrapped exec: bash running the wrapper with the command and its limits."""
    return ["bash", "-c", WRAPPER, "oa-exec", cmd, f"{timeout:.3f}", exec_id, REPORT_TAG]


def sweep_argv(exec_id: str) -> list[str]:
    """The argv of an exec that kills every process left over from the exec `exec_id`."""
    return ["bash", "-c", SWEEP, "oa-sweep", "", "0", exec_id]


def killed_reason(failed: bool, timed_out: bool, report: ExecReport | None, stderr: str) -> str:
    """Name the limit that stopped a failed command; the specific limit wins over the plain timeout."""
    if not failed and not timed_out:
        return ""
    if report is not None and report.oom_kills > 0:
        return "memory"
    if (report is not None and report.pids_limit_hits > 0) or FORK_REFUSED.search(stderr):
        return "pids"
    return "timeout" if timed_out else ""
