"""Behaviour equivalence: record the original once per tree and targets, replay it on each candidate, summarize.

The recording and the original's own replay are cached in this process and, when a folder is given, on the
host (the run folder), so a resumed run does not record again. Nothing recorded is ever unpickled here:
recordings are only read inside the sandbox; the host reads JSON reports.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from optimizer_agent.sandbox.base import Sandbox
from optimizer_agent.verify.critic import (
    MAX_CALL_BYTES,
    MAX_CAPTURE_BYTES,
    MAX_CAPTURE_CALLS,
    MAX_ITER_ITEMS,
    MAX_REPLAY_CALLS,
    MISMATCHES_KEPT,
    REPLAY_MIN_TIMEOUT_S,
    REPLAY_SEED,
    REPLAY_SLOWDOWN_MAX,
)
from optimizer_agent.verify.equivalence.capture import (
    CaptureCommand,
    CaptureSettings,
    CaptureTarget,
    capture_key,
    place,
    record,
)
from optimizer_agent.verify.equivalence.replay import ReplayOptions, replay
from optimizer_agent.verify.figures import EquivalenceResult

SELF_REPORT = "self.json"
DATA = "data"


class Baseline(BaseModel):
    """The original's recording in the sandbox and its own replay report."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    sandbox: Sandbox
    dirs: list[str]
    report: dict | None
    error: str | None = None
    notes: list[str] = []
    seconds: float = 0.0
    cached: bool = False


class EquivalenceJob(BaseModel):
    """Everything one equivalence check needs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    sandbox: Sandbox
    base_dir: str
    cand_dir: str
    base_id: str
    """Identifies the base tree's content (a commit sha), for the cache key."""
    targets: list[CaptureTarget]
    commands: list[CaptureCommand]
    options: ReplayOptions
    python: str = "python"
    replay_timeout: float = REPLAY_MIN_TIMEOUT_S


def default_settings() -> CaptureSettings:
    """The tracer's limits from the critic's constants."""
    return CaptureSettings(max_calls=MAX_CAPTURE_CALLS, max_items=MAX_ITER_ITEMS, max_call_bytes=MAX_CALL_BYTES, max_bytes=MAX_CAPTURE_BYTES,
                           seed=REPLAY_SEED)


def default_options(rel_tol: float, abs_tol: float, dict_order: bool, result_judge: str | None = None) -> ReplayOptions:
    """The replayer's options from the critic's constants and the request's tolerances and judge."""
    return ReplayOptions(rel_tol=rel_tol, abs_tol=abs_tol, dict_order=dict_order, max_calls=MAX_REPLAY_CALLS,
                         seed=REPLAY_SEED, max_mismatches=MISMATCHES_KEPT, result_judge=result_judge)


class CaptureCache:
    """Recordings by key: in this process, and in `host_dir` (if given) across processes."""

    def __init__(self) -> None:
        self._baselines: dict[str, Baseline] = {}

    def baseline(self, job: EquivalenceJob, host_dir: Path | None) -> tuple[str, Baseline]:
        """The recording for this job's tree and targets, recording and self-replaying it on first use."""
        settings = default_settings()
        key = capture_key(job.base_id, job.targets, job.commands, settings, job.options.model_dump())
        known = self._baselines.get(key)
        if known is not None and known.sandbox is job.sandbox:
            return key, known.model_copy(update={"cached": True})
        known = _restore(job, key, host_dir) if host_dir else None
        if known is None:
            known = _record_baseline(job, key, settings, host_dir)
        self._baselines[key] = known
        return key, known


