"""What an update reads of a document's last sync state: its file digests first.

Most updates need only the state's file digests and its count of conflicts: when
neither the PO nor the translated Markdown changed since the last update (an edited
original, the usual case), its segment records are never looked at. Those records are
most of a state (9,000 of them for a big document: 8 MiB once read, at the peak of
update's memory), so `LastSync` checks the state's text against the exact shape bitext
writes and takes its digests from it (`update_digests.state_summary`, as the no-op
update does: no record built), and reads the whole state only when it is asked for
(`LastSync.full`). A state in any other shape is read in full at once, and reported
there if it is damaged.

Both reads see the same file: its stamp was taken before either, and a state saved in
between fails the commit's check (`pipeline.adapters.journal`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.config import Config
from pipeline.errors import DamagedState

if TYPE_CHECKING:
    from pipeline.adapters.update_document import LanguageUpdate
    from pipeline.sync import SyncState


class LastSync:
    """The last sync state of ``doc`` in ``lang``: ``files`` (None: no state), ``conflicts``,
    and the whole of it on demand (`full`)."""

    def __init__(self, config: Config, lang: str, doc: str, report: LanguageUpdate):
        from pipeline.adapters.update_digests import state_summary

        self._where = (config, lang, doc, report)
        self._state: SyncState | None = None
        self._read = False
        summary = state_summary(config, lang, doc)
        if summary is None:  # missing, or not as bitext writes it: read it whole
            state = self.full()
            self.files = None if state is None else dict(state.files)
            self.conflicts = 0 if state is None else state.conflicts
        else:
            self.files, self.conflicts = summary

    def full(self) -> SyncState | None:
        """The whole state (read once); None when there is none or it is damaged."""
        if not self._read:
            self._state, self._read = last_sync(*self._where), True
        return self._state


def last_sync(
    config: Config, lang: str, doc: str, report: LanguageUpdate | None = None
) -> SyncState | None:
    """The sync state, or None when there is none or it is damaged (then reported, and
    rebuilt: with no state every disagreement is a conflict, never an overwrite)."""
    from pipeline.adapters.publication import load_state, state_path
    from pipeline.sync import SyncIssue

    try:
        return load_state(config, lang, doc)
    except DamagedState as exc:
        if report is not None:
            report.issues.append(SyncIssue(
                "damaged", f"{exc.message}; ignored, and rebuilt from the PO and the Markdown "
                "(a segment where they differ is reported as a conflict)",
                exc.path or config.relative(state_path(config, lang, doc)), exc.line,
                blocking=False))
        return None
