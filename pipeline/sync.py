"""Two-way sync between a PO catalog and its translated Markdown. Pure: no files.

Translators edit either the PO (in Poedit, Lokalize, Weblate) or
``source/<lang>/<doc>.md`` in a text editor. To know which side changed, the
last sync is remembered per segment (a `SyncState`: for each segment, a
fingerprint of the text written into the Markdown and of the PO entry as it
was then). At the next update, for each segment:

* Markdown changed, PO not   -> the Markdown text goes into the PO (translated, not fuzzy)
* PO changed, Markdown not   -> the Markdown is rewritten from the PO, as always
* both changed, differently  -> a *conflict*: the PO keeps its version, the Markdown shows
                               both in a conflict block, update exits 1
* neither                    -> nothing to do

Structure edits in the Markdown are mapped where that is safe: a paragraph
split in two goes into one msgstr with a blank line; a deleted translation
is restored from the PO and reported; two paragraphs merged into one and a
paragraph with no original are reported, and that Markdown file is left as
the translator wrote it until the text is placed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.catalog import Catalog, Entry, sequence_opcodes
from pipeline.errors import DamagedState
from pipeline.keys import SegmentKey, digest
from pipeline.sync_format import DIGEST, MARKERS, ROW, WRITTEN, are_file_digests, file_digests
from pipeline.translation import FUZZY_MARK, UNTRANSLATED_MARK, preview, segment_translation

if TYPE_CHECKING:
    from pipeline.markdown.segments import Segment

CONFLICT_COMMENT = "bitext conflict: the Markdown had this version of a deleted segment:"


def po_fingerprint(entry: Entry) -> str:
    """What of a PO entry the Markdown shows: its translation and whether it is fuzzy."""
    return digest(f"{int(entry.fuzzy)}\x00{entry.msgstr}")


@dataclass(frozen=True)
class SyncRecord:
    """One segment at the last sync: its key, the digest of its Markdown text, of its PO entry.

    ``md`` and ``po`` may also be a marker instead of a digest: "unknown" (no
    state was kept, `assumed_state`), "aligned" (written by ``bitext align``).
    """

    key: SegmentKey
    md: str
    po: str


@dataclass
class SyncState:
    """The last sync of one document in one language."""

    records: list[SyncRecord] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    conflicts: int = 0  # conflict blocks left in the Markdown at the last sync


def parse_state(text: str, *, shown: str) -> SyncState:
    """Read a sync state file (see `render_state`); every field is checked.

    Raises `DamagedState` (naming ``shown``, and the line of a bad row) for anything
    `render_state` would not have written, so a damaged state is never trusted.
    """
    written = WRITTEN.fullmatch(text)
    if written:
        files = file_digests(written.group(2))
        if files is not None:
            return SyncState(records=[SyncRecord(SegmentKey(k), md, po) for k, md, po in
                                      ROW.findall(written.group(3))],
                             files=files, conflicts=int(written.group(1)))
    return _parse_state_checked(text, shown=shown)


def _parse_state_checked(text: str, *, shown: str) -> SyncState:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DamagedState(f"damaged sync state: not JSON ({exc})", path=shown) from None
    if not isinstance(data, dict):
        raise DamagedState("damaged sync state: not a JSON object", path=shown)
    unknown = sorted(set(data) - {"bitext-sync", "conflicts", "files", "segments"})
    if unknown:
        raise DamagedState(f"damaged sync state: unknown field {unknown[0]!r}", path=shown)
    if data.get("bitext-sync", 1) != 1 or isinstance(data.get("bitext-sync"), bool):
        raise DamagedState("damaged sync state: \"bitext-sync\" is not 1", path=shown)
    conflicts = data.get("conflicts", 0)
    if type(conflicts) is not int or not 0 <= conflicts <= 10**9:
        raise DamagedState("damaged sync state: \"conflicts\" is not a count", path=shown)
    files = data.get("files", {})
    if not are_file_digests(files):
        raise DamagedState("damaged sync state: \"files\" is not a map of file digests",
                           path=shown)
    rows = data.get("segments")
    if not isinstance(rows, list):
        raise DamagedState("damaged sync state: \"segments\" is not a list", path=shown)
    records = []
    for i, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 3
                and all(isinstance(x, str) for x in row)
                and DIGEST.fullmatch(row[0])
                and all(DIGEST.fullmatch(x) or x in MARKERS for x in row[1:])):
            raise DamagedState(
                f"damaged sync state: segment row {i + 1} is not [key, digest, digest]",
                path=shown, line=_row_line(text, i))
        records.append(SyncRecord(SegmentKey(row[0]), row[1], row[2]))
    return SyncState(records=records, files=dict(files), conflicts=conflicts)


def _row_line(text: str, index: int) -> int | None:
    """The line of the ``index``-th segment row, when the file has `render_state`'s layout."""
    start = text.find('"segments": [\n')
    if start < 0:
        return None
    return text.count("\n", 0, start) + 2 + index


