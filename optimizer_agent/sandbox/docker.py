"""The `docker` backend: one locked-down container per run, each command a `docker exec` in it."""

from __future__ import annotations

import atexit
import contextlib
import os
import posixpath
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors
import requests.exceptions
from pydantic import BaseModel, Field

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox import archive, transfer, wrapper
from optimizer_agent.sandbox.base import Result
from optimizer_agent.sandbox.daemon import (
    LABEL,
    OWNER_LABEL,
    RUN_LABEL,
    connect,
    docker_available,
    docker_errors,
    owner_label,
    prune_containers,
)
from optimizer_agent.sandbox.env import CPUSET_ENV, sandbox_env
from optimizer_agent.sandbox.images import ImageConfig, ensure_image
from optimizer_agent.sandbox.streams import Drain

__all__ = ["DockerConfig", "DockerSandbox", "docker_available", "open_docker_sandbox", "prune_containers"]

# The in-container watchdog fires at the limit; the host steps in only if it did not.
HOST_GRACE_S = 5.0
SWEEP_GRACE_S = 5.0
TIMEOUT_RETURNCODE = 124
# PID 1 of the container. As PID 1 it cannot be signalled from inside (so `kill -9 -1` in a
# command leaves the container up, which docker-init's child would not survive) and, being bash,
# it reaps the orphans that the wrapper's kills leave behind, so zombies never eat the pids limit.
KEEPER = "trap '' TERM INT HUP; while :; do sleep 86400 & wait $!; done"
# py-spy reads the profiled interpreter's memory; nothing else we run needs a capability.
DEFAULT_CAPS = ("SYS_PTRACE",)
# Debian's `nobody`: owns no staged tree (they belong to root), so commands can read them but never
# change them, and a candidate cannot rewrite the tests or the base tree that judge it.
SANDBOX_USER = "65534:65534"
SCRATCH = "/tmp"
# Every folder the image leaves world-writable gets a small tmpfs, charged to the memory limit,
# so the sandbox user has no way to fill the host's disk.
EXTRA_TMPFS = {"/var/tmp": "64m", "/run/lock": "1m"}


class DockerConfig(BaseModel):
    """How the run's container is started and limited."""

    image: str
    """The sandbox image, usually from `images.ensure_image`."""
    run_id: str
    """Labels the container so that a later `prune` can find it."""
    repo: Path | None = None
    """Host path of the original repo, mounted read-only at `repo_mount`."""
    repo_mount: str = "/repo"
    """Where the original repo appears inside the container."""
    workdir: str = "/work"
    """Writable container-local folder that holds staged trees."""
    memory: str = "2g"
    """Memory limit; swap is limited to the same figure, so there is no swap."""
    pids_limit: int = 256
    """Most processes and threads alive at once; stops fork bombs."""
    cpuset: str | None = Field(default_factory=lambda: os.environ.get(CPUSET_ENV))
    """CPUs to pin to, e.g. "1"; None pins to the daemon's last CPU, "" does not pin. Defaults to $OA_SANDBOX_CPUSET."""
    tmp_size: str = "512m"
    """Size limit of the tmpfs mounted at /tmp, the commands' scratch."""
    user: str = SANDBOX_USER
    """uid:gid that commands run as; housekeeping (staging, copies, sweeps) runs as root."""
    cap_add: list[str] = Field(default_factory=lambda: list(DEFAULT_CAPS))
    """Capabilities kept after dropping all; py-spy needs SYS_PTRACE."""


