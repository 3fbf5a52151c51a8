"""Markdown document -> segments, and back.

A *segment* is one translatable block of a document: a prose front-matter
field (title, subtitle, description, abstract), a heading, a paragraph, a
list item's paragraph, a block-quote paragraph, a table cell, a footnote
definition (all its paragraphs). Its ``text`` (the msgid) is the block's
text without the structure bitext keeps itself: heading marks, list bullets,
quote marks, a footnote's ``[^label]:``, the indentation of continuation
lines. Inline markup (emphasis, links, footnote references) stays.

A `Document` is the source split into verbatim *skeleton* strings and
segments, in order. ``document.render(lambda seg: seg.text)`` gives the
source back byte for byte; rendering with translations puts the structure
back around each translated text.

Pure: no file or process I/O here (the caller reads the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One translatable block.

    ``kind``: "meta" (front-matter field), "heading", "paragraph", "list-item",
    "quote", "table-cell", "footnote".
    ``text``: the msgid. Line breaks inside the block are kept as "\\n" (so the
    identity translation is exact); structure prefixes are removed.
    ``line``: 1-based line of the block's first line in the source file.
    ``key``: front-matter key for "meta", footnote label for "footnote"
    (without ``[^`` ``]``), heading level as a string ("1".."6") for
    "heading", else "".
    ``prefixes``: for lines 2..n of ``text``, the structure that preceded
    each line in the source (e.g. "    " in a footnote, "> " in a quote,
    "" for a blank line inside a footnote). len(prefixes) == text.count("\\n").
    ``continuation``: the prefix to use for a translation's extra lines
    (beyond len(prefixes)); blank lines never get a prefix.
    """

    kind: str
    text: str
    line: int
    key: str = ""
    prefixes: tuple[str, ...] = ()
    continuation: str = ""

    def restructure(self, text: str) -> str:
        """Put this segment's continuation structure back around ``text``."""
        lines = text.split("\n")
        out = [lines[0]]
        for i, line in enumerate(lines[1:]):
            if i < len(self.prefixes):
                out.append(self.prefixes[i] + line)
            else:
                out.append(self.continuation + line if line else "")
        return "\n".join(out)


@dataclass(frozen=True)
class Document:
    """A source file as skeleton strings and segments, in order."""

    parts: tuple[str | Segment, ...]

    @property
    def segments(self) -> list[Segment]:
        return [p for p in self.parts if isinstance(p, Segment)]

    def render(self, translate: Callable[[Segment], str]) -> str:
        """Reassemble the document, replacing each segment's text by ``translate(seg)``."""
        return "".join(
            p if isinstance(p, str) else p.restructure(translate(p)) for p in self.parts
        )

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)


def parse_document(text: str, *, path: str = "<string>") -> Document:
    """Split Markdown ``text`` into a `Document`.

    Raises `BitextError` (with ``path`` and the line) for broken YAML front
    matter, a footnote reference with no definition, or a label defined twice.
    """
    raise NotImplementedError
