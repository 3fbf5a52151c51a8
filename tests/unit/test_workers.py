"""`workers.in_child`: work done in a forked child comes back, and so do its failures."""

from __future__ import annotations

import os
import signal
import threading

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
