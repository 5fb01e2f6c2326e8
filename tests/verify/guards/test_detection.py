"""benchmark-detection: environment, command line, call stack, and the judges' files."""

import pytest

from tests.verify.guards.conftest import ORIGINAL, body

JUDGES = {"bench.py": "from pkg.mod import total\n", "tests/test_mod.py": "def test_total():\n    pass\n"}


@pytest.mark.parametrize(("new", "message"), [
    ("import os\n" + body("if os.environ.get('CI'):\n    return 0"), "reads environment variables via os.environ"),
    ("from os import getenv\n" + body("fast = getenv('X')"), "reads environment variables via os.getenv"),
    ("import sys\n" + body("if len(sys.argv) > 1:\n    return 0"), "inspects the running program via sys.argv"),
    ("import __main__\n" + ORIGINAL, "inspects the running program via __main__"),
    ("import os\n" + body("parent = os.getppid()"), "inspects the running program via os.getppid"),
    ("import inspect\n" + body("caller = inspect.stack()[1]"), "inspects the call stack via inspect.stack"),
    ("import sys\n" + body("frame = sys._getframe(1)"), "inspects the call stack via sys._getframe"),
    ("import sys\n" + body("if sys.gettrace():\n    return 0"), "inspects the call stack via sys.gettrace"),
    ("import traceback\n" + body("traceback.extract_stack()"), "inspects the call stack via traceback.extract_stack"),
    (body("def probe():\n    return probe.__code__\nf = probe\nf = getattr(f, 'f_back', None)"), None),
    (body("with open('bench.py') as handle:\n    handle.read()"), "probes the file system via open()"),
    (body("import os.path\nif os.path.exists('/proc/self/cmdline'):\n    return 0"),
     "probes the file system via os.path.exists()"),
    ("from pathlib import Path\n" + body("if Path('x.txt').exists():\n    return 0"),
     "probes the file system via Path('x.txt').exists()"),
    (body("name = 'test_mod.py'"), "names the benchmark or tests: 'test_mod.py'"),
    (body("marker = 'PYTEST_CURRENT_TEST'"), "names the benchmark or tests: 'PYTEST_CURRENT_TEST'"),
])
def test_detection_is_found(findings, new, message):
    found = findings(new, judges=JUDGES)
    if message is None:
        assert found == []
    else:
        assert ("benchmark-detection", message) in found


def test_frame_attributes_count(findings):
    assert ("benchmark-detection", "inspects stack frames via .f_back") in findings(body("x = values.f_back"))


def test_docstrings_may_name_the_tests(findings):
    assert findings(ORIGINAL.replace("(pytest checks this)", "(see tests/test_mod.py and bench.py)")) == []


def test_environment_reads_the_original_had_are_kept_without_complaint(findings):
    original = "import os\n" + ORIGINAL.replace("out = 0", "out = int(os.environ.get('START', 0))")
    assert findings(original.replace("for v in values", "for v in list(values)"), original=original) == []
