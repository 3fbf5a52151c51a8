"""Where the translatable blocks of a Markdown text are (used by `pipeline.markdown.segments`).

The block structure is markdown-it-py's (`pipeline.markdown.block_parser`: CommonMark
plus pipe tables, YAML front matter, footnote definitions and pandoc's fenced-div
fences), with the position where each line's text starts once the container marks
(``>``, list markers, indentation) are taken off. This module walks its tokens once.

The result is a `Blocks`: `Span`s (line/column ranges of the source, in document order)
that `pipeline.markdown.segments` turns into segments, everything else being skeleton.
`Lines` is the source as those ranges count it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.markdown.block_parser import MAX_NESTING, RuleFn, TooDeep, parse_blocks

__all__ = ["HEADING_ATTRS", "MAX_NESTING", "Blocks", "Lines", "Pos", "RuleFn", "Span", "TooDeep",
           "blank_markers", "find_blocks", "walk_tokens"]

Pos = tuple[int, int]
"""A place in the source: (0-based line, column)."""

_EOL = re.compile(r"\r\n|\r|\n")  # what markdown-it normalises to "\n"
_WS = " \t"
# The marks in a line's structural prefix that only its first line carries.
_MARKERS = re.compile(r"\[\^[^\]]*\]:|\d{1,9}[.)]|[-+*]")
# A trailing pandoc attribute block on a heading: {#id .class key=value -}.
_ATTR_ITEM = r"""(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_][\w.:-]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+)|-)"""
HEADING_ATTRS = re.compile(rf"[ \t]*\{{[ \t]*{_ATTR_ITEM}(?:[ \t]+{_ATTR_ITEM})*[ \t]*\}}\Z")
_URL_ONLY = re.compile(
    r"<?(?:https?|ftp)://[^\s<>]+>?|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<?mailto:[^\s<>]+>?"
)
_ATTRS_ONLY = re.compile(r"\s*(?:\{[^{}]*\})?\s*")


@dataclass(frozen=True)
class Lines:
    """The source cut into lines: their text and their endings ("\\r\\n", "\\n", "\\r", "")."""

    texts: tuple[str, ...]
    ends: tuple[str, ...]

    @classmethod
    def split(cls, text: str) -> Lines:
        """Cut ``text`` at every line ending markdown-it knows (CRLF, LF, lone CR)."""
        if "\r" not in text:  # most texts: the same cut, by one C call (6 times faster)
            cut = tuple(text.split("\n"))
            return cls(cut, ("\n",) * (len(cut) - 1) + ("",))
        texts: list[str] = []
        ends: list[str] = []
        pos = 0
        for match in _EOL.finditer(text):
            texts.append(text[pos : match.start()])
            ends.append(match.group())
            pos = match.end()
        texts.append(text[pos:])
        ends.append("")
        return cls(tuple(texts), tuple(ends))

    def normalized(self) -> str:
        """The text markdown-it sees: the same lines joined with "\\n"."""
        return "\n".join(self.texts)

    def slice(self, start: Pos, end: Pos) -> str:
        """The original characters from ``start`` up to ``end``, line endings included."""
        (a, ca), (b, cb) = start, end
        if a == b:
            return self.texts[a][ca:cb]
        middle = "".join(self.texts[j] + self.ends[j] for j in range(a + 1, b))
        return self.texts[a][ca:] + self.ends[a] + middle + self.texts[b][:cb]

    def is_blank(self, line: int) -> bool:
        """Whether the line holds nothing but spaces and tabs."""
        return not self.texts[line].strip(_WS)


@dataclass(frozen=True)
class Span:
    """A translatable block: ``start`` to ``end`` (exclusive) in the source.

    ``text_cols``: for each line after the first, the column where its text starts (what is
    before it is structure). ``continuation``: the structure to put before a translation's
    extra lines.
    """

    kind: str
    key: str
    start: Pos
    end: Pos
    text_cols: tuple[int, ...] = ()
    continuation: str = ""


@dataclass
class Blocks:
    """What `find_blocks` found: spans, the front matter's closing line, footnote labels."""

    spans: list[Span] = field(default_factory=list)
    front_matter_end: int | None = None
    """0-based line of the front matter's closing ``---``, when there is front matter."""
    definitions: list[tuple[str, int]] = field(default_factory=list)
    """Footnote definitions in order: (label, 1-based line)."""


