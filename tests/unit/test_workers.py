"""`workers.in_child`: work done in a forked child comes back, and so do its failures."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from pipeline.adapters.workers import in_child
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


def _states_of_children() -> list[str]:
    """The state letters (R, S, Z…) of this process's children, from Linux's /proc."""
    states = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()):
            states.append(fields["State"].strip()[:1])
    return states


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_child_with_a_big_result_is_done_before_anyone_waits() -> None:
    """The result goes to a file, not a 64 KB pipe: the child need not wait to be read."""
    wait = in_child(lambda: "ş" * 5_000_000)
    deadline = time.monotonic() + 10
    while _states_of_children() != ["Z"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _states_of_children() == ["Z"]  # exited; a pipe's writer would still be blocked
    assert wait() == "ş" * 5_000_000
    assert _states_of_children() == []


def test_without_memfd_the_result_comes_through_a_temporary_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    assert in_child(lambda: ("ş" * 200_000, os.getpid()))()[0] == "ş" * 200_000
