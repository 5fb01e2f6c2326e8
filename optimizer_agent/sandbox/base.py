"""The Sandbox protocol: every backend runs commands and moves files the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import BaseModel


class Result(BaseModel):
    """What a command did. A failing command is data, never an exception."""

    returncode: int
    stdout: str = ""
    stderr: str = ""
    duration: float = 0.0
    """Wall-clock seconds, measured as close to the command as the backend can."""
    cpu_time: float | None = None
    """User plus system CPU seconds of the command and the children it waited for, when the backend knows."""
    timed_out: bool = False
    killed_reason: str = ""
    """Set when the backend stopped the command: 'timeout', 'memory', 'pids', ..."""

    @property
    def ok(self) -> bool:
        """True when the command exited 0 within its time limit."""
        return self.returncode == 0 and not self.timed_out

    def tail(self, chars: int = 2000) -> str:
        """The end of stdout and stderr together, for error messages and verdicts."""
        text = (self.stdout + "\n" + self.stderr).strip()
        return text[-chars:]


@runtime_checkable
class Sandbox(Protocol):
    """Runs untrusted commands over staged copies of a source tree."""

    name: str
    scratch: str
    """A sandbox folder every command may write to (profiles, exit codes); staged trees may be read-only."""

    def stage(self, src: Path, name: str) -> str:
        """Copy the host tree `src` (without .git) into the sandbox; return its path there."""
        ...

    def write_file(self, path: str, content: str) -> None:
        """Write text to a path inside the sandbox, creating parent folders."""
        ...

    def execute(self, cmd: str, cwd: str, timeout: float, env: dict[str, str] | None = None) -> Result:
        """Run a shell command in `cwd` (a sandbox path) and return what happened."""
        ...

    def copy_in(self, src: Path, dest: str) -> None:
        """Copy one host file or folder to a sandbox path."""
        ...

    def copy_out(self, src: str, dest: Path) -> None:
        """Copy one sandbox file or folder to a host path."""
        ...

    def remove(self, path: str) -> None:
        """Delete a sandbox file or folder (e.g. a staged tree) if it exists."""
        ...

    def clear_scratch(self) -> None:
        """Empty the scratch folder, so that nothing one candidate left there reaches the next."""
        ...

    def cleanup(self) -> None:
        """Release everything the sandbox holds; safe to call more than once."""
        ...
