"""Splicing an LLM's replacement into a file: the target, its enclosing def, helpers and imports."""

from __future__ import annotations

import textwrap

from optimizer_agent.analysis.splice import splice_replacement

SOURCE = textwrap.dedent('''\
    """Module."""

    import os


    def total(values):
        out = 0
        for v in values:
            out += v
        return out


    def intersection(a, b):
        def is_prime(n):
            for i in range(2, n):
                if n % i == 0:
                    return False
            return n > 1

        return "YES" if is_prime(min(a[1], b[1]) - max(a[0], b[0])) else "NO"


    class Box:
        def area(self):
            return sum([self.w for _ in range(self.h)])
''')


def run(namespace_source: str, call: str):
    space: dict = {}
    exec(namespace_source, space)  # noqa: S102 - test code
    return eval(call, space)  # noqa: S307


def test_a_top_level_function_is_replaced_and_its_imports_and_helpers_come_along():
    code = "import math\n\n\ndef _fsum(values):\n    return math.fsum(values)\n\n\ndef total(values):\n    return _fsum(values)\n"
    new = splice_replacement(SOURCE, "total", code)
    assert "import math\n" in new and new.index("def _fsum") < new.index("def total")
    assert run(new, "total([1, 2, 3])") == 6.0
    assert "def intersection" in new and "class Box" in new


def test_a_nested_target_is_replaced_by_its_own_def_when_the_code_has_one():
    code = "def is_prime(n):\n    return n > 1 and all(n % i for i in range(2, int(n ** 0.5) + 1))\n"
    new = splice_replacement(SOURCE, "intersection.is_prime", code)
    assert "        return n > 1 and all(" in new  # indented into intersection
    assert run(new, "intersection((1, 8), (2, 9))") == "NO" and run(new, "intersection((1, 8), (3, 9))") == "YES"


def test_a_nested_target_is_replaced_with_its_enclosing_function_when_the_code_rewrites_that():
    code = textwrap.dedent('''\
        def intersection(a, b):
            n = min(a[1], b[1]) - max(a[0], b[0])
            return "YES" if n > 1 and all(n % i for i in range(2, int(n ** 0.5) + 1)) else "NO"
    ''')
    new = splice_replacement(SOURCE, "intersection.is_prime", code)
    assert "is_prime" not in new and new.count("def intersection") == 1
    assert run(new, "intersection((1, 8), (3, 9))") == "YES" and "def total" in new


def test_a_method_is_never_replaced_by_something_outside_its_class():
    assert splice_replacement(SOURCE, "Box.area", "def Box(self):\n    return 0\n") is None
    new = splice_replacement(SOURCE, "Box.area", "def area(self):\n    return self.w * self.h\n")
    assert "        return self.w * self.h" in new


def test_code_without_the_def_or_that_does_not_parse_splices_nothing():
    assert splice_replacement(SOURCE, "total", "def other():\n    return 1\n") is None
    assert splice_replacement(SOURCE, "total", "def total(:\n") is None
    assert splice_replacement(SOURCE, "missing", "def missing():\n    return 1\n") is None
