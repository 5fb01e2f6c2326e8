"""Fixtures for the sandbox backends: a Docker client (skip or fail without a daemon), the image, one container."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

REQUIRE_DOCKER_ENV = "OA_REQUIRE_DOCKER"
TARGET_FILES = {
    "pkg/__init__.py": "",
    "pkg/slow.py": """
        def total(n):
            s = 0
            for i in range(n):
                s += i * i
            return s
    """,
    "tests/test_slow.py": """
        from pkg.slow import total

        def test_total():
            assert total(4) == 14
    """,
    "bench.py": """
        from pkg.slow import total
        print(total(3_000_000))
    """,
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write dedented `files` under `root` and return it."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture(scope="session")
def docker_client():
    """A client for the local daemon; skips without one unless OA_REQUIRE_DOCKER=1 makes that a failure."""
    from optimizer_agent.sandbox.daemon import connect, docker_available

    if not docker_available():
        reason = f"no Docker daemon answers (set {REQUIRE_DOCKER_ENV}=1 to make this a failure)"
        if os.environ.get(REQUIRE_DOCKER_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    client = connect()
    yield client
    client.close()


@pytest.fixture(scope="session")
def target_repo(tmp_path_factory) -> Path:
    """A small importable project with a test and a bench script."""
    return write_tree(tmp_path_factory.mktemp("target"), TARGET_FILES)


@pytest.fixture(scope="session")
def sandbox_image(docker_client, target_repo) -> str:
    """The target's sandbox image, built once per session (the offline base too, if it is missing)."""
    from optimizer_agent.sandbox.images import ensure_image

    return ensure_image(docker_client, target_repo).tag


@pytest.fixture(scope="session")
def docker_sandbox(docker_client, sandbox_image, target_repo):
    """One container shared by the tests that leave it as they found it."""
    from optimizer_agent.sandbox.docker import DockerConfig, DockerSandbox

    config = DockerConfig(image=sandbox_image, run_id="pytest-shared", repo=target_repo)
    with DockerSandbox(config, client=docker_client) as sandbox:
        yield sandbox
