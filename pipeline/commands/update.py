"""`bitext update`: template, merge, two-way sync, translated Markdown, for each document.

For each document: segment the original, regenerate ``locale/<doc>.pot``;
for each target language take in edits made in ``source/<lang>/<doc>.md``
since the last update (`pipeline.sync`), merge the template into the PO
(order-aware, `pipeline.catalog`), and rewrite the Markdown from the PO.

Everything is computed first and written last, each file atomically and
only if its bytes change: a failure leaves every file as it was, and a
second run writes nothing. A document whose files are all as the last
update left them is not even parsed (the sync state records their digests).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.adapters.journal import Group, Staged, commit, discard, recover
from pipeline.adapters.lock import publication_lock
from pipeline.adapters.retired import Retired, find_retired, retire
from pipeline.adapters.update_digests import FileStats, untouched
from pipeline.adapters.update_document import LanguageUpdate, reap_children, update_document
from pipeline.config import Config
from pipeline.errors import BitextError

# The per-document work (`pipeline.adapters.update_document`) imports what it needs where
# it runs: an update that finds every document untouched imports none of it, and start-up
# is most of its time (issue 16: a no-op <= 0.12 s; tests/unit/test_startup.py holds it).
if TYPE_CHECKING:
    from pipeline.adapters.memory_store import Memories

__all__ = ["CHANGED_UNDER_RUN", "PARALLEL_FROM", "LanguageUpdate", "UpdateResult", "update"]


@dataclass
class UpdateResult:
    """What a whole update did: per document and language; files written; files it left alone.

    ``changed``: files someone saved while this update computed; their
    document was not written (the next update takes the edit in).
    ``recovered``: what was finished or cleaned up after an interrupted run.
    """

    languages: list[LanguageUpdate] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    retired: list[Retired] = field(default_factory=list)  # originals gone (see `prune`)

    @property
    def failed(self) -> bool:
        """True when a translator must act (conflicts, text bitext could not place)."""
        return bool(self.changed) or any(
            i.blocking for lang in self.languages for i in lang.issues)

    def problems(self) -> list[str]:
        """What a translator must resolve, one ``path:line: message`` each."""
        return [i.located for lang in self.languages for i in lang.issues if i.blocking] + [
            f"{path}: {CHANGED_UNDER_RUN}" for path in self.changed]


CHANGED_UNDER_RUN = ("changed while bitext update ran; left as saved (run `bitext update` "
                     "again to take the edit in)")


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def update(
    config: Config, docs: list[str], *, dry_run: bool = False, jobs: int | None = None,
    wait: bool = False, prune: bool = False,
) -> UpdateResult:
    """Update every document in ``docs``; write nothing if any of them fails.

    Documents are independent, so they are prepared in ``jobs`` processes
    (default: one per core) when there are many; all writes happen at the
    end, in this process, under the publication lock, as one journalled step
    (`pipeline.adapters.journal`). ``wait`` queues behind a running bitext.
    Documents whose original is gone are listed in ``retired``; ``prune``
    retires them (`pipeline.adapters.retired`: translations archived, the rest removed).
    """
    result = UpdateResult()
    jobs = jobs or os.cpu_count() or 1
    with publication_lock(config.root, wait=wait) as fence:
        if not dry_run:
            result.recovered = recover(config.root, [config.source_dir, config.locale_dir])
        # Cheap first: documents whose files are as the last update left them need nothing.
        stats = FileStats(config.root, fence=fence)
        todo = []
        for doc in docs:
            if untouched(config, doc, stats):
                result.languages.extend(LanguageUpdate(doc, lang, unchanged=True)
                                        for lang in config.target_langs)
            else:
                todo.append(doc)
        memories = _memories(config) if todo else None
        # A parallel run writes each document's temporary files as its result comes in,
        # while the workers compute the others (`update_workers`); the commit renames them.
        staged: list[Group | Staged] = []
        try:
            if jobs > 1 and len(todo) >= PARALLEL_FROM:
                from pipeline.adapters.update_workers import update_in_workers

                done = update_in_workers(config, todo, memories, jobs, dry_run=dry_run)
                outcomes = [d.outcome for d in done]
                staged = [d.group for d in done if d.group is not None]
            else:
                # a big document's catalogs rendered beside the rest of it (not in a dry run:
                # the children stage what they render, `journal.prestage`)
                split = jobs > 1 and not dry_run
                outcomes = []
                for doc in todo:  # each one's group kept at once: a failure discards it
                    outcomes.append(update_document(config, doc, memories, split=split))
                    staged.append(Group(outcomes[-1].files, outcomes[-1].read))
            for outcome in outcomes:
                result.languages.extend(outcome.reports)
            if dry_run:
                result.written = sorted(
                    config.relative(p) for o in outcomes for p, text in o.files.items()
                    if not p.exists() or p.read_bytes() != text)
            else:
                for path in (p for g in staged if isinstance(g, Group) for p in g.files):
                    config.inside(path, fresh=True)  # again at write time: no link out
                committed = commit(config.root, staged)
                result.written = [config.relative(p) for p in committed.written]
                result.changed = [config.relative(p) for p in committed.changed]
                memos = {p: t for o in outcomes for p, t in o.memos.items()
                         if _may_write(config, p)}
                if memos:  # none in a no-op: not even the module is imported
                    from pipeline.adapters.block_memo import save_memos

                    save_memos(config.root, memos)
                if memories is not None:
                    memories.keep()
                stats.learn(committed, {p: v for o in outcomes for p, v in o.digests.items()})
                stats.save()
        except BaseException:
            discard(staged)  # temporary files written (by a child too: `Prestaged`)
            raise
        finally:
            reap_children()
        result.retired = find_retired(config)
        if prune:
            retire(config, result.retired, dry_run=dry_run)
    return result


def _memories(config: Config) -> Memories:
    from pipeline.adapters.memory_store import Memories

    return Memories(config)


def _may_write(config: Config, path: Path) -> bool:
    """A cache file is written only where a publication file could be (no link out)."""
    try:
        config.inside(path, fresh=True)
    except BitextError:
        return False
    return True
