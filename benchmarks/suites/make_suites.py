"""Writes the bundled suites (functions.jsonl, programs.jsonl) from the handwritten problems below.

Expected outputs come from each problem's reference solution, and the slow solution is checked to agree on
every test. Run `python benchmarks/suites/make_suites.py` after editing a problem.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


FUNCTIONS = [
    {
        "id": "fn/unblocked",
        "entry": "unblocked",
        "prompt": "Return the items that are not blocked, in their original order.",
        "note": "membership test on a list inside a loop: the offline membership_set rewrite fixes it",
        "slow_code": code('''
            def unblocked(items, blocked):
                """Items that are not in `blocked`, in order."""
                out = []
                for item in items:
                    if item not in blocked:
                        out.append(item)
                return out
        '''),
        "reference_code": code('''
            def unblocked(items, blocked):
                """Items that are not in `blocked`, in order."""
                banned = set(blocked)
                return [item for item in items if item not in banned]
        '''),
        "inputs": lambda rng, n: ([rng.randrange(2 * n) for _ in range(2 * n)], [rng.randrange(2 * n) for _ in range(n)]),
        "sizes": {0: [3, 5, 8], 1: [1500], "private": [1800, 1800]},
    },
    {
        "id": "fn/process_queue",
        "entry": "process_queue",
        "prompt": "Process jobs first-in first-out; a job divisible by 3 re-queues a third of itself.",
        "note": "list.pop(0) in a loop: the offline pop0_deque rewrite fixes it",
        "slow_code": code('''
            def process_queue(jobs):
                """The order in which jobs finish."""
                queue = list(jobs)
                done = []
                while queue:
                    job = queue.pop(0)
                    if job % 3 == 0 and job > 0:
                        queue.append(job // 3)
                    done.append(job)
                return done
        '''),
        "reference_code": code('''
            from collections import deque


            def process_queue(jobs):
                """The order in which jobs finish."""
                queue = deque(jobs)
                done = []
                while queue:
                    job = queue.popleft()
                    if job % 3 == 0 and job > 0:
                        queue.append(job // 3)
                    done.append(job)
                return done
        '''),
        "inputs": lambda rng, n: ([rng.randrange(1, 10 * n + 2) for _ in range(n)],),
        "sizes": {0: [1, 4, 9], 1: [6000], "private": [7000, 7000]},
    },
    {
        "id": "fn/ways",
        "entry": "ways",
        "prompt": "Count the ways to climb n stairs taking one or two steps at a time.",
        "note": "recursion without a cache: the offline memoize_recursion rewrite fixes it",
        "slow_code": code('''
            def ways(n):
                """Ways to climb n stairs in steps of one or two."""
                if n <= 1:
                    return 1
                return ways(n - 1) + ways(n - 2)
        '''),
        "reference_code": code('''
            def ways(n):
                """Ways to climb n stairs in steps of one or two."""
                a, b = 1, 1
                for _ in range(n - 1):
                    a, b = b, a + b
                return b if n >= 1 else 1
        '''),
        "inputs": lambda rng, n: (n,),
        "sizes": {0: [0, 1, 2, 7], 1: [21, 22], "private": [23, 23]},
    },
    {
        "id": "fn/spread",
        "entry": "spread",
        "prompt": "Return the difference between the largest and the smallest value.",
        "note": "sorted()[0] and sorted()[-1]: the offline sorted_min_max rewrite fixes it",
        "slow_code": code('''
            def spread(values):
                """Largest value minus smallest value."""
                return sorted(values)[-1] - sorted(values)[0]
        '''),
        "reference_code": code('''
            def spread(values):
                """Largest value minus smallest value."""
                return max(values) - min(values)
        '''),
        "inputs": lambda rng, n: ([rng.randrange(-10 * n, 10 * n + 1) for _ in range(n)],),
        "sizes": {0: [1, 2, 6], 1: [6000], "private": [7000, 7000]},
    },
    {
        "id": "fn/has_pair",
        "entry": "has_pair",
        "prompt": "Is there a pair of distinct positions whose values add up to target?",
        "note": "quadratic pair search: needs a hash set (an LLM change); no offline rewrite applies",
        "slow_code": code('''
            def has_pair(nums, target):
                """True when two different positions of nums add up to target."""
                for i in range(len(nums)):
                    for j in range(i + 1, len(nums)):
                        if nums[i] + nums[j] == target:
                            return True
                return False
        '''),
        "reference_code": code('''
            def has_pair(nums, target):
                """True when two different positions of nums add up to target."""
                seen = set()
                for x in nums:
                    if target - x in seen:
                        return True
                    seen.add(x)
                return False
        '''),
        "inputs": lambda rng, n: ([rng.randrange(0, 50 * n) * 2 for _ in range(n)], 1 if n > 10 else rng.randrange(0, 20) * 2),
        "sizes": {0: [2, 5, 6], 1: [900, 900], "private": [1000, 1000]},
    },
    {
        "id": "fn/total_cost",
        "entry": "total_cost",
        "prompt": "Total price of an order: the sum of price times quantity.",
        "note": "an index loop over two lists: sum(map(operator.mul, ...)) is faster; no offline rewrite applies",
        "slow_code": code('''
            def total_cost(prices, quantities):
                """Sum of price * quantity over the order lines."""
                total = 0
                for i in range(len(prices)):
                    total += prices[i] * quantities[i]
                return total
        '''),
        "reference_code": code('''
            from operator import mul


            def total_cost(prices, quantities):
                """Sum of price * quantity over the order lines."""
                return sum(map(mul, prices, quantities))
        '''),
        "inputs": lambda rng, n: ([rng.randrange(1, 1000) for _ in range(n)], [rng.randrange(0, 20) for _ in range(n)]),
        "sizes": {0: [0, 1, 4], 1: [6000], "private": [7000, 7000]},
    },
]

PROGRAMS = [
    {
        "id": "prog/distinct_visitors",
        "prompt": "Read n and n visitor names; print how many different visitors there were.",
        "note": "a list used as a seen-set (appended to, so no offline rewrite applies); a set fixes it",
        "slow_code": code('''
            import sys


            def count_distinct(names):
                seen = []
                for name in names:
                    if name not in seen:
                        seen.append(name)
                return len(seen)


            def main():
                data = sys.stdin.read().split()
                n = int(data[0])
                print(count_distinct(data[1:1 + n]))


            if __name__ == "__main__":
                main()
        '''),
        "reference_code": code('''
            import sys


            def main():
                data = sys.stdin.read().split()
                n = int(data[0])
                print(len(set(data[1:1 + n])))


            if __name__ == "__main__":
                main()
        '''),
        "stdin": lambda rng, n: f"{n}\n" + "\n".join(f"v{rng.randrange(n)}" for _ in range(n)) + "\n",
        "sizes": {0: [1, 3, 7], 1: [2500], "private": [3000, 3000]},
    },
    {
        "id": "prog/print_queue",
        "prompt": "Jobs with page counts are printed FIFO, at most 3 pages per turn; print the finishing order.",
        "note": "list.pop(0) as a queue: the offline pop0_deque rewrite fixes it",
        "slow_code": code('''
            import sys


            def finishing_order(pages):
                queue = list(enumerate(pages))
                order = []
                while queue:
                    job, left = queue.pop(0)
                    if left > 3:
                        queue.append((job, left - 3))
                    else:
                        order.append(job)
                return order


            def main():
                data = sys.stdin.read().split()
                n = int(data[0])
                pages = [int(x) for x in data[1:1 + n]]
                print(" ".join(map(str, finishing_order(pages))))


            if __name__ == "__main__":
                main()
        '''),
        "reference_code": code('''
            import sys
            from collections import deque


            def main():
                data = sys.stdin.read().split()
                n = int(data[0])
                queue = deque(enumerate(int(x) for x in data[1:1 + n]))
                order = []
                while queue:
                    job, left = queue.popleft()
                    if left > 3:
                        queue.append((job, left - 3))
                    else:
                        order.append(job)
                print(" ".join(map(str, order)))


            if __name__ == "__main__":
                main()
        '''),
        "stdin": lambda rng, n: f"{n}\n" + " ".join(str(rng.randrange(1, 10)) for _ in range(n)) + "\n",
        "sizes": {0: [1, 3, 6], 1: [5000], "private": [6000, 6000]},
    },
    {
        "id": "prog/prime_counts",
        "prompt": "For each query q, print how many primes are at most q.",
        "note": "trial division per number per query: a sieve fixes it (an algorithmic change; no offline rewrite)",
        "slow_code": code('''
            import sys


            def is_prime(k):
                if k < 2:
                    return False
                d = 2
                while d * d <= k:
                    if k % d == 0:
                        return False
                    d += 1
                return True


            def count_primes(q):
                return sum(1 for k in range(q + 1) if is_prime(k))


            def main():
                data = sys.stdin.read().split()
                for q in data[1:1 + int(data[0])]:
                    print(count_primes(int(q)))


            if __name__ == "__main__":
                main()
        '''),
        "reference_code": code('''
            import sys
            from bisect import bisect_right


            def main():
                data = sys.stdin.read().split()
                queries = [int(q) for q in data[1:1 + int(data[0])]]
                top = max(queries, default=0)
                sieve = bytearray([1]) * (top + 1)
                sieve[:2] = b"\\x00\\x00"[: top + 1]
                for p in range(2, int(top ** 0.5) + 1):
                    if sieve[p]:
                        sieve[p * p::p] = bytes(len(range(p * p, top + 1, p)))
                primes = [k for k in range(top + 1) if sieve[k]]
                print("\\n".join(str(bisect_right(primes, q)) for q in queries))


            if __name__ == "__main__":
                main()
        '''),
        "stdin": lambda rng, n: "3\n" + " ".join(str(rng.randrange(n // 2, n + 1)) for _ in range(3)) + "\n",
        "sizes": {0: [1, 10, 30], 1: [6000, 6000], "private": [8000, 8000]},
    },
    {
        "id": "prog/report_lines",
        "prompt": "Print one line per record with its running total.",
        "note": "string += in a loop: the offline str_join rewrite applies, but CPython's in-place += is already fast",
        "slow_code": code('''
            import sys


            def render(values):
                out = ""
                total = 0
                for i, v in enumerate(values):
                    total += v
                    out += "row " + str(i) + ": " + str(total) + "\\n"
                return out


            def main():
                data = sys.stdin.read().split()
                values = [int(x) for x in data[1:1 + int(data[0])]]
                sys.stdout.write(render(values))


            if __name__ == "__main__":
                main()
        '''),
        "reference_code": code('''
            import sys
            from itertools import accumulate


            def main():
                data = sys.stdin.read().split()
                values = map(int, data[1:1 + int(data[0])])
                sys.stdout.write("".join(f"row {i}: {t}\\n" for i, t in enumerate(accumulate(values))))


            if __name__ == "__main__":
                main()
        '''),
        "stdin": lambda rng, n: f"{n}\n" + " ".join(str(rng.randrange(-50, 100)) for _ in range(n)) + "\n",
        "sizes": {0: [0, 1, 5], 1: [4000], "private": [5000, 5000]},
    },
]


def call(source: str, entry: str, args: tuple):
    namespace: dict = {"__name__": "suite_builder"}
    exec(compile(source, entry, "exec"), namespace)
    return namespace[entry](*args)


def run_program(source: str, stdin: str) -> str:
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "solution", "exec"), {"__name__": "__main__"})
    finally:
        sys.stdin = old_stdin
    return out.getvalue()


def sized_tests(spec: dict, seed: int):
    rng = random.Random(seed)
    public, private = [], []
    for level, sizes in spec["sizes"].items():
        for n in sizes:
            (private if level == "private" else public).append((1 if level == "private" else level, n, rng))
    return public, private


def function_record(spec: dict, seed: int) -> dict:
    public, private = sized_tests(spec, seed)

    def tests(items):
        out = []
        for level, n, rng in items:
            args = spec["inputs"](rng, n)
            expected = call(spec["reference_code"], spec["entry"], args)
            assert call(spec["slow_code"], spec["entry"], args) == expected, (spec["id"], n)
            out.append({"input": repr(tuple(args)), "expected": repr(expected), "level": level})
        return out

    return {"id": spec["id"], "kind": "function", "language": "python", "entry": spec["entry"],
            "prompt": spec["prompt"], "slow_code": spec["slow_code"], "reference_code": spec["reference_code"],
            "checker": None, "tests": tests(public), "private_tests": tests(private),
            "meta": {"source": "handwritten for optimizer-agent", "note": spec["note"]}}


def program_record(spec: dict, seed: int) -> dict:
    public, private = sized_tests(spec, seed)

    def tests(items):
        out = []
        for level, n, rng in items:
            stdin = spec["stdin"](rng, n)
            expected = run_program(spec["reference_code"], stdin)
            assert run_program(spec["slow_code"], stdin) == expected, (spec["id"], n)
            out.append({"stdin": stdin, "expected_stdout": expected, "level": level})
        return out

    return {"id": spec["id"], "kind": "program", "language": "python", "entry": None, "prompt": spec["prompt"],
            "slow_code": spec["slow_code"], "reference_code": spec["reference_code"], "checker": None,
            "tests": tests(public), "private_tests": tests(private),
            "meta": {"source": "handwritten for optimizer-agent", "note": spec["note"]}}


def write(name: str, records: list[dict]) -> None:
    path = HERE / name
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    print(f"wrote {path} ({len(records)} problems, {path.stat().st_size // 1024} KiB)")


def main() -> None:
    write("functions.jsonl", [function_record(s, 1000 + i) for i, s in enumerate(FUNCTIONS)])
    write("programs.jsonl", [program_record(s, 2000 + i) for i, s in enumerate(PROGRAMS)])


if __name__ == "__main__":
    main()
