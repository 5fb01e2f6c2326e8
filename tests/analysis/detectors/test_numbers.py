"""Detectors for integer work with an arithmetic shortcut: each fires on real code and stays quiet on look-alikes."""

from __future__ import annotations

import textwrap

import pytest

from optimizer_agent.analysis.detectors import constants as C
from optimizer_agent.analysis.detectors import detect


def fired(source: str, detector: str) -> list[int]:
    """Lines where `detector` fires in `source`."""
    return [s.line for s in detect(textwrap.dedent(source)) if s.detector == detector]


CASES = {
    C.TRIAL_DIVISION_TO_N: (
        [
            """
            def is_prime(n):
                if n < 2:
                    return False
                for d in range(2, n):
                    if n % d == 0:
                        return False
                return True
            """,
            """
            def factor_pairs(area):
                return [(w, area // w) for w in range(1, area // 2 + 1) if area % w == 0]
            """,
        ],
        [
            """
            from math import isqrt

            def is_prime(n):
                for d in range(2, isqrt(n) + 1):
                    if n % d == 0:
                        return False
                return n > 1
            """,
            """
            def evens(n):
                return [i for i in range(n) if i % 2 == 0]
            """,
        ],
    ),
    C.TRIAL_DIVISION_IN_LOOP: (
        [
            """
            def isPrime(x):
                d = 2
                while d * d <= x:
                    if x % d == 0:
                        return False
                    d += 1
                return x > 1

            def twin_primes(limit):
                return [(p, p + 2) for p in range(limit) if isPrime(p) and isPrime(p + 2)]
            """,
            """
            def count_primes(limit):
                count = 0
                for n in range(2, limit):
                    k = 2
                    while k * k <= n:
                        if n % k == 0:
                            break
                        k += 1
                    else:
                        count += 1
                return count
            """,
        ],
        [
            """
            def is_prime(n):
                d = 2
                while d * d <= n:
                    if n % d == 0:
                        return False
                    d += 1
                return n > 1

            def check(n):
                return is_prime(n)
            """,
            """
            def fizz(limit):
                return [i for i in range(limit) if i % 3 == 0]
            """,
        ],
    ),
    C.COUNT_MULTIPLES: (
        [
            """
            def euler1(n):
                total = 0
                for i in range(n):
                    if i % 3 == 0 or i % 5 == 0:
                        total += i
                return total
            """,
            """
            def leap_years(start, end):
                return sum(1 for y in range(start, end + 1) if y % 4 == 0)
            """,
        ],
        [
            """
            def divisor_count(n):
                count = 0
                for d in range(1, n + 1):
                    if n % d == 0:
                        count += 1
                return count
            """,
            """
            def evens(values):
                return sum(1 for v in values if v % 2 == 0)
            """,
        ],
    ),
    C.POW_THEN_MOD: (
        [
            """
            def checksum(base, exponent):
                return (base ** exponent) % 1_000_000_007
            """,
            """
            def mod_power(b, e, m):
                r = 1
                for _ in range(e):
                    r = r * b % m
                return r
            """,
            """
            def hashes(keys, m):
                return [pow(31, k) % m for k in keys]
            """,
        ],
        [
            """
            def area_mod(x, m):
                return x ** 2 % m
            """,
            """
            def wrap(value, size):
                return (value * 3) % size
            """,
        ],
    ),
}


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (hits, _) in CASES.items() for s in hits])
def test_fires(detector: str, source: str) -> None:
    assert fired(source, detector)


@pytest.mark.parametrize(("detector", "source"), [(d, s) for d, (_, quiet) in CASES.items() for s in quiet])
def test_quiet(detector: str, source: str) -> None:
    assert fired(source, detector) == []
