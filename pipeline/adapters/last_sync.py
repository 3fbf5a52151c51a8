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
    from pipeline.catalog import Catalog, Entry
    from pipeline.sync import SyncOutcome, SyncState


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
            self.files, self.conflicts = summary["files"], summary["conflicts"]

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


def edits_since(config: Config, lang: str, doc: str, old: Catalog, po_digest: str | None,
                template: list[Entry], had_template: bool,
                report: LanguageUpdate) -> SyncOutcome | None:
    """What changed in the PO (``old``, its digest ``po_digest``) and in the translated
    Markdown since the last update, read as little as they allow: the state's records
    only if the PO or the Markdown changed (`LastSync`), the Markdown whole only if it
    changed or holds a conflict line. None when the document cannot be written (a PO
    that lost translations, a conflict block left in the Markdown): ``report`` says why.
    """
    from pipeline.adapters.fs import digest_and_find, read_text
    from pipeline.adapters.po import parse_catalog
    from pipeline.adapters.publication import parse_markdown, read_if_exists, state_path
    from pipeline.adapters.update_guards import check_against_template
    from pipeline.sync import (
        SyncIssue,
        SyncOutcome,
        assumed_state,
        changed_in_po,
        lost_translations,
        take_markdown_edits,
    )
    from pipeline.translation import CONFLICT_PREFIX, unresolved_conflicts

    md_path = config.source_path(lang, doc)
    md_shown, po_shown = config.relative(md_path), config.relative(config.po_path(lang, doc))
    outcome = SyncOutcome()
    last = LastSync(config, lang, doc, report)  # its records read only if needed
    # Only files changed since the last update need a closer look (parsing costs).
    po_changed = last.files is None or last.files.get("po") != po_digest
    state = last.full() if po_changed and last.files is not None else None
    damaged = po_changed and last.files is not None and state is None  # as read in full
    if state is not None:
        lost = lost_translations(old, state)
        if lost:
            report.issues.append(SyncIssue(
                "lost", f"{len(lost)} translated entries of the last update are missing "
                "from this file (emptied, cut short or replaced?); nothing was written. "
                "Restore it (from version control or a backup), or delete "
                f"{config.relative(state_path(config, lang, doc))} to start it afresh",
                po_shown))
            return None
    old_pot = read_if_exists(config, config.pot_path(doc)) if (
        po_changed and had_template) else None  # as read before: its stamp is checked
    if old_pot is not None:
        template_before = parse_catalog(old_pot, shown=config.relative(config.pot_path(doc)))
        check_against_template(config, lang, doc, old, template_before, template)
    if md_path.exists():
        # Read whole only when it changed or holds a conflict line: else its digest and
        # a look for that line, a MiB at a time (a big document's Markdown, read whole,
        # stays in this process's heap to its peak).
        md_digest, marked = digest_and_find(md_path, CONFLICT_PREFIX.encode())
        md_changed = last.files is None or damaged or bool(last.conflicts) or (
            last.files.get("markdown") != md_digest)
        markdown = read_text(md_path, shown=md_shown) if md_changed or marked else ""
        lines = unresolved_conflicts(markdown)
        if lines:
            report.issues.extend(SyncIssue(
                "unresolved", "unresolved conflict block: keep one version, delete the "
                "other and the bitext conflict lines", md_shown, n) for n in lines)
            return None
        if md_changed:
            segments = parse_markdown(config, markdown, shown=md_shown).segments
            outcome = take_markdown_edits(old, last.full() or assumed_state(old), segments,
                                          path=md_shown)
            report.issues.extend(outcome.issues)
        elif state is not None:  # the PO changed, the Markdown did not
            outcome.from_po = changed_in_po(old, state)
        del markdown  # not held while the catalogs render (a big document's size again)
    return outcome
