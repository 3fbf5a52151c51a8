"""Property tests: parsing a text chunk by chunk (with or without a memo) finds the same blocks.

`pipeline.markdown.chunks` cuts a text at unindented lines after blank ones and
parses only the chunks its memo does not know; `find_blocks` parses the whole text
at once and is the reference. The documents here are random sequences of lines
drawn to break the cuts: fences opened and never closed, HTML blocks that run to an
end marker across blank lines, loose lists, lazy lines, indented continuations,
footnote definitions, setext underlines, tables, CRLF. The memo is then reused on an
edited copy (lines inserted, removed, changed), which must parse as if from scratch.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.markdown import chunks
from pipeline.markdown.blocks import Lines, find_blocks
from pipeline.markdown.chunks import ChunkMemo, find_blocks_in_chunks

REPO = Path(__file__).resolve().parents[2]

LINES = st.sampled_from([
    "Paragraf bir.", "ikinci satır", "Üçüncü *vurgu* [^a]", "“Tırnak” ile başlar", "(1) parantez",
    "", "", "", "  ", "\t",
    "- madde", "* madde", "+ madde", "1. sıra", "2) sıra", "-", "10.", "*vurgu* ile başlar",
    "  devam", "    girintili", "\tsekme",
    "> alıntı", ">", "> > iç içe",
    "```", "~~~", "```python", "   ```", "  ~~~~", "````",
    "<!-- yorum", "-->", "yorum biter -->", "<pre>", "</pre>", "<div>", "</div>", "<?php",
    "?>", "<![CDATA[", "]]>", "<script>", "</script>", "<!DOCTYPE html>",
    "# Başlık", "## Başlık #", "===", "---", "***", "___",
    "[^a]: dipnot", "[^b]: ikinci", "    dipnot devamı", "[ref]: https://example.com",
    "| a | b |", "|---|---|", "| 1 | 2 |",
    "bitiş\\", "<https://example.com>", "![resim](r.png)",
])  # fmt: skip
ENDS = st.sampled_from(["\n"] * 8 + ["\r\n", "\r"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINES, max_size=60))
    ends = [draw(ENDS) for _ in lines]
    return "".join(line + end for line, end in zip(lines, ends, strict=True)) + draw(LINES)


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines inserted, removed or replaced."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.integers(0, 2))
        if action == 0:
            lines.insert(at, draw(LINES))
        elif lines and at < len(lines):
            if action == 1:
                del lines[at]
            else:
                lines[at] = draw(LINES)
    return "\n".join(lines)


def _same(text: str, memo: ChunkMemo | None = None) -> None:
    lines = Lines.split(text)
    assert find_blocks_in_chunks(lines, memo) == find_blocks(lines), text


# BITEXT_EXAMPLES=20000 for a longer hunt
SETTINGS = settings(max_examples=int(os.environ.get("BITEXT_EXAMPLES", "400")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts())
def test_chunks_find_the_blocks_of_the_whole_text(text: str) -> None:
    _same(text)


@SETTINGS
@given(st.data(), texts())
def test_a_memo_of_another_version_changes_nothing(data: st.DataObject, text: str) -> None:
    memo = ChunkMemo()
    _same(text, memo)
    later = data.draw(edited(text))
    _same(later, ChunkMemo(known=memo.used))


@SETTINGS
@given(texts())
def test_short_runs_change_nothing(text: str) -> None:
    """Runs of a few lines: most cuts fall between two runs, where a memo would."""
    saved = chunks.RUN_LINES
    chunks.RUN_LINES = 3
    try:
        _same(text)
    finally:
        chunks.RUN_LINES = saved


def _runs(lines: Lines, memo: ChunkMemo) -> int:
    """How many markdown-it runs parsing ``lines`` with ``memo`` takes (the blocks checked)."""
    parsed = []
    real = chunks.parse_blocks
    chunks.parse_blocks = lambda src: parsed.append(src) or real(src)  # type: ignore[assignment,func-returns-value]
    try:
        assert find_blocks_in_chunks(lines, memo) == find_blocks(lines)
    finally:
        chunks.parse_blocks = real
    return len(parsed)


def test_the_sample_is_cut_and_remembered() -> None:
    """The sample is cut at its paragraphs, and a second parse reads them all from the memo."""
    text = (REPO / "source" / "tr" / "article.md").read_text(encoding="utf-8")
    lines = Lines.split(text)
    memo = ChunkMemo()
    assert _runs(lines, memo) == 1
    assert len(memo.used) > 30
    again = ChunkMemo(known=memo.used)
    assert _runs(lines, again) == 0
    assert again.used == memo.used


@pytest.mark.parametrize("text", [
    "a\n\n```\n\nb\n\nc\n",            # a fence never closed runs to the end
    "a\n\n<!--\n\nb\n\n-->\n\nc\n",    # an HTML comment across blank lines
    "- a\n\n- b\n\nc\n",               # a loose list
    "::: note\n\na\n\n:::\n\nb\n",     # div fences: the text is parsed whole
    "[^a]: x\n\n    y\n\nz [^a]\n",    # a footnote's second paragraph
    "---\ntitle: x\n\nabstract: y\n---\n\nText\n",  # front matter with a blank line
])
def test_what_runs_across_a_cut(text: str) -> None:
    for run in (1, 2, 4000):
        saved, chunks.RUN_LINES = chunks.RUN_LINES, run
        try:
            memo = ChunkMemo()
            _same(text, memo)
            _same(text, ChunkMemo(known=memo.used))
        finally:
            chunks.RUN_LINES = saved


def test_a_loose_list_is_one_chunk() -> None:
    """Its items are not cut apart (they would be joined again, and never remembered)."""
    lines = Lines.split("Bir.\n\n1. a\n\n2. b\n\n+ c\n\n+ d\n\ne\n")
    memo = ChunkMemo()
    _runs(lines, memo)
    assert len(memo.used) == 2  # "Bir." and the lists; "e"
    assert _runs(lines, ChunkMemo(known=memo.used)) == 0


def test_a_damaged_memo_is_ignored() -> None:
    text = "Bir.\n\nİki [^a].\n\n[^a]: not\n"
    lines = Lines.split(text)
    memo = ChunkMemo()
    find_blocks_in_chunks(lines, memo)
    for bad in (None, [], [[], [], None, 1], [[["paragraph", "", 5, 0, 5, 1, [], ""]], [], None],
                [[["paragraph", "", 0, 0, 1, 1, [], ""]], [], None], [[], [["a", "x"]], None],
                [[1], [], None], [[], [], 9]):
        damaged = ChunkMemo(known=dict.fromkeys(memo.used, bad))
        assert find_blocks_in_chunks(lines, damaged) == find_blocks(lines)


def test_too_deep_names_the_line_of_the_whole_text() -> None:
    from pipeline.markdown.block_parser import TooDeep

    text = "Bir.\n\nİki.\n\n" + ">" * 150 + " derin\n"
    for run in (1, 4000):
        saved, chunks.RUN_LINES = chunks.RUN_LINES, run
        try:
            with pytest.raises(TooDeep) as caught:
                find_blocks_in_chunks(Lines.split(text))
        finally:
            chunks.RUN_LINES = saved
        assert caught.value.line == 5


@given(st.text(alphabet="a \r\n", max_size=30))
def test_lines_cut_with_or_without_carriage_returns_as_markdown_it_does(text: str) -> None:
    """`Lines.split`'s fast cut (no CR in the text) is the regex's cut."""
    lines = Lines.split(text)
    pieces = re.split(r"(\r\n|\r|\n)", text)
    assert lines.texts == tuple(pieces[0::2])
    assert lines.ends == (*pieces[1::2], "")
    for same in (text.replace("\r", ""), text.replace("\r", "\n")):
        cut = Lines.split(same)
        assert (cut.texts, cut.ends) == (tuple(same.split("\n")),
                                          ("\n",) * same.count("\n") + ("",))
