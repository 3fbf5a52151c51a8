"""One document's update, computed without writing anything: what `bitext update` writes.

`update_document` segments the original, makes the template, and for each target
language takes in the translated Markdown's edits (`pipeline.sync`), merges the template
into the PO (`pipeline.catalog`) and renders the PO and the Markdown from it; it returns
the files' bytes and the stamps they had when read (`DocumentUpdate`), which
`pipeline.commands.update` commits for every document at once.

A big document is spread over forked children (`pipeline.adapters.workers.in_child`):
its PO is parsed beside the original (`update_apart.PARSE_APART_FROM`), its template rendered while
the PO is merged, its PO rendered while the Markdown is (`SPLIT_FROM`). Each child runs
the same code on the same data: the bytes are the same as in one process (a test holds it).

The modules of the work itself (PO reading and writing, Markdown, sync, merge) are
imported in the functions that use them: `commands/update.py` imports this module for a
no-op update too, and start-up is most of a no-op's time (tests/unit/test_startup.py).
"""

from __future__ import annotations

import mmap
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.adapters.journal import (
    Group,
    Prestaged,
    Stamp,
    discard,
    prestage,
    prestage_pieces,
)
from pipeline.adapters.update_apart import (
    Parsed,
    PendingPO,
    drain_pending,
    map_again,
    parsed_early,
    read_again,
    started,
)
from pipeline.collector import young_collections_only
from pipeline.config import Config

if TYPE_CHECKING:
    from pipeline.adapters.block_memo import BlockMemo
    from pipeline.adapters.memory_store import Memories
    from pipeline.adapters.po_blocks import Cut
    from pipeline.adapters.publication import Original
    from pipeline.adapters.workers import Pieces, Waited
    from pipeline.catalog import Catalog, Entry, MergeStats
    from pipeline.sync import SyncIssue, SyncState

Wrapped = dict[tuple[str, str, int], tuple[str, ...]]  # `po_wrap.wrapped`'s results


@dataclass
class LanguageUpdate:
    """What `update` did (or, dry, would do) for one document in one language."""

    doc: str
    lang: str
    stats: MergeStats | None = None  # what the merge did (None: no merge was done)
    created: bool = False
    bootstrapped: bool = False
    unchanged: bool = False
    from_markdown: int = 0
    from_po: int = 0
    conflicts: int = 0
    from_memory: int = 0  # new segments filled (fuzzy) from the translation memory
    issues: list[SyncIssue] = field(default_factory=list)
    # the catalog as this update leaves it (None: not looked at, the document was unchanged)
    untranslated: int | None = None
    fuzzy: int | None = None


@dataclass(frozen=True)
class DocumentUpdate:
    """One document's computed files, the stamps of those files as read, and its reports."""

    # encoded where computed (a worker's or child's unpickled as they are: a text would be
    # decoded again), or staged by the child that computed them (`Prestaged`)
    files: dict[Path, bytes | bytearray | Prestaged]
    read: dict[Path, Stamp]
    reports: list[LanguageUpdate]
    memos: dict[Path, str] = field(default_factory=dict)  # `block_memo`s, saved after commit
    # what each file written digests to (a sync state: its summary), for `FileStats.learn`
    digests: dict[Path, Any] = field(default_factory=dict)


def import_document_work() -> None:
    """Import what `update_document` imports where it runs (and markdown-it, which
    `parse_markdown` imports)."""
    import importlib

    for name in ("pipeline.adapters.block_memo", "pipeline.adapters.chunk_memo",
                 "pipeline.adapters.po", "pipeline.adapters.update_guards",
                 "pipeline.catalog_header", "pipeline.markdown.segments", "pipeline.sync",
                 "pipeline.translate", "pipeline.translation", "rapidfuzz.distance"):
        importlib.import_module(name)


# From this many segments, a document's catalogs are rendered in a forked child (`in_child`)
# while this process goes on (about 0.1 s of a 9,000-segment document's; a fork costs ~10 ms).
SPLIT_FROM = 2000


