"""Record a tiny project's calls with the real tracer in a local sandbox, and read the recording back."""

from __future__ import annotations

import pickle
import textwrap
from dataclasses import dataclass, field

import pytest

from optimizer_agent.verify.equivalence.capture import CaptureCommand, CaptureSettings, CaptureTarget, record
from optimizer_agent.verify.equivalence.check import default_options
from optimizer_agent.verify.equivalence.replay import ReplayRun, replay

SETTINGS = CaptureSettings(max_calls=40, max_items=100, max_call_bytes=1024**2, max_bytes=16 * 1024**2, seed=7)


@dataclass
class Recording:
    """What one capture left: the sandbox folders, and (unpickled here, in a test only) the records."""

    sandbox: object
    base_dir: str
    dirs: list[str]
    notes: list[str]
    records: list[dict] = field(default_factory=list)
    skips: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)

    def calls(self, qualname: str) -> list[dict]:
        """Call records of one target."""
        return [r for r in self.records if r["qualname"] == qualname]

    def args(self, record: dict):
        """The (args, kwargs) a record holds from before the call."""
        return pickle.loads(record["pre"])

    def replay(self, tree: str, mode: str = "self", **kwargs) -> ReplayRun:
        """Run the real replayer over this recording in `tree`."""
        options = default_options(1e-9, 1e-12, True).model_copy(update=kwargs.pop("options", {}))
        return replay(self.sandbox, tree, self.dirs, mode, options, 120, kwargs.pop("python", "python"), **kwargs)


@pytest.fixture
def capture(tmp_path, sandbox):
    """capture(files, [(file, qualname)], script) -> Recording of running `script` on the project."""

    def run(files: dict[str, str], targets: list[tuple[str, str]], script: str, python: str = "python",
            settings: CaptureSettings = SETTINGS, name: str = "base") -> Recording:
        root = tmp_path / f"src-{name}"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(textwrap.dedent(text))
        (root / "run_me.py").write_text(textwrap.dedent(script))
        base_dir = sandbox.stage(root, name)
        host = tmp_path / f"host-{name}"
        host.mkdir()
        wanted = [CaptureTarget(file=f, qualname=q) for f, q in targets]
        run_ = record(sandbox, base_dir, "k", wanted, [CaptureCommand(phase="bench", cmd=f"{python} run_me.py",
                                                                      timeout=60)], settings, host)
        rec = Recording(sandbox=sandbox, base_dir=base_dir, dirs=run_.dirs, notes=run_.notes)
        for path in sorted(host.rglob("calls-*.pkl")):
            with path.open("rb") as handle:
                while True:
                    try:
                        item = pickle.load(handle)
                    except EOFError:
                        break
                    if item.get("header"):
                        rec.headers.append(item)
                    elif item.get("skipped"):
                        rec.skips.append(item)
                    else:
                        rec.records.append(item)
        return rec

    return run


@pytest.fixture
def stage_variant(tmp_path, sandbox):
    """stage_variant(files, name) -> a staged tree holding `files` (a candidate's version of the project)."""

    def stage(files: dict[str, str], name: str) -> str:
        root = tmp_path / f"src-{name}"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(textwrap.dedent(text))
        return sandbox.stage(root, name)

    return stage
