"""Files: strict UTF-8 reads, atomic writes (and, re-exported, the publication lock).

Every write goes through `write_atomic`: a temporary file in the same folder,
then `os.replace`, so a reader never sees half a file; a file whose content
would not change is not touched at all (its mtime stays).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.adapters.lock import publication_lock
from pipeline.errors import BitextError

# Every temporary file bitext writes ends so; `pipeline.adapters.journal.recover` sweeps them.
TEMP_SUFFIX = ".bitext-tmp"
CLOEXEC = getattr(os, "O_CLOEXEC", 0)  # for os.open: no child a run forks inherits the file

__all__ = [
    "CLOEXEC",
    "TEMP_SUFFIX",
    "decode",
    "mode_for",
    "publication_lock",
    "read_bytes",
    "read_text",
    "write_all",
    "write_atomic",
    "write_cache",
    "write_temporary",
]


def read_text(path: Path, *, shown: str | None = None) -> str:
    """Read a UTF-8 file exactly (no newline translation; a BOM is kept)."""
    shown = shown or str(path)
    return decode(read_bytes(path, shown=shown), shown=shown)


def read_bytes(path: Path, *, shown: str | None = None) -> bytes:
    """A file's bytes; a missing or unreadable file is a `BitextError` naming it."""
    shown = shown or str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BitextError("file not found", path=shown) from None
    except IsADirectoryError:
        raise BitextError("is a folder, not a file", path=shown) from None
    except OSError as exc:
        raise BitextError(f"cannot read: {exc.strerror}", path=shown) from exc


def file_digest(path: Path) -> str:
    """A file's digest (`pipeline.keys.digest_bytes`), read a MiB at a time."""
    from pipeline.keys import digest_chunks

    with open(path, "rb") as handle:
        return digest_chunks(iter(lambda: handle.read(1 << 20), b""))


def digest_and_find(path: Path, needle: bytes) -> tuple[str, bool]:
    """A file's digest (`pipeline.keys.digest_bytes`) and whether it holds ``needle``,
    read a MiB at a time (never whole). An `OSError` as reading raises it."""
    from pipeline.keys import digest_chunks

    found = False
    with open(path, "rb") as handle:
        def chunks() -> Iterator[bytes]:
            nonlocal found
            tail = b""
            while chunk := handle.read(1 << 20):
                found = found or needle in tail + chunk[:len(needle) - 1] or needle in chunk
                tail = chunk[-(len(needle) - 1):] if len(needle) > 1 else b""
                yield chunk

        return digest_chunks(chunks()), found


def decode(data: bytes, *, shown: str) -> str:
    """Decode UTF-8 strictly; the error names the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BitextError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=shown,
            line=line,
        ) from exc


def write_atomic(path: Path, content: str | bytes) -> bool:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` atomically.

    Returns False, touching nothing, when the file already holds exactly that.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    tmp = write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def write_temporary(path: Path, data: bytes | bytearray | Iterable[bytes]) -> Path:
    """``data`` (or its pieces, written as they come) in a new temporary file beside
    ``path`` (``.<name>.XXXX.bitext-tmp``)."""
    import tempfile  # here: its import (with shutil's, ~3 ms) is for runs that write

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes | bytearray):
                handle.write(data)
            else:
                handle.writelines(data)
        # mkstemp makes the file private (0600); give it the mode the file had, or the
        # mode a plain open() would give a new file under the user's umask.
        os.chmod(name, mode_for(path))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return Path(name)


def mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# Read once, at import: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = _read_umask()


def write_all(files: dict[Path, str]) -> list[Path]:
    """Write several files, each atomically, after all content is ready; return those changed."""
    return [path for path, text in files.items() if write_atomic(path, text)]


# bitext's working folders (`.bitext/` and those in it): caches, never the publication's
WORKING_IGNORE = "# bitext's working files (caches); not for the repository\n*\n"


def write_cache(path: Path, content: str | bytes) -> None:
    """Write one of bitext's own caches in place: no temporary file, no rename.

    A cache is checked when it is read (a torn write is a damaged cache: ignored, its
    work done again), so it needs no atomic replace; written in place it keeps its
    inode, and creating a file is most of a small write's cost (on ext4 0.2-1.5 ms,
    more after many files were freed: an update of 200 documents writes 200 memos). A
    link in its place is not followed (``O_NOFOLLOW``: the write fails; the caller's
    cache is best effort), nor is anything but a plain file written.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    # O_NONBLOCK: a FIFO put in its place fails at once (ENXIO), never waits for a reader
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | CLOEXEC,
                 0o666)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a plain file", str(path))
        os.ftruncate(fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def working_folder(folder: Path) -> None:
    """Make ``folder`` if it is missing, with a ``.gitignore`` of its own (``*``), so that
    what bitext keeps there is not committed by accident."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        write_atomic(ignore, WORKING_IGNORE)
