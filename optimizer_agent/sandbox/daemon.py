"""Talking to the Docker daemon: connect, a fast liveness check, error translation, pruning."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator

import docker
import docker.errors
import requests.exceptions

from optimizer_agent.errors import SandboxUnavailable

LABEL = "optimizer-agent"
RUN_LABEL = "optimizer-agent.run"
OWNER_LABEL = "optimizer-agent.owner"
PING_TIMEOUT_S = 2.0
API_TIMEOUT_S = 120
PING_API_VERSION = "1.24"


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's text, for SandboxUnavailable messages."""
    text = getattr(exc, "explanation", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0]


@contextlib.contextmanager
def docker_errors(action: str) -> Iterator[None]:
    """Turn Docker and connection failures into SandboxUnavailable with a one-line message."""
    try:
        yield
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise SandboxUnavailable(f"Docker could not {action}: {_one_line(exc)}") from exc


def connect(timeout: float = API_TIMEOUT_S) -> docker.DockerClient:
    """A client for the daemon named by the environment (DOCKER_HOST or the default socket)."""
    with docker_errors("be reached"):
        client = docker.from_env(timeout=timeout)
        client.ping()
    return client


def docker_available(timeout: float = PING_TIMEOUT_S) -> bool:
    """True when a Docker daemon answers a ping within `timeout` seconds."""
    try:
        # A pinned API version skips the version handshake, so one round trip decides.
        client = docker.from_env(timeout=timeout, version=PING_API_VERSION)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (docker.errors.DockerException, requests.exceptions.RequestException):
        return False


def owner_label() -> str:
    """This process, as recorded on the containers it starts."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_alive(owner: str) -> bool:
    """True when `owner` is a live process on this host; containers from elsewhere count as dead."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_containers(client: docker.DockerClient, include_live: bool = False) -> int:
    """Remove labelled containers whose owning process is gone (all with `include_live`); return how many."""
    removed = 0
    with docker_errors("list containers"):
        containers = client.containers.list(all=True, filters={"label": LABEL})
    for container in containers:
        if not include_live and _owner_alive(container.labels.get(OWNER_LABEL, "")):
            continue
        with docker_errors(f"remove container {container.name}"), contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
            removed += 1
    return removed
