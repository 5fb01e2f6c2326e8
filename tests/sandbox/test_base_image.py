"""The offline base image: finding apt's mirror, and not rebuilding what exists."""

from __future__ import annotations

import pytest

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox import base_image
from optimizer_agent.sandbox.base_image import OFFLINE_BASE_TAG, BaseImageConfig, apt_mirror, build_base_image

from .conftest import write_tree


def test_apt_mirror_reads_deb822_and_one_line_sources(tmp_path):
    sources = write_tree(tmp_path, {
        "sources.list.d/a-security.sources": """
            Types: deb
            URIs: http://security.example/debian-security
            Suites: bookworm-security
        """,
        "sources.list.d/b-main.sources": """
            # snapshot comment
            Types: deb deb-src
            URIs: http://mirror.example/debian
            Suites: bookworm bookworm-updates
            Components: main
        """,
        "sources.list": "deb [arch=amd64 signed-by=/k.gpg] http://old.example/debian bullseye main\n",
    })
    chosen = apt_mirror("bookworm", (sources / "sources.list", sources / "sources.list.d"))
    assert chosen == "http://mirror.example/debian"
    assert apt_mirror("bullseye", (sources / "sources.list",)) == "http://old.example/debian"
    assert apt_mirror("trixie", (sources / "sources.list", sources / "sources.list.d")) is None


def test_missing_debootstrap_is_a_clear_error(monkeypatch):
    class NoImages:
        class images:
            @staticmethod
            def get(tag):
                import docker.errors

                raise docker.errors.ImageNotFound(tag)

    monkeypatch.setattr(base_image.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(SandboxUnavailable, match="debootstrap"):
        build_base_image(NoImages(), BaseImageConfig(tag="optimizer-agent/base:test"))


@pytest.mark.docker
def test_existing_base_is_reused_without_debootstrap(docker_client, sandbox_image, monkeypatch):
    if not base_image.image_exists(docker_client, OFFLINE_BASE_TAG):
        pytest.skip("this daemon has no offline base image (a registry served python:*-slim)")
    monkeypatch.setattr(base_image, "_run", lambda *args: pytest.fail("debootstrap ran although the image exists"))
    assert build_base_image(docker_client) == OFFLINE_BASE_TAG
