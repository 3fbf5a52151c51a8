"""The no-op fast path's stat memo (`update_digests.FileStats`): a changed file is always read."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline.adapters import update_digests
from pipeline.adapters.update_digests import SETTLED_NS, FileStats
from pipeline.keys import digest_bytes


def _later(ns: int = 0) -> int:
    return time.time_ns() + SETTLED_NS + ns + 10**9


def test_a_settled_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    reads = []
    stats = FileStats(tmp_path, now=_later())
    assert stats.value(path, lambda: reads.append(1) or "d1") == "d1"
    stats.save()
    again = FileStats(tmp_path, now=_later())
    assert again.value(path, lambda: reads.append(2) or "d2") == "d1"
    assert reads == [1]
    assert not again.changed  # nothing new: the memo is not written again


@pytest.mark.parametrize("change", ["same size", "mtime restored", "replaced", "chmod"])
def test_a_changed_file_is_read(tmp_path: Path, change: str) -> None:
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    before = path.stat()
    stats = FileStats(tmp_path, now=_later())
    stats.value(path, lambda: "old")
    stats.save()
    _change(path, change, before)
    assert FileStats(tmp_path, now=_later()).value(path, lambda: "new") == "new"


def _change(path: Path, change: str, before: os.stat_result) -> None:
    """Change the file ``path`` (its stat ``before``) in one of four ways."""
    time.sleep(0.01)  # past a clock tick of the file system
    if change == "same size":
        path.write_text("iki", encoding="utf-8")
    elif change == "mtime restored":  # what `touch -d` or `cp -p` can do: ctime still moves
        path.write_text("iki", encoding="utf-8")  # the same size, too
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif change == "replaced":
        other = path.with_name("b.po")
        other.write_text("dör", encoding="utf-8")
        os.replace(other, path)
    else:
        path.chmod(0o600)


def test_a_fresh_file_is_not_remembered(tmp_path: Path) -> None:
    """Changed less than SETTLED_NS ago: a second write in the same tick could look the same."""
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    stats = FileStats(tmp_path)  # now: the file is a few microseconds old
    stats.value(path, lambda: "d1")
    assert not stats.changed
    stats.save()
    assert not (tmp_path / update_digests.STATS).exists()


@pytest.mark.parametrize("damage", [b"{", b"[]", b'{"format": "other", "files": {}}',
                                    b'{"format": "bitext-update-stats 1", "files": {"x": 1}}'])
def test_a_damaged_memo_is_ignored(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    memo = tmp_path / update_digests.STATS
    memo.parent.mkdir()
    memo.write_bytes(damage)
    assert FileStats(tmp_path, now=_later()).value(path, lambda: "read") == "read"


# `FileStats.digest`: the same memo for a file's digest, its stat taken from the open file.

def test_a_settled_files_digest_is_not_read_again(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    stats = FileStats(tmp_path, now=_later())
    assert stats.digest(path) == digest_bytes(b"bir")
    stats.save()

    def no_read(path: Path) -> None:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(update_digests, "read_stat", no_read)
    again = FileStats(tmp_path, now=_later())
    assert again.digest(path) == digest_bytes(b"bir")
    assert not again.changed


@pytest.mark.parametrize("change", ["same size", "mtime restored", "replaced", "chmod"])
def test_a_changed_files_digest_is_read_again(tmp_path: Path, change: str) -> None:
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    before = path.stat()
    stats = FileStats(tmp_path, now=_later())
    stats.digest(path)
    stats.save()
    _change(path, change, before)
    assert FileStats(tmp_path, now=_later()).digest(path) == digest_bytes(path.read_bytes())


def test_a_fresh_files_digest_is_not_remembered(tmp_path: Path) -> None:
    """Racy: a second write in the same clock tick could give the same stat; not trusted."""
    path = tmp_path / "a.po"
    path.write_text("bir", encoding="utf-8")
    stats = FileStats(tmp_path)
    assert stats.digest(path) == digest_bytes(b"bir")
    assert not stats.changed
    path.write_text("iki", encoding="utf-8")  # maybe within the same tick: same size too
    assert stats.digest(path) == digest_bytes(b"iki")


def test_a_missing_file_has_no_digest(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FileStats(tmp_path, now=_later()).digest(tmp_path / "gone.po")
