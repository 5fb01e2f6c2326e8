"""Which files judge a candidate, and whether a skill is memoization."""

from pathlib import Path

import pytest

from optimizer_agent.skilllib.loader import Library
from optimizer_agent.verify.judges import is_judge_file, read_judge_files, uses_caching_skill


@pytest.mark.parametrize(("path", "judge"), [
    ("tests/test_core.py", True), ("tests/data/cases.json", True), ("benchmarks/run.py", True),
    ("bench.py", True), ("conftest.py", True), ("pkg/core.py", False), ("tests/README.md", False),
    ("pkg/testing_utils.py", True), ("pyproject.toml", False),
])
def test_is_judge_file(path, judge):
    assert is_judge_file(path) is judge


def test_reads_judges_and_command_scripts_within_limits(tmp_path: Path):
    for rel, text in {"tests/test_a.py": "x = 1\n", "pkg/a.py": "y = 2\n", "run_load.py": "z = 3\n"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found = read_judge_files(tmp_path, ["tests/test_a.py", "pkg/a.py", "run_load.py"], ["python ./run_load.py"])
    assert found == {"tests/test_a.py": "x = 1\n", "run_load.py": "z = 3\n"}


def test_memoization_skills_are_recognised_by_family():
    library = Library.load()
    assert uses_caching_skill(["O001", "O010"], library)
    assert not uses_caching_skill(["O001", "O999"], library)
    assert not uses_caching_skill(["O010"], None)
