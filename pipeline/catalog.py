"""The catalog model and the order-aware merge. Pure: no polib, no files.

A `Catalog` is what a PO file holds: a header, the active entries in
document order, and the obsolete ones. `template_from_segments` turns a
document's segments into template entries (the POT); `merge_catalog`
brings an existing catalog in line with a new template:

* unchanged segment        -> entry kept as it is
* edited segment           -> old translation kept, marked fuzzy, previous msgid recorded
                              (a whitespace-only edit keeps the entry translated)
* inserted segment         -> untranslated entry (or a revived obsolete one)
* deleted segment          -> obsolete entry, never dropped while it has a translation

The merge aligns old and new msgid *sequences* (`sequence_opcodes`: a patience
diff on exact text, anchored on paragraphs that occur once on each side), and
pairs edited segments only inside each changed stretch, scored by rapidfuzz;
so it is order-aware and near-linear, never a global all-pairs search.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.keys import SegmentKey, segment_key

if TYPE_CHECKING:  # the merge never needs the Markdown parser itself
    from pipeline.markdown.segments import Segment

# Machine drafts (see pipeline.translate) carry a translator comment starting with this.
MACHINE_MARK = "bitext-mt:"
# Drafts from the translation memory (see pipeline.memory): "bitext-tm: <doc>:<line> 87%".
MEMORY_MARK = "bitext-tm:"

# Below this similarity (0..1) an old and a new segment are a deletion plus an insertion.
PAIR_THRESHOLD = 0.5
# Changed stretches larger than this (old x new) are paired within a diagonal band only.
FULL_PAIRING_LIMIT = 40_000
BAND = 60


@dataclass(slots=True, weakref_slot=True)  # 17,000 in a big update: half the memory of a dict
class Entry:
    """One PO entry. ``line`` is the 1-based line of its msgid in the PO file (0 if new)."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    fuzzy: bool = False
    previous_msgid: str | None = None
    obsolete: bool = False
    references: list[tuple[str, int]] = field(default_factory=list)
    # The segment this entry translates: its kind and label (`pipeline.markdown.segments`);
    # the PO file carries them as the first "#." line ("footnote xiv"). Empty in foreign POs.
    kind: str = ""
    label: str = ""
    comments: list[str] = field(default_factory=list)  # other "#." lines, kept as found
    translator_comments: list[str] = field(default_factory=list)  # "# " lines, the translator's
    flags: list[str] = field(default_factory=list)  # other "#," flags, kept as found
    line: int = 0
    # Plural messages only occur in foreign PO files (bitext's segments have none).
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    # Transient, never written to a PO: during an update, the translated Markdown's version
    # of a segment that changed on both sides (see pipeline.sync). Merges carry it along.
    conflict: str | None = None

    @property
    def has_translation(self) -> bool:
        return bool(self.msgstr) or any(self.msgstr_plural.values())

    @property
    def translated(self) -> bool:
        return self.has_translation and not self.fuzzy and not self.obsolete

    @property
    def machine_draft(self) -> bool:
        """A draft nobody has reviewed yet (fuzzy, labelled by `translate` or the memory)."""
        return self.fuzzy and any(c.startswith((MACHINE_MARK, MEMORY_MARK))
                                  for c in self.translator_comments)

    @property
    def key(self) -> SegmentKey:
        """The key of the segment this entry translates (`pipeline.keys`)."""
        return _entry_key(self.msgctxt, self.msgid)


# An entry's key is asked for by the reader, the merge, the sync and the writer: hash once.
_entry_key = lru_cache(maxsize=1 << 16)(segment_key)


def forget_keys() -> None:
    """Let go of the remembered keys (and their msgids): between catalogs of a long run."""
    _entry_key.cache_clear()


def remember_keys(entries: Iterable[Entry]) -> None:
    """Remember these entries' keys now, so that the key cache holds *their* msgids.

    An equal msgid asked for later (a catalog read from disk) finds its key there and
    is not kept by the cache: that catalog's strings go when it does (update's template
    first, then the old PO, dropped once merged, before the memory's peak).
    """
    for entry in entries:
        _entry_key(entry.msgctxt, entry.msgid)


