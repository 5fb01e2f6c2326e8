"""Copied into every problem repo as `tests/harness.py`: loads cases, calls the solution, judges outputs.

It runs inside the sandbox with only the standard library, so it imports nothing from optimizer_agent.
"""

from __future__ import annotations

import ast
import builtins
import copy
import functools
import importlib
import importlib.util
import io
import json
import math
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solution.py"
DATA = Path(__file__).resolve().parent
SHOWN_CHARS = 200
PUBLIC_CASES = "public_cases.json"
"""Written by the batch runner (problem_repo.PUBLIC_CASES); the checker lives in it."""


def value(text):
    """Evaluate a suite's repr text (a value or an argument tuple); `inf` and `nan` are understood."""
    return eval(text, {"__builtins__": builtins, "inf": math.inf, "nan": math.nan})  # noqa: S307 - suite data, in the sandbox


def arguments(text):
    """The argument tuple a function test calls the entry with."""
    args = value(text)
    return args if isinstance(args, tuple) else (args,)


def load(name):
    """A JSON spec written beside this file by the batch runner."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def short(text):
    """Text cut for an assertion message."""
    text = str(text)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def same_output(output, expected):
    """Judge-style stdout comparison: line by line, trailing whitespace and blank lines ignored."""
    def lines(text):
        return [line.rstrip() for line in text.rstrip().splitlines()]

    return lines(output) == lines(expected)


def judge(spec):
    """The check `(input, answer, output) -> bool`: the suite's checker, or equality."""
    if not spec.get("checker"):
        return (lambda inp, answer, output: same_output(output, answer)) if spec["kind"] == "program" \
            else (lambda inp, answer, output: output == answer)
    namespace = {"__name__": "oa_checker", "__builtins__": builtins}
    # Checkers may call helpers of the original code (ENAMEL's find_zero calls poly), never the candidate's.
    if spec.get("context"):
        exec(compile(spec["context"], "original_solution.py", "exec"), namespace)  # noqa: S102
    exec(compile(spec["checker"], "checker.py", "exec"), namespace)  # noqa: S102
    return namespace["__check"]


def same_answer(target, args, kwargs, expected, got):
    """The gate's result judge: whether the suite's checker accepts the candidate's answer to a replayed call.

    Only calls of the entry function qualify; `expected` is the original's answer, standing in for the suite's.
    """
    spec, check = _public_judge()
    if check is None or kwargs or target != f"solution:{spec['entry']}":
        return False
    return bool(check(tuple(args), expected, realize(got)))


@functools.lru_cache(maxsize=1)
def _public_judge():
    """The public spec and its checker (None without one), read and compiled once per replay process."""
    spec = load(PUBLIC_CASES)
    return spec, (judge(spec) if spec["kind"] == "function" and spec.get("checker") else None)


def entry_function(name):
    """The entry function from the repo's solution module."""
    return getattr(importlib.import_module("solution"), name)


def realize(result):
    """Consume a lazy result so its work is done (and compared) like a list's."""
    return list(result) if hasattr(result, "__next__") else result


def check_case(spec, index):
    """Run one case and assert the check holds."""
    case = spec["cases"][index]
    if spec["kind"] == "function":
        output = realize(entry_function(spec["entry"])(*arguments(case["input"])))
        ok = judge(spec)(arguments(case["input"]), value(case["expected"]), output)
        assert ok, f"case {index}: got {short(repr(output))}, expected {short(case['expected'])}"
        return
    printed = run_program(case["stdin"])
    ok = judge(spec)(case["stdin"], case["expected_stdout"], printed)
    assert ok, f"case {index}: printed {short(printed)!r}, expected {short(case['expected_stdout'])!r}"


def _is_main_guard(node):
    """True for `if __name__ == "__main__":` (either operand order)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare) or len(node.test.comparators) != 1:
        return False
    sides = [node.test.left, node.test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    texts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return isinstance(node.test.ops[0], ast.Eq) and names == ["__name__"] and texts == ["__main__"]


def main_guard_code(source):
    """The compiled body of the script's top-level `__main__` guard, or None when it has none."""
    tree = ast.parse(source, str(SOLUTION))
    guards = [node for node in tree.body if _is_main_guard(node)]
    if not guards:
        return None
    return compile(ast.Module(body=guards[-1].body, type_ignores=[]), str(SOLUTION), "exec")