def blank_markers(prefix: str) -> str:
    """The first line's structure as continuation structure: list/footnote marks -> spaces."""
    return _MARKERS.sub(lambda m: " " * len(m.group()), prefix)


def _indent_cut(text: str, columns: int) -> int:
    """How many leading characters of ``text`` make up to ``columns`` of indentation."""
    col = pos = 0
    while pos < len(text) and col < columns and text[pos] in _WS:
        col = col + 4 - col % 4 if text[pos] == "\t" else col + 1
        pos += 1
    return pos


_INLINE = MarkdownIt("commonmark")


def _is_bare(inline: Token, text: str) -> bool:
    """A paragraph that is only a URL, only an image (maybe linked) or only ``$$`` math."""
    stripped = text.strip()
    if _URL_ONLY.fullmatch(stripped):
        return True
    if len(stripped) >= 4 and stripped.startswith("$$") and stripped.endswith("$$"):
        return True
    if not stripped.startswith(("!", "[")):
        return False
    kinds = [
        child.type
        for child in _INLINE.parseInline(stripped)[0].children or []
        if child.type not in ("softbreak", "hardbreak")
        and not (child.type == "text" and _ATTRS_ONLY.fullmatch(child.content))
    ]
    return kinds in (["image"], ["link_open", "image", "link_close"])


@dataclass
class _Footnote:
    label: str
    first: int
    last: int
    depth: int
    direct: set[int] = field(default_factory=set)


