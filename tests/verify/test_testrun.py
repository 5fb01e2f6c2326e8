"""Reading test counts: pytest and unittest runs in real subprocesses, plus the parsers on exact output."""

import pytest

from optimizer_agent.sandbox.base import Result
from optimizer_agent.verify.testrun import (
    default_test_command,
    failing_tests,
    failure_cause,
    parse_pytest,
    parse_unittest,
    run_tests,
    summarize,
)

TIMEOUT = 60.0


PYTEST_MIXED = {
    "tests/test_a.py": """
        import pytest

        def test_ok():
            assert True

        def test_ok_too():
            assert 1 + 1 == 2

        def test_bad():
            assert 1 == 2

        @pytest.mark.skip(reason="not here")
        def test_skipped():
            pass
    """,
}

UNITTEST_MIXED = {
    "test_u.py": """
        import unittest

        class T(unittest.TestCase):
            def test_ok(self):
                self.assertTrue(True)

            def test_fail(self):
                self.assertEqual(1, 2)

            def test_error(self):
                raise RuntimeError("boom")

            @unittest.skip("not here")
            def test_skip(self):
                pass
    """,
}


def test_default_command_runs_pytest_quietly_without_stopping_early():
    cmd = default_test_command("python3")
    assert cmd.startswith("python3 -m pytest")
    assert "-x" not in cmd.split()


def test_pytest_passing_project(sandbox, tmp_path, write_project):
    cwd = write_project(tmp_path / "p", {"tests/test_a.py": "def test_one():\n    pass\ndef test_two():\n    pass\n"})
    summary = run_tests(sandbox, default_test_command(), cwd, TIMEOUT)
    assert summary.ok and not summary.no_tests
    assert (summary.passed, summary.failed, summary.errors) == (2, 0, 0)
    assert summary.duration > 0


def test_pytest_failures_are_counted_and_named(sandbox, tmp_path, write_project):
    cwd = write_project(tmp_path / "p", PYTEST_MIXED)
    summary = run_tests(sandbox, default_test_command(), cwd, TIMEOUT)
    assert not summary.ok
    assert (summary.passed, summary.failed, summary.errors, summary.skipped) == (2, 1, 0, 1)
    assert failing_tests(summary.output_tail) == ["tests/test_a.py::test_bad"]


def test_pytest_without_tests(sandbox, tmp_path, write_project):
    cwd = write_project(tmp_path / "p", {"pkg/mod.py": "X = 1\n"})
    summary = run_tests(sandbox, default_test_command(), cwd, TIMEOUT)
    assert summary.no_tests and summary.ok
    assert summary.total == 0


def test_pytest_collection_error(sandbox, tmp_path, write_project):
    cwd = write_project(
        tmp_path / "p", {"tests/test_broken.py": "import no_such_module_here\n\ndef test_x():\n    pass\n"}
    )
    summary = run_tests(sandbox, default_test_command(), cwd, TIMEOUT)
    assert not summary.ok and not summary.no_tests
    assert summary.errors == 1 and summary.passed == 0
    assert failing_tests(summary.output_tail) == ["tests/test_broken.py"]


def test_unittest_mixed_results(sandbox, tmp_path, write_project):
    cwd = write_project(tmp_path / "u", UNITTEST_MIXED)
    summary = run_tests(sandbox, "python -m unittest discover -s . -p 'test_*.py'", cwd, TIMEOUT)
    assert not summary.ok
    assert (summary.passed, summary.failed, summary.errors, summary.skipped) == (1, 1, 1, 1)
    assert set(failing_tests(summary.output_tail)) == {"test_u.T.test_fail", "test_u.T.test_error"}


def test_unittest_passing(sandbox, tmp_path, write_project):
    cwd = write_project(
        tmp_path / "u",
        {"test_u.py": "import unittest\nclass T(unittest.TestCase):\n    def test_ok(self):\n        pass\n"},
    )
    summary = run_tests(sandbox, "python -m unittest discover -s .", cwd, TIMEOUT)
    assert summary.ok and summary.passed == 1 and not summary.no_tests


def test_unittest_without_tests(sandbox, tmp_path, write_project):
    cwd = write_project(tmp_path / "u", {"mod.py": "X = 1\n"})
    summary = run_tests(sandbox, "python -m unittest discover -s .", cwd, TIMEOUT)
    assert summary.no_tests and summary.total == 0


@pytest.mark.parametrize("cmd, ok", [("true", True), ("echo something; exit 3", False)])
def test_unknown_runner_falls_back_to_the_exit_code(sandbox, tmp_path, cmd, ok):
    summary = run_tests(sandbox, cmd, str(tmp_path), TIMEOUT)
    assert summary.ok is ok
    assert summary.total == 0


