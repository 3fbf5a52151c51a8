"""Worker processes that never outlive the run that started them.

A parallel update forks workers; if the parent is killed (``kill -9``, a
closed terminal), Linux would let them run on. `die_with_parent`, the
pool's initializer, asks the kernel to send them SIGKILL when their parent
dies (``prctl(PR_SET_PDEATHSIG)``), and exits at once if the parent is
already gone. Elsewhere it does nothing: the workers only compute, never
write, and the lock is not theirs (`pipeline.adapters.lock`).

`in_child` runs one piece of a big document's update beside the rest (its
catalog rendered while the translation is rendered), in a forked child that
dies with its parent too.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO, Generic, TypeVar, cast

T = TypeVar("T")
K = TypeVar("K")

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer (``initargs=(os.getpid(),)``): be killed with ``parent`` (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    # The process's own symbols, libc's among them: `ctypes.util.find_library("c")` ran
    # ldconfig in a subprocess, a fork of this big process in each child (10 ms each).
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

    Called before a big fork: a child's resident size starts at its parent's, and pages
    the parent freed but kept (a catalog's strings, dropped after its merge) would be
    counted in both, at the peak of update's memory. Elsewhere it does nothing.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None).malloc_trim(0)


def _result_file() -> int:
    """A file for a child's result, in memory and never named (Linux), else in TMPDIR.

    Not a pipe: a pipe holds 64 KB, so a child whose result is a 9 MB catalog waited,
    blocked, until this process came to read it (40 ms a result, after the wait, in a
    big document's update); a file takes it all at once and the child is gone.
    """
    if hasattr(os, "memfd_create"):
        return os.memfd_create("bitext-result", os.MFD_CLOEXEC)
    import tempfile

    with tempfile.TemporaryFile() as unnamed:
        return os.dup(unnamed.fileno())  # the file lives as long as this descriptor


# Children whose result was taken, still exiting (a process of 180 MB takes 15 ms to go).
_EXITING: list[int] = []


def reap() -> None:
    """Wait for the children `in_child` took a result from (none is left a zombie)."""
    while _EXITING:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_EXITING.pop(), 0)


_RELEASE_EVERY = 2 << 20


class Pieces:
    """Bytes a child's ``compute`` returns in pieces (in its result, or in a tuple that is
    its result): written to the parent one piece after the other, not joined first (a
    big catalog's old blocks, copied from its file), and read there as one bytes value."""

    def __init__(self, pieces: list[bytes | memoryview], release: mmap.mmap | None = None):
        self.pieces, self.release = pieces, release

    def write_to(self, out: BinaryIO) -> None:
        """Write the pieces; ``release``: the mapped file they are views of, whose pages
        are dropped from this process every few MiB written (they stay in the page cache:
        the file is read once, its size never resident at once)."""
        written = 0
        for piece in self.pieces:
            out.write(piece)
            written += len(piece)
            if self.release is not None and written >= _RELEASE_EVERY:
                out.flush()
                self.release.madvise(mmap.MADV_DONTNEED)
                written = 0

    def joined(self) -> bytes:
        return b"".join(self.pieces)


class _Tail:
    """Where a `Pieces` was, in a child's pickled result: so many bytes after the pickle."""

    def __init__(self, pieces: Pieces):
        self.size = sum(len(p) for p in pieces.pieces)


def _each(value: object, kind: type[K], change: Callable[[K], object]) -> object:
    """``value`` (a result, or a tuple that is one) with each ``kind`` in it changed."""
    if isinstance(value, kind):
        return change(value)
    if isinstance(value, tuple) and any(isinstance(v, kind) for v in value):
        return tuple(change(v) if isinstance(v, kind) else v for v in value)
    return value


class Waited(Generic[T]):
    """The result of work started in a child (`in_child`), waited for once."""

    def __init__(self, wait: Callable[[], T]):
        self._wait: Callable[[], T] | None = wait

    def __call__(self) -> T:
        wait, self._wait = self._wait, None
        if wait is None:
            raise RuntimeError("waited for twice")
        return wait()

    def drain(self) -> None:
        """Wait for the child if nobody did (its result, or failure, no longer matters)."""
        if self._wait is not None:
            with contextlib.suppress(Exception):
                self()


def in_child(compute: Callable[[], T]) -> Callable[[], T]:
    """Start ``compute()`` in a forked child; the function returned waits for its result.

    For work on data this process already holds (a big document's catalog): the
    child has it by the fork, with nothing pickled on the way in; only the result
    comes back. An exception raised by ``compute`` is raised by the waiting
    function. Where a fork is not safe (not POSIX, or threads running: a fork
    copies only the calling thread, and a lock another thread held stays held),
    ``compute`` runs here, at once.
    """
    if os.name != "posix" or threading.active_count() > 1:
        value = cast(T, _each(compute(), Pieces, Pieces.joined))
        return lambda: value
    parent = os.getpid()
    result = _result_file()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        status = 1
        try:
            os.close(done_read)
            die_with_parent(parent)
            try:
                outcome: tuple[bool, object] = (True, compute())
            except BaseException as exc:  # every failure goes to the parent
                outcome = (False, exc)
            # Pickled straight into the file: a big bytes value is written as it is,
            # not copied into a pickle's bytes first (a 9 MB catalog, at the child's peak);
            # `Pieces` follow the pickle, one piece after the other.
            tails: list[Pieces] = []

            def tail(pieces: Pieces) -> _Tail:
                tails.append(pieces)
                return _Tail(pieces)

            outcome = (outcome[0], _each(outcome[1], Pieces, tail))
            with os.fdopen(result, "wb") as out:
                try:
                    pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
                    for pieces in tails:
                        pieces.write_to(out)
                except Exception as exc:  # an exception that does not pickle: its text does
                    out.seek(0)
                    out.truncate()
                    pickle.dump((False, RuntimeError(f"{outcome[1]!r} ({exc})")), out)
            os.write(done_write, b"1")  # the result is whole: the parent need not wait more
            status = 0
        finally:
            os._exit(status)
    os.close(done_write)

    def wait() -> T:
        try:
            with os.fdopen(done_read, "rb") as done:
                finished = done.read(1) == b"1"  # else the child died first: nothing, EOF
            if not finished:
                os.waitpid(pid, 0)
                raise OSError(f"a worker process ({pid}) died before it finished")
            # A big child takes a while to exit: it is waited for later (`reap`).
            _EXITING.append(pid)
            os.lseek(result, 0, os.SEEK_SET)  # the child's writes moved the shared offset
            with os.fdopen(result, "rb", closefd=False) as inp:
                ok, value = pickle.load(inp)  # a big bytes value read into place, no copy
                value = _each(value, _Tail, lambda tail: inp.read(tail.size))
        finally:
            os.close(result)
        if not ok:
            raise cast(BaseException, value)
        return cast(T, value)

    return wait
