"""process-exit and test-skip."""

import pytest

from tests.verify.guards.conftest import ORIGINAL, body


@pytest.mark.parametrize(("new", "guard", "message"), [
    ("import os\n" + body("os._exit(0)"), "process-exit", "can end the process via os._exit"),
    ("import sys\n" + body("sys.exit(0)"), "process-exit", "can end the process via sys.exit"),
    ("from sys import exit as leave\n" + body("leave(0)"), "process-exit", "can end the process via sys.exit"),
    (body("exit()"), "process-exit", "can end the process via exit"),
    (body("raise SystemExit(0)"), "process-exit", "raises SystemExit"),
    ("import os, signal\n" + body("os.kill(os.getpid(), signal.SIGKILL)"), "process-exit",
     "can end the process via os.kill"),
    ("import atexit\n" + ORIGINAL, "process-exit", "can end the process via atexit"),
    ("import pytest\n" + body("pytest.skip('slow')"), "test-skip", "skips or excuses tests via pytest.skip"),
    ("import pytest\npytestmark = pytest.mark.xfail\n" + ORIGINAL, "test-skip",
     "skips or excuses tests via pytest.mark.xfail"),
    ("import unittest\n" + body("raise unittest.SkipTest('x')"), "test-skip",
     "skips or excuses tests via unittest.SkipTest"),
    ("from unittest import skip\n" + ORIGINAL.replace("def total", "@skip('x')\ndef total"), "test-skip",
     "skips or excuses tests via unittest.skip"),
])
def test_found(findings, new, guard, message):
    assert (guard, message) in findings(new)


def test_an_exit_the_original_already_had_is_fine(findings):
    original = "import sys\n" + ORIGINAL + "\nif __name__ == '__main__':\n    sys.exit(total([1]))\n"
    assert findings(original.replace("out = 0", "out = 0 * 1"), original=original) == []
