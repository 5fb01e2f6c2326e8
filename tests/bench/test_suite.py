"""Suite loading: JSONL and gzip, both kinds, and one clear error for each kind of bad line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from optimizer_agent.bench.suite import FunctionProblem, ProgramProblem, load_suite, select
from optimizer_agent.errors import BadInput

FUNCTION = {"id": "a/1", "entry": "double", "slow_code": "def double(x):\n    return x + x\n",
            "tests": [{"input": "(2,)", "expected": "4"}], "private_tests": [{"input": "(3,)", "expected": "6"}]}
PROGRAM = {"id": "b/1", "kind": "program", "slow_code": "print(int(input()) * 2)\n",
           "tests": [{"stdin": "2\n", "expected_stdout": "4\n"}], "private_tests": [{"stdin": "3\n", "expected_stdout": "6\n"}]}


def write(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def test_loads_both_kinds_and_gzip(tmp_path: Path) -> None:
    plain = write(tmp_path / "s.jsonl", [FUNCTION, "", PROGRAM])
    packed = tmp_path / "s.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, packed):
        fn, prog = load_suite(path)
        assert isinstance(fn, FunctionProblem) and fn.kind == "function" and fn.entry == "double"
        assert isinstance(prog, ProgramProblem) and prog.tests[0].expected_stdout == "4\n"
        assert fn.slug == "a_1" and len(fn.content_hash()) == 16
    assert load_suite(plain)[0].content_hash() != load_suite(write(tmp_path / "t.jsonl", [
        {**FUNCTION, "tests": [{"input": "(5,)", "expected": "10"}]}]))[0].content_hash()


@pytest.mark.parametrize("record, message", [
    ("{not json", "not JSON"),
    ("[1, 2]", "must be a JSON object"),
    ({**FUNCTION, "entry": "triple"}, "entry 'triple' is not a top-level function"),
    ({**FUNCTION, "tests": []}, "tests"),
    ({**FUNCTION, "private_tests": []}, "private_tests"),
    ({**FUNCTION, "slow_code": "def double(x:\n"}, "slow_code has a syntax error"),
    ({**FUNCTION, "checker": "def check(a, b, c):\n    return True\n"}, "does not define __check"),
    ({**FUNCTION, "kind": "notebook"}, "kind"),
    ({**FUNCTION, "language": "rust"}, "language"),
    ({**PROGRAM, "tests": [{"input": "(1,)", "expected": "1"}]}, "tests"),
])
def test_bad_lines_name_the_line_and_the_problem(tmp_path: Path, record, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", [FUNCTION, record])
    with pytest.raises(BadInput) as err:
        load_suite(path)
    assert f"{path}:2" in str(err.value) and message in str(err.value)


def test_duplicates_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="duplicate id 'a/1'"):
        load_suite(write(tmp_path / "dup.jsonl", [FUNCTION, FUNCTION]))
    with pytest.raises(BadInput, match="same folder name"):
        load_suite(write(tmp_path / "slug.jsonl", [FUNCTION, {**FUNCTION, "id": "a_1"}]))
    with pytest.raises(BadInput, match="no such suite file"):
        load_suite(tmp_path / "missing.jsonl")
    with pytest.raises(BadInput, match="no problems"):
        load_suite(write(tmp_path / "empty.jsonl", []))
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(BadInput, match="broken gzip"):
        load_suite(broken)


def test_select_by_ids_and_limit(tmp_path: Path) -> None:
    problems = load_suite(write(tmp_path / "s.jsonl", [FUNCTION, PROGRAM, {**FUNCTION, "id": "a/2"}]))
    assert [p.id for p in select(problems, ["a/2", "a/1"], None)] == ["a/1", "a/2"]
    assert [p.id for p in select(problems, [], 2)] == ["a/1", "b/1"]
    with pytest.raises(BadInput, match="unknown problem id"):
        select(problems, ["nope"], None)
    with pytest.raises(BadInput, match="--limit"):
        select(problems, [], 0)


def test_the_dev_suite_loads_when_present() -> None:
    dev = Path(__file__).resolve().parents[3] / "shared" / "data" / "suites" / "enamel-dev.jsonl.gz"
    if not dev.is_file():
        pytest.skip("the shared dev suite is not on this machine")
    problems = load_suite(dev)
    assert len(problems) == 48 and all(p.checker and p.reference_code for p in problems)