class DockerSandbox:
    """Runs commands in one locked-down container; the host tree is only ever read."""

    name = "docker"
    scratch = SCRATCH

    def __init__(self, config: DockerConfig, client: docker.DockerClient | None = None) -> None:
        self.config = config
        self.client = client or connect()
        self._closed = False
        self._container = self._start()
        atexit.register(self.cleanup)
        self._files = transfer.ContainerFiles(self._container, config.workdir)
        self._check_bash()
        # Commands see the image's environment, never this process's.
        self._base_env = dict(e.split("=", 1) for e in self._container.attrs["Config"]["Env"] or [])

    def _start(self):
        """Create and start the run's container with every limit applied; never pulls."""
        cfg = self.config
        with docker_errors(f"find the sandbox image {cfg.image!r}"):
            try:
                self.client.images.get(cfg.image)
            except docker.errors.ImageNotFound:
                raise SandboxUnavailable(f"sandbox image {cfg.image!r} is missing; build it first") from None
            cpuset = cfg.cpuset
            if cpuset is None:
                cpuset = str(self.client.info()["NCPU"] - 1)
        volumes = {}
        if cfg.repo is not None:
            volumes[str(Path(cfg.repo).resolve())] = {"bind": cfg.repo_mount, "mode": "ro"}
        safe_run = re.sub(r"[^A-Za-z0-9_.-]", "-", cfg.run_id)
        with docker_errors(f"start a sandbox from image {cfg.image!r}"):
            container = self.client.containers.create(
                cfg.image,
                ["bash", "-c", KEEPER],
                name=f"optimizer-agent-{safe_run}-{uuid.uuid4().hex[:8]}",
                labels={LABEL: "1", RUN_LABEL: cfg.run_id, OWNER_LABEL: owner_label()},
                network_mode="none",
                cap_drop=["ALL"],
                cap_add=list(cfg.cap_add),
                security_opt=["no-new-privileges"],
                mem_limit=cfg.memory,
                memswap_limit=cfg.memory,
                pids_limit=cfg.pids_limit,
                cpuset_cpus=cpuset or None,
                volumes=volumes,
                tmpfs={SCRATCH: f"rw,nosuid,nodev,size={cfg.tmp_size},mode=1777",
                       **{path: f"rw,nosuid,nodev,noexec,size={size},mode=1777" for path, size in EXTRA_TMPFS.items()}},
                working_dir=cfg.workdir,
            )
            try:
                container.start()
                container.reload()
            except BaseException:
                with contextlib.suppress(docker.errors.DockerException):
                    container.remove(force=True)
                raise
        return container

    def _check_bash(self) -> None:
        """Fail at start, not on the first command, when the image's bash cannot run the wrapper."""
        with docker_errors("check the sandbox image's bash"):
            code, _ = self._container.exec_run(["bash", "-c", wrapper.BASH_CHECK])
        if code != 0:
            self.cleanup()
            raise SandboxUnavailable(f"sandbox image {self.config.image!r} needs bash {wrapper.MIN_BASH} or newer")

    @property
    def container_id(self) -> str:
        """The Docker id of the run's container."""
        return self._container.id

    def __enter__(self) -> DockerSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def stage(self, src: Path, name: str) -> str:
        """Copy `src` without .git into `<workdir>/<name>`, replacing an earlier copy."""
        if not name or "/" in name or name in (".", ".."):
            raise ValueError(f"stage name must be a plain folder name, got {name!r}")
        dest = posixpath.join(self.config.workdir, name)
        with docker_errors(f"stage {src} into the sandbox"):
            self._files.run(["rm", "-rf", "--", dest])
            self._files.put(dest, transfer.pack_tree(Path(src)))
        return dest

    def write_file(self, path: str, content: str) -> None:
        """Write text at a container path, creating parent folders."""
        with docker_errors(f"write {path} in the sandbox"):
            self._files.put(path, transfer.pack_text(content))

    def copy_in(self, src: Path, dest: str) -> None:
        """Copy a host file or folder to the container path `dest`."""
        with docker_errors(f"copy {src} into the sandbox"):
            self._files.put(dest, transfer.pack_path(Path(src)))

    def copy_out(self, src: str, dest: Path) -> None:
        """Copy the container file or folder `src` to the host path `dest`."""
        with docker_errors(f"copy {src} out of the sandbox"):
            archive.extract_stream(self._files.get_chunks(src), Path(dest))

    def execute(self, cmd: str, cwd: str, timeout: float, env: dict[str, str] | None = None) -> Result:
        """Run `cmd` with bash in `cwd`; its whole process group is killed at `timeout` seconds."""
        exec_id = uuid.uuid4().hex
        full_env = sandbox_env(self._base_env, cwd)
        # `nobody`'s home does not exist; tools that keep caches there get the scratch instead.
        full_env["HOME"] = SCRATCH
        full_env.update(env or {})
        full_env[wrapper.MARKER_VAR] = exec_id
        api = self.client.api
        with docker_errors("run a command in the sandbox"):
            handle = api.exec_create(
                self._container.id, wrapper.wrapper_argv(cmd, timeout, exec_id), environment=full_env, workdir=cwd,
                user=self.config.user,
            )["Id"]
            drain = Drain(api.exec_start(handle, stream=True, demux=True))
        started = time.perf_counter()
        reader = threading.Thread(target=drain.run, name="oa-docker-exec", daemon=True)
        reader.start()
        reader.join(timeout + HOST_GRACE_S)
        host_timed_out = reader.is_alive()
        if host_timed_out:
            self._reap(exec_id, drain, reader)
        wall = time.perf_counter() - started
        with contextlib.suppress(Exception):
            drain.stream.close()
        if drain.error is not None and not host_timed_out:
            raise SandboxUnavailable(f"Docker dropped a running command's output: {drain.error}")
        with docker_errors("inspect a finished command"):
            exit_code = api.exec_inspect(handle).get("ExitCode")
        stderr, report = wrapper.split_report(drain.err.decode(errors="replace"))
        if report is not None and report.returncode != exit_code:
            # Only the wrapper's own last line matches the exec's exit status; anything else is forged.
            report = None
        if report is None and not host_timed_out:
            # The wrapper died before reporting (e.g. `kill -9 $PPID`); its children may linger.
            self._sweep(exec_id)
        if drain.dropped:
            stderr += f"\n[optimizer-agent: {drain.dropped} bytes of output dropped]"
        timed_out = host_timed_out or (report is not None and report.timed_out)
        returncode = TIMEOUT_RETURNCODE if timed_out else (report.returncode if report else exit_code)
        if returncode is None:
            returncode = -1
        return Result(
            returncode=returncode,
            stdout=drain.out.decode(errors="replace"),
            stderr=stderr,
            duration=report.duration if report and report.duration is not None else wall,
            cpu_time=report.cpu_time if report else None,
            timed_out=timed_out,
            killed_reason=wrapper.killed_reason(returncode != 0, timed_out, report, stderr)
            or ("" if report is not None or timed_out else wrapper.WRAPPER_KILLED),
        )

    def remove(self, path: str) -> None:
        """Delete a container file or folder as root (commands cannot: staged trees are not theirs)."""
        with docker_errors(f"remove {path} in the sandbox"):
            self._files.run(["rm", "-rf", "--", path])

    def clear_scratch(self) -> None:
        """Empty every folder commands can write to, best effort: the sandbox user's files first (it may
        make its own folders unreadable, so it opens them up again), then the few that root put there."""
        folders = [SCRATCH, *EXTRA_TMPFS, *transfer.IMPLICIT_TMPFS]
        user_pass = 'for d in "$@"; do chmod -R u+rwX -- "$d"/* "$d"/.[!.]* 2>/dev/null; done; ' \
                    'find "$@" -mindepth 1 -delete 2>/dev/null; exit 0'
        with docker_errors("clear the sandbox's scratch"):
            self._container.exec_run(["bash", "-c", user_pass, "oa-clear", *folders], user=self.config.user)
            self._container.exec_run(["find", *folders, "-mindepth", "1", "-delete"])

    def _reap(self, exec_id: str, drain: Drain, reader: threading.Thread) -> None:
        """The watchdog did not finish the command: sweep from outside, and restart the container last."""
        self._sweep(exec_id)
        reader.join(SWEEP_GRACE_S)
        if reader.is_alive():
            with docker_errors("restart a wedged sandbox"):
                self._container.restart(timeout=0)
            with contextlib.suppress(Exception):
                drain.stream.close()
            reader.join(SWEEP_GRACE_S)

    def _sweep(self, exec_id: str) -> None:
        """Kill every process still carrying the marker of `exec_id`; best effort."""
        with contextlib.suppress(docker.errors.DockerException, requests.exceptions.RequestException):
            # As the commands' own user: root without CAP_KILL may not signal another user's processes.
            self._container.exec_run(wrapper.sweep_argv(exec_id), user=self.config.user)

    def cleanup(self) -> None:
        """Remove the container; safe to call more than once and at interpreter exit."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.cleanup)
        with docker_errors("remove the sandbox container"), contextlib.suppress(docker.errors.NotFound):
            self._container.remove(force=True)


def open_docker_sandbox(
    run_id: str,
    repo_root: Path,
    warn: Callable[[str], None],
    image_config: ImageConfig | None = None,
    client: docker.DockerClient | None = None,
) -> DockerSandbox:
    """Build or reuse the repo's image, pass on its warnings, and start the run's container."""
    client = client or connect()
    image = ensure_image(client, Path(repo_root), image_config or ImageConfig())
    for message in image.warnings:
        warn(message)
    return DockerSandbox(DockerConfig(image=image.tag, run_id=run_id, repo=Path(repo_root)), client=client)