# Printable ASCII but the quote and the backslash: what JSON writes as it is.
_NEEDS_NO_ESCAPE = re.compile(r'[ !#-\[\]-~]*')


def render_state(state: SyncState) -> str:
    """The state as JSON, one segment per line so its diffs stay readable."""
    fields = [value for r in state.records for value in (r.key, r.md, r.po)]
    if _NEEDS_NO_ESCAPE.fullmatch("".join(fields)):  # digests and markers: always
        # what json.dumps writes for each row, four times faster (8,600 rows a big document)
        rows = ",\n".join(map('  ["{}", "{}", "{}"]'.format, fields[::3], fields[1::3],
                               fields[2::3]))
    else:
        rows = ",\n".join("  " + json.dumps([r.key, r.md, r.po]) for r in state.records)
    files = json.dumps(state.files, sort_keys=True)
    return (f'{{"bitext-sync": 1,\n "conflicts": {state.conflicts},\n "files": {files},\n'
            f' "segments": [\n{rows}\n ]}}\n')


def assumed_state(catalog: Catalog) -> SyncState:
    """No record of the last sync: assume the Markdown was written from the PO as it is.

    The PO fingerprints are unknown, so a segment that differs between the
    Markdown and the PO is a conflict, never a silent overwrite.
    """
    return SyncState(records=[
        SyncRecord(e.key, digest(segment_translation(e)), "unknown") for e in catalog.entries
    ])


def state_after(shown: dict[SegmentKey, str], catalog: Catalog, conflicts: int) -> SyncState:
    """The state to remember once the Markdown shows ``shown`` for each entry of ``catalog``."""
    return SyncState(
        [SyncRecord(e.key, digest(shown[e.key]), po_fingerprint(e)) for e in catalog.entries],
        conflicts=conflicts,
    )


@dataclass(frozen=True)
class SyncIssue:
    """Something the translator must look at, where; ``blocking`` ones make update exit 1."""

    kind: str  # conflict | merged | inserted | deleted | unresolved
    message: str
    path: str
    line: int | None = None
    blocking: bool = True

    @property
    def located(self) -> str:
        """``path:line: message``, as printed."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass
class SyncOutcome:
    """What taking the Markdown's edits did."""

    taken: list[SegmentKey] = field(default_factory=list)  # msgstr came from the Markdown
    from_po: list[SegmentKey] = field(default_factory=list)  # changed in the PO only
    # the segments in conflict, in order; each entry's `conflict` holds the Markdown's text
    conflicts: list[SegmentKey] = field(default_factory=list)
    issues: list[SyncIssue] = field(default_factory=list)


def keep_obsolete_conflicts(catalog: Catalog) -> None:
    """A conflict whose original was deleted: keep the Markdown's text in a translator comment."""
    for entry in catalog.obsolete:
        if entry.conflict is not None:
            entry.translator_comments.extend(
                [CONFLICT_COMMENT] + [f"| {line}" for line in entry.conflict.split("\n")]
            )
            entry.conflict = None


# What `po_fingerprint` gives an entry with no translation, fuzzy or not.
_EMPTY_PO = frozenset(digest(f"{fuzzy}\x00") for fuzzy in (0, 1))


