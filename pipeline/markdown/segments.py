"""Markdown document -> segments, and back.

A *segment* is one translatable block of a document: a prose front-matter
field (title, subtitle, description, abstract, ...), a heading, a paragraph,
a list item's paragraph, a block-quote paragraph, a table cell, a footnote
definition (all its paragraphs). Its ``text`` (the msgid) is the block's
text without the structure bitext keeps itself: heading marks, list bullets,
quote marks, a footnote's ``[^label]:``, the indentation of continuation
lines. Inline markup (emphasis, links, footnote references) stays.

A `Document` is the source split into verbatim *skeleton* strings and
segments, in order. ``document.render(lambda seg: seg.text)`` gives the
source back byte for byte (BOM, CRLF, trailing spaces and all); rendering
with translations puts the structure back around each translated text.

Block structure comes from markdown-it-py (see `pipeline.markdown.blocks`);
front matter from PyYAML's node positions (see `pipeline.markdown.front_matter`).

Pure: no file or process I/O here (the caller reads the file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace

from pipeline.errors import BitextError
from pipeline.keys import SegmentKey, duplicate_context, segment_key
from pipeline.markdown.blocks import Blocks, Lines, Span, TooDeep
from pipeline.markdown.chunks import ChunkMemo, find_blocks_in_chunks
from pipeline.markdown.front_matter import (
    MAX_FRONT_MATTER,
    MAX_YAML_DEPTH,
    PROSE_KEYS,
    FrontMatterValue,
    front_matter_values,
    yaml_scalar,
)

__all__ = ["FOOTNOTE_REF", "MAX_FRONT_MATTER", "MAX_YAML_DEPTH", "PROSE_KEYS", "Document",
           "Segment", "footnote_refs", "number_duplicates", "parse_document", "yaml_scalar"]

FOOTNOTE_REF = re.compile(r"(?=\[\^)(?:(?<=[^\n])|(?!\[\^[^\]\s]+\]:))\[\^([^\]\s]+)\]")
"""A footnote reference ``[^label]`` (group 1: the label); not a definition ``[^label]:`` at
the start of a line. It does not know about code spans: use `footnote_refs` for that.
(The first lookahead changes no match: it lets the regex engine skip to each ``[^``
instead of trying the alternatives at every character, three times faster.)"""

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable block.

    ``kind``: "meta" (front-matter field), "heading", "paragraph", "list-item",
    "quote", "table-cell", "footnote".
    ``text``: the msgid. Line breaks inside the block are kept as "\\n" (so the
    identity translation is exact); structure prefixes are removed.
    ``line``: 1-based line of the block's first line in the source file.
    ``label``: front-matter key for "meta", footnote label for "footnote"
    (without ``[^`` ``]``), heading level as a string ("1".."6") for
    "heading", else "".
    ``context``: the msgctxt that tells this segment from earlier ones with the same
    text (``duplicate 2``…), else None; set by `parse_document`.
    ``key``: the segment's identity (`pipeline.keys`), derived from context and text.
    ``prefixes``: for lines 2..n of ``text``, the structure that preceded
    each line in the source (e.g. "    " in a footnote, "> " in a quote,
    "" for a blank line inside a footnote). len(prefixes) == text.count("\\n").
    ``continuation``: the prefix to use for a translation's extra lines
    (beyond len(prefixes)); an extra blank line gets only its marks (">" in a quote).
    `restructure` matches a translation's lines to the source's by place (paragraph,
    line in it), not by index, so a lazy line's "" never starts a paragraph.
    ``eol``: the line ending for a translation's extra lines ("\\r\\n" in a CRLF file).
    ``newlines``: what ends each of lines 1..n-1 in the source when that is not
    always ``eol``, else empty: mixed line endings, and the trailing spaces of a
    paragraph's last line inside a footnote (they are no text).
    ``quoting``: "yaml" for a front-matter value: the text is rendered as a YAML
    scalar (``raw`` when unchanged, else a double-quoted scalar); "" for Markdown.
    ``raw``: the source characters of a "yaml" segment's scalar, quotes included.
    """

    kind: str
    text: str
    line: int
    label: str = ""
    prefixes: tuple[str, ...] = ()
    continuation: str = ""
    eol: str = "\n"
    newlines: tuple[str, ...] = ()
    quoting: str = ""
    raw: str = ""
    context: str | None = None
    key: SegmentKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", segment_key(self.context, self.text))

    def restructure(self, text: str) -> str:
        """Put this segment's continuation structure back around ``text``."""
        if self.quoting == "yaml":
            return self.raw if text == self.text else yaml_scalar(text)
        lines = text.split("\n")
        prefix_of = dict(zip(_line_places(self.text.split("\n")), self.prefixes, strict=True))
        out = [lines[0]]
        for i, (line, place) in enumerate(zip(lines[1:], _line_places(lines), strict=True)):
            end = self.newlines[i] if i < len(self.newlines) else self.eol
            out.append(end.lstrip(" \t") if line else end)  # spaces only before a blank line
            default = self.continuation if line else self.continuation.rstrip(" \t")
            out.append(prefix_of.get(place, default) + line)
        return "".join(out)


def _line_places(lines: list[str]) -> list[tuple[int, int]]:
    """Where lines 2..n sit: (paragraph, line in it), or (paragraph, -n) for the n-th blank
    line after it. A translation's line takes the source's prefix from the same place, so a
    lazy line's "" or a blank line's spaces never land at the start of a paragraph."""
    places = []
    paragraph = line_in = blanks = 0
    for line in lines[1:]:
        if not line:
            blanks += 1
            places.append((paragraph, -blanks))
            continue
        if blanks:
            paragraph, line_in, blanks = paragraph + 1, 0, 0
        else:
            line_in += 1
        places.append((paragraph, line_in))
    return places


@dataclass(frozen=True)
class Document:
    """A source file as skeleton strings and segments, in order."""

    parts: tuple[str | Segment, ...]

    @property
    def segments(self) -> list[Segment]:
        """The segments, in document order."""
        return [p for p in self.parts if isinstance(p, Segment)]

    def render(self, translate: Callable[[Segment], str]) -> str:
        """Reassemble the document, replacing each segment's text by ``translate(seg)``."""
        return "".join(self.iter_pieces(translate))

    def iter_pieces(self, translate: Callable[[Segment], str]) -> Iterator[str]:
        """`render`'s text a piece at a time: the skeleton's strings and each segment's
        (made when it is asked for)."""
        return (p if isinstance(p, str) else p.restructure(translate(p)) for p in self.parts)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)


