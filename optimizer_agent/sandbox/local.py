"""The `local` backend: subprocesses in scratch copies, with timeouts and rlimits."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from optimizer_agent.sandbox.base import Result
from optimizer_agent.sandbox.env import sandbox_env

MEMORY_LIMIT_BYTES = 8 * 1024**3
FILE_SIZE_LIMIT_BYTES = 2 * 1024**3
OUTPUT_CAP_BYTES = 16 * 1024**2
SCRATCH_DIR = ".oa-scratch"


def _limit_child(memory: int, file_size: int):
    """Return a preexec hook that puts the child in its own session under rlimits."""

    def apply() -> None:
        import resource

        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


class LocalSandbox:
    """Runs commands as host subprocesses; weaker isolation than Docker, chosen explicitly."""

    name = "local"

    def __init__(self, root: Path | None = None, memory_bytes: int = MEMORY_LIMIT_BYTES) -> None:
        self._owns_root = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="oa-local-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.memory_bytes = memory_bytes
        # Commands run as this user here, so staged trees are writable anyway; scratch only mirrors Docker.
        self.scratch = str(self.root / SCRATCH_DIR)
        os.makedirs(self.scratch, exist_ok=True)
        self._closed = False

    def stage(self, src: Path, name: str) -> str:
        """Copy `src` without its .git into the scratch root."""
        dest = self.root / name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__", ".optimizer-agent"))
        return str(dest)

    def write_file(self, path: str, content: str) -> None:
        """Write text inside the sandbox."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)

    def execute(self, cmd: str, cwd: str, timeout: float, env: dict[str, str] | None = None) -> Result:
        """Run `cmd` with bash in its own process group; kill the whole group on timeout."""
        full_env = sandbox_env(os.environ, cwd, python_dir=os.path.dirname(sys.executable))
        full_env.update(env or {})
        # Files, not pipes: a chatty command can never block on a full pipe while we wait for it.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                # An outer shell stands between us and the command, so `kill $PPID` cannot reach the agent.
                ["bash", "-c", 'bash -c "$1"; exit $?', "oa-local", cmd],
                cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                preexec_fn=_limit_child(self.memory_bytes, FILE_SIZE_LIMIT_BYTES),
            )
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                _kill_group(proc.pid)

            timer = threading.Timer(timeout, expire)
            timer.start()
            try:
                # wait4 gives the CPU time of the command and every child it reaped: a load-robust clock.
                _, status, usage = os.wait4(proc.pid, 0)
            except BaseException:
                # Ctrl-C or SIGTERM while waiting: the command must not outlive the agent.
                _kill_group(proc.pid)
                proc.wait()
                raise
            finally:
                timer.cancel()
            duration = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            # The shell may be gone while its children linger; never leave them behind.
            _kill_group(proc.pid)
            stdout, stderr = _read(out), _read(err)
        timed_out = expired.is_set()
        return Result(
            returncode=124 if timed_out else proc.returncode,
            stdout=stdout,
            stderr=stderr,
            duration=duration,
            cpu_time=usage.ru_utime + usage.ru_stime,
            timed_out=timed_out,
            killed_reason="timeout" if timed_out else "",
        )

    def copy_in(self, src: Path, dest: str) -> None:
        """Copy a host file or folder to a sandbox path."""
        target = Path(dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        if Path(src).is_dir():
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target)

    def copy_out(self, src: str, dest: Path) -> None:
        """Copy a sandbox file or folder to a host path."""
        self.copy_in(Path(src), str(dest))

    def remove(self, path: str) -> None:
        """Delete a file or folder inside the sandbox, if it exists."""
        target = Path(path)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)

    def clear_scratch(self) -> None:
        """Empty the scratch folder."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        os.makedirs(self.scratch, exist_ok=True)

    def cleanup(self) -> None:
        """Remove the scratch root if we made it; idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)


def _read(handle) -> str:
    """The captured text of a temp file, capped so a runaway log cannot exhaust memory."""
    handle.seek(0)
    data = handle.read(OUTPUT_CAP_BYTES + 1)
    text = data[:OUTPUT_CAP_BYTES].decode("utf-8", errors="replace")
    return text + ("\n[output truncated]" if len(data) > OUTPUT_CAP_BYTES else "")


def _kill_group(pgid: int) -> None:
    """SIGKILL a process group, ignoring one that is already gone."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