def update_document(config: Config, doc: str, memories: Memories | None = None, *,
                    split: bool = False) -> DocumentUpdate:
    """Everything update would write for one document, and its reports (no writes).

    The files it may write are stamped before any is read, so a save made
    while this runs is seen at write time. ``split``: render a big document's
    template while its PO is read and merged, and each PO while its Markdown is
    rendered (each in a forked child: the same code, the same bytes).
    """
    from pipeline.adapters.journal import stamps
    from pipeline.adapters.publication import state_path

    read = stamps([config.pot_path(doc)] + [
        path for lang in config.target_langs for path in
        (config.po_path(lang, doc), config.source_path(lang, doc), state_path(config, lang, doc))])
    # A big PO is parsed in a child while this process segments the original (neither
    # needs the other); its entries come back as rows (`catalog_rows`).
    # No full collection meanwhile: a big document's segments and entries are a million
    # objects in no cycle, and each full collection walked them all (0.1 s, several a run).
    early: dict[str, Waited[Parsed]] = {}
    with young_collections_only():
        try:
            for lang in config.target_langs if split else ():
                found = parsed_early(config, config.po_path(lang, doc))
                if found is not None:
                    early[lang] = found
            return _update_parsed(config, doc, memories, read, early, split=split)
        finally:
            for parsing in early.values():
                parsing.drain()  # a child not waited for (an error came first) is waited for


def reap_children() -> None:
    """Wait for the children big documents' updates started (`workers.reap`): each is
    waited for once it has exited, not while its parent could be writing files."""
    workers = sys.modules.get("pipeline.adapters.workers")  # not imported: no child started
    if workers is not None:
        workers.reap()


def _update_parsed(config: Config, doc: str, memories: Memories | None,
                   read: dict[Path, Stamp], early: dict[str, Waited[Parsed]],
                   *, split: bool) -> DocumentUpdate:
    """`update_document` once the stamps are taken and the big POs' parsing started."""
    from pipeline.adapters.block_memo import (
        block_part,
        let_go_of_memo,
        load_memo,
        memo_file,
        parts_text,
    )
    from pipeline.adapters.chunk_memo import chunk_memo_part, chunk_part
    from pipeline.adapters.po import header_of
    from pipeline.adapters.po_wrap import remember_wrapped
    from pipeline.adapters.publication import load_original, read_if_exists, state_path
    from pipeline.adapters.update_digests import record_digests
    from pipeline.catalog import Catalog, remember_keys, template_from_segments
    from pipeline.catalog_header import header_for
    from pipeline.sync import render_state

    original = load_original(config, doc)
    template = template_from_segments(original.document.segments, original.path)
    remember_keys(template)  # before a catalog is read: see `remember_keys`
    pot_path = config.pot_path(doc)
    old_pot = read_if_exists(config, pot_path)
    pot = Catalog(
        header=header_for(None, doc, header_of(old_pot, config.relative(pot_path)),
                          source_lang=config.source_lang),
        entries=template,
        header_comment=f"Translations of {original.path} (segments extracted by bitext).",
    )
    memos = {path: load_memo(original.memos, config.relative(path))
             for path in [pot_path, *(config.po_path(lang, doc) for lang in config.target_langs)]}
    split = split and len(template) >= SPLIT_FROM
    if split and original.chunks is not None:
        # The chunk memo as read is not held to the end: its part is written from ``used``
        # (every chunk of the text, reused or parsed: the part as read, if none was parsed).
        original.memos.pop(chunk_part(original.path), None)
        original.chunks.known = {}
    pot_memo = memos[pot_path]

    # Rendered apart, the template is staged by its child (`journal.prestage`): its bytes
    # never come here, nor into the PO's child forked later.
    rendering = started(partial(_render_pot, pot, old_pot, config.po_wrap, pot_memo, split,
                                partial(prestaged, config, pot_path) if split else None),
                        split)
    if split:
        let_go_of_memo(original.memos, pot_memo, config.relative(pot_path))
    # Not held while the POs are read, merged and rendered (at the peak of update's memory);
    # read again in the rare case a PO edited since the last update needs it.
    had_template, old_pot = old_pot is not None, None
    rendered: list[bytes | Prestaged] = []

    def pot_date() -> str:
        """The template's date, once it is rendered (a PO's header repeats it)."""
        if not rendered:
            text, pot.header["POT-Creation-Date"], pot_memo.used, found = rendering()
            remember_wrapped(found)  # before the catalogs' child is forked
            rendered.append(text)
        return pot.header["POT-Creation-Date"]

    reports, states = [], {}
    computed: dict[Path, bytes | bytearray | Prestaged | PendingPO] = {}
    try:
        try:
            for lang in config.target_langs:
                report = LanguageUpdate(doc=doc, lang=lang)
                reports.append(report)
                written, states[lang] = _update_language(config, original, lang, template,
                                                         had_template, pot_date, report,
                                                         memories, memos, split=split,
                                                         early=early.get(lang))
                computed.update(written)
        finally:
            pot_date()  # the child is waited for, whatever happened here
        if split:
            # What the rest does not need is let go before the POs come back (at the peak
            # of update's memory): the segments, the template, the keys remembered for them.
            from pipeline.adapters.workers import release_freed_memory
            from pipeline.catalog import forget_keys
            from pipeline.markdown.segments import Document

            pot.entries, template = [], []
            original = replace(original, document=Document(()))
            forget_keys()
            release_freed_memory()
        files = {pot_path: rendered[0], **{path: value() if isinstance(value, PendingPO)
                                          else value for path, value in computed.items()}}
    except BaseException:
        drain_pending(computed)  # the POs' children not waited for yet
        # and what was staged already: the template (by its child), a Markdown
        staged = {p: v for p, v in computed.items() if isinstance(v, Prestaged)}
        discard([Group({**staged, **({pot_path: rendered[0]} if rendered else {})}, {})])
        raise
    if any(i.blocking and i.kind != "conflict" for r in reports for i in r.issues):
        # text bitext could not place: leave the whole document as it is
        discard([Group(files, {})])  # nor what a child staged
        return DocumentUpdate({}, read, reports)
    digests: dict[Path, Any] = {}
    for lang, state in states.items():
        record_digests(config, doc, lang, state, files,
                       {config.source_path(config.source_lang, doc): original.digest}, digests)
        files[state_path(config, lang, doc)] = render_state(state).encode("utf-8")
    # The document's memo file: a part for each catalog rendered now, the others' as read.
    parts: dict[str, Any] = {}
    for path, memo in memos.items():
        name = block_part(config.relative(path))
        if path in files and memo.used:
            parts[name] = memo.part()
        elif name in original.memos:
            parts[name] = original.memos[name]
    name = chunk_part(original.path)
    chunks = chunk_memo_part(original.chunks) if original.chunks is not None else None
    if chunks is not None:
        parts[name] = chunks
    elif name in original.memos:
        parts[name] = original.memos[name]
    kept = {} if parts == original.memos else {
        memo_file(config.root, original.path): parts_text(parts)}
    return DocumentUpdate(files, read, reports, kept, digests)


