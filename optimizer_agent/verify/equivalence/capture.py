"""Record the original's behaviour: run the tests and the workload on the base tree with the tracer loaded."""

from __future__ import annotations

import hashlib
import json
import shlex
import time
from pathlib import Path

from pydantic import BaseModel, Field

from optimizer_agent.sandbox.base import Sandbox

HERE = Path(__file__).resolve().parent
WORK_DIR = ".oa_eq"
"""Folder inside a staged tree for the shipped scripts, recordings and reports (hidden from pytest)."""


class CaptureTarget(BaseModel):
    """A function to record, by repo-relative file and qualified name."""

    file: str
    qualname: str

    @property
    def key(self) -> str:
        """`file::qualname`, the name reports use."""
        return f"{self.file}::{self.qualname}"


class CaptureCommand(BaseModel):
    """One program to run under capture: the tests or the workload."""

    phase: str
    cmd: str
    timeout: float


class CaptureSettings(BaseModel):
    """Limits handed to the tracer."""

    max_calls: int
    max_items: int
    max_call_bytes: int
    max_bytes: int
    seed: int


class CaptureRun(BaseModel):
    """Where the recordings of one capture lie in the sandbox, and what happened while recording."""

    dirs: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    seconds: float = 0.0


def ship(sandbox: Sandbox, folder: str, files: dict[str, str]) -> None:
    """Write this package's standalone scripts into a sandbox folder: {name there: module file here}."""
    for dest, src in files.items():
        sandbox.write_file(f"{folder}/{dest}", (HERE / src).read_text())


def capture_key(base_id: str, targets: list[CaptureTarget], commands: list[CaptureCommand],
                settings: CaptureSettings, replay: dict | None = None) -> str:
    """A short stable name for one recording: same tree, targets, commands and limits give the same key.

    `replay` holds the replay options, which decide the original's own replay report kept with the recording.
    """
    blob = json.dumps({"base": base_id, "targets": sorted(t.key for t in targets),
                       "commands": [(c.phase, c.cmd) for c in commands], "settings": settings.model_dump(),
                       "replay": replay or {}},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def record(sandbox: Sandbox, base_dir: str, key: str, targets: list[CaptureTarget],
           commands: list[CaptureCommand], settings: CaptureSettings, host_folder: Path) -> CaptureRun:
    """Run each command on the base tree with the tracer as `sitecustomize`, then keep the recordings.

    Commands may only write to the sandbox's scratch, which is emptied between candidates; so the recordings
    are copied to `host_folder` and from there into `<base_dir>/.oa_eq/<key>/`, where every later replay can
    read them and no command can change them.
    """
    start = time.monotonic()
    site = f"{base_dir}/{WORK_DIR}/site"
    ship(sandbox, site, {"sitecustomize.py": "tracer.py", "_oa_compare.py": "compare.py",
                         "_oa_outcome.py": "outcomes.py"})
    scratch = f"{sandbox.scratch}/oa-capture-{key}"
    outs = {c.phase: f"{scratch}/{c.phase}" for c in commands}
    sandbox.execute("mkdir -p " + " ".join(shlex.quote(o) for o in outs.values()), sandbox.scratch, 60)
    run = CaptureRun()
    for command in commands:
        config = {**settings.model_dump(), "out": outs[command.phase], "root": base_dir,
                  "targets": [{"path": f"{base_dir}/{t.file}", "qualname": t.qualname, "key": t.key} for t in targets]}
        # Prepend to whatever PYTHONPATH the sandbox sets, so the staged tree still comes before site-packages.
        wrapped = f'export PYTHONPATH={shlex.quote(site)}"${{PYTHONPATH:+:$PYTHONPATH}}"\n{command.cmd}'
        result = sandbox.execute(wrapped, cwd=base_dir, timeout=command.timeout, env={"OA_CAPTURE": json.dumps(config)})
        if result.timed_out:
            run.notes.append(f"the {command.phase} under capture timed out after {command.timeout:g}s")
        elif not result.ok:
            run.notes.append(f"the {command.phase} under capture exited {result.returncode}")
        disabled = [line for line in result.stderr.splitlines() if "optimizer-agent capture disabled" in line]
        run.notes.extend(line.strip() for line in disabled[:1])
    for phase, out in outs.items():
        sandbox.copy_out(out, host_folder / phase)
    # What commands wrote, a command removes (in Docker, root may not delete the sandbox user's files).
    sandbox.execute(f"rm -rf {shlex.quote(scratch)}", sandbox.scratch, 60)
    run.dirs = place(sandbox, base_dir, key, host_folder)
    run.seconds = time.monotonic() - start
    return run


def place(sandbox: Sandbox, base_dir: str, key: str, host_folder: Path) -> list[str]:
    """Copy recordings kept on the host into the base tree; return their sandbox folders."""
    dirs = []
    for phase_dir in sorted(p for p in host_folder.iterdir() if p.is_dir()):
        dest = f"{base_dir}/{WORK_DIR}/{key}/{phase_dir.name}"
        sandbox.copy_in(phase_dir, dest)
        dirs.append(dest)
    return dirs
