"""Runs one side of a skill example inside the sandbox. Standard library only: it is copied in as a script.

Usage, in a folder holding `oa_example.py` (the Before or After code) and `oa_spec.json` (entry and inputs):
    python oa_harness.py capture      # one call per input on fresh arguments; print the encoded outcomes
    python oa_harness.py calibrate    # print the seconds one pass over all inputs takes
    python oa_harness.py bench REPS   # call the entry on every input, REPS passes (the timed workload)
"""

from __future__ import annotations

import json
import math
import sys
import time

EXAMPLE_MODULE = "oa_example"
SPEC_FILE = "oa_spec.json"
MAX_DEPTH = 60
"""Deeper values are summarised by their repr; examples return small, shallow structures."""
CALIBRATION_PASSES = 3


def encode(value, depth=0, seen=None):
    """A JSON-safe tree that keeps the distinctions `==` would see: type names, float bits, nesting."""
    seen = set() if seen is None else seen
    if value is None or type(value) in (str, bool):
        return value
    if type(value) is int:
        return {"int": str(value)}
    if type(value) is float:
        return {"float": "nan" if math.isnan(value) else repr(value)}
    if depth > MAX_DEPTH:
        return {"repr": repr(value)[:200], "type": type(value).__name__}
    if id(value) in seen:
        return {"cycle": type(value).__name__}
    kind = type(value).__name__
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).hex(), "type": kind}
    seen = seen | {id(value)}
    if isinstance(value, (list, tuple)):
        tag = "tuple" if isinstance(value, tuple) else "list"
        return {tag: [encode(v, depth + 1, seen) for v in value], "type": kind}
    if isinstance(value, dict):
        return {"dict": [[encode(k, depth + 1, seen), encode(v, depth + 1, seen)] for k, v in value.items()],
                "type": kind}
    if isinstance(value, (set, frozenset)):
        return {"set": [encode(v, depth + 1, seen) for v in value], "type": kind}
    if isinstance(value, complex):
        return {"complex": [encode(value.real), encode(value.imag)]}
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        # numpy arrays and scalars: compare by their plain-Python contents and their type.
        return {"tolist": encode(tolist(), depth + 1, seen), "type": kind}
    return {"repr": repr(value), "type": kind}


def _load():
    with open(SPEC_FILE, encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.path.insert(0, ".")
    module = __import__(EXAMPLE_MODULE)
    return getattr(module, spec["entry"]), spec["inputs"]


def _arguments(text):
    args = eval(text, {})  # the card's own input expression (builtins only), run inside the sandbox
    if not isinstance(args, tuple):
        raise TypeError(f"input {text!r} is not an arguments tuple")
    return args


def capture_outcomes(entry, inputs):
    """Each input's result (or exception), with the arguments after the call and freshly built ones."""
    outcomes = []
    for text in inputs:
        args = _arguments(text)
        try:
            outcome = {"result": encode(entry(*args))}
        except Exception as exc:  # noqa: BLE001 - raising is behaviour to compare, not a harness failure
            outcome = {"raised": type(exc).__name__, "message": str(exc)[:200]}
        outcome["args"] = encode(args)
        outcome["fresh_args"] = encode(_arguments(text))
        outcomes.append(outcome)
    return outcomes


def capture():
    """Call the entry once per input on fresh arguments and print the outcomes as JSON."""
    entry, inputs = _load()
    print(json.dumps(capture_outcomes(entry, inputs)))


def _one_pass(entry, arg_sets):
    for args in arg_sets:
        try:
            entry(*args)
        except Exception:  # noqa: BLE001 - a raising input costs what it costs, on both sides
            pass


def calibrate():
    """Print the smallest wall time of one pass over every input, after a warm-up pass."""
    entry, inputs = _load()
    arg_sets = [_arguments(t) for t in inputs]
    _one_pass(entry, arg_sets)
    best = math.inf
    for _ in range(CALIBRATION_PASSES):
        # Wall time, not CPU time: an example that waits (sleeps, I/O) must not be repeated thousands of times.
        start = time.perf_counter()
        _one_pass(entry, arg_sets)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds": best}))


def bench(reps):
    """The timed workload: `reps` passes over every input (arguments are built once)."""
    entry, inputs = _load()
    arg_sets = [_arguments(t) for t in inputs]
    for _ in range(reps):
        _one_pass(entry, arg_sets)


def main(argv):
    """Dispatch on the mode argument."""
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "capture":
        capture()
    elif mode == "calibrate":
        calibrate()
    elif mode == "bench" and len(argv) == 3:
        bench(int(argv[2]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
