"""A long Markdown text parsed a piece at a time, and only the pieces that changed.

markdown-it reads a whole text into tokens at once: on a 4 MB original that is most
of `update`'s time and memory, though an edit changes a few paragraphs. Yet a line
that starts in the first column after a blank line, and is not a list item, always
begins a new top-level block: the blank line ended every paragraph, and a line that
is not indented ends every list item, block quote and footnote definition before it
(a list item would go on with a loose list). Only
a fenced code block or an HTML block of the kinds that run to an end marker
(``<pre>``, ``<!--`` …) can go on through it, and pandoc's div fences look ahead
for their closing fence. So the text is cut into *chunks* at those lines, and a chunk
gives the same blocks alone as inside the whole text as long as nothing runs across
its ends:

* a text with ``:::`` anywhere (div fences) is parsed whole;
* consecutive chunks are parsed together, in runs of at most `RUN_LINES` lines (one
  markdown-it run: it bounds the tokens held at once); a top-level block that
  crosses a cut inside a run joins the chunks it crosses; a top-level fenced code or
  HTML block that reaches the end of a run makes the run go on to the text's end;
* the blocks of each chunk are remembered in a `ChunkMemo` under the digest of its
  text, so the next parse of the same text with a few paragraphs edited parses only
  those paragraphs. A chunk joined to another is not remembered.

`find_blocks` (`pipeline.markdown.blocks`) parses the whole text in one run: it is
the reference, and tests hold the two equal (the sample, the corpus, generated
documents). Pure: the memo is loaded and saved by `pipeline.adapters.segment_memo`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from pipeline.markdown.block_parser import TooDeep, parse_blocks
from pipeline.markdown.blocks import Blocks, Lines, Span, walk_tokens

RUN_LINES = 4000
"""The most lines parsed in one markdown-it run (a chunk longer than that is one run)."""

# The top-level blocks that can run on through a blank line and an unindented line.
_RUN_ON = ("fence", "html_block")
# An unindented line after a blank one goes on with what came before only when it is
# indented (a list item's or a footnote's next paragraph) or a list item (a loose list).
# Nor is a chunk started at "-": parsed alone, a "---" line would open front matter.
_NOT_FIRST = ("", " ", "\t", "-")
_LIST_ITEM = re.compile(r"(?:[+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")


@dataclass
class ChunkMemo:
    """Chunk digest -> the chunk's blocks (relative to its first line), as JSON values.

    ``known``: what an earlier parse remembered; ``used``: what this parse found or
    reused (the memo to keep: a text's chunks only, so it never grows past the text).
    """

    known: Mapping[str, Any] = field(default_factory=dict)
    used: dict[str, Any] = field(default_factory=dict)
    parsed: bool = False  # some chunk was parsed: ``used`` is not ``known``'s entries only


def find_blocks_in_chunks(lines: Lines, memo: ChunkMemo | None = None) -> Blocks:
    """The same `Blocks` as ``find_blocks(lines)``, parsing only what ``memo`` lacks."""
    memo = memo if memo is not None else ChunkMemo()
    cuts = _cuts(lines)
    keys = [_digest(lines, a, b) for a, b in pairwise(cuts)]
    found = Blocks()
    i = 0
    while i < len(keys):
        known = _load(memo.known.get(keys[i]), cuts[i], cuts[i + 1], lines)
        if known is not None:
            memo.used[keys[i]] = memo.known[keys[i]]
            _append(found, known)
            i += 1
            continue
        j = i + 1  # a run of chunks the memo does not know
        while (j < len(keys) and keys[j] not in memo.known
               and cuts[j + 1] - cuts[i] <= RUN_LINES):
            j += 1
        memo.parsed = True
        j = _parse_run(lines, cuts, i, j, keys, memo, found)
        i = j
    found.spans.sort(key=lambda span: span.start)
    return found


def _cuts(lines: Lines) -> list[int]:
    """The first line of every chunk, and the line count at the end."""
    texts = lines.texts
    if any(":::" in text for text in texts):
        return [0, len(texts)]
    cuts = [0]
    blank = False
    # Front matter runs from a first "---" to a closing one, blank lines and all.
    after = next((n for n, text in enumerate(texts) if n and text.startswith(("---", "..."))),
                 0) if texts[0].startswith("---") else 0
    for n, text in enumerate(texts):
        if blank and n > after and text[:1] not in _NOT_FIRST and not _LIST_ITEM.match(text):
            cuts.append(n)
        blank = not text.strip(" \t")
    cuts.append(len(texts))
    return cuts


def _source(lines: Lines, a: int, b: int) -> str:
    """What markdown-it reads for lines a..b-1: as in the whole text, with the final newline."""
    text = "\n".join(lines.texts[a:b])
    return text + "\n" if b < len(lines.texts) else text


def _digest(lines: Lines, a: int, b: int) -> str:
    # The text markdown-it reads is all the blocks depend on: not the line endings, which
    # the segments take from the lines themselves.
    data = _source(lines, a, b)
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _parse_run(lines: Lines, cuts: list[int], i: int, j: int, keys: list[str],
               memo: ChunkMemo, found: Blocks) -> int:
    """Parse chunks i..j-1 in one run, add their blocks; the chunk index after the run."""
    a, b = cuts[i], cuts[j]
    part = Lines(lines.texts[a:b], lines.ends[a:b])
    try:
        tokens, starts = parse_blocks(_source(lines, a, b))
    except TooDeep as exc:
        raise TooDeep(exc.line + a) from None
    tops = [t for t in tokens if t.level == 0 and t.map]
    if b < len(lines.texts) and any(t.type in _RUN_ON and t.map and t.map[1] >= b - a
                                    for t in tops):
        return _parse_run(lines, cuts, i, len(keys), keys, memo, found)  # runs on: to the end
    blocks = walk_tokens(part, tokens, starts)
    blocks.spans.sort(key=lambda span: span.start)
    inner = [c - a for c in cuts[i + 1 : j]]
    crossed = set()
    for t in tops:  # the cuts strictly inside a top-level block
        if t.map and t.map[1] - t.map[0] > 1:
            crossed.update(inner[bisect_right(inner, t.map[0]) : bisect_left(inner, t.map[1])])
    del tokens, starts, tops
    _append(found, _shifted(blocks, a))
    span_starts = [s.start[0] for s in blocks.spans]
    note_lines = [line - 1 for _, line in blocks.definitions]  # 1-based, in order
    for k in range(i, j):
        lo, hi = cuts[k] - a, cuts[k + 1] - a
        if lo in crossed or hi in crossed:
            continue  # joined to its neighbour: not a chunk on its own
        spans = blocks.spans[bisect_left(span_starts, lo) : bisect_left(span_starts, hi)]
        notes = blocks.definitions[bisect_left(note_lines, lo) : bisect_left(note_lines, hi)]
        end = blocks.front_matter_end
        memo.used[keys[k]] = _dump(spans, notes, end if end is not None and lo <= end < hi
                                   else None, lo)
    return j


def _append(found: Blocks, more: Blocks) -> None:
    found.spans.extend(more.spans)
    found.definitions.extend(more.definitions)
    if more.front_matter_end is not None:
        found.front_matter_end = more.front_matter_end


def _shifted(blocks: Blocks, by: int) -> Blocks:
    if not by:
        return blocks
    return Blocks(
        spans=[Span(s.kind, s.key, (s.start[0] + by, s.start[1]), (s.end[0] + by, s.end[1]),
                    s.text_cols, s.continuation) for s in blocks.spans],
        front_matter_end=None if blocks.front_matter_end is None else blocks.front_matter_end + by,
        definitions=[(label, line + by) for label, line in blocks.definitions],
    )


def _dump(spans: list[Span], notes: list[tuple[str, int]], end: int | None,
          a: int) -> list[Any]:
    """A chunk's blocks, relative to its first line ``a`` (of the run), as JSON values."""
    return [[[s.kind, s.key, s.start[0] - a, s.start[1], s.end[0] - a, s.end[1],
              list(s.text_cols), s.continuation] for s in spans],
            [[label, line - a] for label, line in notes],
            None if end is None else end - a]


def _load(value: Any, a: int, b: int, lines: Lines) -> Blocks | None:
    """A remembered chunk's blocks at line ``a``, or None when ``value`` is not well formed."""
    if not (isinstance(value, list) and len(value) == 3):
        return None
    spans, notes, end = value
    count = b - a
    try:
        found = Blocks(
            spans=[_span(item, a, count) for item in spans],
            definitions=[(str(label), int(line) + a) for label, line in notes
                         if isinstance(label, str) and isinstance(line, int)],
            front_matter_end=None if end is None else _line(end, count) + a,
        )
    except (TypeError, ValueError):
        return None
    if len(found.definitions) != len(notes):
        return None
    return found


def _span(item: Any, a: int, count: int) -> Span:
    kind, key, l0, c0, l1, c1, cols, cont = item
    if not (isinstance(kind, str) and isinstance(key, str) and isinstance(cont, str)
            and isinstance(cols, list) and all(isinstance(c, int) for c in cols)
            and isinstance(c0, int) and isinstance(c1, int)):
        raise TypeError("not a span")
    first, last = _line(l0, count), _line(l1, count)
    if last < first or len(cols) != last - first:
        raise ValueError("not a span")
    return Span(kind, key, (first + a, c0), (last + a, c1), tuple(cols), cont)


def _line(value: Any, count: int) -> int:
    if not (isinstance(value, int) and 0 <= value < count):
        raise ValueError("not a line of the chunk")
    return value
