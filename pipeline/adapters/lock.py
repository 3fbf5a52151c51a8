"""The publication lock: one writing bitext run at a time.

A POSIX record lock (``fcntl.lockf``) on ``.bitext.lock`` in the publication
root. Unlike ``flock``, a record lock belongs to the *process*: worker
processes forked by a parallel update do not inherit it, and the kernel
drops it the moment its holder dies (``kill -9`` included), so a lock is
never left behind by a crash and never held by an orphaned worker: a run
that starts after a crash simply gets it, and finds what the crashed run
left half done in its journal (`pipeline.adapters.journal.recover`). The
file's content is never written, so taking the lock changes nothing on disk
but the file's own times: they are set to now, and the lock gives that time
as the file system's clock read before the run read anything
(`pipeline.adapters.update_digests.FileStats` trusts the stat of a file last
changed before it).

The lock file is opened without following symlinks: a ``.bitext.lock`` that
is a symlink or a folder is refused, never followed out of the publication.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import BitextError

LOCK_NAME = ".bitext.lock"


@contextlib.contextmanager
def publication_lock(root: Path, *, wait: bool = False) -> Iterator[int | None]:
    """Hold the publication's lock for the ``with`` block; give the file system's time
    when it was taken, in ns (None where the lock file's times cannot be set).

    Without ``wait`` a lock held by a running bitext is an error; with it,
    the run queues behind it.
    """
    path = root / LOCK_NAME
    shown = LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except IsADirectoryError:
        raise BitextError("is a folder, not bitext's lock file; remove it", path=shown) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BitextError("is a symlink; bitext never follows it (remove it)",
                              path=shown) from None
        raise BitextError(f"cannot open the lock file: {exc.strerror}", path=shown) from exc
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BitextError("another bitext run holds the lock; wait for it to finish "
                                  "(or pass --wait to queue behind it)", path=shown) from None
            raise
        try:
            yield _file_system_now(fd)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _file_system_now(fd: int) -> int | None:
    """The lock file's times set to now and read back: the clock that stamps the
    publication's files (its tick and, on a network file system, the server's), not
    this machine's `time.time_ns`."""
    try:
        os.utime(fd)
        return os.fstat(fd).st_mtime_ns
    except OSError:  # not the owner and not writable, say: no clock, no harm
        return None
