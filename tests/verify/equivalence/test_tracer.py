"""The tracer, loaded as sitecustomize into a real Python process, records what the original does."""

from __future__ import annotations

import pickle

MODULE = '''
import threading


def total(items):
    """Sums and empties nothing."""
    return sum(items)


def drain(items):
    """Mutates its argument."""
    out = []
    while items:
        out.append(items.pop())
    return out


def fails(x):
    raise ValueError(f"bad {x}")


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def squares(n):
    for i in range(n):
        yield i * i


def broken(n):
    yield 1
    raise KeyError(n)


def locked(lock):
    return 1


def make_lock():
    return threading.Lock()


class Acc:
    def __init__(self):
        self.seen = []

    def add(self, x):
        self.seen.append(x)
        return len(self.seen)

    @staticmethod
    def twice(x):
        return 2 * x

    @classmethod
    def build(cls, n):
        return n + 1

    @property
    def size(self):
        return len(self.seen)
'''
SCRIPT = '''
from pkg.mod import *

total([1, 2, 3])
total([1, 2, 3])
total((4,))
drain([1, 2])
try:
    fails(3)
except ValueError:
    pass
fib(6)
list(squares(3))
for value in squares(10):
    if value > 3:
        break
try:
    list(broken(5))
except KeyError:
    pass
locked(make_lock())
make_lock()
acc = Acc()
acc.add(5)
Acc.twice(4)
Acc.build(2)
acc.size
'''
TARGETS = [("pkg/mod.py", q) for q in ("total", "drain", "fails", "fib", "squares", "broken", "locked",
                                        "make_lock", "Acc.add", "Acc.twice", "Acc.build", "Acc.size")]
FILES = {"pkg/__init__.py": "", "pkg/mod.py": MODULE}


def test_records_arguments_results_mutations_and_exceptions(capture):
    rec = capture(FILES, TARGETS, SCRIPT)
    totals = rec.calls("total")
    assert [rec.args(r) for r in totals] == [(([1, 2, 3],), {}), (((4,),), {})]  # the repeat is deduplicated
    assert pickle.loads(totals[0]["result"]) == 6 and totals[0]["outcome"] == "return"
    [drain] = rec.calls("drain")
    assert rec.args(drain) == (([1, 2],), {})
    assert pickle.loads(drain["post"]) == (([],), {})  # the argument's state after the call
    [fails] = rec.calls("fails")
    assert (fails["outcome"], fails["exc_type"], fails["exc_msg"]) == ("raise", "ValueError", "bad 3")
    assert all(r["module"] == "pkg.mod" and r["seconds"] >= 0 for r in rec.records)


def test_only_outermost_recursive_calls_are_recorded(capture):
    rec = capture(FILES, TARGETS, SCRIPT)
    assert [rec.args(r) for r in rec.calls("fib")] == [((6,), {})]


def test_iterators_are_recorded_as_the_program_consumes_them(capture):
    rec = capture(FILES, TARGETS, SCRIPT)
    full, partial = rec.calls("squares")
    assert [pickle.loads(i) for i in full["items"]] == [0, 1, 4] and full["iter_state"] == "done"
    assert [pickle.loads(i) for i in partial["items"]] == [0, 1, 4] and partial["iter_state"] == "partial"
    [broken] = rec.calls("broken")
    assert (broken["iter_state"], broken["iter_exc"]) == ("raised", "KeyError")


def test_methods_of_every_kind_are_wrapped(capture):
    rec = capture(FILES, TARGETS, SCRIPT)
    kinds = {r["qualname"]: r["kind"] for r in rec.records}
    assert kinds["Acc.add"] == "method" and kinds["Acc.twice"] == "staticmethod"
    assert kinds["Acc.build"] == "classmethod" and kinds["Acc.size"] == "property"
    # Unpickling needs the project's classes, so the recorded instance is checked by replaying it there.
    report = rec.replay(rec.base_dir, "self").report
    add = report["targets"]["pkg/mod.py::Acc.add"]
    assert len(add["stable"]) == 1 and add["mutating"] == add["stable"]  # `self.seen` grew during the call
    for key in ("Acc.twice", "Acc.build", "Acc.size"):
        stats = report["targets"][f"pkg/mod.py::{key}"]
        assert len(stats["stable"]) == 1 and stats["mutating"] == [], key


def test_unpicklable_values_are_skipped_or_kept_as_a_deep_repr(capture):
    rec = capture(FILES, TARGETS, SCRIPT)
    assert rec.calls("locked") == []
    assert any(s["target"] == "pkg/mod.py::locked" and "unpicklable arguments" in s["reason"] for s in rec.skips)
    [lock] = rec.calls("make_lock")
    assert lock["result"] is None and "lock" in lock["result_repr"].lower() and lock["repr_fallbacks"] == 1


def test_the_call_limit_and_in_tree_sys_path_are_honoured(capture):
    from tests.verify.equivalence.conftest import SETTINGS

    script = "from pkg.mod import total\nfor i in range(50):\n    total([i])\n"
    rec = capture(FILES, [("pkg/mod.py", "total")], script, settings=SETTINGS.model_copy(update={"max_calls": 5}))
    assert len(rec.calls("total")) == 5
    assert rec.headers and "." in rec.headers[0]["sys_path"]


def test_a_program_without_targets_runs_unchanged(capture):
    rec = capture(FILES, [("pkg/other.py", "nothing")], SCRIPT)
    assert rec.records == [] and rec.notes == []
