"""`optimizer-agent verify BASE HEAD` on real git refs: accepted, rejected (slower, wrong), and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git, make_repo, run_cli

ORIGINAL = '''
def dedupe(items):
    """Items without repeats, first occurrences kept, in order."""
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
'''
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/core.py": ORIGINAL,
    "tests/test_core.py": """
        from pkg.core import dedupe

        def test_dedupe():
            assert dedupe([1, 1, 2]) == [1, 2]
    """,
    "bench.py": """
        from pkg.core import dedupe

        dedupe([(i * 7919) % 3000 for i in range(9000)])
    """,
}
FAST = ORIGINAL.replace('''    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out''', "    return list(dict.fromkeys(items))")
SLOWER = ORIGINAL.replace("if item not in out:", "if item not in list(out):")
WRONG = ORIGINAL.replace('''    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out''', "    return sorted(set(items))")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """main holds the original; one branch per kind of change."""
    path = make_repo(tmp_path_factory.mktemp("verify") / "repo", PROJECT)
    for branch, source in (("fast", FAST), ("slower", SLOWER), ("wrong", WRONG)):
        git(path, "checkout", "-q", "-b", branch, "main")
        (path / "pkg" / "core.py").write_text(source.lstrip("\n"))
        git(path, "commit", "-q", "-am", f"dedupe: {branch}")
    git(path, "checkout", "-q", "main")
    return path


def verify(repo: Path, head: str, *extra: str):
    """Run the CLI and return (exit code, JSON document or None, stderr)."""
    proc = run_cli("verify", "main", head, str(repo), "--sandbox", "local", "--bench", "python bench.py", *extra)
    document = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc.returncode, document, proc.stderr


def test_a_faster_equivalent_change_is_accepted(repo):
    code, doc, stderr = verify(repo, "fast", "--json")
    assert code == 0, stderr
    verdict = doc["verdict"]
    assert doc["accepted"] is True and doc["exit_code"] == 0 and verdict["stage"] == "accepted"
    assert doc["files"] == ["pkg/core.py"] and doc["functions"] == {"pkg/core.py": ["dedupe"]}
    assert doc["base"] == git(repo, "rev-parse", "main").strip()
    assert doc["head"] == git(repo, "rev-parse", "fast").strip()
    assert verdict["tests_run"] == verdict["tests_passed"] == 1
    assert verdict["calls_compared"] == verdict["calls_recorded"] == 2
    assert verdict["speedup"] > 1.5 and verdict["ci_low"] >= 1.05 and verdict["p_value"] < 0.01
    assert len(verdict["timings_base"]) == len(verdict["timings_cand"]) == verdict["rounds"] >= 6
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary worktrees are gone


def test_a_slower_change_is_rejected_by_timing(repo):
    code, doc, _ = verify(repo, "slower", "--json")
    assert (code, doc["accepted"], doc["exit_code"]) == (1, False, 1)
    verdict = doc["verdict"]
    assert verdict["stage"] == "timing" and verdict["reason"].startswith("not faster: ")
    assert verdict["speedup"] < 1.0 and verdict["calls_compared"] == 2


def test_a_wrong_change_that_passes_the_tests_is_rejected_by_its_behaviour(repo):
    code, doc, _ = verify(repo, "wrong", "--json")
    assert (code, doc["exit_code"]) == (1, 1)
    verdict = doc["verdict"]
    assert verdict["stage"] == "equivalence" and verdict["tests_passed"] == 1
    assert verdict["reason"].startswith("behaviour differs: pkg/core.py::dedupe(list[0, 1919, 838, ")
    assert verdict["reason"].endswith("): result[1]: expected 1919, got 1")
    assert verdict["mismatch"] and verdict["rounds"] == 0


def test_the_table_goes_to_stderr_without_json(repo):
    code, doc, stderr = verify(repo, "wrong")
    assert code == 1 and doc is None
    assert "REJECTED (equivalence)" in stderr and "behaviour differs" in stderr and "1/1 passed" in stderr


def test_an_unknown_ref_is_an_error(repo):
    code, doc, stderr = verify(repo, "no-such-branch", "--json")
    assert (code, doc) == (2, None)
    assert stderr.strip().splitlines()[-1] == f"error: 'no-such-branch' does not name a commit in {repo}"


def test_a_benchmark_that_breaks_on_the_base_is_an_error_verdict(repo):
    code, doc, stderr = verify(repo, "fast", "--json", "--bench", "python no_such_bench.py")
    assert (code, doc["exit_code"], doc["accepted"]) == (2, 2, False)
    assert doc["verdict"]["stage"] == "error"
    assert doc["verdict"]["reason"].startswith("benchmark failed on the base side: exit 2")
    assert stderr.strip().splitlines()[-1].startswith("error: benchmark failed on the base side")


def test_no_change_between_the_refs_is_an_error(repo):
    code, doc, stderr = verify(repo, "main")
    assert (code, doc) == (2, None) and stderr.strip().endswith("error: no changes between main and main")
