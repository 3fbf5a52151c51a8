"""One language's text of a document, with its segments marked for the renderer.

An edition is built from the original's structure and, for a translation,
the catalog's texts (`pipeline.publication.pair_entries`): the same
skeleton in every language, so segment *i* of one language is segment *i*
of the other, which is what the bilingual rows are made of.

To find segments again after pandoc has parsed the Markdown, each non-meta
segment starts with an empty span ``[]{#bitext-<nonce>-<i>}``. The nonce is
a hash of the language's texts, so a source cannot forge a marker (it would
have to contain the hash of itself). `tag_segments` turns the markers into
*tags*, ``Span ("", ["bitext-seg"], [("seg", i)]) []``, which later passes
read and finally remove (or turn into a draft mark).

States: "original" (source language), "translated", "fuzzy" (a translation
not reviewed), "untranslated" (no translation: the original text stands in).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pipeline.catalog import Catalog
from pipeline.keys import SegmentKey
from pipeline.markdown.segments import Document, Segment
from pipeline.render.ast import Node, attr, find, map_lists, nodes, span
from pipeline.translation import FUZZY_MARK, UNTRANSLATED_MARK, pair_entries

TAG_CLASS = "bitext-seg"
STATES = ("original", "translated", "fuzzy", "untranslated")
_DRAFT_MARKS = re.compile(
    r"^(?:\s*(?:" + re.escape(UNTRANSLATED_MARK) + "|" + re.escape(FUZZY_MARK) + r"))+\s*"
)


@dataclass(frozen=True)
class ShownSegment:
    """One segment as an edition shows it: its key, what it is, its text here, its state."""

    key: SegmentKey
    kind: str
    label: str
    text: str
    state: str  # one of STATES


@dataclass(frozen=True)
class SourceText:
    """A document in one language, ready for pandoc.

    ``segments`` are in document order (as ``document.segments``); a marker's
    number is a position in it. ``markdown`` is the whole document with
    segment markers.
    """

    lang: str
    markdown: str
    nonce: str
    segments: tuple[ShownSegment, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.segments)

    @cached_property
    def states(self) -> tuple[str, ...]:
        # once: `formats.finish` reads a segment's state at each of its tags
        return tuple(s.state for s in self.segments)

    @property
    def meta_states(self) -> dict[str, str]:
        """The state of each front-matter field, by its key (``title``)."""
        return {s.label: s.state for s in self.segments if s.kind == "meta"}

    @property
    def translated(self) -> int:
        return sum(s.state in ("original", "translated") for s in self.segments)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / len(self.segments) if self.segments else 100.0


def strip_draft_marks(text: str) -> str:
    """A translation without the marks `bitext update` puts on unreviewed segments."""
    return _DRAFT_MARKS.sub("", text, count=1)


def original_text(document: Document, lang: str) -> SourceText:
    """The original, segment by segment."""
    return _source(document, lang, [(s, s.text, "original") for s in document.segments])


def translated_text(document: Document, catalog: Catalog, lang: str) -> SourceText:
    """A translation from the catalog; an empty or fuzzy entry is marked in its state.

    Raises `BitextError` when the catalog is out of date with the original.
    """
    shown: list[tuple[Segment, str, str]] = []
    for segment, entry in pair_entries(document, catalog):
        msgstr = strip_draft_marks(entry.msgstr)
        if msgstr and not entry.fuzzy:
            shown.append((segment, msgstr, "translated"))
        elif msgstr:
            shown.append((segment, msgstr, "fuzzy"))
        else:
            shown.append((segment, segment.text, "untranslated"))
    return _source(document, lang, shown)


def _source(document: Document, lang: str, shown: list[tuple[Segment, str, str]]) -> SourceText:
    segments = tuple(ShownSegment(seg.key, seg.kind, seg.label, text, state)
                     for seg, text, state in shown)
    nonce = hashlib.sha256("\x00".join([lang, *(s.text for s in segments)]).encode("utf-8")
                           ).hexdigest()[:12]
    position = {s.key: i for i, s in enumerate(segments)}

    def render(segment: Segment) -> str:
        i = position[segment.key]
        if segment.kind == "meta":
            return segments[i].text
        return f"[]{{#bitext-{nonce}-{i}}}{segments[i].text}"

    markdown = document.render(render)
    return SourceText(lang=lang, markdown=markdown, nonce=nonce, segments=segments)


def tag_segments(value: Any, nonce: str, count: int) -> Any:
    """Replace this nonce's marker spans by tags; scrub any marker text left as literal text.

    A marker pandoc did not parse as a span (a segment that pandoc reads as
    code, say) would show as ``[]{#bitext-…}``; it is cut out of Str, Code
    and CodeBlock text so it never reaches an edition.
    """
    pattern = re.compile(r"^bitext-" + nonce + r"-(\d+)$")
    literal = re.compile(r"\[\]\{#bitext-" + nonce + r"-\d+\}")

    def inlines(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node["t"] == "Span" and not node["c"][1]:
                match = pattern.match(node["c"][0][0])
                if match:
                    # pandoc copies a footnote into each of its references, marker included
                    if int(match.group(1)) < count:
                        out.append(tag(int(match.group(1))))
                    continue
            if node["t"] == "Str" and "bitext-" in node["c"]:
                node = {"t": "Str", "c": literal.sub("", node["c"])}
            elif node["t"] == "Code" and "bitext-" in node["c"][1]:
                node = {"t": "Code", "c": [node["c"][0], literal.sub("", node["c"][1])]}
            out.append(node)
        return out

    def blocks(items: list[Node]) -> list[Node]:
        return [
            {"t": "CodeBlock", "c": [b["c"][0], literal.sub("", b["c"][1])]}
            if b["t"] == "CodeBlock" else b
            for b in items
        ]

    return map_lists(value, inlines=inlines, blocks=blocks)


def tag(index: int) -> Node:
    return span(attr("", [TAG_CLASS], [("seg", str(index))]), [])


def tag_index(node: Node) -> int | None:
    """The segment index of a tag node, else None."""
    if node.get("t") != "Span":
        return None
    a = node["c"][0]
    if TAG_CLASS not in a[1]:
        return None
    return int(dict(a[2])["seg"])


def segments_in(value: Any, *, notes: bool = False) -> list[int]:
    """The segment indices tagged under ``value``, in order; Note contents only if ``notes``."""
    return find(value, tag_index, skip=None if notes else _is_note)


def _is_note(node: Node) -> bool:
    return node.get("t") == "Note"


def first_tag(value: Any) -> int | None:
    """The first segment tag under ``value`` (for a note: the footnote's segment)."""
    for node in nodes(value):
        index = tag_index(node)
        if index is not None:
            return index
    return None
