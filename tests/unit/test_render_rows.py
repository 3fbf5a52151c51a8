"""Bilingual rows: blocks paired by the segments they hold."""

from __future__ import annotations

from pipeline.render.ast import para, text
from pipeline.render.rows import align_rows
from pipeline.render.source import tag


def block(*segments: int, word: str = "x") -> dict:
    return para([*(tag(s) for s in segments), text(word)])


def bare(word: str = "code") -> dict:
    return {"t": "CodeBlock", "c": [["", [], []], word]}


def shape(rows: list) -> list:
    def name(b: dict) -> str:
        if b["t"] == "CodeBlock":
            return "code"
        return ",".join(str(int(dict(x["c"][0][2])["seg"])) for x in b["c"] if x["t"] == "Span")
    return [([name(b) for b in left], [name(b) for b in right]) for left, right in rows]


def test_one_row_per_segment_when_shapes_match() -> None:
    rows = align_rows([block(0), block(1), block(2)], [block(0), block(1), block(2)])
    assert shape(rows) == [(["0"], ["0"]), (["1"], ["1"]), (["2"], ["2"])]


def test_a_paragraph_split_in_the_translation_stays_in_one_row() -> None:
    # the translator's extra paragraph has no segment marker of its own
    rows = align_rows([block(0), block(1), block(2)],
                      [block(0), block(1), para([text("more")]), block(2)])
    assert shape(rows) == [(["0"], ["0"]), (["1"], ["1", ""]), (["2"], ["2"])]


def test_a_block_holding_two_segments_pairs_with_two_blocks() -> None:
    rows = align_rows([block(0), block(1, 2), block(3)],
                      [block(0), block(1), block(2), block(3)])
    assert shape(rows) == [(["0"], ["0"]), (["1,2"], ["1", "2"]), (["3"], ["3"])]


def test_bare_blocks_pair_with_each_other_or_join_the_row_before() -> None:
    rows = align_rows([block(0), bare(), block(1), bare()], [block(0), bare(), block(1)])
    assert shape(rows) == [(["0"], ["0"]), (["code"], ["code"]), (["1", "code"], ["1"])]


def test_a_missing_block_leaves_its_cell_empty() -> None:
    rows = align_rows([block(0), block(1)], [block(0)])
    assert shape(rows) == [(["0"], ["0"]), (["1"], [])]