def share_msgids(entries: Iterable[Entry], like: Iterable[Entry]) -> None:
    """Give each of ``entries`` whose msgid equals one of ``like``'s that very string: a
    catalog read from disk then holds no second copy of every text its template has (a
    big document's 8 MiB of Turkish, at the peak of update's memory)."""
    texts = {entry.msgid: entry.msgid for entry in like}
    for entry in entries:
        entry.msgid = texts.get(entry.msgid, entry.msgid)


@dataclass
class Catalog:
    """A PO file's content: header fields, active entries (document order), obsolete ones."""

    header: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    obsolete: list[Entry] = field(default_factory=list)
    header_comment: str = ""


@dataclass(frozen=True)
class MergeStats:
    """What a merge did, for the update report."""

    kept: int = 0
    rewrapped: int = 0
    fuzzy: int = 0
    new: int = 0
    revived: int = 0
    obsoleted: int = 0


def template_from_segments(segments: Sequence[Segment], source_file: str) -> list[Entry]:
    """Template entries for a document: one per segment, in order, keyed like it.

    Identical texts are told apart by the segment's context (``duplicate N``,
    see `pipeline.keys`), so msgfmt never sees the same msgid twice.
    """
    return [
        Entry(
            msgid=seg.text,
            msgctxt=seg.context,
            references=[(source_file, seg.line)],
            kind=seg.kind,
            label=seg.label,
        )
        for seg in segments
    ]


@lru_cache(maxsize=4096)  # asked for each fuzzy entry by the merge, its stats and the writer
def change_kind(old: str, new: str) -> str:
    """How an original changed: "whitespace", "punctuation", "numbers" or "wording"."""
    bare_old, bare_new = _strip_punctuation(old), _strip_punctuation(new)
    if bare_old == bare_new:
        return "whitespace" if _squash(old) == _squash(new) else "punctuation"
    # Most changes are of wording: their letters differ even with every digit taken out,
    # and then their numbers cannot be all that changed (numbers and punctuation removed,
    # two texts equal but for their numbers are equal).
    if _ALL_DIGITS.sub("", bare_old) != _ALL_DIGITS.sub("", bare_new):
        return "wording"
    if _DIGITS.sub("0", _squash(old)) == _DIGITS.sub("0", _squash(new)):
        return "numbers"
    return "wording"


def change_comment(entry: Entry) -> str | None:
    """The comment a fuzzy entry carries to say what changed in its original (derived)."""
    if not entry.fuzzy or entry.previous_msgid is None:
        return None
    return f"changed: {change_kind(entry.previous_msgid, entry.msgid)}"