def _update_language(
    config: Config, original: Original, lang: str, template: list[Entry],
    had_template: bool, pot_date: Callable[[], str], report: LanguageUpdate,
    memories: Memories | None = None, memos: dict[Path, BlockMemo] | None = None,
    *, split: bool = False, early: Waited[Parsed] | None = None,
) -> tuple[dict[Path, bytes | bytearray | Prestaged | PendingPO], SyncState]:
    from pipeline.adapters.block_memo import let_go_of_memo
    from pipeline.adapters.last_sync import edits_since
    from pipeline.adapters.po import parse_catalog, render_dated_pieces
    from pipeline.adapters.po_blocks import OldBlocks
    from pipeline.adapters.publication import read_if_exists
    from pipeline.adapters.update_guards import (
        bootstrap,
        refuse_runaway_translations,
    )
    from pipeline.adapters.workers import Pieces, Waited, release_freed_memory
    from pipeline.catalog import MergeStats, merge_catalog, share_msgids
    from pipeline.catalog_header import header_for
    from pipeline.keys import digest
    from pipeline.sync import (
        SyncOutcome,
        SyncState,
        keep_obsolete_conflicts,
        state_after,
    )
    from pipeline.translate import drop_stale_marks
    from pipeline.translation import (
        encoded_pieces,
        encoded_translation,
    )

    doc = original.doc
    md_path = config.source_path(lang, doc)
    po_path = config.po_path(lang, doc)
    po_shown = config.relative(po_path)
    # A big PO was read and parsed by a child (`update_apart.parsed_early`): this process has its
    # digest, not its text.
    old_po = read_if_exists(config, po_path) if early is None else None
    po_digest: str | None = None
    cut: Cut | None = None  # where a PO parsed apart has its blocks (`po_blocks.OldBlocks`)
    outcome = SyncOutcome()
    if old_po is None and early is None:
        old = bootstrap(config, original, lang, template)
        report.created, report.bootstrapped = True, bool(old.entries) and md_path.exists()
    else:
        if early is not None:
            # Babel's data for the header, loaded while the child still parses (20 ms)
            header_for(lang, doc, source_lang=config.source_lang)
            po_digest, old, cut = early()
        elif old_po is not None:
            po_digest, old = digest(old_po), parse_catalog(old_po, shown=po_shown)
        share_msgids(old.entries, template)
        taken = edits_since(config, lang, doc, old, po_digest, template, had_template, report)
        if taken is None:
            return {}, SyncState()  # reported: a document that cannot be written
        outcome = taken
    report.from_markdown, report.from_po = len(outcome.taken), len(outcome.from_po)
    report.conflicts = len(outcome.conflicts)
    merged, report.stats = merge_catalog(old, template)
    if memories is not None:
        from pipeline.memory import fill_exact

        known = set() if report.created else {e.key for e in old.entries}
        report.from_memory = fill_exact(merged, known, doc, lambda: memories.get(lang))
    keep_obsolete_conflicts(merged)
    drop_stale_marks(merged)  # a reviewed text is no longer the machine's: no label
    merged.header = header_for(lang, doc, old.header, source_lang=config.source_lang)
    merged.header["POT-Creation-Date"] = pot_date()
    merged.header_comment = merged.header_comment or (
        f"{doc}: translation into {lang}. msgid: the original segment; msgstr: its translation."
    )
    po_memo = (memos or {}).get(po_path)

    def render_po() -> tuple[bytes | Pieces, dict[str, str] | None]:
        # Parsed apart, the PO is read again; rendered apart too, mapped (`map_again`)
        previous = (old_po.encode("utf-8") if old_po is not None else None) \
            if early is None or po_digest is None else \
            OldBlocks((map_again if split else read_again)(po_path, po_shown, po_digest),
                      cut=cut)
        found = render_dated_pieces(merged, previous, "PO-Revision-Date", config.po_wrap,
                                    memo=po_memo, apart=split)
        # In a child, its pieces go to this process as they are (`workers.Pieces`): not
        # joined first, at the child's peak; a mapped file's pages let go as they are sent.
        mapped = previous.data if isinstance(previous, OldBlocks) and isinstance(
            previous.data, mmap.mmap) else None
        data = Pieces(found, mapped) if split else b"".join(found)
        return data, None if po_memo is None else po_memo.used

    # The PO rendered from here on (in a child, when split); what only reads the merged
    # catalog is done meanwhile, its result dropped if this fails.
    del old  # the catalog as read: not held while the PO and the Markdown render
    if split:
        release_freed_memory()  # nor inherited by the child, nor counted twice
    rendering = Waited(started(render_po, split))
    if split and po_memo is not None:
        let_go_of_memo(original.memos, po_memo, po_shown)
    markdown_bytes: bytes | bytearray | Prestaged = b""
    try:
        refuse_runaway_translations(config, lang, doc, merged)
        if report.created:  # a first catalog: nothing was "kept", all is new or taken in
            done = sum(1 for e in merged.entries if e.msgstr) - report.from_memory
            report.stats = MergeStats(kept=done, new=len(merged.entries) - done)
        active = [e for e in merged.entries if e.msgid]
        report.untranslated = sum(1 for e in active if not e.has_translation)
        report.fuzzy = sum(1 for e in active if e.fuzzy and e.has_translation)
        # The Markdown: each segment's text, or a conflict block where both sides changed.
        # Split (a big document): staged here as it is encoded, never held whole.
        if split:
            pieces, shown = encoded_pieces(original.document, merged, lang)
            markdown_bytes = prestage_pieces(config.inside(md_path, fresh=True), pieces)
        else:
            markdown_bytes, shown = encoded_translation(original.document, merged, lang)
        state = state_after(shown, merged, len(outcome.conflicts))
    except BaseException:
        rendering.drain()  # the child is waited for all the same
        discard([Group({md_path: markdown_bytes}, {})])  # staged already, if it was
        raise
    if split:  # the merged catalog, no longer needed here, is let go before its PO comes
        del merged, render_po
    return {po_path: PendingPO(rendering, po_memo), md_path: markdown_bytes}, state


