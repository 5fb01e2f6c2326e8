"""Which files a candidate may change, and the scope check over a candidate."""

import pytest

from optimizer_agent.verify.scope import is_protected_path, normalize, scope_problem


@pytest.mark.parametrize(
    "rel",
    [
        "tests/test_x.py",
        "test/helpers.py",
        "pkg/tests/util.py",
        "testing/fixtures.py",
        "test_x.py",
        "pkg/x_test.py",
        "test.py",
        "conftest.py",
        "pkg/conftest.py",
        "bench.py",
        "benchmarks/run.py",
        "bench_sort.py",
        "setup.py",
        "setup.cfg",
        "pyproject.toml",
        "tox.ini",
        "noxfile.py",
        "requirements-dev.txt",
        ".github/workflows/ci.yml",
        "Makefile",
        "./tests/test_x.py",
        "Tests\\Test_X.py",
        "",
    ],
)
def test_protected_paths(rel):
    assert is_protected_path(rel)


@pytest.mark.parametrize("rel", ["pkg/core.py", "src/pkg/parse.py", "latest.py", "pkg/contest.py", "app/benefit.py"])
def test_ordinary_source_is_not_protected(rel):
    assert not is_protected_path(rel)


def test_normalize_drops_leading_dot_slash_and_backslashes():
    assert normalize(".\\pkg\\core.py") == "pkg/core.py"
    assert normalize("././pkg/core.py") == "pkg/core.py"


def candidate(file: str, source: str = "def f():\n    return 1\n") -> tuple[str, str]:
    """(file, new text) for `scope_problem`."""
    return file, source


def test_allowed_parsing_source_is_in_scope():
    assert scope_problem(*candidate("pkg/core.py"), ["./pkg/core.py"]) is None


@pytest.mark.parametrize(
    "file, allowed, fragment",
    [
        ("../outside.py", ["../outside.py"], "leaves the repository"),
        ("/etc/passwd.py", ["/etc/passwd.py"], "leaves the repository"),
        ("tests/test_core.py", ["tests/test_core.py"], "test, benchmark, config or CI"),
        ("pkg/core.py", ["pkg/other.py"], "not among the allowed files"),
        ("pkg/data.json", ["pkg/data.json"], "not a Python source file"),
    ],
)
def test_out_of_scope(file, allowed, fragment):
    assert fragment in scope_problem(*candidate(file), allowed)


@pytest.mark.parametrize("source", ["def f(:\n", "x = 1\x00\n"])
def test_source_that_does_not_parse_is_out_of_scope(source):
    assert "does not parse" in scope_problem(*candidate("pkg/core.py", source), ["pkg/core.py"])


def test_the_result_judges_module_is_out_of_scope_wherever_it_lives():
    judge = "checks.answers:same"
    assert "holds the result judge" in scope_problem(*candidate("checks/answers.py"), ["checks/answers.py"], judge)
    assert "holds the result judge" in scope_problem(*candidate("src/checks/answers/__init__.py"),
                                                     ["src/checks/answers/__init__.py"], judge)
    assert scope_problem(*candidate("checks/other.py"), ["checks/other.py"], judge) is None
