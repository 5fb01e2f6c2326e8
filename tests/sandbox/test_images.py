"""Target images: tagged by what decides their content, reused when present, deps failures reported."""

from __future__ import annotations

import contextlib
import shutil

import docker.errors
import pytest

from optimizer_agent.sandbox.images import IMAGE_REPO, NODEPS_SUFFIX, ImageConfig, ensure_image, image_tag

from .conftest import write_tree


def test_tag_follows_dependency_files_and_dockerfile(tmp_path):
    repo = write_tree(tmp_path / "repo", {"requirements.txt": "attrs\n", "code.py": "x = 1\n"})
    config = ImageConfig()
    first = image_tag(repo, config)
    assert first.startswith(IMAGE_REPO + ":") and len(first.split(":")[1]) == 12

    (repo / "code.py").write_text("x = 2\n")
    assert image_tag(repo, config) == first, "source edits must not force a rebuild"

    (repo / "requirements.txt").write_text("attrs==23.1.0\n")
    changed_deps = image_tag(repo, config)
    assert changed_deps != first

    dockerfile = tmp_path / "Dockerfile"
    shutil.copyfile(config.dockerfile, dockerfile)
    dockerfile.write_text(dockerfile.read_text() + "\n# changed\n")
    assert image_tag(repo, ImageConfig(dockerfile=dockerfile)) != changed_deps
    assert image_tag(repo, ImageConfig(python_version="3.12")) != changed_deps


@pytest.mark.docker
def test_existing_image_is_reused(docker_client, target_repo, sandbox_image):
    again = ensure_image(docker_client, target_repo)
    assert again.tag == sandbox_image and not again.built and again.dependencies_installed


@pytest.mark.docker
def test_unreachable_dependencies_give_a_nodeps_image_and_a_warning(docker_client, tmp_path, sandbox_image):
    # A name that no index serves makes pip fail whether or not PyPI is reachable.
    repo = write_tree(tmp_path / "repo", {"requirements.txt": "optimizer-agent-no-such-dist-7f3a==0.0.1\n"})
    try:
        image = ensure_image(docker_client, repo)
        assert image.tag.endswith(NODEPS_SUFFIX) and image.built and not image.dependencies_installed
        assert any("lacks the target's dependencies" in w for w in image.warnings)
        reused = ensure_image(docker_client, repo)
        assert reused.tag == image.tag and not reused.built and reused.warnings
    finally:
        with contextlib.suppress(docker.errors.ImageNotFound):
            docker_client.images.remove(image_tag(repo, ImageConfig()) + NODEPS_SUFFIX, force=True)
