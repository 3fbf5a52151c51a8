"""Writing a set of files as one step, never over an edit made meanwhile.

`commit` writes a group of files (one document's POT, PO files, translated
Markdown and sync states) so that a crash at any point leaves a publication
the next run can finish:

1. every new content goes to a temporary file beside its target, fsynced;
2. a journal (``.bitext/journal.json``: temporary file, target, and the
   target's stamp as it was read) is written atomically and fsynced;
3. each target is checked once more against its stamp, right before its
   ``os.replace``; the folders are fsynced; the journal is removed.

`recover`, called under the lock at the start of every writing run,
finishes a journal left by a killed run (targets still as they were read
get their new content; one edited since keeps the edit and is reported)
and removes temporary files a killed run left behind.

A *stamp* (inode, size, mtime in ns) is taken before a file is read: if an
editor saves the file while bitext computes, the stamp differs at write
time and the file is left alone (`Conflict`), so the next run takes the
edit in.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.adapters.fs import CLOEXEC, TEMP_SUFFIX, file_digest, write_temporary
from pipeline.errors import BitextError

JOURNAL = Path(".bitext") / "journal.json"


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read: None fields for a file that did not exist."""

    inode: int | None
    size: int | None
    mtime_ns: int | None


MISSING = Stamp(None, None, None)


def stamp(path: Path) -> Stamp:
    """The file's stamp now (``MISSING`` when it does not exist)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return MISSING
    return Stamp(st.st_ino, st.st_size, st.st_mtime_ns)


def stamps(paths: Iterable[Path]) -> dict[Path, Stamp]:
    return {path: stamp(path) for path in paths}


@dataclass(frozen=True)
class Prestaged:
    """A file's new content staged already by the process that computed it (a forked
    child: its bytes never come back here, `prestage`): the temporary file (None: the
    file holds that content already), its stamp, and the content's digest."""

    temp: Path | None
    mark: Stamp
    digest: str


Content = str | bytes | bytearray | Prestaged  # a bytearray: an encoded Markdown


@dataclass(frozen=True)
class Group:
    """Files computed together from what was read (one document's), and the stamps read."""

    files: Mapping[Path, Content]
    read: Mapping[Path, Stamp]


@dataclass
class CommitResult:
    """Files written, and files left alone because they changed after they were read."""

    written: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    # What each written file was when staged (inode, size, modification time), and the
    # file system's time of the journal, written after every temporary file and before
    # the first rename: what `update_digests.FileStats.learn` needs to trust their stats.
    marks: dict[Path, Stamp] = field(default_factory=dict)
    fence_ns: int | None = None


@dataclass
class Staged:
    """A group whose temporary files are written already (`stage`), awaiting `commit`."""

    files: list[Path]  # the group's files
    read: dict[Path, Stamp]  # their stamps as read
    temps: dict[Path, Path] = field(default_factory=dict)  # target -> its temporary file
    marks: dict[Path, Stamp] = field(default_factory=dict)  # target -> its temporary's stamp
    changed: list[Path] = field(default_factory=list)  # saved meanwhile: the group is skipped


def stage(root: Path, group: Group) -> Staged | None:
    """Write ``group``'s temporary files now, to be committed later (`commit`).

    For a parallel run: the files of each document are staged as its result comes,
    while the others are computed. None (nothing written) when a folder the group
    would write into is missing: folders are made by the commit only, so a failed run
    leaves none. A staged group that is not committed is `discard`-ed.
    """
    if not all(folder.is_dir() for folder in {path.parent for path in group.files}):
        return None
    staged = Staged(list(group.files), dict(group.read))
    try:
        _write_temporaries(group, staged)
    except _Failed as failed:
        discard([staged])
        raise _os_error(failed.error, failed.path, root) from failed.error
    return staged


class _Failed(Exception):
    """An `OSError` while writing ``path`` (for the message that names it)."""

    def __init__(self, error: OSError, path: Path):
        super().__init__(str(error))
        self.error, self.path = error, path


def _changed(staged: Staged) -> list[Path]:
    """The group's files whose stamp is no longer the one read."""
    return [p for p in staged.files if p in staged.read and stamp(p) != staged.read[p]]


