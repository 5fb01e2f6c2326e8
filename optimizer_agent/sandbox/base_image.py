"""The offline base image: debootstrap a minimal Debian with Python and pytest, then `docker import` it.

For machines where no registry answers. It needs root, debootstrap and the Debian mirror that
apt already uses. py-spy is not packaged in bookworm, so the static py-spy binary that ships with
optimizer-agent's own environment is copied in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors
from pydantic import BaseModel, Field

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox.daemon import LABEL, docker_errors

OFFLINE_BASE_TAG = "optimizer-agent/base:bookworm"
DEFAULT_SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
APT_SOURCES = (Path("/etc/apt/sources.list"), Path("/etc/apt/sources.list.d"))
BASE_PACKAGES = (
    "python3",
    "python3-venv",
    "python3-pip",
    "python3-pytest",
    "python-is-python3",
    "procps",
    "ca-certificates",
)
DEBOOTSTRAP_TIMEOUT_S = 1800
LOG_TAIL_CHARS = 1500
# Caches and indexes that only apt needs; dropping them halves the image.
TRIM_PATHS = ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man")
IMPORT_CHANGES = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    f"LABEL {LABEL}.base=offline",
    'CMD ["bash"]',
]


def _default_py_spy() -> Path | None:
    """The py-spy binary next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    if beside.is_file():
        return beside
    found = shutil.which("py-spy")
    return Path(found) if found else None


class BaseImageConfig(BaseModel):
    """What goes into the offline base image and where it comes from."""

    tag: str = OFFLINE_BASE_TAG
    """Name the imported image gets."""
    suite: str = DEFAULT_SUITE
    """Debian release to bootstrap."""
    mirror: str | None = None
    """Debian mirror; None takes the one apt uses for `suite`, else deb.debian.org."""
    packages: list[str] = Field(default_factory=lambda: list(BASE_PACKAGES))
    """Packages installed besides the minbase set."""
    py_spy: Path | None = Field(default_factory=_default_py_spy)
    """Static py-spy binary copied to /usr/local/bin; None leaves py-spy to the image build."""


def apt_mirror(suite: str, sources: tuple[Path, ...] = APT_SOURCES) -> str | None:
    """The first `deb` URI that apt's configuration serves `suite` from, or None."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(p for p in source.iterdir() if p.suffix in (".list", ".sources")))
        elif source.is_file():
            files.append(source)
    for path in files:
        text = path.read_text(errors="replace")
        uri = _deb822_uri(text, suite) if path.suffix == ".sources" else _one_line_uri(text, suite)
        if uri:
            return uri
    return None


def _one_line_uri(text: str, suite: str) -> str | None:
    """Find `suite` in one-line-style sources: `deb [options] URI SUITE COMPONENTS`."""
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2 and words[1] == suite:
            return words[0]
    return None


def _deb822_uri(text: str, suite: str) -> str | None:
    """Find `suite` in deb822-style sources (paragraphs of `Field: value`)."""
    for paragraph in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in paragraph.splitlines():
            if line.startswith("#") or ":" not in line or line[0].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" in fields.get("types", "").split() and suite in fields.get("suites", "").split():
            uris = fields.get("uris", "").split()
            if uris:
                return uris[0]
    return None


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    """True when the daemon has an image called `tag`."""
    with docker_errors(f"look up image {tag}"):
        try:
            client.images.get(tag)
        except docker.errors.ImageNotFound:
            return False
    return True


def build_base_image(
    client: docker.DockerClient,
    config: BaseImageConfig | None = None,
    force: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
) -> str:
    """Make the offline base image unless it exists (or `force`); return its tag."""
    config = config or BaseImageConfig()
    if not force and image_exists(client, config.tag):
        return config.tag
    debootstrap = shutil.which("debootstrap") or shutil.which("debootstrap", path="/usr/sbin:/sbin")
    if debootstrap is None:
        raise SandboxUnavailable("building the offline base image needs debootstrap (apt-get install debootstrap)")
    if os.geteuid() != 0:
        raise SandboxUnavailable("building the offline base image needs root (debootstrap creates device files)")
    mirror = config.mirror or apt_mirror(config.suite) or DEFAULT_MIRROR
    with tempfile.TemporaryDirectory(prefix="oa-base-") as scratch:
        root = Path(scratch) / "rootfs"
        log(f"debootstrap {config.suite} from {mirror} (a few minutes)")
        argv = [debootstrap, "--variant=minbase", "--include=" + ",".join(config.packages), config.suite, str(root), mirror]
        _run(argv, "debootstrap")
        _finish_rootfs(root, config.py_spy)
        tarball = Path(scratch) / "rootfs.tar"
        _run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(tarball), "."], "tar")
        repository, _, tag = config.tag.rpartition(":")
        log(f"docker import as {config.tag}")
        with docker_errors(f"import the base image {config.tag}"):
            client.api.import_image(src=str(tarball), repository=repository, tag=tag, changes=IMPORT_CHANGES)
    return config.tag


def _finish_rootfs(root: Path, py_spy: Path | None) -> None:
    """Drop apt's caches and docs, and add py-spy."""
    for rel in TRIM_PATHS:
        target = root / rel
        if target.is_dir():
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
    if py_spy is not None:
        dest = root / "usr/local/bin/py-spy"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(py_spy, dest)
        dest.chmod(0o755)


def _run(argv: list[str], what: str) -> None:
    """Run a build step; a failure becomes SandboxUnavailable with the end of its log."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=DEBOOTSTRAP_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise SandboxUnavailable(f"{what} took longer than {DEBOOTSTRAP_TIMEOUT_S} s") from exc
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-LOG_TAIL_CHARS:].strip().replace("\n", " | ")
        raise SandboxUnavailable(f"{what} failed (exit {done.returncode}): {tail}")