def merge_catalog(old: Catalog, template: Sequence[Entry]) -> tuple[Catalog, MergeStats]:
    """Bring ``old`` in line with ``template``; return the new catalog and what changed."""
    counts = dict.fromkeys(("kept", "rewrapped", "fuzzy", "new", "revived", "obsoleted"), 0)
    old_entries = old.entries
    opcodes = sequence_opcodes([e.msgid for e in old_entries], [t.msgid for t in template])
    merged: list[Entry | None] = [None] * len(template)
    dropped: list[Entry] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                merged[j] = _carry(old_entries[i], template[j])
                counts["kept"] += 1
            continue
        paired = _pair_stretch(old_entries[i1:i2], template[j1:j2])
        used = set()
        for a, b in paired:
            source, target = old_entries[i1 + a], template[j1 + b]
            used.add(a)
            merged[j1 + b] = _carry_edited(source, target)
            counts["rewrapped" if change_kind(source.msgid, target.msgid) == "whitespace"
                   and not source.fuzzy else "fuzzy"] += 1
        dropped.extend(e for a, e in enumerate(old_entries[i1:i2]) if a not in used)

    # A paragraph that moved is "deleted" in one place and "inserted" in another: give it
    # its own entry back before looking at obsolete ones.
    moved: dict[str, list[Entry]] = {}
    for gone in dropped:
        moved.setdefault(gone.msgid, []).append(gone)
    # Obsolete entries by key (context and msgid): identical paragraphs keep their own
    # translations.
    obsolete = {e.key: e for e in old.obsolete}
    for j, slot in enumerate(merged):
        if slot is not None:
            continue
        if moved.get(template[j].msgid):
            merged[j] = _carry(moved[template[j].msgid].pop(0), template[j])
            counts["kept"] += 1
            continue
        revived = _pop_obsolete(obsolete, template[j])
        if revived is not None:
            merged[j] = _carry(revived, template[j])
            counts["revived"] += 1
        else:
            merged[j] = _fresh(template[j])
            counts["new"] += 1
    for entry in (e for entries in moved.values() for e in entries):
        if entry.msgstr or entry.translator_comments:
            _add_obsolete(obsolete, replace(
                entry, obsolete=True, references=[], kind="", label="", comments=[],
                previous_msgid=None,
            ))
            counts["obsoleted"] += 1
    new = Catalog(
        header=dict(old.header),
        entries=[e for e in merged if e is not None],
        obsolete=list(obsolete.values()),
        header_comment=old.header_comment,
    )
    return new, MergeStats(**counts)


def _add_obsolete(obsolete: dict[SegmentKey, Entry], entry: Entry) -> None:
    """Make ``entry`` obsolete; an older, different translation of the same text stays too."""
    older = obsolete.get(entry.key)
    if older is not None and older.msgstr and older.msgstr != entry.msgstr:
        n = 2
        while segment_key(f"superseded {n}", entry.msgid) in obsolete:
            n += 1
        kept = replace(older, msgctxt=f"superseded {n}")
        obsolete[kept.key] = kept
    obsolete[entry.key] = entry


def _pop_obsolete(obsolete: dict[SegmentKey, Entry], template: Entry) -> Entry | None:
    """The translated obsolete entry for this text, same context first."""
    candidates = [template.key] + [k for k, e in obsolete.items() if e.msgid == template.msgid]
    for key in candidates:
        entry = obsolete.get(key)
        if entry is not None and entry.msgstr:
            return obsolete.pop(key)
    return None


Opcode = tuple[str, int, int, int, int]


def sequence_opcodes(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes turning ``old`` into ``new``, in near-linear time.

    A patience diff: items that occur exactly once in each sequence and keep
    their order (the longest increasing run of them) are anchors; only the
    gaps between anchors go to difflib, which is quadratic on long inputs
    with many scattered edits (400 edits in 9,000 segments took seconds).
    """
    counts_old, counts_new = Counter(old), Counter(new)
    where_new = {x: j for j, x in enumerate(new) if counts_new[x] == 1}
    candidates = [(i, where_new[x]) for i, x in enumerate(old)
                  if counts_old[x] == 1 and x in where_new]
    ops: list[Opcode] = []
    i0 = j0 = 0
    for i, j in [*_increasing_run(candidates), (len(old), len(new))]:
        if i > i0 or j > j0:
            gap = difflib.SequenceMatcher(None, old[i0:i], new[j0:j], autojunk=False)
            ops.extend((tag, a1 + i0, a2 + i0, b1 + j0, b2 + j0)
                       for tag, a1, a2, b1, b2 in gap.get_opcodes())
        if i < len(old):
            ops.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return ops


def _increasing_run(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by first) whose seconds increase."""
    tails: list[int] = []  # tails[k]: smallest second ending a run of length k + 1
    tail_index: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k], tail_index[k] = j, n
        back.append(tail_index[k - 1] if k else -1)
    run, n = [], tail_index[-1] if tail_index else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def catalog_from_template(template: Iterable[Entry], header: dict[str, str]) -> Catalog:
    """A new, untranslated catalog."""
    return Catalog(header=dict(header), entries=[_fresh(t) for t in template])


def _fresh(template: Entry) -> Entry:
    return replace(template, msgstr="", fuzzy=False, previous_msgid=None, line=0)


