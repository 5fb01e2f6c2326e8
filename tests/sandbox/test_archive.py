"""Tar packing for the container boundary: what is left out, where entries land, what is refused."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from optimizer_agent.sandbox.archive import extract_stream, path_tar, text_tar, tree_tar

from .conftest import write_tree


def _names(data) -> dict[str, tarfile.TarInfo]:
    """Members of a tar given as bytes or a file object."""
    fileobj = io.BytesIO(data) if isinstance(data, bytes) else data
    with tarfile.open(fileobj=fileobj) as tar:
        return {m.name: m for m in tar.getmembers()}


def test_tree_tar_skips_history_and_caches_and_owns_by_root(tmp_path):
    src = write_tree(tmp_path / "src", {"a.py": "x", ".git/HEAD": "h", "pkg/__pycache__/a.pyc": "c", "pkg/b.py": "y"})
    os.symlink("a.py", src / "link.py")
    members = _names(tree_tar(src, "/work/run"))
    assert set(members) == {"work/run", "work/run/a.py", "work/run/link.py", "work/run/pkg", "work/run/pkg/b.py"}
    assert members["work/run/link.py"].issym()
    assert {(m.uid, m.gid) for m in members.values()} == {(0, 0)}


def test_text_and_path_tars_land_at_the_destination(tmp_path):
    assert set(_names(text_tar("/tmp/x/y.txt", "hi"))) == {"tmp/x/y.txt"}
    one = write_tree(tmp_path, {"f.txt": "f"}) / "f.txt"
    assert set(_names(path_tar(one, "/work/g.txt"))) == {"work/g.txt"}
    with pytest.raises(ValueError):
        text_tar("/", "root")


def _tar_of(entries: dict[str, bytes]) -> bytes:
    """A tar whose members are the given name -> content pairs."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_extract_stream_places_the_single_entry_at_dest(tmp_path):
    extract_stream([_tar_of({"out/a.txt": b"a", "out/b/c.txt": b"c"})], tmp_path / "copy")
    assert (tmp_path / "copy" / "a.txt").read_text() == "a"
    assert (tmp_path / "copy" / "b" / "c.txt").read_text() == "c"
    extract_stream([_tar_of({"p.json": b"{}"})], tmp_path / "deep" / "q.json")
    assert (tmp_path / "deep" / "q.json").read_text() == "{}"


def test_extract_stream_refuses_paths_that_escape(tmp_path):
    with pytest.raises(tarfile.TarError):
        extract_stream([_tar_of({"../evil.txt": b"x"})], tmp_path / "dest")
    assert not (tmp_path / "evil.txt").exists()
