"""Shared fixtures for the gate's tests."""

import textwrap
from pathlib import Path

import pytest

from optimizer_agent.sandbox.local import LocalSandbox


@pytest.fixture(autouse=True)
def no_plugin_autoload(monkeypatch):
    """Keep the inner pytest runs from loading every installed plugin; it costs seconds per run here."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def sandbox(tmp_path):
    """A local sandbox scoped to one test."""
    box = LocalSandbox(root=tmp_path / "sandbox")
    yield box
    box.cleanup()


@pytest.fixture
def write_project():
    """Write {relative path: text} under a folder (dedented) and return the folder as a string."""

    def write(root: Path, files: dict[str, str]) -> str:
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return str(root)

    return write
