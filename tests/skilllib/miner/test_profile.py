"""Program profiles: aliases resolved, loops and containers told apart, token fallback for code that won't parse."""

from __future__ import annotations

import textwrap

from optimizer_agent.skilllib.miner.profile import profile_program, token_profile


def profile(source: str):
    return profile_program(textwrap.dedent(source))


def test_import_and_assignment_aliases_are_resolved() -> None:
    p = profile('''
        import sys
        import numpy as np
        from collections import deque as dq
        input = sys.stdin.readline
        read = lambda: sys.stdin.buffer.readline().rstrip()
        n = int(input())
        m = read()
        print(np.sum([1, 2]), dq())
    ''')
    assert p.calls["sys.stdin.readline"] == 1
    assert p.calls["sys.stdin.buffer.readline"] >= 1 and "read" not in p.calls
    assert p.calls["numpy.sum"] == 1 and p.calls["collections.deque"] == 1
    assert "input" not in p.calls
    assert p.imports_module("numpy") and p.imports_module("collections")


def test_plain_assignment_between_locals_is_not_an_alias() -> None:
    p = profile('''
        a = [1]
        b = a
        b.append(2)
    ''')
    assert p.calls == {".append": 1}


def test_loops_depth_comprehensions_and_calls_in_loops() -> None:
    p = profile('''
        rows = [[i * j for j in range(3)] for i in range(3)]
        for r in rows:
            for x in r:
                print(x)
    ''')
    assert p.loops == 2 and p.toplevel_loops == 1
    assert p.max_loop_depth == 2
    assert p.comprehensions == 2
    assert p.calls_in_loop["print"] == 1
    assert p.calls["range"] == 2


def test_membership_by_container_kind() -> None:
    p = profile('''
        seen = []
        lookup = set()
        table = {}
        for x in range(10):
            if x in seen or x in lookup or x in table or x in range(3):
                pass
    ''')
    assert p.membership_in_loop == {"list": 1, "set": 1, "dict": 1, "range": 1}


def test_recursion_memo_sieve_and_tables() -> None:
    p = profile('''
        memo = {}
        def f(n):
            if n in memo:
                return memo[n]
            memo[n] = n if n < 2 else f(n - 1) + f(n - 2)
            return memo[n]
        N = 100
        flags = [True] * N
        for i in range(2, N):
            for j in range(i * i, N, i):
                flags[j] = False
        pre = [0] * (N + 1)
        for i in range(N):
            pre[i + 1] = pre[i] + i
    ''')
    assert p.recursive == ["f"]
    assert p.memo_checks == 1
    assert p.sieve_loops == 1
    assert p.table_allocs == 2
    assert p.recurrences >= 1


def test_main_called_at_module_level() -> None:
    assert profile('''
        def main():
            pass
        if __name__ == "__main__":
            main()
    ''').main_called
    assert not profile("def main():\n    pass\n").main_called


def test_token_profile_reads_py2_loops_and_prints() -> None:
    p = profile_program("import numpy as np\nfor i in xrange(3):\n    for j in range(2):\n        print i\nnp.zeros(3)\n")
    assert not p.parsed
    assert p.loops == 2 and p.max_loop_depth == 2 and p.toplevel_loops == 1
    assert p.calls_in_loop["print"] == 1
    assert p.calls["numpy.zeros"] == 1 and p.calls["range"] == 2


def test_token_profile_of_parseable_code_agrees_on_imports() -> None:
    source = "from bisect import bisect_left\nimport heapq\nbisect_left([], 1)\nheapq.heappush([], 1)\n"
    assert token_profile(source).imports == profile_program(source).imports
    assert token_profile(source).calls["bisect.bisect_left"] == 1
