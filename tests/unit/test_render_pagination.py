"""The bilingual paginator on hand-made heights, and where a paragraph may be cut."""

from __future__ import annotations

from pipeline.render.ast import text
from pipeline.render.pagination import Metrics, Row, Side, paginate
from pipeline.render.pdf_pages import sentences

SPACE = {"t": "Space"}
M = Metrics(area=100.0, row_gap=2.0, note_gap=1.0, rule=4.0, pitch=5.0,
            note_heights={"l:1": 6.0, "r:1": 6.0, "s:1": 6.0, "l:2": 6.0, "r:2": 8.0})


def side(*cuts: float, notes: dict[int, tuple[str, ...]] | None = None) -> Side:
    notes = notes or {}
    return Side(tuple(cuts), tuple(notes.get(k, ()) for k in range(len(cuts))))


def test_rows_that_fit_share_a_page() -> None:
    rows = [Row(side(30), side(35)), Row(side(30), side(20))]
    pages = paginate(rows, M, facing=False)
    assert [[(p.row, p.left, p.right) for p in page.parts] for page in pages] == [
        [(0, (0, 1), (0, 1)), (1, (0, 1), (0, 1))]]


def test_a_row_that_does_not_fit_is_cut_at_sentences_and_goes_on() -> None:
    # 35 + 2 + (sentences of 20 each): two fit beside the first row's longer side
    rows = [Row(side(35), side(30)), Row(side(20, 40, 60, 80), side(25, 50, 75, 90))]
    pages = paginate(rows, M, facing=False)
    first, second = pages
    assert [(p.row, p.left, p.right) for p in first.parts] == [
        (0, (0, 1), (0, 1)), (1, (0, 2), (0, 2))]
    assert [(p.row, p.left, p.right) for p in second.parts] == [(1, (2, 4), (2, 4))]


def test_notes_go_to_the_foot_of_the_page_of_their_reference_and_take_its_room() -> None:
    rows = [Row(side(40), side(40)),
            Row(side(30, 50, notes={1: ("2",)}), side(30, 50, notes={1: ("2",)}))]
    pages = paginate(rows, M, facing=False)
    # 40 + 2 + 50 = 92 fits alone, not with a foot of 4 + 1 + 8
    assert [(p.row, p.left) for p in pages[0].parts] == [(0, (0, 1)), (1, (0, 1))]
    assert pages[0].notes_left == [] and pages[1].notes_left == ["2"]
    assert pages[1].notes_right == ["2"]


def test_a_note_the_same_in_both_languages_is_shared_on_its_page() -> None:
    rows = [Row(side(20, notes={0: ("1",)}), side(20, notes={0: ("1",)}))]
    page = paginate(rows, M, facing=False, shared={"1"})[0]
    assert (page.notes_left, page.notes_right, page.shared) == ([], [], ["1"])


def test_a_heading_never_ends_a_page() -> None:
    rows = [Row(side(80), side(80)), Row(side(10), side(10), heading=True),
            Row(side(30), side(30))]
    pages = paginate(rows, M, facing=False)
    assert [[p.row for p in page.parts] for page in pages] == [[0], [1, 2]]


def test_facing_fills_each_side_on_its_own_with_the_same_rows() -> None:
    rows = [Row(side(50), side(20)), Row(side(40), side(70))]
    # parallel: 50 + 2 + 70 > 100; facing: 50 + 2 + 40 and 20 + 2 + 70 both fit
    assert len(paginate(rows, M, facing=False)) == 2
    pages = paginate(rows, M, facing=True)
    assert len(pages) == 1 and [p.row for p in pages[0].parts] == [0, 1]


def test_sentences_are_cut_after_full_stops_not_after_numbers_or_initials() -> None:
    inlines = [text("Kral"), SPACE, text("II."), SPACE, text("Abdullah"), SPACE,
               text("geldi."), SPACE, text("Sonra"), SPACE, text("s."), SPACE, text("22"),
               SPACE, text("dedi."), SPACE, text("“Neden?”"), SPACE, text("Bitti.")]
    parts = [" ".join(n["c"] for n in s if n["t"] == "Str") for s in sentences(inlines)]
    assert parts == ["Kral II. Abdullah geldi.", "Sonra s. 22 dedi.", "“Neden?”", "Bitti."]


def test_a_sentence_end_inside_a_language_span_is_not_a_cut() -> None:
    raw_open = {"t": "RawInline", "c": ["typst", '#text(lang: "en")[']}
    raw_close = {"t": "RawInline", "c": ["typst", "]"]}
    inlines = [text("Bir."), SPACE, raw_open, text("Two."), SPACE, text("Three."), raw_close,
               SPACE, text("Dört.")]
    cut = sentences(inlines)
    assert [len(c) for c in cut] == [1, 5, 1]  # Bir. | [Two. Three.] | Dört.