def test_timeout_is_a_failure_that_says_so(sandbox, tmp_path):
    summary = run_tests(sandbox, "sleep 5", str(tmp_path), timeout=0.3)
    assert not summary.ok
    assert summary.output_tail.startswith("timed out after 0.3s")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("3 passed in 0.01s", {"passed": 3, "failed": 0, "errors": 0, "skipped": 0}),
        (
            "==== 1 failed, 2 passed, 1 skipped, 2 xfailed, 1 xpassed, 3 warnings in 1.50s ====",
            {"passed": 3, "failed": 1, "errors": 0, "skipped": 3},
        ),
        ("1 passed, 2 errors in 61.02s (0:01:01)", {"passed": 1, "failed": 0, "errors": 2, "skipped": 0}),
        ("========= no tests ran in 0.00s =========", {"no_tests": 1}),
        ("2 deselected in 0.01s", {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "no_tests": 1}),
    ],
)
def test_parse_pytest_summary_lines(line, expected):
    assert parse_pytest(f"some output\n{line}\n") == expected


def test_parse_pytest_ignores_lookalike_lines():
    assert parse_pytest("Ran 3 tests in 0.01s\nInterrupted: 1 error during collection\n") is None


@pytest.mark.parametrize(
    "tail, expected",
    [
        ("Ran 4 tests in 0.002s\n\nOK\n", {"passed": 4, "failed": 0, "errors": 0, "skipped": 0}),
        ("Ran 4 tests in 0.002s\n\nOK (skipped=1)\n", {"passed": 3, "failed": 0, "errors": 0, "skipped": 1}),
        (
            "Ran 10 tests in 0.1s\n\nFAILED (failures=1, errors=2, skipped=3)\n",
            {"passed": 4, "failed": 1, "errors": 2, "skipped": 3},
        ),
        (
            "Ran 3 tests in 0.1s\n\nFAILED (expected failures=1, unexpected successes=1)\n",
            {"passed": 1, "failed": 1, "errors": 0, "skipped": 1},
        ),
        (
            "Ran 0 tests in 0.000s\n\nNO TESTS RAN\n",
            {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "no_tests": 1},
        ),
        ("Ran 0 tests in 0.000s\n\nOK\n", {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "no_tests": 1}),
    ],
)
def test_parse_unittest_reports(tail, expected):
    assert parse_unittest("......\n" + "-" * 70 + "\n" + tail) == expected


def test_summarize_prefers_the_exit_code_over_missing_counts():
    summary = summarize(Result(returncode=1, stdout="3 passed in 0.1s\n"))
    assert summary.passed == 3 and not summary.ok


def test_exit_code_five_means_no_tests():
    summary = summarize(Result(returncode=5, stdout="nothing here\n"))
    assert summary.no_tests and summary.ok


def test_failing_tests_reads_pytest_ids_with_parameters():
    text = "FAILED tests/test_a.py::test_p[a - b] - AssertionError: x\nERROR tests/test_b.py::test_q\n"
    assert failing_tests(text) == ["tests/test_a.py::test_p[a - b]", "tests/test_b.py::test_q"]


def test_failing_tests_skips_unittest_status_lines():
    assert failing_tests("FAILED (failures=1)\nFAIL: test_x (m.T.test_x)\n") == ["m.T.test_x"]


NETWORK_FAILURE = """\
F                                                                        [100%]
=================================== FAILURES ===================================
__________________________________ test_fetch __________________________________
    def test_fetch():
>       fetch()
E       OSError: [Errno 101] Network is unreachable
tests/test_net.py:4: OSError
=========================== short test summary info ============================
FAILED tests/test_net.py::test_fetch - OSError: [Errno 101] Network is unrea...
1 failed in 0.05s
"""


def test_summary_keeps_the_first_exception_in_full_and_the_reason_names_it():
    from optimizer_agent.verify.critic import problem_with_tests
    from optimizer_agent.verify.figures import GateFigures

    summary = summarize(Result(returncode=1, stdout=NETWORK_FAILURE))
    assert summary.cause == "OSError: [Errno 101] Network is unreachable"
    figures = GateFigures(baseline_tests=summary.model_copy(update={"ok": True}), tests=summary,
                          failing=failing_tests(summary.output_tail))
    assert problem_with_tests(figures) == (
        "tests failed: 1 failed (tests/test_net.py::test_fetch): OSError: [Errno 101] Network is unreachable"
    )


def test_cause_falls_back_to_pytest_short_summary_and_is_empty_on_success():
    assert failure_cause("FAILED t.py::test_x - assert 0 == 14\n1 failed in 0.1s") == "assert 0 == 14"
    assert failure_cause("Traceback (most recent call last):\nValueError: bad\n") == "ValueError: bad"
    assert summarize(Result(returncode=0, stdout="ValueError: printed, not raised\n1 passed in 0.1s")).cause == ""


@pytest.mark.parametrize(
    ("killed", "named"),
    [("memory", "the memory limit (OOM kill)"), ("pids", "the pids limit (a fork was refused)"),
     ("wrapper-killed", "the sandbox: the command killed its parent process")],
)
def test_a_run_the_sandbox_stopped_names_the_limit(killed, named):
    from optimizer_agent.verify.critic import problem_with_tests
    from optimizer_agent.verify.figures import GateFigures

    summary = summarize(Result(returncode=137, stdout="..", killed_reason=killed))
    assert summary.killed_reason == killed and not summary.ok
    reason = problem_with_tests(GateFigures(baseline_tests=summary.model_copy(update={"ok": True}), tests=summary))
    assert reason == f"tests stopped by {named}: .."
