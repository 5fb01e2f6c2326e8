"""A tiny handwritten suite (function and program problems) and helpers to run batches on it."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def code(text: str) -> str:
    """Dedented source."""
    return textwrap.dedent(text).lstrip("\n")


MEMBERS_SLOW = code('''
    def allowed(items, blocked):
        """Doubled items that are not blocked, in order."""
        out = []
        for item in items:
            if item in blocked:
                continue
            out.append(item * 2)
        return out
''')
MEMBERS_FAST = code('''
    def allowed(items, blocked):
        """Doubled items that are not blocked, in order."""
        banned = set(blocked)
        return [item * 2 for item in items if item not in banned]
''')
PAIRS_SLOW = code('''
    def has_pair(nums, target):
        """Two different positions adding up to target."""
        for i in range(len(nums)):
            for j in range(i + 1, len(nums)):
                if nums[i] + nums[j] == target:
                    return True
        return False
''')
PAIRS_FAST = code('''
    def has_pair(nums, target):
        """Two different positions adding up to target."""
        seen = set()
        for x in nums:
            if target - x in seen:
                return True
            seen.add(x)
        return False
''')
MEAN_SLOW = code('''
    def mean(values):
        """Arithmetic mean."""
        return sum(values) / len(values)
''')
GAP_SLOW = code('''
    def closest_gap(values):
        """Smallest distance between two different positions."""
        best = float("inf")
        for i in range(len(values)):
            for j in range(len(values)):
                if i != j:
                    best = min(best, abs(values[i] - values[j]))
        return best
''')
GAP_FAST = code('''
    def closest_gap(values):
        """Smallest distance between two different positions."""
        ordered = sorted(values)
        return min((b - a for a, b in zip(ordered, ordered[1:])), default=float("inf"))
''')
GAP_CHECKER = code('''
    def __check(input, answer, output):
        return abs(output - answer) < 1e-9
''')
SPREAD_SLOW = code('''
    def spread(values):
        """Largest minus smallest."""
        return sorted(values)[-1] - sorted(values)[0]
''')
SPREAD_FAST = code('''
    def spread(values):
        """Largest minus smallest."""
        return max(values) - min(values)
''')
QUEUE_SLOW = code('''
    import sys


    def order(pages):
        queue = list(enumerate(pages))
        done = []
        while queue:
            job, left = queue.pop(0)
            if left > 2:
                queue.append((job, left - 2))
            else:
                done.append(job)
        return done


    def main():
        data = sys.stdin.read().split()
        print(" ".join(map(str, order([int(x) for x in data[1:1 + int(data[0])]]))))


    if __name__ == "__main__":
        main()
''')
QUEUE_FAST = code('''
    import sys
    from collections import deque


    def main():
        data = sys.stdin.read().split()
        queue = deque(enumerate(int(x) for x in data[1:1 + int(data[0])]))
        done = []
        while queue:
            job, left = queue.popleft()
            if left > 2:
                queue.append((job, left - 2))
            else:
                done.append(job)
        print(" ".join(map(str, done)))


    if __name__ == "__main__":
        main()
''')


def _call(source: str, entry: str, args: tuple):
    namespace: dict = {}
    exec(compile(source, entry, "exec"), namespace)
    return namespace[entry](*args)


def _run(source: str, stdin: str) -> str:
    return subprocess.run([sys.executable, "-c", source], input=stdin, capture_output=True, text=True,
                          check=True).stdout


def function_problem(pid: str, entry: str, slow: str, fast: str | None, sizes: dict, make, checker=None,
                     expected_from: str | None = None) -> dict:
    """A function problem whose expected outputs come from `expected_from` (default: the reference)."""
    rng = random.Random(pid)
    judge = expected_from or fast or slow

    def tests(level: int, ns: list[int]) -> list[dict]:
        out = []
        for n in ns:
            args = make(rng, n)
            out.append({"input": repr(args), "expected": repr(_call(judge, entry, args)), "level": level})
        return out

    public = [t for level, ns in sizes.items() if level != "private" for t in tests(level, ns)]
    return {"id": pid, "kind": "function", "language": "python", "entry": entry, "slow_code": slow,
            "reference_code": fast, "checker": checker, "tests": public, "private_tests": tests(1, sizes["private"]),
            "meta": {"source": "tests/bench"}}


def program_problem(pid: str, slow: str, fast: str, sizes: dict, make) -> dict:
    """A stdin/stdout problem with expected outputs from the reference."""
    rng = random.Random(pid)

    def tests(level: int, ns: list[int]) -> list[dict]:
        return [{"stdin": (s := make(rng, n)), "expected_stdout": _run(fast, s), "level": level} for n in ns]

    public = [t for level, ns in sizes.items() if level != "private" for t in tests(level, ns)]
    return {"id": pid, "kind": "program", "language": "python", "slow_code": slow, "reference_code": fast,
            "tests": public, "private_tests": tests(1, sizes["private"]), "meta": {"source": "tests/bench"}}


def tiny_suite() -> list[dict]:
    """Six problems with unmistakable outcomes: three fixed offline (one a program), two not, one red baseline."""
    ints = lambda rng, n: ([rng.randrange(2 * n) for _ in range(n)], [rng.randrange(2 * n) for _ in range(n)])
    pairs = lambda rng, n: ([rng.randrange(50 * n) * 2 for _ in range(n)], 1)
    floats = lambda rng, n: ([rng.random() for _ in range(n)],)
    pages = lambda rng, n: f"{n}\n" + " ".join(str(rng.randrange(1, 10)) for _ in range(n)) + "\n"
    return [
        function_problem("t/members", "allowed", MEMBERS_SLOW, MEMBERS_FAST, {0: [3, 6], 1: [600], "private": [700]}, ints),
        function_problem("t/pairs", "has_pair", PAIRS_SLOW, PAIRS_FAST, {0: [2, 5], 1: [300], "private": [350]}, pairs),
        program_problem("t/queue", QUEUE_SLOW, QUEUE_FAST, {0: [1, 4], 1: [15000], "private": [18000]}, pages),
        function_problem("t/gap", "closest_gap", GAP_SLOW, GAP_FAST, {0: [2, 5], 1: [150], "private": [160]},
                         floats, checker=GAP_CHECKER),
        # The expected outputs are wrong on purpose: a red baseline must become an `error` result.
        function_problem("t/red", "mean", MEAN_SLOW, None, {0: [2], "private": [2]}, floats,
                         expected_from="def mean(values):\n    return -1.0\n"),
        function_problem("t/spread", "spread", SPREAD_SLOW, SPREAD_FAST, {0: [1, 4], 1: [4000], "private": [5000]},
                         lambda rng, n: ([rng.randrange(-n, n) for _ in range(n)],)),
    ]


def write_suite(path: Path, records: list[dict]) -> Path:
    """Write records as JSONL."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture(scope="session")
def tiny_suite_file(tmp_path_factory) -> Path:
    """The tiny suite as a JSONL file."""
    return write_suite(tmp_path_factory.mktemp("suite") / "tiny.jsonl", tiny_suite())


FAST_FLAGS = ["--no-llm", "--sandbox", "local", "--workload-seconds", "0.3", "--score-seconds", "0.2",
              "--budget", "300"]
"""Batch flags that keep test runs short: offline, local sandbox, small workloads."""
