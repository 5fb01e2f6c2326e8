"""Reading pairs: PIE field names, --limit, and one clear error per kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer_agent.errors import BadInput
from optimizer_agent.skilllib.miner.pairs import read_pairs


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(**fields) -> str:
    return json.dumps({"input": "print(1)\n", "target": "print(1)\n", **fields})


def test_reads_pie_fields_and_skips_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", [record(problem_id="p1", cpu_time_v0=300, cpu_time_v1=100), "",
                                        record(problem_id="p2")])
    pairs = read_pairs(path)
    assert [(p.index, p.line, p.problem_id) for p in pairs] == [(0, 1, "p1"), (1, 3, "p2")]
    assert pairs[0].speedup == 3.0 and pairs[1].speedup is None


def test_limit_stops_early(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", [record(problem_id=str(i)) for i in range(5)] + ["not json"])
    assert [p.problem_id for p in read_pairs(path, limit=2)] == ["0", "1"]


@pytest.mark.parametrize(("lines", "fragment"), [
    (["{not json"], "p.jsonl:1: not JSON"),
    (["[1, 2]"], "expected a JSON object"),
    ([json.dumps({"input": "x = 1"})], "field 'target' must be a non-empty string"),
    ([json.dumps({"input": "", "target": "x"})], "field 'input' must be a non-empty string (the slow program)"),
    (["", "  "], "no pairs"),
])
def test_bad_files_name_the_line_and_problem(tmp_path: Path, lines: list[str], fragment: str) -> None:
    with pytest.raises(BadInput, match=None) as info:
        read_pairs(write(tmp_path / "p.jsonl", lines))
    assert fragment in str(info.value)


def test_missing_file_and_bad_limit(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_pairs(tmp_path / "nope.jsonl")
    with pytest.raises(BadInput, match="--limit must be at least 1"):
        read_pairs(write(tmp_path / "p.jsonl", [record()]), limit=0)
