"""A parallel update: documents computed in worker processes, staged here as each comes.

`update_in_workers` forks worker processes (they die with their parent,
`workers.die_with_parent`) and hands them the documents a few at a time. As each
chunk is done, in whatever order the chunks finish, this process writes its
documents' temporary files (`journal.stage`) while the workers compute the others;
`commands/update.py` commits every group at the end, under its lock, as one
journalled step. The workers only compute, never write.

What was measured (issue 16, 200 files, 10-15 runs each): with ``pool.map`` in chunks
of 8, results came in submission order, so a chunk done early waited behind a slower
one, and at the end one worker sat idle 17-110 ms while the other finished its last
chunk. Chunks of `CHUNK` taken as they finish leave it idle 1-42 ms. The configuration
and the translation memories reach the workers by the fork, not pickled with every
document (and unpickled in the worker: 2 x 12 ms).

Why this process stages, not the workers: creating files does not go faster from two
processes (one directory, one inode allocator), and each file costs more CPU there
(1.5x in a two-process test; the whole update +0.5 s CPU when tried); one process
creating them beside two computing is the cheaper split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipeline.adapters.journal import Group, Staged, discard, stage
from pipeline.config import Config

if TYPE_CHECKING:
    from concurrent.futures import Future

    from pipeline.adapters.memory_store import Memories
    from pipeline.adapters.update_document import DocumentUpdate


@dataclass
class Done:
    """One document's update, staged.

    ``outcome``: its reports (and, in a dry run, its files' bytes). ``group``: what the
    commit takes, a `Staged` group, or a `Group` with the bytes when a folder is still
    to be made (the commit writes those); None in a dry run.
    """

    outcome: DocumentUpdate
    group: Group | Staged | None


# What every worker works with, set before the fork (the workers have it by the fork:
# nothing pickled per document) and cleared after the run.
_WORK: tuple[Config, Memories | None] | None = None

# Documents a worker takes at a time: few, so that at the end no worker waits long for
# the other's last chunk, and each result is staged soon after it is computed.
CHUNK = 4


def update_in_workers(config: Config, docs: list[str], memories: Memories | None,
                      jobs: int, *, dry_run: bool) -> list[Done]:
    """Every document of ``docs`` updated in ``jobs`` worker processes (in ``docs``'s
    order), each staged as it comes unless ``dry_run``.

    If one fails, the others are still waited for, and the error raised is that of
    the first failing document in ``docs``'s order (as a serial run would raise);
    every temporary file staged is removed.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from pipeline.adapters.update_document import import_document_work

    import_document_work()  # once, before the fork, not once in each worker
    global _WORK
    _WORK = (config, memories)
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    done: dict[int, Done] = {}
    failed: list[tuple[int, BaseException]] = []
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                                 initargs=(os.getpid(), _WORK)) as pool:
            try:
                first = {pool.submit(_update_chunk, docs[i:i + CHUNK]): i
                         for i in range(0, len(docs), CHUNK)}
                pending = set(first)
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in sorted(finished, key=first.__getitem__):
                        # dropped once taken: a chunk's bytes are not held to the end
                        _take(config, future, first.pop(future), done, failed,
                              dry_run=dry_run)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        if failed:
            raise min(failed, key=lambda f: f[0])[1]
    except BaseException:
        discard_done(list(done.values()))
        raise
    finally:
        _WORK = None
    return [done[i] for i in range(len(docs))]


def _take(config: Config, future: Future[list[DocumentUpdate]], first: int,
          done: dict[int, Done], failed: list[tuple[int, BaseException]], *,
          dry_run: bool) -> None:
    """A chunk's results into ``done`` (staged), or its error into ``failed``; once one
    failed, nothing more is staged (the run will write nothing)."""
    error = future.exception()
    if error is not None:
        failed.append((first, error))
        return
    for n, outcome in enumerate(future.result()):
        if failed:
            return
        done[first + n] = Done(outcome, None) if dry_run else staged(config, outcome)


def _start(parent: int, work: tuple[Config, Memories | None]) -> None:
    """The workers' initializer: die with ``parent``; what to work with (by the fork, or
    pickled where there is no fork)."""
    from pipeline.adapters.workers import die_with_parent

    global _WORK
    _WORK = work
    die_with_parent(parent)


def _update_chunk(docs: list[str]) -> list[DocumentUpdate]:
    """In a worker: each of ``docs`` computed (nothing written)."""
    from pipeline.adapters.update_document import update_document

    assert _WORK is not None, "set by the initializer"
    config, memories = _WORK
    return [update_document(config, doc, memories) for doc in docs]


def staged(config: Config, outcome: DocumentUpdate) -> Done:
    """``outcome``'s files staged; its bytes dropped (written, or kept in its `Group`)."""
    for path in outcome.files:
        config.inside(path, fresh=True)  # again at write time: no link followed out
    group = Group(outcome.files, outcome.read)
    return Done(replace(outcome, files={}), stage(config.root, group) or group)


def discard_done(done: list[Done]) -> None:
    """Remove the temporary files of these documents (their run failed)."""
    discard(d.group for d in done if isinstance(d.group, Staged))
