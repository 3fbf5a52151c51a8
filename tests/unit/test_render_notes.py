"""Footnote labels: numbering styles, and notes taken out of the AST with their labels."""

from __future__ import annotations

import pytest

from pipeline.render.ast import para, text
from pipeline.render.notes import alpha, collect_notes, format_label, reference_of, roman
from pipeline.render.source import tag


@pytest.mark.parametrize(("n", "expected"), [
    (1, "i"), (2, "ii"), (3, "iii"), (4, "iv"), (9, "ix"), (14, "xiv"), (15, "xv"),
    (19, "xix"), (40, "xl"), (90, "xc"), (1994, "mcmxciv"), (3999, "mmmcmxcix"), (4000, "4000"),
])
def test_roman(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "a"), (26, "z"), (27, "aa"), (52, "az"),
                                             (53, "ba"), (702, "zz"), (703, "aaa")])
def test_alpha(n: int, expected: str) -> None:
    assert alpha(n) == expected


@pytest.mark.parametrize(("style", "expected"), [
    ("arabic", "12"), ("lower-roman", "xii"), ("upper-roman", "XII"), ("lower-alpha", "l"),
    ("upper-alpha", "L"), ("label", "note-x"),
])
def test_format_label(style: str, expected: str) -> None:
    assert format_label(12, style, "note-x") == expected


def test_label_style_falls_back_to_the_number_for_a_note_without_label() -> None:
    assert format_label(3, "label", "") == "3"


def _note(segment: int, words: str) -> dict:
    return {"t": "Note", "c": [para([tag(segment), text(words)])]}


def test_notes_are_numbered_by_first_reference_and_a_repeat_is_the_same_note() -> None:
    # pandoc copies a definition into each reference: the segment tag tells them apart
    blocks = [para([text("a"), _note(7, "seven"), text("b"), _note(5, "five"),
                    _note(7, "seven")])]
    out, notes = collect_notes(blocks, style="lower-roman", keys={5: "v", 7: "vii"})
    assert [(n.number, n.label, n.segment, n.references) for n in notes] == [
        (1, "i", 7, 2), (2, "ii", 5, 1)]
    refs = [reference_of(x) for x in out[0]["c"] if reference_of(x)]
    assert refs == [(1, 1), (2, 1), (1, 2)]
    assert not any(x["t"] == "Note" for x in out[0]["c"])


def test_label_style_keeps_the_source_labels() -> None:
    blocks = [para([_note(3, "x"), _note(2, "y")])]
    _, notes = collect_notes(blocks, style="label", keys={2: "b", 3: "a"})
    assert [n.label for n in notes] == ["a", "b"]


def test_input_is_not_modified() -> None:
    blocks = [para([_note(1, "x")])]
    before = repr(blocks)
    collect_notes(blocks, style="arabic", keys={1: "1"})
    assert repr(blocks) == before
