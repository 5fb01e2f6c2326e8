"""The bundled logstats example: its own test suite passes in a fresh copy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "benchmarks" / "examples" / "logstats"


def test_logstats_example_has_its_parts():
    for name in ("pyproject.toml", "README.md", "bench.py", "logstats/__init__.py", "tests"):
        assert (EXAMPLE / name).exists(), name


def test_logstats_example_suite_passes(tmp_path):
    repo = tmp_path / "logstats"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    # No plugin autoload: the example needs none, and the host's plugins must not leak in.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert "failed" not in result.stdout
