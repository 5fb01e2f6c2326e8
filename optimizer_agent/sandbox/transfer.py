"""Moving files in and out of a running container, tmpfs mounts included.

Docker's archive endpoints only see the container's own filesystem and its volumes: a tar put
under a tmpfs mount (our /tmp) lands silently *beneath* the mount, and reading from one fails.
Paths under a tmpfs therefore go through a staging folder on the container's disk plus `cp -a`.
"""

from __future__ import annotations

import contextlib
import posixpath
import uuid
from pathlib import Path
from typing import IO

from optimizer_agent.errors import SandboxUnavailable
from optimizer_agent.sandbox import archive

STAGING_DIR = ".oa-transfer"
# Docker always mounts a tmpfs here, whatever the run's config says.
IMPLICIT_TMPFS = ("/dev/shm",)

# $1 staged source, $2 destination, $3 staging folder to remove afterwards. Folders merge, as in the local backend.
_PLACE = r"""
mkdir -p -- "$(dirname -- "$2")" || exit
if [ -d "$1" ]; then mkdir -p -- "$2" && cp -a -- "$1/." "$2/"; else cp -a -- "$1" "$2"; fi
rc=$?; rm -rf -- "$3"; exit $rc
"""


class ContainerFiles:
    """Puts and gets files in one container, working around the archive API's blind spots."""

    def __init__(self, container, workdir: str) -> None:
        self.container = container
        self.workdir = workdir
        tmpfs = container.attrs.get("HostConfig", {}).get("Tmpfs") or {}
        self.tmpfs = tuple(tmpfs) + IMPLICIT_TMPFS

    def on_tmpfs(self, path: str) -> bool:
        """True when `path` lies under a tmpfs mount that the archive API cannot see."""
        path = posixpath.normpath(path)
        return any(path == m or path.startswith(m.rstrip("/") + "/") for m in self.tmpfs)

    def put(self, dest: str, pack) -> None:
        """Unpack the tar that `pack(target)` builds so that its entry ends up at `dest`."""
        if not self.on_tmpfs(dest):
            with _opened(pack(dest)) as data:
                self._put_archive(data)
            return
        staging = self._staging()
        staged = posixpath.join(staging, posixpath.basename(dest.rstrip("/")) or "root")
        with _opened(pack(staged)) as data:
            self._put_archive(data)
        self.run(["bash", "-c", _PLACE, "oa-place", staged, dest, staging])

    def get_chunks(self, src: str):
        """Yield the tar stream of `src`; its single top-level entry is the file or folder itself."""
        if not self.on_tmpfs(src):
            yield from self.container.get_archive(src)[0]
            return
        staging = self._staging()
        staged = posixpath.join(staging, posixpath.basename(src.rstrip("/")) or "root")
        try:
            # Root here has no CAP_CHOWN, so files the sandbox user wrote are copied without their owner.
            fetch = 'mkdir -p -- "$2" && cp -a --no-preserve=ownership -- "$1" "$3"'
            self.run(["bash", "-c", fetch, "oa-fetch", src, staging, staged])
            yield from self.container.get_archive(staged)[0]
        finally:
            with contextlib.suppress(SandboxUnavailable):
                self.run(["rm", "-rf", "--", staging])

    def run(self, argv: list[str]) -> None:
        """Run a housekeeping command; raise SandboxUnavailable with its output if it fails."""
        code, output = self.container.exec_run(argv)
        if code != 0:
            text = output.decode(errors="replace").strip()
            raise SandboxUnavailable(f"sandbox file operation failed ({argv[0]}, exit {code}): {text}")

    def _staging(self) -> str:
        """A fresh staging folder path on the container's disk."""
        return posixpath.join(self.workdir, STAGING_DIR, uuid.uuid4().hex)

    def _put_archive(self, data: bytes | IO[bytes]) -> None:
        """Unpack a tar with member names relative to '/'."""
        if not self.container.put_archive("/", data):
            raise SandboxUnavailable("Docker refused to unpack an archive into the sandbox")


@contextlib.contextmanager
def _opened(data: bytes | IO[bytes]):
    """Close spooled tar files once sent; pass bytes through."""
    if isinstance(data, bytes):
        yield data
        return
    with data:
        yield data


def pack_text(content: str):
    """A packer for `ContainerFiles.put` that writes one text file."""
    return lambda target: archive.text_tar(target, content)


def pack_path(src: Path):
    """A packer for `ContainerFiles.put` that copies one host file or folder."""
    return lambda target: archive.path_tar(Path(src), target)


def pack_tree(src: Path):
    """A packer for `ContainerFiles.put` that stages a source tree without .git and caches."""
    return lambda target: archive.tree_tar(Path(src), target)
