"""Checking on processes a test started: alive (not a zombie), and gone within a grace period."""

from __future__ import annotations

import time

GONE_WITHIN_S = 5.0
"""A killed process is usually gone in milliseconds; on a loaded CI machine it may wait to be scheduled."""


def alive(pid: int) -> bool:
    """True when `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def gone_soon(pid: int, within: float = GONE_WITHIN_S) -> bool:
    """True once `pid` is dead or a zombie, polling for up to `within` seconds."""
    deadline = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
