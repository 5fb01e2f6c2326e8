"""Replay recorded calls on the tree in the current directory and write a JSON report; runs in the sandbox.

`python _oa_replay.py CONFIG.json`. In `self` mode the original tree replays its own recording: calls whose
replay differs from the recording are unstable (they read the clock, the environment or hidden state) and
are left out later; the original is then replayed a second time to learn which calls repeat faithfully
and which return the same mutable object again. The report also says which calls mutate their arguments. In `compare` mode the candidate tree replays the stable calls, then once more those the original itself
repeats faithfully (a second pass catches state leaking from one call into the next); every outcome is
compared with the recording.
Standard library only (plus `_oa_compare` and `_oa_outcome` next to this file); Python 3.10-3.13.
"""

import glob
import importlib
import inspect
import json
import os
import pickle
import random
import sys
import time

from _oa_compare import Tolerance, deep_repr, short
from _oa_outcome import Unreplayable, is_mutable, judged, load_judge, loaded, outcome_difference, same

_MISSING = object()


class CandidateBroken(Exception):
    """The function under test cannot even be found or imported: a failed comparison, not a skipped call."""


def load_records(capture_dirs):
    """(headers, call records, skip records) from every calls-*.pkl file, in a stable order."""
    headers, calls, skips = [], [], []
    for folder in capture_dirs:
        for path in sorted(glob.glob(os.path.join(folder, "calls-*.pkl"))):
            with open(path, "rb") as handle:
                index = 0
                while True:
                    try:
                        record = pickle.load(handle)
                    except EOFError:
                        break
                    except Exception:  # noqa: BLE001 - a process killed mid-write leaves a torn last record
                        break
                    if record.get("header"):
                        headers.append(record)
                    elif record.get("skipped"):
                        skips.append(record)
                    else:
                        record["id"] = f"{os.path.basename(folder)}/{os.path.basename(path)}#{index}"
                        calls.append(record)
                    index += 1
    return headers, calls, skips


def extend_sys_path(headers, root):
    """Put the recorded in-tree sys.path entries (e.g. pytest's rootdir) into this tree's sys.path."""
    for header in headers:
        for rel in header.get("sys_path", ()):
            full = os.path.normpath(os.path.join(root, rel))
            if full not in sys.path:
                sys.path.append(full)


def resolve(record):
    """The callable to replay for a record, looked up afresh in this tree's module."""
    if record["module"] == "__main__":
        raise Unreplayable("recorded in a script run as __main__")
    try:
        owner = importlib.import_module(record["module"])
    except BaseException as exc:  # noqa: BLE001 - any import failure of the tree under test is its failure
        raise CandidateBroken(f"cannot import {record['module']}: {type(exc).__name__}: {exc}") from None
    parts = record["qualname"].split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part, _MISSING)
        if owner is _MISSING:
            raise CandidateBroken(f"{record['module']}.{record['qualname']} no longer exists")
    try:
        raw = inspect.getattr_static(owner, parts[-1])
    except AttributeError:
        raise CandidateBroken(f"{record['module']}.{record['qualname']} no longer exists") from None
    # Recorded arguments already hold `self` or `cls`, so every kind is called through its plain function.
    if isinstance(raw, (staticmethod, classmethod)):
        return raw.__func__
    if isinstance(raw, property):
        return raw.fget
    return raw


def seed(value):
    """Seed `random`, and numpy's global generator when numpy is loaded, as the tracer did."""
    random.seed(value)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        try:
            numpy.random.seed(value)
        except Exception:  # noqa: BLE001
            pass


def run_call(record, fn, tol, seed_value, judge=None):
    """Replay one call; return (first difference or None, the live result, seconds)."""
    args, kwargs = loaded(record["pre"], "arguments")
    seed(seed_value)
    start = time.perf_counter()
    raised = None
    result = None
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - SystemExit from the code under test is an outcome too
        raised = exc
    problem = outcome_difference(record, result, raised, tol)
    if problem and raised is None:
        problem = judged(judge, record, result, problem)
    seconds = time.perf_counter() - start
    if problem is None:
        problem = same(record.get("post"), record.get("post_repr"), (args, kwargs), tol, "arguments after the call")
    return problem, result, seconds