class _Walker:
    """Walks markdown-it's token stream once, collecting `Blocks`."""

    def __init__(self, lines: Lines, starts: dict[int, int]):
        self.lines = lines
        self.blocks = Blocks()
        self.stack: list[str] = []  # open containers: "blockquote" / "list_item"
        self.footnotes: list[_Footnote] = []
        offsets = [0]
        for text in lines.texts:
            offsets.append(offsets[-1] + len(text) + 1)
        self.cols = {line: pos - offsets[line] for line, pos in starts.items()}

    def col(self, line: int) -> int:
        """Column where the text of ``line`` starts (recorded, or after its indentation)."""
        text = self.lines.texts[line]
        return self.cols.get(line, len(text) - len(text.lstrip(_WS)))

    def end_col(self, line: int) -> int:
        return len(self.lines.texts[line].rstrip(_WS))

    def walk(self, tokens: list[Token]) -> Blocks:
        for i, token in enumerate(tokens):
            kind = token.type
            if kind in ("blockquote_open", "list_item_open"):
                self.stack.append(kind[:-5])
            elif kind in ("blockquote_close", "list_item_close"):
                self.stack.pop()
            elif kind == "footnote_reference_open":
                self._open_footnote(token)
            elif kind == "footnote_reference_close":
                self._close_footnote()
            elif kind == "paragraph_open" and self.footnotes:
                if len(self.stack) == self.footnotes[-1].depth and token.map:
                    self.footnotes[-1].direct.update(range(*token.map))
            elif self.footnotes:
                continue
            elif kind == "front_matter" and token.map:
                self.blocks.front_matter_end = token.map[1] - 1
            elif kind == "heading_open":
                self._heading(token)
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[i + 1])
            elif kind == "tr_open":
                self._row(token, tokens, i)
        return self.blocks

    def _add(self, kind: str, key: str, start: Pos, end: Pos, cont: str = "") -> None:
        cols = tuple(self.col(j) for j in range(start[0] + 1, end[0] + 1))
        self.blocks.spans.append(Span(kind, key, start, end, cols, cont))

    def _heading(self, token: Token) -> None:
        assert token.map is not None
        first, stop = token.map
        level = token.tag[1:]
        if token.markup.startswith("#"):
            text = self.lines.texts[first]
            ca = self.col(first) + int(level)
            ca += len(text[ca:]) - len(text[ca:].lstrip(_WS))
            body = text[ca:].rstrip(_WS)
            j = len(body.rstrip("#"))
            if j < len(body) and (j == 0 or body[j - 1] in _WS):
                body = body[:j].rstrip(_WS)
            last, cb = first, ca + len(body)
        else:  # setext: the text lines, then the underline
            last, ca = stop - 2, self.col(first)
            cb = self.end_col(last)
        body = self.lines.texts[last][:cb]
        begin = self.col(last) if last > first else ca
        attrs = HEADING_ATTRS.search(body, begin)
        if attrs and (attrs.start() > begin or last == first):
            cb = attrs.start()
        if (last, cb) > (first, ca):
            self._add("heading", level, (first, ca), (last, cb))

    def _paragraph(self, token: Token, inline: Token) -> None:
        assert token.map is not None
        first, stop = token.map
        ca = self.col(first)
        start, end = (first, ca), (stop - 1, self.end_col(stop - 1))
        if _is_bare(inline, self.lines.slice(start, end)):
            return
        inner = self.stack[-1] if self.stack else ""
        kind = {"list_item": "list-item", "blockquote": "quote"}.get(inner, "paragraph")
        cont = blank_markers(self.lines.texts[first][:ca]) if inner else ""
        self._add(kind, "", start, end, cont)

    def _row(self, token: Token, tokens: list[Token], i: int) -> None:
        assert token.map is not None
        line = token.map[0]
        columns = 0
        for later in tokens[i + 1 :]:
            if later.type == "tr_close":
                break
            columns += later.type in ("th_open", "td_open")
        text = self.lines.texts[line]
        lo = self.col(line)
        hi = lo + len(text[lo:].strip(_WS))
        cells, begin = [], lo
        for pos in range(lo, hi):
            if text[pos] == "|" and (pos == 0 or text[pos - 1] != "\\"):
                cells.append((begin, pos))
                begin = pos + 1
        cells.append((begin, hi))
        if cells and cells[0][0] == cells[0][1]:
            cells.pop(0)
        if cells and cells[-1][0] == cells[-1][1]:
            cells.pop()
        for begin, finish in cells[:columns]:
            cell = text[begin:finish]
            if cell.strip(_WS):
                ca = begin + len(cell) - len(cell.lstrip(_WS))
                self._add("table-cell", "", (line, ca), (line, begin + len(cell.rstrip(_WS))))

    def _open_footnote(self, token: Token) -> None:
        assert token.map is not None
        label = token.meta["label"]
        self.blocks.definitions.append((label, token.map[0] + 1))
        self.footnotes.append(_Footnote(label, token.map[0], token.map[1] - 1, len(self.stack)))

    def _close_footnote(self) -> None:
        note = self.footnotes.pop()
        if self.footnotes:
            return  # a definition inside a definition: part of the outer one's text
        lines, first = self.lines, note.first
        text = lines.texts[first]
        mark = text.find(f"[^{note.label}]:")
        if mark < 0:  # markdown-it turned a NUL of the label into U+FFFD
            mark = text.find("[^")
        cont = blank_markers(text[:mark]) + "    "
        ca = text.find("]:", mark) + 2
        ca += len(text[ca:]) - len(text[ca:].lstrip(_WS))
        if ca >= len(text):
            later = [j for j in range(first + 1, note.last + 1) if not lines.is_blank(j)]
            if not later:
                return
            first = later[0]
        last = max(j for j in range(first, note.last + 1) if not lines.is_blank(j))

        def col(line: int) -> int:
            if lines.is_blank(line):
                return len(lines.texts[line])
            if line in note.direct:
                return self.col(line)
            return _indent_cut(lines.texts[line], 4)

        if first != note.first:
            ca = col(first)
        cols = tuple(col(j) for j in range(first + 1, last + 1))
        span = Span("footnote", note.label, (first, ca), (last, self.end_col(last)), cols, cont)
        self.blocks.spans.append(span)


def find_blocks(lines: Lines) -> Blocks:
    """Parse the source's lines and locate its translatable blocks, in document order.

    Raises `TooDeep` (with the 1-based line) for containers nested deeper than `MAX_NESTING`.
    """
    tokens, starts = parse_blocks(lines.normalized())
    blocks = walk_tokens(lines, tokens, starts)
    blocks.spans.sort(key=lambda span: span.start)
    return blocks


def walk_tokens(lines: Lines, tokens: list[Token], starts: dict[int, int]) -> Blocks:
    """The blocks of markdown-it's tokens for ``lines`` (``starts``: see `parse_blocks`)."""
    return _Walker(lines, starts).walk(tokens)
