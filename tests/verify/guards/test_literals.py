"""benchmark-literal: values copied from the benchmark or the tests."""

import pytest

from optimizer_agent.verify.guards.literals import is_trivial, judge_literals
from tests.verify.guards.conftest import body

JUDGES = {
    "bench.py": "from pkg.mod import total\nDATA = [5, 3, 8, 1, 9]\ntotal(DATA)\nassert total(range(75025)) == 2814362700\n",
    "tests/test_mod.py": "def test_name():\n    assert greet('Ada Lovelace') == 'Hello, Ada Lovelace!'\n",
    "tests/data/cases.json": '{"inputs": [[31, 41, 59, 26]], "expected": 3.14159}',
}


@pytest.mark.parametrize(("new", "message"), [
    (body("if len(values) == 75025:\n    return 2814362700"), "2814362700 also appears in bench.py"),
    (body("if list(values) == [5, 3, 8, 1, 9]:\n    return 26"), "(5, 3, 8, 1, 9) also appears in bench.py"),
    (body("if values == 'Ada Lovelace':\n    return 0"), "'Ada Lovelace' also appears in tests/test_mod.py"),
    (body("if values == (31, 41, 59, 26):\n    return 157"), "(31, 41, 59, 26) also appears in tests/data/cases.json"),
    (body("x = 3.14159"), "3.14159 also appears in tests/data/cases.json"),
    (body("x = -75025"), "75025 also appears in bench.py"),  # the sign does not hide it
])
def test_copied_literals_are_found(findings, new, message):
    assert ("benchmark-literal", message) in findings(new, judges=JUDGES)


@pytest.mark.parametrize("new", [
    body("chunk = 1024\nlimit = 1000000\nmask = 65535"),  # round numbers
    body("x = 0.5\ny = 1e-9"),  # simple floats
    body("key = 'status'\nsep = ', '"),  # words and punctuation
    body("if len(values) == 75024:\n    return 0"),  # not in any judge file
])
def test_common_or_unrelated_literals_are_fine(findings, new):
    assert findings(new, judges=JUDGES) == []


def test_literals_the_original_already_had_are_not_copied(findings):
    original = body("limit = 2814362700")
    assert findings(original.replace("out = 0", "out = 0 + 0"), original=original, judges=JUDGES) == []


def test_judge_literals_record_where_each_value_was_seen():
    found = judge_literals(JUDGES)
    assert found[("int", 2814362700)] == "bench.py"
    assert found[("seq", (("int", 31), ("int", 41), ("int", 59), ("int", 26)))] == "tests/data/cases.json"


@pytest.mark.parametrize(("key", "trivial"), [
    (("int", 7), True), (("int", 4096), True), (("int", 100000), True), (("int", 65535), True),
    (("int", 4097), False), (("float", 0.25), True), (("float", 2.718), False), (("str", "abc"), True),
    (("str", "snake_case_word"), True), (("str", "hello world"), False), (("bool", True), True),
    (("seq", (("int", 1), ("int", 2))), True), (("seq", (("int", 1), ("int", 2), ("int", 3))), False),
])
def test_trivial_values(key, trivial):
    assert is_trivial(key) is trivial
