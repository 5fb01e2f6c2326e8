"""Talking to the daemon: a fast no when it is down, one-line errors, who owns a container."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox.daemon import PING_TIMEOUT_S, _owner_alive, connect, docker_available, owner_label

DEAD_SOCKET = "unix:///nonexistent/optimizer-agent-test.sock"


def test_down_daemon_answers_fast(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", DEAD_SOCKET)
    started = time.monotonic()
    assert docker_available() is False
    assert time.monotonic() - started <= PING_TIMEOUT_S


def test_down_daemon_is_sandbox_unavailable_in_one_line(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", DEAD_SOCKET)
    with pytest.raises(SandboxUnavailable) as caught:
        connect()
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("Docker could not be reached")


def test_owner_alive_tracks_this_host_processes():
    assert _owner_alive(owner_label())
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not _owner_alive(f"{socket.gethostname()}:{finished.stdout.strip()}")
    assert not _owner_alive(f"another-host:{os.getpid()}")
    assert not _owner_alive("garbage")
