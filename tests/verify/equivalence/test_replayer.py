"""The replayer, run in real staged trees: the original checks its own recording, candidates are compared."""

from __future__ import annotations

import glob
import os

import pytest

ORIGINAL = '''
import time

_DEFAULTS = ["a", "b"]
_calls = [0]


def scale(values, k):
    return [v * k for v in values]


def stamp(x):
    return (x, time.time_ns())


def counted(x):
    _calls[0] += 1
    return x + _calls[0]


def defaults():
    return _DEFAULTS


def fresh(n):
    return list(range(n))


def sort_in_place(items):
    items.sort()


def evens(n):
    for i in range(0, n, 2):
        yield i
'''
SCRIPT = '''
from pkg.mod import *

scale([1, 2], 3)
scale([0.5], 2.0)
stamp(1)
counted(1)
defaults()
fresh(3)
sort_in_place([3, 1, 2])
list(evens(6))
'''
NAMES = ("scale", "stamp", "counted", "defaults", "fresh", "sort_in_place", "evens")
TARGETS = [("pkg/mod.py", q) for q in NAMES]


def files(source: str) -> dict[str, str]:
    return {"pkg/__init__.py": "", "pkg/mod.py": source}


@pytest.fixture
def recorded(capture):
    rec = capture(files(ORIGINAL), TARGETS, SCRIPT)
    base = rec.replay(rec.base_dir, "self")
    assert base.error is None, base.error
    return rec, base.report


def stats(report, name):
    return report["targets"][f"pkg/mod.py::{name}"]


def test_self_replay_sorts_calls_into_stable_unstable_repeatable_mutating_and_aliasing(recorded):
    _, report = recorded
    assert len(stats(report, "scale")["stable"]) == 2
    assert len(stats(report, "stamp")["unstable"]) == 1  # reads the clock
    counted = stats(report, "counted")  # depends on state an earlier call left behind
    assert len(counted["stable"]) == 1 and counted["unrepeatable"] == counted["stable"]
    assert stats(report, "sort_in_place")["mutating"] == stats(report, "sort_in_place")["stable"] != []
    assert stats(report, "defaults")["aliasing"] != [] and stats(report, "fresh")["fresh"] != []
    assert stats(report, "scale")["mutating"] == []


def compare(rec, report, stage_variant, source, name):
    tree = stage_variant(files(source), name)
    stable = [i for s in report["targets"].values() for i in s["stable"]]
    fresh = [i for s in report["targets"].values() for i in s["fresh"]]
    repeat = [i for s in report["targets"].values() for i in s["repeatable"]]
    return rec.replay(tree, "compare", calls=stable, fresh=fresh, repeat=repeat)


def test_an_identical_candidate_matches_every_stable_call(recorded, stage_variant):
    rec, report = recorded
    run = compare(rec, report, stage_variant, ORIGINAL, "same")
    assert run.error is None and run.report["mismatches"] == []
    assert sum(t["compared"] for t in run.report["targets"].values()) == 7


@pytest.mark.parametrize(("change", "fragment"), [
    (("[v * k for v in values]", "tuple(v * k for v in values)"), "expected list [3, 6], got tuple (3, 6)"),
    (("[v * k for v in values]", "[v * k + 1e-3 for v in values]"), "result[0]: expected 1.0, got 1.001"),
    (("items.sort()", "items[:] = sorted(items, reverse=True)"), "arguments after the call"),
    (("range(0, n, 2)", "range(0, n + 2, 2)"), "iterator yields more than the original's 3 items"),
    (("range(0, n, 2)", "range(0, n - 2, 2)"), "iterator stopped after 2 items"),
    (("return list(range(n))", "return _SHARED.setdefault(n, list(range(n)))\n_SHARED = {}"),
     "returns the same mutable object again"),
    (("def scale(", "def scaled("), "pkg.mod.scale no longer exists"),
    (("import time", "import time\nimport not_a_module"), "cannot import pkg.mod: ModuleNotFoundError"),
])
def test_a_wrong_candidate_gets_a_readable_difference(recorded, stage_variant, change, fragment):
    rec, report = recorded
    source = ORIGINAL.replace(*change)
    if "_SHARED = {}" in change[1]:
        source = ORIGINAL.replace(change[0], change[1].split("\n")[0]) + "\n_SHARED = {}\n"
    run = compare(rec, report, stage_variant, source, "wrong")
    assert run.error is None, run.error
    diffs = [m["diff"] for m in run.report["mismatches"]]
    assert any(fragment in d for d in diffs), diffs


