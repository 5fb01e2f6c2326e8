"""The `sandbox` sub-commands: one line out, one line and an exit code on failure."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from optimizer_agent.sandbox.base_image import OFFLINE_BASE_TAG, image_exists
from optimizer_agent.sandbox.commands import app

from .test_daemon import DEAD_SOCKET

runner = CliRunner()


def test_prune_without_daemon_fails_in_one_line(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", DEAD_SOCKET)
    result = runner.invoke(app, ["prune"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "Docker could not be reached" in result.output


@pytest.mark.docker
def test_prune_reports_how_many_it_removed(docker_client):
    result = runner.invoke(app, ["prune"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed ")


@pytest.mark.docker
def test_build_base_prints_the_tag_of_an_existing_image(docker_client, sandbox_image):
    if not image_exists(docker_client, OFFLINE_BASE_TAG):
        pytest.skip("this daemon has no offline base image to reuse")
    result = runner.invoke(app, ["build-base"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == OFFLINE_BASE_TAG