def prestaged(config: Config, path: Path, data: bytes | bytearray) -> Prestaged:
    """``data`` staged for ``path`` by the child that computed it (`journal.prestage`),
    the path checked again first, as before any write."""
    return prestage(config.inside(path, fresh=True), data)


def _render_pot(pot: Catalog, old_pot: str | None, wrap: int | str, memo: BlockMemo,
                apart: bool, stage: Callable[[bytes], Prestaged] | None = None,
                ) -> tuple[bytes | Prestaged, str, dict[str, str], Wrapped]:
    """The template's bytes (``stage``-d, in a child), its date, what its block memo
    used, and (rendered ``apart``, in a child) the strings it wrapped: the catalogs'
    child wraps the same msgids."""
    from pipeline.adapters.po import render_dated
    from pipeline.adapters.po_wrap import wrapped_found, wrapped_since
    from pipeline.catalog_header import TEMPLATE_HEADER_FUZZY

    known = wrapped_found()
    data = render_dated(pot, old_pot.encode("utf-8") if old_pot is not None else None,
                        "POT-Creation-Date", wrap, header_fuzzy=TEMPLATE_HEADER_FUZZY, memo=memo)
    found = wrapped_since(known) if apart else {}
    return (data if stage is None else stage(data), pot.header["POT-Creation-Date"],
            memo.used, found)