def _write_temporaries(group: Group, staged: Staged) -> None:
    """Into ``staged``: the files of ``group`` changed since read, or else a temporary file
    for each file whose content would change (encoded and written one file at a time:
    never every file's bytes at once).

    Each target is opened once: its stamp is the open file's, and its bytes are
    compared with the new ones as they are read from it (`holds`; a stat, then a read
    through pathlib, cost twice the system calls; ~760 files in a 200-document update).
    A file found changed stops the group: what it wrote goes, and every changed file
    is listed.
    """
    for path, content in group.files.items():
        try:
            if isinstance(content, Prestaged):
                same, now = content.temp is None, stamp(path)
            else:
                data = _bytes(content)
                same, now = holds(path, data)
            if path in staged.read and now != staged.read[path]:
                discard([staged, group])
                staged.changed = _changed(staged)
                return
            if isinstance(content, Prestaged):
                if content.temp is not None:
                    staged.temps[path], staged.marks[path] = content.temp, content.mark
            elif not same:
                staged.temps[path] = temp = write_temporary(path, data)
                staged.marks[path] = stamp(temp)
                del data
        except OSError as exc:
            raise _Failed(exc, path) from exc


def prestage_pieces(path: Path, pieces: Iterable[bytes]) -> Prestaged:
    """`prestage` for bytes made a piece at a time (a big translation as it is encoded):
    written as they come, never joined, then read back a MiB at a time for their digest
    and compared with the file (the temporary file goes again if they are the same)."""
    import filecmp

    temp = write_temporary(path, pieces)
    try:
        digest = file_digest(temp)
        if path.exists() and filecmp.cmp(temp, path, shallow=False):
            os.unlink(temp)
            return Prestaged(None, MISSING, digest)
        return Prestaged(temp, stamp(temp), digest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def prestage(path: Path, data: bytes | bytearray) -> Prestaged:
    """Stage ``data`` for ``path`` now, in this process, as `stage` would (a temporary
    file beside it, unless it holds those bytes already): for a child that computed
    them, so that they need not travel to the process that commits. The caller checks
    ``path`` first (`Config.inside`, fresh), as before any write."""
    from pipeline.keys import digest_bytes

    if holds(path, data)[0]:
        return Prestaged(None, MISSING, digest_bytes(data))
    temp = write_temporary(path, data)
    return Prestaged(temp, stamp(temp), digest_bytes(data))


_CHUNK = 1 << 20


def holds(path: Path, data: bytes | bytearray) -> tuple[bool, Stamp]:
    """Whether the file at ``path`` holds exactly ``data``, and its stamp as opened.

    Not read when its size differs, and else read a MiB at a time: a big document's
    old PO is never held whole beside the new one (at the end of update, its peak).
    """
    try:
        fd = os.open(path, os.O_RDONLY | CLOEXEC)
    except FileNotFoundError:
        return False, MISSING
    try:
        st = os.fstat(fd)
        found = Stamp(st.st_ino, st.st_size, st.st_mtime_ns)
        if st.st_size != len(data):
            return False, found
        view, at = memoryview(data), 0
        while chunk := os.read(fd, _CHUNK):
            if view[at:at + len(chunk)] != chunk:
                return False, found
            at += len(chunk)
        return at == len(data), found
    finally:
        os.close(fd)


def read_stat(path: Path) -> tuple[bytes, os.stat_result]:
    """A file's bytes and its stat as opened, in one open, fstat and read (pathlib's read
    costs ~6 µs and three system calls more a file; an update reads a thousand)."""
    fd = os.open(path, os.O_RDONLY | CLOEXEC)
    try:
        st = os.fstat(fd)
        data = os.read(fd, st.st_size + 1)  # one more: a file grown since the fstat is seen
        if len(data) != st.st_size:  # grown or shrunk meanwhile: read on to the end
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data, st
    finally:
        os.close(fd)


def discard(staged: Iterable[Staged | Group]) -> None:
    """Remove the temporary files of groups staged and not committed (a `Group`'s: those
    of its `Prestaged` files)."""
    for group in staged:
        temps = group.temps.values() if isinstance(group, Staged) else [
            c.temp for c in group.files.values() if isinstance(c, Prestaged) and c.temp]
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        if isinstance(group, Staged):
            group.temps.clear()


def commit(root: Path, groups: Iterable[Group | Staged]) -> CommitResult:
    """Write every group's files as one step; a group with a file changed under the run is not.

    A file whose stamp is no longer the one read was saved by someone else
    while bitext computed: its group is skipped (its files were computed
    together from what was read) and the file is listed in ``changed``.
    Files whose content would not change are not touched. A `Staged` group has its
    temporary files written already; its stamps are checked again here.
    """
    groups = list(groups)
    result = CommitResult()
    read: dict[Path, Stamp] = {}
    temps: dict[Path, Path] = {}
    marks: dict[Path, Stamp] = {}
    current = root / JOURNAL  # the file being written, for the error message
    staged: list[Staged] = []  # every group's: a failure removes their temporary files
    try:
        for group in groups:
            if isinstance(group, Staged):  # staged earlier: saved since?
                ready = group
                staged.append(ready)
                ready.changed = ready.changed or _changed(ready)
            else:
                ready = Staged(list(group.files), dict(group.read))
                staged.append(ready)  # first: a failure halfway removes what it wrote
                _write_temporaries(group, ready)
            if ready.changed:
                result.changed.extend(ready.changed)
                discard([ready])
                continue
            temps.update(ready.temps)
            marks.update(ready.marks)
            read.update((p, ready.read[p]) for p in ready.temps if p in ready.read)
        if not temps:
            return result
        current = root / JOURNAL
        os.sync()  # one flush for all temporary files, not one fsync each
        result.fence_ns = _write_journal(root, [(temp, p, read.get(p))
                                                for p, temp in temps.items()])
        for path, temp in temps.items():
            current = path
            if path in read and stamp(path) != read[path]:
                # Saved by someone between the check above and now: theirs wins.
                os.unlink(temp)
                result.changed.append(path)
                continue
            os.replace(temp, path)
            result.written.append(path)
            if path in marks:
                result.marks[path] = marks[path]
        os.sync()  # the renames, before the journal that could replay them goes
        _remove_journal(root)
    except _Failed as failed:
        discard([*staged, *groups])
        raise _os_error(failed.error, failed.path, root) from failed.error
    except OSError as exc:
        # the temporary files not renamed yet (a renamed one is not found)
        discard([*staged, *groups])
        raise _os_error(exc, current, root) from exc
    return result


def recover(root: Path, folders: Iterable[Path]) -> list[str]:
    """Finish what a killed run left: its journal, then stray temporary files. Returns notes."""
    notes: list[str] = []
    journal = root / JOURNAL
    if journal.exists():
        try:
            rows = json.loads(journal.read_text(encoding="utf-8"))["files"]
            for temp_name, target_name, was in rows:
                temp, target = root / temp_name, root / target_name
                if not temp.exists():
                    continue  # replaced before the crash
                expected = Stamp(*was) if was is not None else None
                if expected is not None and stamp(target) != expected:
                    os.unlink(temp)
                    notes.append(f"{target_name}: changed after the interrupted run read it; "
                                 "kept as it is")
                    continue
                os.replace(temp, target)
                notes.append(f"{target_name}: finished the interrupted run's write")
        except (ValueError, KeyError, TypeError):
            notes.append(f"{JOURNAL.as_posix()}: unreadable journal of an interrupted run; "
                         "ignored (the next update recomputes every file)")
        _remove_journal(root)
    for folder in [root / JOURNAL.parent, *folders]:
        if folder.is_dir() and not folder.is_symlink():
            for temp in folder.rglob(f"*{TEMP_SUFFIX}"):
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
    return notes


def _bytes(content: str | bytes | bytearray) -> bytes | bytearray:
    return content.encode("utf-8") if isinstance(content, str) else content


def _write_journal(root: Path, rows: list[tuple[Path, Path, Stamp | None]]) -> int | None:
    """Write the journal; return its modification time (the file system's clock now)."""
    journal = root / JOURNAL
    data = {"files": [
        [temp.relative_to(root).as_posix(), target.relative_to(root).as_posix(),
         None if was is None else [was.inode, was.size, was.mtime_ns]]
        for temp, target, was in rows
    ]}
    temp = write_temporary(journal, json.dumps(data).encode("utf-8"))
    written = stamp(temp).mtime_ns
    os.replace(temp, journal)
    os.sync()
    return written


def _remove_journal(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (root / JOURNAL).unlink()
    # Leave no empty .bitext/ behind: the folder is the machine-translation cache's to create
    # (with its .gitignore, pipeline.adapters.mt).
    with contextlib.suppress(OSError):
        (root / JOURNAL).parent.rmdir()


def _os_error(exc: OSError, path: Path, root: Path) -> BitextError:
    """A write that failed, named as the user sees the file (nothing was replaced yet, or
    the journal finishes it)."""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if exc.errno == errno.ENOSPC:
        return BitextError(f"disk full while writing {shown}; nothing changed")
    return BitextError(f"cannot write: {exc.strerror}", path=shown)
