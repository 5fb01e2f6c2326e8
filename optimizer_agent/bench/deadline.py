"""Stopping a worker cleanly: a per-problem time budget, a stop request, and no orphaned sandbox commands."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class BudgetExceeded(BaseException):
    """The problem's time budget ran out; a BaseException so no `except Exception` in the graph swallows it."""


class WorkerStopped(BaseException):
    """The batch runner asked this worker to stop (SIGTERM), or went away."""


STOP_MESSAGE = "stopped by the batch runner"
_stop_requested = threading.Event()
_budget_spent: list[str] = []
"""The message of the running budget once it has fired; emptied when its block is left (budgets do not nest)."""


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded in the main thread once `seconds` have passed inside the block."""
    message = f"time budget of {seconds:.0f}s spent"

    def fire(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0)
        _budget_spent.append(message)
        raise BudgetExceeded(message)

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _budget_spent.clear()


def stop_on_sigterm() -> None:
    """Turn SIGTERM into WorkerStopped, so `finally` blocks (sandbox cleanup) still run."""
    _stop_requested.clear()

    def stop(signum, frame):
        _stop_requested.set()
        raise WorkerStopped(STOP_MESSAGE)

    signal.signal(signal.SIGTERM, stop)


def checkpoint() -> None:
    """Raise WorkerStopped if a stop request has arrived, or BudgetExceeded if the running budget is spent.

    A handler's exception that lands inside a `__del__` or a weakref callback is printed and dropped by the
    interpreter, so both signals are also remembered and checked again at the worker's own checkpoints.
    """
    if _stop_requested.is_set():
        raise WorkerStopped(STOP_MESSAGE)
    if _budget_spent:
        raise BudgetExceeded(_budget_spent[-1])


def watch_parent(poll_s: float) -> threading.Thread:
    """A daemon thread that stops this process (SIGTERM to itself) when the process that started it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while not threading.Event().wait(poll_s):
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread


def _parent_of(pid: str) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; the fields after the last ')' do not.
    fields = stat.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else None


def kill_child_groups() -> int:
    """SIGKILL the process group of every direct child (local-sandbox commands run in their own session)."""
    me = os.getpid()
    killed = 0
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    for entry in proc.iterdir():
        if not entry.name.isdigit() or _parent_of(entry.name) != me:
            continue
        pid = int(entry.name)
        try:
            os.killpg(pid, signal.SIGKILL) if os.getpgid(pid) == pid else os.kill(pid, signal.SIGKILL)
            killed += 1
        except (ProcessLookupError, PermissionError):
            pass
    return killed
