"""Tar streams in and out of containers: the only way files cross the Docker boundary."""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

# Staged trees leave out history, caches and our own run folders, as the local backend does.
STAGE_IGNORE = frozenset({".git", "__pycache__", ".optimizer-agent"})
FILE_MODE = 0o644
SPOOL_BYTES = 8 * 1024**2


def _as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Own every entry by root, readable by all and writable by no one else: the sandbox user may read
    (and run) it but never change it."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    readable = 0o555 if info.isdir() or info.mode & 0o100 else 0o444
    info.mode = (info.mode & ~0o022) | readable
    return info


def _member_name(path: str) -> str:
    """Turn an absolute container path into a tar member name extracted relative to '/'."""
    name = os.path.normpath(path).lstrip("/")
    if not name or name == ".":
        raise ValueError(f"refusing to write to the container root: {path!r}")
    return name


def tree_tar(src: Path, dest: str, ignore: frozenset[str] = STAGE_IGNORE) -> IO[bytes]:
    """Pack the host tree `src` so that it unpacks at the container path `dest` (put to '/')."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    root = _member_name(dest)
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.add(src, arcname=root, recursive=False, filter=_as_root)
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if d not in ignore)
            rel = os.path.relpath(dirpath, src)
            for entry in dirnames + sorted(f for f in filenames if f not in ignore):
                arc = os.path.normpath(os.path.join(root, rel, entry))
                tar.add(os.path.join(dirpath, entry), arcname=arc, recursive=False, filter=_as_root)
    out.seek(0)
    return out


def path_tar(src: Path, dest: str) -> IO[bytes]:
    """Pack one host file or folder so that it unpacks at the container path `dest`."""
    if Path(src).is_dir():
        return tree_tar(Path(src), dest, ignore=frozenset())
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.add(src, arcname=_member_name(dest), filter=_as_root)
    out.seek(0)
    return out


def text_tar(dest: str, content: str) -> bytes:
    """Pack one text file that unpacks at the container path `dest`."""
    data = content.encode()
    info = _as_root(tarfile.TarInfo(_member_name(dest)))
    info.size = len(data)
    info.mode = FILE_MODE
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def extract_stream(chunks: Iterable[bytes], dest: Path) -> None:
    """Unpack a get_archive stream (one top-level entry) so that the entry itself lands at `dest`."""
    with tempfile.TemporaryDirectory(prefix="oa-out-") as scratch, tempfile.TemporaryFile() as raw:
        for chunk in chunks:
            raw.write(chunk)
        raw.seek(0)
        with tarfile.open(fileobj=raw, mode="r") as tar:
            tops = {m.name.split("/", 1)[0] for m in tar.getmembers()}
            # The container is untrusted: the data filter refuses links and paths that escape `scratch`.
            tar.extractall(scratch, filter="data")
        if len(tops) != 1:
            raise ValueError(f"expected one top-level entry in the archive, got {sorted(tops)}")
        entry = Path(scratch) / tops.pop()
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if entry.is_dir():
            shutil.copytree(entry, dest, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, dest)