def _carry(old: Entry, template: Entry) -> Entry:
    """Same original: the translation and the translator's notes stay, positions update.

    ``replace(old, msgid=…, msgctxt=…, references=…, comments=…, obsolete=False)``,
    spelt out: a merge carries every entry, and `dataclasses.replace` costs three times
    as much (tests/unit/test_catalog.py holds the two equal, field by field).
    """
    return Entry(
        msgid=template.msgid, msgstr=old.msgstr, msgctxt=template.msgctxt, fuzzy=old.fuzzy,
        previous_msgid=old.previous_msgid, obsolete=False,
        references=list(template.references), kind=old.kind, label=old.label,
        comments=list(template.comments), translator_comments=old.translator_comments,
        flags=old.flags, line=old.line, msgid_plural=old.msgid_plural,
        msgstr_plural=old.msgstr_plural, conflict=old.conflict,
    )


def _carry_edited(old: Entry, template: Entry) -> Entry:
    """Edited original: keep the translation; fuzzy with the previous msgid, unless whitespace."""
    entry = _carry(old, template)
    if not old.msgstr:
        return _fresh(template)
    if change_kind(old.msgid, template.msgid) == "whitespace" and not old.fuzzy:
        return entry
    # An entry already fuzzy keeps the msgid its translation was made for.
    previous = old.previous_msgid if old.fuzzy and old.previous_msgid else old.msgid
    entry.fuzzy = True
    entry.previous_msgid = previous
    return entry


def _pair_stretch(old: Sequence[Entry], new: Sequence[Entry]) -> list[tuple[int, int]]:
    """Order-preserving pairs (old index, new index) of similar segments in a changed stretch.

    Dynamic programming over the stretch (like a sequence alignment with
    similarity as score); a very large stretch is restricted to a diagonal
    band so the cost stays linear in its length.
    """
    from rapidfuzz.distance import Indel  # here: a no-op update never pairs (start-up time)

    n, m = len(old), len(new)
    if not n or not m:
        return []
    if n * m > FULL_PAIRING_LIMIT:
        return _pair_greedy_banded(old, new)
    score: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(m):
            sim = Indel.normalized_similarity(
                old[i].msgid, new[j].msgid, score_cutoff=PAIR_THRESHOLD
            )
            if sim:
                score[i, j] = sim
    if not score:
        return []
    # best[i][j]: best total for old[:i], new[:j]; computed only where it can matter.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev = best[i], best[i - 1]
        for j in range(1, m + 1):
            pair = prev[j - 1] + score.get((i - 1, j - 1), -1.0)
            row[j] = max(prev[j], row[j - 1], pair)
    pairs = []
    i, j = n, m
    while i and j:
        found = score.get((i - 1, j - 1))
        if found is not None and best[i][j] == best[i - 1][j - 1] + found:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _pair_greedy_banded(old: Sequence[Entry], new: Sequence[Entry]) -> list[tuple[int, int]]:
    """For huge stretches: walk the old side in order, take the best new match near the diagonal."""
    from rapidfuzz.distance import Indel

    n, m = len(old), len(new)
    pairs: list[tuple[int, int]] = []
    next_j = 0
    for i in range(n):
        centre = i * m // n
        lo, hi = max(next_j, centre - BAND), min(m, centre + BAND + 1)
        best_j, best_sim = -1, 0.0
        for j in range(lo, hi):
            sim = Indel.normalized_similarity(
                old[i].msgid, new[j].msgid, score_cutoff=max(PAIR_THRESHOLD, best_sim)
            )
            if sim > best_sim:
                best_j, best_sim = j, sim
        if best_j >= 0:
            pairs.append((i, best_j))
            next_j = best_j + 1
    return pairs


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_ALL_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# Punctuation, symbols and spaces: what "punctuation only" changes may touch.
_NON_WORD = re.compile(r"[\W_]+")


def _strip_punctuation(text: str) -> str:
    return _NON_WORD.sub("", text)