def test_state_leaking_between_calls_shows_on_the_second_pass(recorded, stage_variant):
    rec, report = recorded
    leaky = ORIGINAL.replace("    return [v * k for v in values]", """\
    key = (tuple(values), k)
    if key in _done:
        return []
    _done.add(key)
    return [v * k for v in values]""") + "\n_done = set()\n"
    run = compare(rec, report, stage_variant, leaky, "leaky")
    [first, *_] = run.report["mismatches"]
    assert first["target"] == "pkg/mod.py::scale" and first["when"] == "on a second call with the same arguments"
    assert first["diff"] == "result: expected 2 items, got 0 ([3, 6] vs [])"


def test_a_candidate_that_kills_the_replay_is_an_error_without_a_report(recorded, stage_variant):
    rec, report = recorded
    source = ORIGINAL.replace("    return [v * k for v in values]", "    import os\n    os._exit(3)")
    run = compare(rec, report, stage_variant, source, "dies")
    assert run.report is None and run.error.startswith("the replay ended without a report (exit 3)")


def interpreters() -> list[str]:
    """Other CPython versions installed here (pyenv), to show the shipped scripts run on 3.10-3.13."""
    found = []
    for version in ("3.10", "3.12", "3.13"):
        paths = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")))
        if paths:
            found.append(paths[-1])
    return found


@pytest.mark.parametrize("python", interpreters() or [pytest.param("none", marks=pytest.mark.skip("no pyenv"))])
def test_tracer_and_replayer_run_on_other_python_versions(capture, stage_variant, python):
    rec = capture(files(ORIGINAL), TARGETS, SCRIPT, python=python)
    assert len(rec.records) == 8
    base = rec.replay(rec.base_dir, "self", python=python)
    assert base.error is None and len(stats(base.report, "scale")["stable"]) == 2
    wrong = ORIGINAL.replace("[v * k for v in values]", "tuple(v * k for v in values)")
    run = rec.replay(stage_variant(files(wrong), "wrong2"), "compare", python=python,
                     calls=stats(base.report, "scale")["stable"])
    assert "got tuple" in run.report["mismatches"][0]["diff"]


JUDGE = '''
def close_enough(target, args, kwargs, expected, got):
    if target == "pkg.mod:broken":
        raise RuntimeError("judge bug")
    if target != "pkg.mod:scale":
        return False
    values, k = args
    return isinstance(got, list) and all(abs(g - v * k) < 0.01 for g, v in zip(got, values))
'''


def test_a_result_judge_accepts_other_right_answers_where_it_says_so_and_nowhere_else(recorded, stage_variant):
    rec, report = recorded
    # Close enough for the judge; the judge does not speak for `sort_in_place` (its argument) or `evens`.
    source = (ORIGINAL.replace("[v * k for v in values]", "[v * k + 1e-3 for v in values]")
              .replace("items.sort()", "items.sort(reverse=True)").replace("range(0, n, 2)", "range(0, n + 2, 2)"))
    tree = stage_variant({**files(source), "pkg/judge.py": JUDGE}, "judged")
    stable = [i for s in report["targets"].values() for i in s["stable"]]
    options = {"result_judge": "pkg.judge:close_enough"}
    run = rec.replay(tree, "compare", calls=stable, options=options)
    assert run.error is None, run.error
    wrong = {m["target"].split("::")[1] for m in run.report["mismatches"]}
    assert wrong == {"sort_in_place", "evens"}
    assert stats(run.report, "scale")["matched"] == 2
    without = rec.replay(tree, "compare", calls=stable)
    assert "scale" in {m["target"].split("::")[1] for m in without.report["mismatches"]}


def test_a_failing_result_judge_vouches_for_nothing(capture, stage_variant):
    source = "def broken(x):\n    return x / 3\n"
    rec = capture(files(source), [("pkg/mod.py", "broken")], "from pkg.mod import broken\nbroken(1.0)\n")
    tree = stage_variant({**files(source.replace("x / 3", "x * (1 / 3) + 1e-6")), "pkg/judge.py": JUDGE}, "jb")
    run = rec.replay(tree, "compare", options={"result_judge": "pkg.judge:close_enough"})
    [mismatch] = run.report["mismatches"]
    assert "the result judge failed: RuntimeError: 'judge bug'" in mismatch["diff"]
