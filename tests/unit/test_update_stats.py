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


# The file system's clock read by the lock (``fence``), and what a commit wrote (`learn`).

A_TICK = 0.05  # s: longer than a tick of any kernel's coarse clock (1/HZ: 10 ms at most)


def test_a_file_changed_before_the_lock_is_remembered_and_one_changed_after_is_not(
        tmp_path: Path) -> None:
    from pipeline.adapters.lock import publication_lock

    before, after = tmp_path / "a.po", tmp_path / "b.po"
    before.write_text("bir", encoding="utf-8")
    time.sleep(A_TICK)
    with publication_lock(tmp_path) as fence:
        assert fence is not None and before.stat().st_mtime_ns < fence
        after.write_text("iki", encoding="utf-8")
        restored = tmp_path / "c.po"  # written after the lock, its mtime set back (cp -p)
        restored.write_text("üç", encoding="utf-8")
        os.utime(restored, ns=(fence - 10**9, fence - 10**9))
        stats = FileStats(tmp_path, fence=fence)  # "now": every file is fresh
        assert stats.digest(after) == digest_bytes(b"iki")
        assert stats.digest(restored) == digest_bytes("üç".encode())
        assert not stats.changed  # changed after the lock: a write in its tick looks alike
        assert stats.digest(before) == digest_bytes(b"bir")
        assert stats.changed and list(stats.known) == [str(before)]


def test_the_lock_reads_the_file_systems_clock(tmp_path: Path) -> None:
    """Its times are set when it is taken (its file made by an earlier run, not now)."""
    from pipeline.adapters.lock import publication_lock

    with publication_lock(tmp_path):
        pass  # the lock file exists from here
    time.sleep(A_TICK)
    earlier = tmp_path / "earlier"
    earlier.write_bytes(b"")
    with publication_lock(tmp_path) as fence:
        later = tmp_path / "later"
        later.write_bytes(b"")
    assert fence is not None
    assert earlier.stat().st_mtime_ns <= fence <= later.stat().st_mtime_ns


def _committed(root: Path, data: bytes = b"bir") -> tuple[Path, object]:
    from pipeline.adapters.journal import MISSING, Group, commit

    path = root / "a.po"
    result = commit(root, [Group({path: data}, {path: MISSING})])
    assert result.written == [path] and result.fence_ns is not None
    return path, result


def test_what_a_commit_wrote_is_remembered_at_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path, result = _committed(tmp_path)
    stats = FileStats(tmp_path)  # "now": no file is settled
    stats.learn(result, {path: digest_bytes(b"bir")})  # type: ignore[arg-type]
    stats.save()

    def no_read(path: Path) -> None:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(update_digests, "read_stat", no_read)
    assert FileStats(tmp_path).digest(path) == digest_bytes(b"bir")


@pytest.mark.parametrize("change", ["written in place", "replaced, its times copied"])
def test_a_file_changed_after_the_commit_is_not_taken_for_what_it_wrote(
        tmp_path: Path, change: str) -> None:
    path, result = _committed(tmp_path)
    staged = result.marks[path]  # type: ignore[attr-defined]
    if change == "written in place":  # the same size, right after the rename
        with path.open("r+b") as handle:
            handle.write(b"iki")
    else:  # another inode, the same size and modification time
        other = tmp_path / "other"
        other.write_bytes(b"iki")
        os.utime(other, ns=(staged.mtime_ns, staged.mtime_ns))
        os.replace(other, path)
    stats = FileStats(tmp_path)
    stats.learn(result, {path: digest_bytes(b"bir")})  # type: ignore[arg-type]
    assert not stats.changed
    assert stats.digest(path) == digest_bytes(b"iki")


def test_a_file_staged_in_the_journals_tick_is_not_trusted(tmp_path: Path) -> None:
    """A write after the rename could carry the staged file's modification time."""
    from pipeline.adapters.journal import stamp
    from pipeline.adapters.update_digests import wrote_it

    path = tmp_path / "a.po"
    path.write_bytes(b"bir")
    staged, st = stamp(path), path.stat()
    assert staged.mtime_ns is not None
    assert wrote_it(staged, st, staged.mtime_ns + 1)
    assert not wrote_it(staged, st, staged.mtime_ns)