def footnote_refs(text: str) -> list[str]:
    """The labels of the footnote references in ``text``, in order, outside code spans."""
    return [m.group(1) for m in FOOTNOTE_REF.finditer(_blank_code(text))]


def _blank_code(text: str) -> str:
    """``text`` with its code spans' characters (but not line breaks) turned into spaces."""
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


# "<!-- bitext: <word(s)> -->"; conflict lines ("<!-- bitext conflict: …") stay HTML blocks.
_BITEXT_MARK = re.compile(r"<!-- bitext: [a-z -]+ -->")


def _mask(match: re.Match[str]) -> str:
    return "x" * len(match.group())


def parse_document(
    text: str, *, path: str = "<string>", prose_keys: Collection[str] = PROSE_KEYS,
    memo: ChunkMemo | None = None,
) -> Document:
    """Split Markdown ``text`` into a `Document`.

    ``prose_keys``: the top-level front-matter keys whose string values are segments.
    ``memo``: the blocks of the chunks of an earlier parse (`pipeline.markdown.chunks`);
    only the chunks it does not know are parsed, and it is filled with this text's.
    Raises `BitextError` (with ``path`` and the line) for broken YAML front
    matter, a footnote reference with no definition, or a label defined twice.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = Lines.split(text[len(bom) :])
    # bitext's own markers (``<!-- bitext: untranslated -->`` in front of a segment of a
    # translated file) are text, not HTML blocks: the structure is read with them masked.
    masked = Lines(tuple(_BITEXT_MARK.sub(_mask, t) for t in lines.texts), lines.ends) if (
        "<!-- bitext: " in text) else lines  # (an original has none: no line to look at)
    try:
        blocks = find_blocks_in_chunks(masked, memo)
    except TooDeep as exc:
        raise BitextError(str(exc), path=path, line=exc.line) from None
    metas = front_matter_values(lines, blocks, path, prose_keys)
    document = _assemble(bom, lines, metas + blocks.spans)
    _check_footnotes(document, blocks, path)
    return document


def _assemble(bom: str, lines: Lines, blocks: list[FrontMatterValue | Span]) -> Document:
    """Cut the source into skeleton and segments at the blocks' spans."""
    parts: list[str | Segment] = []
    cursor = (0, 0)
    skeleton = bom
    for block in blocks:
        if block.start < cursor:
            continue  # cannot happen with markdown-it's blocks; never overlap
        skeleton += lines.slice(cursor, block.start)
        if skeleton:
            parts.append(skeleton)
        parts.append(_segment(lines, block))
        skeleton, cursor = "", block.end
    last = len(lines.texts) - 1
    skeleton += lines.slice(cursor, (last, len(lines.texts[last])))
    if skeleton:
        parts.append(skeleton)
    return Document(tuple(_with_contexts(parts)))