def lost_translations(catalog: Catalog, state: SyncState) -> list[SegmentKey]:
    """Keys that had a translation at the last sync and are now nowhere in the catalog.

    bitext itself never drops a translated entry (a deleted segment's entry
    becomes obsolete), so such keys mean the PO was emptied, cut or replaced.
    """
    present = {e.key for e in catalog.entries} | {e.key for e in catalog.obsolete}
    return [r.key for r in state.records if r.key not in present and r.po not in _EMPTY_PO]


def changed_in_po(catalog: Catalog, state: SyncState) -> list[SegmentKey]:
    """Keys of the entries whose translation changed in the PO since the last sync."""
    synced = {r.key: r.po for r in state.records}
    return [key for e in catalog.entries
            if synced.get(key := e.key) not in (None, po_fingerprint(e))]


def take_markdown_edits(
    catalog: Catalog, state: SyncState, markdown: list[Segment], *, path: str
) -> SyncOutcome:
    """Bring edits made in the Markdown into ``catalog`` (in place); report what could not be.

    ``markdown`` are the segments of the translated Markdown as it is now;
    ``state`` is the last sync. Entries are matched to state records by key.
    """
    outcome = SyncOutcome()
    by_key = {e.key: e for e in catalog.entries}
    records = state.records
    now = [digest(s.text) for s in markdown]
    # What each segment showed at the last sync, as far as the PO still knows it.
    texts = {key: segment_translation(e) for key, e in by_key.items()}
    for tag, i1, i2, j1, j2 in sequence_opcodes([r.md for r in records], now):
        old, new = records[i1:i2], markdown[j1:j2]
        if tag == "equal":
            for record in old:
                entry = by_key.get(record.key)
                if entry is not None and po_fingerprint(entry) != record.po:
                    outcome.from_po.append(record.key)
            continue
        for record, segments in _place(old, new, texts, outcome, path):
            entry = by_key.get(record.key)
            if entry is None:
                # The original changed so much that the PO entry is gone: keep the text visible.
                outcome.issues.append(SyncIssue(
                    "inserted", "edited text whose original segment no longer exists in the PO; "
                    "move it into the PO by hand", path, segments[0].line,
                ))
                continue
            _apply(entry, record, "\n\n".join(s.text for s in segments),
                   segments[0].line, outcome, path)
    return outcome


def markdown_view(
    catalog: Catalog, state: SyncState | None, markdown: list[Segment]
) -> tuple[list[Entry], dict[SegmentKey, int]] | None:
    """The catalog's entries as the translated Markdown says them now, for checking.

    What `take_markdown_edits` would take into the PO: segment *i* of the
    Markdown goes with entry *i*; its text replaces the msgstr when the
    Markdown changed it since the last sync (``state``, else `assumed_state`)
    and the PO did not (a conflict keeps the PO's). Also returns, for each entry
    taken from the Markdown, the segment's line there. None when the shapes
    differ (another number of segments, or another kind): check the PO then.
    """
    entries = catalog.entries
    if len(markdown) != len(entries) or any(
        s.kind != e.kind for s, e in zip(markdown, entries, strict=True) if e.kind
    ):
        return None
    records = {r.key: r for r in (state or assumed_state(catalog)).records}
    view, lines = [], {}
    for segment, entry in zip(markdown, entries, strict=True):
        record = records.get(entry.key)
        if entry.msgid_plural or segment.text == segment_translation(entry) or (
            record is not None
            and (digest(segment.text) == record.md or po_fingerprint(entry) != record.po)
        ):
            view.append(entry)  # the same, unchanged since the sync, or a conflict
            continue
        text, reviewed = _strip_mark(segment.text, entry)
        if not text:
            view.append(entry)
            continue
        view.append(replace(entry, msgstr=text, fuzzy=not reviewed))
        lines[entry.key] = segment.line
    return view, lines