def run_program(stdin):
    """Run solution.py on `stdin` in this process and return what it printed.

    The module is loaded through the import system (as `solution`, so its functions are real module functions
    that tools such as a call tracer can see), then the body of its `__main__` guard runs in its namespace:
    the same behaviour as `python solution.py`.
    """
    guard = main_guard_code(SOLUTION.read_text(encoding="utf-8"))
    saved = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    try:
        spec = importlib.util.spec_from_file_location("solution", str(SOLUTION))
        module = importlib.util.module_from_spec(spec)
        # Registered like an imported module, so values of its classes pickle by reference.
        sys.modules["solution"] = module
        spec.loader.exec_module(module)
        if guard is not None:
            exec(guard, module.__dict__)  # noqa: S102
    except SystemExit:
        pass
    finally:
        sys.stdout.flush()
        printed = sys.stdout.buffer.getvalue().decode("utf-8", errors="replace")
        sys.stdin, sys.stdout = saved
    return printed


def _pass(spec, inputs, fresh_copies, fn=None):
    """One pass over the inputs: the call, or the script run, for each."""
    if spec["kind"] == "function":
        fn = fn or entry_function(spec["entry"])
        for args in inputs:
            realize(fn(*(copy.deepcopy(args) if fresh_copies else args)))
    else:
        for stdin in inputs:
            run_program(stdin)


def _inputs(spec, raw):
    return [arguments(text) for text in raw] if spec["kind"] == "function" else list(raw)


def workload(name):
    """The benchmark: `repeat` passes over the spec's inputs."""
    spec = load(name)
    inputs = _inputs(spec, spec["inputs"])
    fn = entry_function(spec["entry"]) if spec["kind"] == "function" else None
    for _ in range(spec["repeat"]):
        _pass(spec, inputs, spec["copy"], fn)


class _Expired(Exception):
    pass


def _expire(signum, frame):
    raise _Expired()


def _timed_pass(spec, inputs):
    """Seconds the calls of one pass take, and whether the entry changes its arguments.

    Only the first call is checked for mutation (its copy is not timed); when it mutates, later calls are timed
    with the fresh copies the workload will then make.
    """
    if spec["kind"] != "function":
        start = time.perf_counter()
        _pass(spec, inputs, False)
        return time.perf_counter() - start, False
    fn = entry_function(spec["entry"])
    mutates = False
    elapsed = 0.0
    for i, args in enumerate(inputs):
        before = copy.deepcopy(args) if i == 0 else None
        start = time.perf_counter()
        realize(fn(*(copy.deepcopy(args) if mutates else args)))
        elapsed += time.perf_counter() - start
        if i == 0:
            try:
                mutates = bool(args != before)
            except Exception:  # noqa: BLE001 - incomparable arguments: assume the worst
                mutates = True
    return elapsed, mutates


def calibrate(name):
    """Time one pass of each input group (cut off at its cap) and print one JSON line per group.

    A first pass that is shorter than the spec's `settle_s` is repeated until that much time has passed, and
    the median of the repeats is reported: a single short pass mostly measures cold caches.
    """
    spec = load(name)
    settle = spec.get("settle_s", 0.0)
    signal.signal(signal.SIGALRM, _expire)
    for group in spec["groups"]:
        inputs = _inputs(spec, group["inputs"])
        signal.setitimer(signal.ITIMER_REAL, group["cap_s"])
        try:
            seconds, mutates = _timed_pass(spec, inputs)
            spent, warm = seconds, []
            # The first call may have changed its arguments; later passes copy them when that is so.
            pristine = _inputs(spec, group["inputs"]) if mutates else inputs
            while spent < settle:
                start = time.perf_counter()
                _pass(spec, pristine, mutates)
                warm.append(time.perf_counter() - start)
                spent += warm[-1]
            if warm:
                seconds = sorted(warm)[len(warm) // 2]
        except _Expired:
            seconds, mutates = None, None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"group": group["name"], "seconds": seconds, "mutates": mutates}), flush=True)