def check_equivalence(job: EquivalenceJob, cache: CaptureCache, host_dir: Path | None = None) -> EquivalenceResult:
    """Replay the original's recorded calls on the candidate and summarize what matched."""
    _, base = cache.baseline(job, host_dir)
    result = EquivalenceResult(targets=[t.key for t in job.targets], cached=base.cached,
                               capture_seconds=0.0 if base.cached else base.seconds)
    if base.error or base.report is None:
        result.error, result.error_side = base.error or "no report from the original's replay", "base"
        return result
    stats = base.report["targets"]
    stable = [i for s in stats.values() for i in s["stable"]]
    fresh = [i for s in stats.values() for i in s["fresh"]]
    repeat = [i for s in stats.values() for i in s["repeatable"]]
    _fill_from_base(result, stats)
    if not stable:
        return result
    base_seconds = sum(s["seconds"] for s in stats.values())
    timeout = max(job.replay_timeout, REPLAY_MIN_TIMEOUT_S + REPLAY_SLOWDOWN_MAX * base_seconds)
    run = replay(job.sandbox, job.cand_dir, base.dirs, "compare", job.options, timeout, job.python, stable, fresh,
                 repeat)
    result.replay_seconds = run.seconds
    if run.error:
        result.error, result.error_side = run.error, "candidate"
    report = run.report or {"targets": {}, "mismatches": []}
    for key, cand in report.get("targets", {}).items():
        result.calls_compared += cand.get("compared", 0)
        result.calls_matched += cand.get("matched", 0)
        for why, count in cand.get("skipped", {}).items():
            label = f"on the candidate: {why}"
            result.skipped[label] = result.skipped.get(label, 0) + count
            result.calls_skipped += count
    mismatches = report.get("mismatches", [])
    result.mismatches = len(mismatches)
    if mismatches:
        first = mismatches[0]
        when = f" ({first['when']})" if first.get("when") else ""
        result.mismatch = f"{first['target']}({first['args']}){when}: {first['diff']}"
    return result


def _fill_from_base(result: EquivalenceResult, stats: dict) -> None:
    """Recorded, unstable, mutating and skipped counts from the original's own replay."""
    for target in stats.values():
        result.calls_recorded += target["recorded"]
        result.calls_unstable += len(target["unstable"])
        result.calls_unrepeatable += len(target["unrepeatable"])
        result.mutating_calls += len(target["mutating"])
        result.repr_fallbacks += target.get("repr_fallbacks", 0)
        for why, count in target["skipped"].items():
            result.skipped[why] = result.skipped.get(why, 0) + count
            result.calls_skipped += count
    stable = sum(len(t["stable"]) for t in stats.values())
    result.pure = stable > 0 and not (result.calls_unstable or result.calls_unrepeatable or result.mutating_calls)


def _record_baseline(job: EquivalenceJob, key: str, settings: CaptureSettings, host_dir: Path | None) -> Baseline:
    folder = host_dir / key / DATA if host_dir else Path(tempfile.mkdtemp(prefix="oa-capture-"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        run = record(job.sandbox, job.base_dir, key, job.targets, job.commands, settings, folder)
    finally:
        if host_dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    total = sum(c.timeout for c in job.commands)
    check = replay(job.sandbox, job.base_dir, run.dirs, "self", job.options, total, job.python)
    baseline = Baseline(sandbox=job.sandbox, dirs=run.dirs, report=check.report, notes=run.notes,
                        seconds=run.seconds + check.seconds)
    if check.error:
        baseline.error = f"{check.error}; {'; '.join(run.notes)}" if run.notes else check.error
    elif host_dir is not None:
        (host_dir / key / SELF_REPORT).write_text(json.dumps({"report": baseline.report, "notes": baseline.notes,
                                                              "seconds": baseline.seconds}))
    return baseline


def _restore(job: EquivalenceJob, key: str, host_dir: Path) -> Baseline | None:
    """A recording stored by an earlier process, copied back into this sandbox's base tree."""
    stored = host_dir / key / SELF_REPORT
    if not stored.is_file() or not (host_dir / key / DATA).is_dir():
        return None
    saved = json.loads(stored.read_text())
    dirs = place(job.sandbox, job.base_dir, key, host_dir / key / DATA)
    return Baseline(sandbox=job.sandbox, dirs=dirs, report=saved["report"], notes=saved["notes"],
                    seconds=saved["seconds"], cached=True)
