"""`workers.in_child`: work done in a forked child comes back, and so do its failures."""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.adapters.workers import in_child, reap
from pipeline.errors import BitextError


def test_the_result_comes_back_from_another_process() -> None:
    data = {"big": "ş" * 100_000}  # the child has it by the fork
    wait = in_child(lambda: (os.getpid(), len(data["big"])))
    pid, size = wait()
    assert pid != os.getpid()
    assert size == 100_000


def test_an_error_is_raised_by_the_waiting_call_with_its_place() -> None:
    def fail() -> None:
        raise BitextError("malformed PO", path="locale/en/x.po", line=7)

    wait = in_child(fail)
    with pytest.raises(BitextError) as caught:
        wait()
    assert (caught.value.message, caught.value.path, caught.value.line) == (
        "malformed PO", "locale/en/x.po", 7)


def test_an_error_that_does_not_pickle_still_says_what_it_was() -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail() -> None:
        raise Local("lost?")

    with pytest.raises(RuntimeError, match="lost"):
        in_child(fail)()


def test_a_result_that_fails_to_pickle_half_way_is_an_error_not_garbage() -> None:
    """The result is pickled straight into its file: a megabyte is written before the
    part that does not pickle, and the error that replaces it must read back whole."""
    class Local:  # a local class cannot be pickled
        pass

    with pytest.raises(RuntimeError, match="Local"):
        in_child(lambda: (b"x" * 2**20, Local()))()


def test_a_child_that_dies_is_an_error() -> None:
    wait = in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(OSError, match="died"):
        wait()


def test_with_threads_running_the_work_is_done_here() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert in_child(os.getpid)() == os.getpid()
    finally:
        stop.set()
        thread.join()


def _states_of_children(besides: frozenset[int] = frozenset()) -> list[str]:
    """The state letters (R, S, Z…) of this process's children, from Linux's /proc, but
    those in ``besides`` (the test run's own: a pandoc session, a test server)."""
    states = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and (
                int(status.parent.name) not in besides):
            states.append(fields["State"].strip()[:1])
    return states


def _children_now() -> frozenset[int]:
    return frozenset(int(p.parent.name) for p in Path("/proc").glob("[0-9]*/status")
                     if f"\nPPid:\t{os.getpid()}\n" in _read(p))


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_child_with_a_big_result_is_done_before_anyone_waits() -> None:
    """The result goes to a file, not a 64 KB pipe: the child need not wait to be read."""
    reap()  # the children of the tests before, which exit after their results are taken
    others = _children_now()
    wait = in_child(lambda: "ş" * 5_000_000)
    deadline = time.monotonic() + 10
    while _states_of_children(others) != ["Z"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _states_of_children(others) == ["Z"]  # exited; a pipe's writer would be blocked
    assert wait() == "ş" * 5_000_000
    reap()
    assert _states_of_children(others) == []


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_result_is_taken_before_its_child_has_exited() -> None:
    """The child says its result is whole before it exits: its exit is waited for later."""
    gate_read, gate_write = os.pipe()

    def compute() -> str:
        return "done"

    real_exit = os._exit
    others = _children_now()

    def slow_exit(status: int) -> None:  # the child lingers after its result is whole
        select.select([gate_read], [], [], 10)  # (bounded: a parent that waits is not stuck)
        real_exit(status)

    os._exit = slow_exit  # type: ignore[assignment]
    try:
        wait = in_child(compute)
    finally:
        os._exit = real_exit
    assert wait() == "done"  # taken while the child is still there, waiting at the gate
    assert _states_of_children(others) != []
    os.write(gate_write, b"1")
    reap()
    assert _states_of_children(others) == []
    os.close(gate_read)
    os.close(gate_write)


def test_without_memfd_the_result_comes_through_a_temporary_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    assert in_child(lambda: ("ş" * 200_000, os.getpid()))()[0] == "ş" * 200_000


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim, /proc")
def test_freed_memory_is_handed_back_before_a_fork() -> None:
    """Strings of a kilobyte (the C heap's, not Python's small-object arenas) freed: the
    pages stay this process's until trimmed, and a child forked then would count them."""
    from pipeline.adapters.workers import release_freed_memory

    held = [("ş" * 600) + str(n) for n in range(60_000)]  # ~75 MB, each its own malloc
    kept = held[::1000]  # a few survivors scattered in the heap
    del held
    before = _resident_mib()
    release_freed_memory()
    assert before - _resident_mib() > 40
    assert len(kept) == 60


def test_pieces_from_a_child_come_back_as_one_bytes_value() -> None:
    """Written one after the other after the pickle, read in order into their places."""
    from pipeline.adapters.workers import Pieces

    big = b"\xc4\x9f" * 2**20
    view = memoryview(big)
    assert in_child(lambda: Pieces([view[:5], b"-", view[5:]]))() == big[:5] + b"-" + big[5:]
    found = in_child(lambda: (Pieces([b"a", view[:3]]), {"used": 1}, Pieces([b"z"])))()
    assert found == (b"a" + big[:3], {"used": 1}, b"z")


def test_pieces_computed_here_are_joined_here() -> None:
    """With threads running the work is done in this process: the same value."""
    from pipeline.adapters.workers import Pieces

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert in_child(lambda: (Pieces([b"a", b"b"]), 2))() == (b"ab", 2)
    finally:
        stop.set()
        thread.join()


def test_pieces_of_a_mapped_file_let_its_pages_go_as_they_are_written() -> None:
    """Every couple of MiB written, the mapping's pages are dropped (`MADV_DONTNEED`):
    the file is copied, its size never resident at once; the bytes are the same."""
    import io
    import mmap

    from pipeline.adapters import workers
    from pipeline.adapters.workers import Pieces

    class Mapped:
        def __init__(self) -> None:
            self.advised: list[int] = []

        def madvise(self, option: int) -> None:
            self.advised.append(option)

    mapped, out = Mapped(), io.BytesIO()
    chunk = b"x" * (workers._RELEASE_EVERY // 2 + 1)
    Pieces([chunk, b"-", chunk, chunk, chunk], mapped).write_to(out)  # type: ignore[arg-type]
    assert out.getvalue() == b"-".join([chunk, chunk + chunk + chunk])
    assert mapped.advised == [mmap.MADV_DONTNEED, mmap.MADV_DONTNEED]
