"""Worker processes that never outlive the run that started them.

A parallel update forks workers; if the parent is killed (``kill -9``, a
closed terminal), Linux would let them run on. `die_with_parent`, the
pool's initializer, asks the kernel to send them SIGKILL when their parent
dies (``prctl(PR_SET_PDEATHSIG)``), and exits at once if the parent is
already gone. Elsewhere it does nothing: the workers only compute, never
write, and the lock is not theirs (`pipeline.adapters.lock`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer (``initargs=(os.getpid(),)``): be killed with ``parent`` (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
