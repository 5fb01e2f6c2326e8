"""Run the replayer in a staged tree and read back its JSON report."""

from __future__ import annotations

import json
import shlex
import time
import uuid

from pydantic import BaseModel

from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.verify.critic import OUTPUT_TAIL_CHARS
from optimizer_agent.verify.equivalence.capture import WORK_DIR, ship


class ReplayOptions(BaseModel):
    """How the replayer compares and how much it replays."""

    rel_tol: float
    abs_tol: float
    dict_order: bool
    max_calls: int
    seed: int
    max_mismatches: int
    result_judge: str | None = None
    """`module:function` the replayer asks about a returned result that differs (see Settings.result_judge)."""


class ReplayRun(BaseModel):
    """The replayer's report, or why there is none."""

    report: dict | None = None
    error: str | None = None
    seconds: float = 0.0


def replay(sandbox: Sandbox, tree: str, capture_dirs: list[str], mode: str, options: ReplayOptions,
           timeout: float, python: str = "python", calls: list[str] | None = None,
           fresh: list[str] | None = None, repeat: list[str] | None = None) -> ReplayRun:
    """Replay the recordings in `tree` (`self`: the original checks its own recording; `compare`: a candidate)."""
    start = time.monotonic()
    folder = f"{tree}/{WORK_DIR}/replay"
    ship(sandbox, folder, {"_oa_replay.py": "replayer.py", "_oa_compare.py": "compare.py",
                           "_oa_outcome.py": "outcomes.py"})
    # Commands may write only to the scratch; the report goes there and is removed once read.
    out = f"{sandbox.scratch}/oa-replay-{mode}-{uuid.uuid4().hex[:12]}.json"
    config = {**options.model_dump(), "mode": mode, "capture_dirs": capture_dirs, "out": out, "calls": calls,
              "fresh_results": fresh or [], "repeat": repeat or []}
    config_path = f"{folder}/{mode}.json"
    sandbox.write_file(config_path, json.dumps(config))
    cmd = f"{python} {shlex.quote(folder + '/_oa_replay.py')} {shlex.quote(config_path)}"
    result = sandbox.execute(cmd, cwd=tree, timeout=timeout)
    run = ReplayRun(seconds=time.monotonic() - start)
    if result.timed_out:
        run.error = f"the replay timed out after {timeout:g}s"
        return run
    shown = sandbox.execute(f"cat {shlex.quote(out)} && rm -f {shlex.quote(out)}", cwd=tree, timeout=60)
    try:
        report = json.loads(shown.stdout) if shown.ok else None
    except ValueError:
        report = None
    if not isinstance(report, dict):
        run.error = f"the replay ended without a report (exit {result.returncode}): {result.tail(OUTPUT_TAIL_CHARS // 4)}"
        return run
    run.report = report
    if not report.get("ok"):
        run.error = f"the replay failed: {report.get('error')}"
    return run
