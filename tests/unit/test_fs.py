"""Atomic writes: unchanged files untouched, modes kept, strict UTF-8 reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.adapters.fs import read_text, write_atomic
from pipeline.errors import BitextError


def test_new_file_gets_the_umask_mode_not_a_private_one(tmp_path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert write_atomic(tmp_path / "a.po", "x")
    assert (tmp_path / "a.po").stat().st_mode & 0o777 == 0o666 & ~umask
    assert write_atomic(tmp_path / "a.pdf", b"%PDF-1.7\x00")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.7\x00"
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o666 & ~umask


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text("old")
    path.chmod(0o664)
    assert write_atomic(path, "new")
    assert (path.read_text(), path.stat().st_mode & 0o777) == ("new", 0o664)


def test_unchanged_content_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text("same")
    os.utime(path, ns=(1, 1))
    assert not write_atomic(path, "same")
    assert path.stat().st_mtime_ns == 1
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("bir\niki\nüç \xff\n".encode("latin-1"))
    with pytest.raises(BitextError) as caught:
        read_text(path, shown="a.md")
    assert str(caught.value).startswith("a.md:3: not valid UTF-8")


def test_a_cache_is_written_in_place(tmp_path: Path) -> None:
    from pipeline.adapters.fs import write_cache

    path = tmp_path / "cache.json"
    write_cache(path, "uzun bir önbellek")
    inode = path.stat().st_ino
    write_cache(path, b"kisa")
    assert path.read_bytes() == b"kisa" and path.stat().st_ino == inode  # no new file


def test_a_cache_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    from pipeline.adapters.fs import write_cache

    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    link = tmp_path / "cache.json"
    link.symlink_to(outside)
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        write_cache(link, "overwritten")
    assert outside.read_text(encoding="utf-8") == "keep me"
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        write_cache(folder, "x")
    fifo = tmp_path / "fifo.json"  # nobody reads it: the write must not wait
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="No such device"):  # ENXIO
        write_cache(fifo, "x")


def test_a_files_digest_and_a_needle_are_found_a_mib_at_a_time(tmp_path: Path) -> None:
    """The needle across two reads is found; the digest is the whole file's."""
    from pipeline.adapters.fs import digest_and_find
    from pipeline.keys import digest_bytes

    needle = b"<!-- bitext conflict: "
    path = tmp_path / "big.md"
    for at in (0, (1 << 20) - 5, (1 << 20) - len(needle), (1 << 20) - 1, 1 << 20,
               (2 << 20) - 3):
        data = bytearray(b"a" * ((2 << 20) + 100))
        data[at:at + len(needle)] = needle
        path.write_bytes(bytes(data))
        assert digest_and_find(path, needle) == (digest_bytes(bytes(data)), True), at
    path.write_bytes(b"a" * ((1 << 20) + 7) + needle[:-1])
    assert digest_and_find(path, needle) == (digest_bytes(path.read_bytes()), False)