def _place(
    old: list[SyncRecord], new: list[Segment], texts: dict[SegmentKey, str], outcome: SyncOutcome,
    path: str,
) -> list[tuple[SyncRecord, list[Segment]]]:
    """Match a changed stretch: records (old) to Markdown segments (new), in order."""
    if len(old) == len(new):
        return [(r, [s]) for r, s in zip(old, new, strict=True)]
    if not old:
        for seg in new:
            outcome.issues.append(SyncIssue(
                "inserted", "paragraph with no original segment; bitext cannot place it "
                "(join it to the paragraph it belongs to, or move it to the PO); left in place",
                path, seg.line,
            ))
        return []
    if not new:
        outcome.issues.append(SyncIssue(
            "deleted", f"{len(old)} translated segment(s) deleted from the Markdown; restored "
            "from the PO (to remove a translation, empty its msgstr in the PO)", path,
            blocking=False,
        ))
        return []
    if len(new) < len(old):
        outcome.issues.append(SyncIssue(
            "merged", f"{len(old)} segments were merged into {len(new)} paragraph(s); "
            "bitext cannot split them back: separate them again with blank lines",
            path, new[0].line,
        ))
        return []
    if len(new) > MAX_SPLIT * len(old):  # no grouping fits: each record takes 1..MAX_SPLIT
        outcome.issues.append(SyncIssue(
            "inserted", f"{len(old)} segment(s) became {len(new)} paragraphs; bitext cannot "
            f"place them (a paragraph splits into at most {MAX_SPLIT}): join them again",
            path, new[0].line,
        ))
        return []
    return _group(old, new, texts)


# A record takes at most this many consecutive paragraphs (a paragraph split in up to 6).
MAX_SPLIT = 6


def _group(
    old: list[SyncRecord], new: list[Segment], texts: dict[SegmentKey, str]
) -> list[tuple[SyncRecord, list[Segment]]]:
    """Give each record a run of one or more paragraphs, in order, most alike its last text.

    Dynamic programming over (records, paragraphs): a split paragraph's parts
    together resemble the text the record had, an edited one its own.
    """
    from rapidfuzz.distance import Indel  # here: imported only when paragraphs were split

    n, m = len(old), len(new)
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, 0)}
    for i in range(1, n + 1):
        for j in range(i, m - (n - i) + 1):
            options = []
            for k in range(1, min(MAX_SPLIT, j - i + 1) + 1):
                before = best.get((i - 1, j - k))
                if before is not None:
                    joined = "\n\n".join(s.text for s in new[j - k : j])
                    sim = Indel.normalized_similarity(texts.get(old[i - 1].key, ""), joined)
                    options.append((before[0] + sim, k))
            if options:
                best[i, j] = max(options)
    groups = []
    j = m
    for i in range(n, 0, -1):
        k = best[i, j][1]
        groups.append((old[i - 1], list(new[j - k : j])))
        j -= k
    return groups[::-1]


def _apply(
    entry: Entry, record: SyncRecord, text: str, line: int, outcome: SyncOutcome, path: str
) -> None:
    """One segment edited in the Markdown: take it, or record a conflict."""
    text, reviewed = _strip_mark(text, entry)
    if not text:
        return  # still marked untranslated: nothing of the translator's to take
    if po_fingerprint(entry) != record.po and (entry.msgstr, entry.fuzzy) != (text, not reviewed):
        outcome.conflicts.append(record.key)
        entry.conflict = text
        outcome.issues.append(SyncIssue(
            "conflict", "conflict: this segment changed in both the Markdown and the PO "
            f"since the last update (msgid {preview(entry.msgid)}); both versions kept",
            path, line,
        ))
        return
    if text == entry.msgstr and entry.fuzzy == (not reviewed):
        return
    entry.msgstr = text
    entry.fuzzy = not reviewed
    if reviewed:
        entry.previous_msgid = None
    outcome.taken.append(record.key)


def _strip_mark(text: str, entry: Entry) -> tuple[str, bool]:
    """Remove bitext's marker; returns the text and whether the translator reviewed it.

    A fuzzy mark left in front of unchanged text means "not reviewed yet";
    removing the mark, or editing the text, means the translator reviewed it.
    """
    for mark in (FUZZY_MARK, UNTRANSLATED_MARK):
        if text.startswith(mark):
            body = text[len(mark):].lstrip(" ")
            if mark == UNTRANSLATED_MARK and body == entry.msgid:
                return "", False  # still the untranslated original
            if mark == FUZZY_MARK and body == entry.msgstr:
                return body, False
            return body, True
    return text, True
