"""Sandbox images: one per target, tagged by a hash of its dependency files, built only when missing."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors
from pydantic import BaseModel, Field

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox.base_image import BaseImageConfig, build_base_image, image_exists
from optimizer_agent.sandbox.daemon import LABEL, docker_errors
from optimizer_agent.sandbox.requirements import dependency_files, read_requirements

IMAGE_REPO = "optimizer-agent/py"
NODEPS_SUFFIX = "-nodeps"
HASH_CHARS = 12
PULL_TIMEOUT_S = 20.0
BUILD_LOG_TAIL = 600
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
DOCKERFILE = Path(__file__).resolve().parents[2] / "sandboxes" / "python.Dockerfile"
REQUIREMENTS_NAME = "oa-requirements.txt"
CA_NAME = "oa-ca.crt"


class _BuildFailed(Exception):
    """A docker build that ran and failed; carries the end of its log."""


class ImageConfig(BaseModel):
    """How the target's sandbox image is found or built."""

    python_version: str = "3.11"
    """Python of the `python:<ver>-slim` base (the offline base has Debian's, 3.11 on bookworm)."""
    base: str | None = None
    """An explicit base image; None tries python:<ver>-slim, then the offline base."""
    pull_timeout: float = PULL_TIMEOUT_S
    """Seconds to wait for a registry before falling back to the offline base."""
    offline_base: BaseImageConfig = Field(default_factory=BaseImageConfig)
    """Recipe for the offline base, built when nothing else is available."""
    pip_cert: Path | None = None
    """CA bundle for pip during builds, for networks behind a TLS-intercepting proxy."""
    dockerfile: Path = DOCKERFILE
    """The Dockerfile template; its text is part of the image hash."""
    retry_dependencies: bool = False
    """Try pip again even though an image without the dependencies exists from an earlier failure."""


class SandboxImage(BaseModel):
    """The image a run's container starts from."""

    tag: str
    built: bool
    """True when this call built it; False when it was reused."""
    dependencies_installed: bool
    """False when pip could not install the target's dependencies and the image lacks them."""
    warnings: list[str] = []


def image_tag(repo: Path, config: ImageConfig) -> str:
    """`optimizer-agent/py:<hash12>` over the dependency files, the Dockerfile and the base choice."""
    digest = hashlib.sha256()
    digest.update(config.dockerfile.read_bytes())
    digest.update(f"\0python={config.python_version}\0base={config.base or ''}\0".encode())
    for path in dependency_files(repo):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{IMAGE_REPO}:{digest.hexdigest()[:HASH_CHARS]}"


def choose_base(client: docker.DockerClient, config: ImageConfig, log: Callable[[str], None]) -> str:
    """The configured base, else python:<ver>-slim (local or quickly pulled), else the offline base."""
    if config.base:
        return config.base
    slim = f"python:{config.python_version}-slim"
    if image_exists(client, slim) or _pull(client, slim, config.pull_timeout):
        return slim
    log(f"{slim} is not available; using the offline base {config.offline_base.tag}")
    return build_base_image(client, config.offline_base, log=log)


def _pull(client: docker.DockerClient, ref: str, timeout: float) -> bool:
    """Try to pull `ref` for at most `timeout` seconds; False on any failure."""
    outcome: list[bool] = []

    def attempt() -> None:
        try:
            repository, _, tag = ref.rpartition(":")
            client.images.pull(repository, tag=tag)
            outcome.append(True)
        except Exception:  # any registry failure means "not pullable"; the fallback explains itself
            outcome.append(False)

    worker = threading.Thread(target=attempt, name="oa-pull", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(outcome and outcome[0])


def ensure_image(
    client: docker.DockerClient,
    repo: Path,
    config: ImageConfig | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> SandboxImage:
    """Reuse the target's image when its tag exists; otherwise build it (without deps if pip fails)."""
    config = config or ImageConfig()
    requirements = read_requirements(repo)
    notes = list(requirements.notes)
    tag = image_tag(repo, config)
    nodeps = tag + NODEPS_SUFFIX
    if image_exists(client, tag):
        return SandboxImage(tag=tag, built=False, dependencies_installed=True, warnings=notes)
    if not config.retry_dependencies and image_exists(client, nodeps):
        notes.append(_nodeps_warning(nodeps, "an earlier build could not install them"))
        return SandboxImage(tag=nodeps, built=False, dependencies_installed=False, warnings=notes)
    base = choose_base(client, config, log)
    log(f"building {tag} from {base}")
    try:
        _build(client, config, base, tag, requirements.lines, install_deps=True)
        return SandboxImage(tag=tag, built=True, dependencies_installed=True, warnings=notes)
    except _BuildFailed as exc:
        if not requirements.lines:
            raise SandboxUnavailable(f"building {tag} failed: {exc}") from exc
        reason = f"pip failed: {exc}"
    log(f"the target's dependencies could not be installed; building {nodeps} without them")
    try:
        _build(client, config, base, nodeps, requirements.lines, install_deps=False)
    except _BuildFailed as exc:
        raise SandboxUnavailable(f"building {nodeps} failed: {exc}") from exc
    notes.append(_nodeps_warning(nodeps, reason))
    return SandboxImage(tag=nodeps, built=True, dependencies_installed=False, warnings=notes)


def _nodeps_warning(tag: str, reason: str) -> str:
    """The one-line warning for an image that lacks the target's dependencies."""
    return (
        f"the sandbox image {tag} lacks the target's dependencies ({reason}); tests that import them will fail. "
        f"Remove the image (docker rmi {tag}) to retry once PyPI is reachable."
    )


def _build(
    client: docker.DockerClient, config: ImageConfig, base: str, tag: str, lines: list[str], install_deps: bool
) -> None:
    """Assemble the build context in a temp dir and build `tag` from it."""
    with tempfile.TemporaryDirectory(prefix="oa-image-") as ctx:
        context = Path(ctx)
        shutil.copyfile(config.dockerfile, context / "Dockerfile")
        (context / REQUIREMENTS_NAME).write_text("".join(line + "\n" for line in lines))
        if config.pip_cert is not None:
            shutil.copyfile(config.pip_cert, context / CA_NAME)
        else:
            (context / CA_NAME).write_bytes(b"")
        with docker_errors(f"build {tag}"):
            try:
                client.images.build(
                    path=str(context),
                    tag=tag,
                    buildargs={"BASE": base, "INSTALL_DEPS": "1" if install_deps else "0"},
                    labels={LABEL: "1", f"{LABEL}.base": base, f"{LABEL}.deps": "yes" if install_deps else "no"},
                    rm=True,
                    forcerm=True,
                    pull=False,
                )
            except docker.errors.BuildError as exc:
                raise _BuildFailed(_log_tail(exc)) from exc


def _log_tail(exc: docker.errors.BuildError) -> str:
    """The error lines of a failed build's log (else its end), as one line."""
    text = "".join(chunk.get("stream", "") or chunk.get("error", "") for chunk in exc.build_log or [])
    lines = [ANSI_ESCAPE.sub("", line).strip() for line in (text or str(exc)).splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if line.startswith("ERROR")]
    return " | ".join(errors or lines)[-BUILD_LOG_TAIL:]