def _with_contexts(parts: list[str | Segment]) -> list[str | Segment]:
    """The parts, with each segment given its context (see `number_duplicates`)."""
    numbered = iter(number_duplicates([p for p in parts if isinstance(p, Segment)]))
    return [p if isinstance(p, str) else next(numbered) for p in parts]


def number_duplicates(segments: Iterable[Segment]) -> list[Segment]:
    """The 2nd, 3rd… segment with the same text gets its context, so every key is distinct."""
    seen: dict[str, int] = {}
    out: list[Segment] = []
    for segment in segments:
        count = seen[segment.text] = seen.get(segment.text, 0) + 1
        out.append(segment if count == 1 else replace(segment, context=duplicate_context(count)))
    return out


def _segment(lines: Lines, block: FrontMatterValue | Span) -> Segment:
    """The segment for one block."""
    (first, ca), (last, cb) = block.start, block.end
    if isinstance(block, FrontMatterValue):
        raw = lines.slice(block.start, block.end)
        blanks = ("",) * block.value.count("\n")
        return Segment("meta", block.value, first + 1, block.key, blanks, quoting="yaml", raw=raw)
    pieces = [lines.texts[first][ca : cb if last == first else None]]
    prefixes = []
    for j, col in zip(range(first + 1, last + 1), block.text_cols, strict=True):
        prefixes.append(lines.texts[j][:col])
        pieces.append(lines.texts[j][col : cb if j == last else None])
    eol = lines.ends[last] or next((end for end in lines.ends if end), "\n")
    newlines = list(lines.ends[first:last])
    for i in range(len(newlines)):
        if not pieces[i + 1].strip(" \t"):  # a paragraph ends: its trailing spaces are no text
            kept = pieces[i].rstrip(" \t")
            pieces[i], newlines[i] = kept, pieces[i][len(kept) :] + newlines[i]
    return Segment(
        kind=block.kind,
        text="\n".join(pieces),
        line=first + 1,
        label=block.key,
        prefixes=tuple(prefixes),
        continuation=block.continuation,
        eol=eol,
        newlines=() if all(end == eol for end in newlines) else tuple(newlines),
    )


def _check_footnotes(document: Document, blocks: Blocks, path: str) -> None:
    """Every label defined once; every reference in a segment has a definition."""
    defined: dict[str, int] = {}
    for label, line in blocks.definitions:
        if label in defined:
            raise BitextError(
                f"footnote [^{label}] is defined twice (first at line {defined[label]})",
                path=path,
                line=line,
            )
        defined[label] = line
    for segment in document.segments:
        if "[^" not in segment.text:
            continue  # most segments: skip the regexes
        text = _blank_code(segment.text) if "`" in segment.text else segment.text
        for match in FOOTNOTE_REF.finditer(text):
            if match.group(1) not in defined:
                line = segment.line + text.count("\n", 0, match.start())
                raise BitextError(
                    f"footnote [^{match.group(1)}] has no definition", path=path, line=line
                )
