"""What the translated Markdown shows: one function writes it, every command expects it.

``source/<lang>/<doc>.md`` is the original's skeleton with each segment's
translation put in (`render_translation`). A segment with no reviewed
translation carries a mark (`UNTRANSLATED_MARK`, `FUZZY_MARK`); a segment
changed on both sides since the last sync shows both versions in a conflict
block (`conflict_block`). ``bitext update`` writes this text and ``bitext
check`` compares the file against it, through the same function, so the two
cannot drift apart.

Pure: no files; the caller has read the original and the catalog.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.catalog import Catalog, Entry
from pipeline.errors import BitextError
from pipeline.keys import SegmentKey

if TYPE_CHECKING:
    from pipeline.markdown.segments import Document, Segment

# Shown at the start of a segment in the translated Markdown when it has no reviewed translation.
UNTRANSLATED_MARK = "<!-- bitext: untranslated -->"
FUZZY_MARK = "<!-- bitext: fuzzy -->"

CONFLICT_START = "<!-- bitext conflict: your Markdown edit; keep one version, delete the other "
CONFLICT_START += "and the three bitext lines -->"
CONFLICT_MIDDLE = "<!-- bitext conflict: the version in the PO file -->"
CONFLICT_END = "<!-- bitext conflict: end -->"
_CONFLICT_LINE = re.compile(r"^.*<!-- bitext conflict: (?:your Markdown edit|end)", re.MULTILINE)


@dataclass(frozen=True)
class TranslatedMarkdown:
    """The translated Markdown of a document, and what each segment shows in it (by key)."""

    text: str
    shown: dict[SegmentKey, str]


def pair_entries(document: Document, catalog: Catalog) -> list[tuple[Segment, Entry]]:
    """Each segment with its catalog entry; they share document order after a merge."""
    segments = document.segments
    if len(segments) != len(catalog.entries) or any(
        s.text != e.msgid for s, e in zip(segments, catalog.entries, strict=True)
    ):
        raise BitextError("catalog is out of date with its original; run `bitext update`")
    return list(zip(segments, catalog.entries, strict=True))


def segment_translation(entry: Entry) -> str:
    """What the translated Markdown shows for an entry's segment (marked when not reviewed)."""
    if entry.msgstr and not entry.fuzzy:
        return entry.msgstr
    if entry.msgstr:
        return f"{FUZZY_MARK} {entry.msgstr}"
    return f"{UNTRANSLATED_MARK} {entry.msgid}"


def conflict_block(markdown_text: str, po_text: str) -> str:
    """Both versions of a segment, as Markdown a reader and pandoc can still make sense of."""
    return "\n".join([CONFLICT_START, markdown_text, CONFLICT_MIDDLE, po_text, CONFLICT_END])


CONFLICT_PREFIX = "<!-- bitext conflict: "  # what every conflict line holds


def unresolved_conflicts(markdown: str) -> list[int]:
    """1-based lines of conflict blocks still in a Markdown file."""
    if CONFLICT_PREFIX not in markdown:
        return []  # most files: one search, not the pattern tried at every line
    return [markdown.count("\n", 0, m.start()) + 1 for m in _CONFLICT_LINE.finditer(markdown)
            if "your Markdown edit" in m.group(0)]


def render_translation(document: Document, catalog: Catalog, lang: str) -> TranslatedMarkdown:
    """The translated Markdown of a document: its structure, the catalog's texts.

    An entry with a pending conflict (`Entry.conflict`, set during an update)
    shows both versions. Raises `BitextError` when the catalog does not match.
    """
    shown = _shown(document, catalog)
    pieces = document.iter_pieces(lambda seg: shown[seg.key])
    return TranslatedMarkdown(_joined_with_lang(pieces, lang), shown)


def encoded_translation(document: Document, catalog: Catalog,
                        lang: str) -> tuple[bytearray, dict[SegmentKey, str]]:
    """`render_translation`'s text as UTF-8, and what each segment shows.

    Encoded a piece at a time into one growing buffer: a big document's text is never
    held whole as a str (twice its size in UTF-8 with Turkish letters or curly quotes),
    nor as encoded pieces beside their join (its size twice again, at the peak of
    update's memory). The buffer is a `bytearray` (bytes to every reader: compared,
    hashed, written, pickled as bytes are).
    """
    pieces, shown = encoded_pieces(document, catalog, lang)
    data = bytearray()
    for piece in pieces:
        data += piece
    return data, shown


def encoded_pieces(document: Document, catalog: Catalog,
                   lang: str) -> tuple[Iterator[bytes], dict[SegmentKey, str]]:
    """`encoded_translation`'s bytes a piece at a time, as they are encoded (for a big
    document's update to write them as they come, `journal.prestage_pieces`), and what
    each segment shows."""
    shown = _shown(document, catalog)
    head, rest = _lang_head(document.iter_pieces(lambda seg: shown[seg.key]), lang)
    return itertools.chain([head.encode("utf-8")],
                           (piece.encode("utf-8") for piece in rest)), shown


def _shown(document: Document, catalog: Catalog) -> dict[SegmentKey, str]:
    """What each segment shows in the translation, by key."""
    shown: dict[SegmentKey, str] = {}
    for segment, entry in pair_entries(document, catalog):
        text = segment_translation(entry)
        if entry.conflict is not None:
            text = conflict_block(entry.conflict, text)
        shown[segment.key] = text
    return shown


def _joined_with_lang(pieces: Iterable[str], lang: str) -> str:
    """``set_front_matter_lang("".join(pieces), lang)``, the whole text joined once.

    Set on the joined text, the ``lang:`` key cost two more copies of a document
    (a slice and a concatenation: 15 MB at once for a 4 MB translation). Here only
    the pieces up to the front matter's end are joined and set (`_lang_head`).
    """
    head, rest = _lang_head(iter(pieces), lang)
    return "".join([head, *rest])


def _lang_head(pieces: Iterator[str], lang: str) -> tuple[str, Iterator[str]]:
    """The first of ``pieces`` joined, up to its front matter's end, with the ``lang:``
    key set (`set_front_matter_lang`), and the pieces after it, not taken yet."""
    head = ""
    for piece in pieces:
        before = len(head)
        head += piece
        start = 1 if head.startswith("\ufeff") else 0
        if len(head) < start + 3:
            continue
        if not head.startswith("---", start):
            return head, pieces  # no front matter
        # the first closing mark (one may straddle two pieces)
        if head.find("\n---", max(start + 3, before - 3)) >= 0:
            return set_front_matter_lang(head, lang), pieces
    return set_front_matter_lang(head, lang), iter(())  # no closing "---": the whole text


_LANG_LINE = re.compile(r"^(lang:[ \t]*)(['\"]?)[A-Za-z_-]+\2([ \t]*\r?)$", re.MULTILINE)


def set_front_matter_lang(text: str, lang: str) -> str:
    """Set the ``lang:`` key of the front matter (if the document has one) to ``lang``."""
    start = 1 if text.startswith("\ufeff") else 0
    if not text.startswith("---", start):
        return text
    end = text.find("\n---", start + 3)
    end = text.find("\n...", start + 3) if end < 0 else end
    if end < 0:
        return text
    head = _LANG_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}{lang}{m.group(2)}{m.group(3)}",
                          text[:end], count=1)
    return head + text[end:]


def preview(text: str, width: int = 40) -> str:
    """A segment's text shortened to one line, quoted, for messages."""
    text = text.replace("\n", " ")
    return repr(text if len(text) <= width else text[: width - 1] + "…")