class Replay:
    """One replay session over the recorded calls, in self or compare mode."""

    def __init__(self, config):
        self.config = config
        self.tol = Tolerance(config["rel_tol"], config["abs_tol"], config.get("dict_order", True))
        self.targets = {}
        self.mismatches = []
        # Loaded first, so nothing the code under test does at import time can swap it.
        self.judge = load_judge(config.get("result_judge"))

    def target(self, key):
        """The report's counters for one target, created on first use."""
        return self.targets.setdefault(key, {"recorded": 0, "replayed": 0, "compared": 0, "matched": 0,
                                             "skipped": {}, "repr_fallbacks": 0, "stable": [], "unstable": [],
                                             "mutating": [], "aliasing": [], "fresh": [],
                                             "repeatable": [], "unrepeatable": [], "seconds": 0.0})

    def skip(self, key, reason, count=1):
        """Count calls that could not be replayed, by reason."""
        counts = self.target(key)["skipped"]
        counts[reason] = counts.get(reason, 0) + count

    def mismatch(self, record, problem, when=""):
        """Keep one difference, with the call's arguments for the reader."""
        self.mismatches.append({"target": record["target"], "call": record["id"], "diff": problem,
                                "when": when, "args": self.args_text(record)})

    def args_text(self, record):
        """The call's arguments as a short deep repr."""
        try:
            args, kwargs = pickle.loads(record["pre"])
        except BaseException:  # noqa: BLE001
            return "?"
        parts = [deep_repr(a) for a in args] + [f"{k}={deep_repr(v)}" for k, v in kwargs.items()]
        text = ", ".join(parts)
        return text if len(text) <= 160 else text[:157] + "..."

    def run(self, calls, skips):
        """Choose the calls to replay (at most `max_calls` per target) and replay them in this mode."""
        if self.config["mode"] == "self":
            for skipped in skips:
                self.skip(skipped["target"], skipped["reason"], skipped.get("count", 1))
        wanted = self.config.get("calls")
        chosen, per_target = [], {}
        for record in calls:
            stats = self.target(record["target"])
            stats["recorded"] += 1
            stats["repr_fallbacks"] += record.get("repr_fallbacks", 0)
            if wanted is not None and record["id"] not in wanted:
                continue
            if per_target.get(record["target"], 0) >= self.config["max_calls"]:
                continue
            per_target[record["target"]] = per_target.get(record["target"], 0) + 1
            chosen.append(record)
        # Smallest calls first, so the first difference reported is the easiest one to read.
        chosen.sort(key=lambda r: len(r["pre"]))
        if self.config["mode"] == "self":
            self.self_check(chosen)
        else:
            self.compare_twice(chosen)

    def self_check(self, calls):
        """Replay the original twice: once against the recording, then again to see whether calls repeat."""
        first = {}
        for record in calls:
            stats = self.target(record["target"])
            try:
                fn = resolve(record)
                problem, result, seconds = run_call(record, fn, self.tol, self.config["seed"], self.judge)
                stats["replayed"] += 1
                stats["seconds"] += seconds
                if problem:
                    stats["unstable"].append(record["id"])
                    continue
                stats["stable"].append(record["id"])
                first[record["id"]] = result
                args, kwargs = loaded(record["pre"], "arguments")
                if same(record.get("post"), record.get("post_repr"), (args, kwargs), self.tol, "arguments"):
                    stats["mutating"].append(record["id"])
            except Unreplayable as exc:
                self.skip(record["target"], str(exc))
        for record in calls:
            if record["id"] not in first:
                continue
            stats = self.target(record["target"])
            problem, result, seconds = run_call(record, resolve(record), self.tol, self.config["seed"], self.judge)
            stats["seconds"] += seconds
            # A call that differs when repeated depends on state an earlier call left behind.
            stats["repeatable" if problem is None else "unrepeatable"].append(record["id"])
            if problem is None and is_mutable(result):
                stats["aliasing" if result is first[record["id"]] else "fresh"].append(record["id"])

    def compare_twice(self, calls):
        """Compare every call, then repeat the ones the original repeats faithfully."""
        first = {}
        repeat = set(self.config.get("repeat") or ())
        for when in ("", "on a second call with the same arguments"):
            for record in calls:
                if when and record["id"] not in repeat:
                    continue
                stats = self.target(record["target"])
                try:
                    fn = resolve(record)
                    problem, result, seconds = run_call(record, fn, self.tol, self.config["seed"], self.judge)
                except Unreplayable as exc:
                    if not when:
                        self.skip(record["target"], str(exc))
                    continue
                except CandidateBroken as exc:
                    self.mismatch(record, str(exc), when)
                    return
                if not when:
                    stats["replayed"] += 1
                    stats["compared"] += 1
                    stats["seconds"] += seconds
                    first[record["id"]] = result
                if problem:
                    self.mismatch(record, problem, when)
                    if len(self.mismatches) >= self.config["max_mismatches"]:
                        return
                    continue
                if not when:
                    stats["matched"] += 1
                elif (record["id"] in self.config.get("fresh_results", ()) and is_mutable(result)
                      and result is first.get(record["id"], _MISSING)):
                    self.mismatch(record, "returns the same mutable object again on a second call (a shared "
                                          "cached result callers can corrupt); the original returns a new one", when)

    def report(self, seconds):
        """The JSON report the host reads."""
        return {"ok": True, "mode": self.config["mode"], "targets": self.targets,
                "mismatches": self.mismatches, "seconds": seconds}


def main(config_path):
    """Replay as the config file says and write the report, whatever the code under test does."""
    with open(config_path) as handle:
        config = json.load(handle)
    start = time.perf_counter()
    root = os.getcwd()
    for entry in (root, os.path.join(root, "src")):
        if entry not in sys.path:
            sys.path.insert(1, entry)
    headers, calls, skips = load_records(config["capture_dirs"])
    extend_sys_path(headers, root)
    replay = Replay(config)
    try:
        replay.run(calls, skips)
        report = replay.report(time.perf_counter() - start)
    except BaseException as exc:  # noqa: BLE001 - the report must be written whatever the code under test did
        report = {"ok": False, "error": f"{type(exc).__name__}: {short(str(exc))}", "targets": replay.targets,
                  "mismatches": replay.mismatches, "seconds": time.perf_counter() - start}
    tmp = config["out"] + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(report, handle)
    os.replace(tmp, config["out"])


if __name__ == "__main__":
    main(sys.argv[1])
