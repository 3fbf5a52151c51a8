"""Bilingual pages, cut in Python from heights typst measured (no I/O, no typst here).

Why not typst's own page breaking: typst footnotes inside grid cells land on
the wrong page when a row breaks, and typst has no notion of two flows kept
in step (facing pages). So `pipeline.render.pdf_pages` has typst lay every
row side out once, at its final width, in a *measuring document*, and report
heights: the whole side, and the depth at the end of each sentence of a
paragraph (a side is cut only at a sentence end, between two paragraphs, or
not at all: a heading, a list, a quotation, the title). This module then
fills pages greedily and the final document places each page's part of each
row explicitly, with that page's notes at its foot.

Parallel: rows start level (a row's top is below the longer side of the
row before it); a row that does not fit is cut, each side at its last
sentence that fits, and continues at the top of the next page; the notes
of the sentences on a page go to its foot, each language under its own
column, a note identical in both languages once across both. Facing: the
same, but a side is a whole page, the two sides of an opening are filled
independently with the same run of rows (a row cut on one side is cut on
both, so no segment is on one opening and its translation on the next).

A heading row never ends a page. A cut part's height is an estimate (a
paragraph's prefix may break its lines differently once alone), so a cut
leaves one line of slack. A row that cannot start on an empty page even cut
is placed whole (``overflow``) and typst breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Side:
    """One language of a row: its height, its cut points, the notes of each unit.

    ``cuts[k]`` is the height of units ``0..k`` (a sentence or a paragraph), the
    last one the whole side; ``notes[k]`` the notes first referenced by unit ``k``.
    An uncuttable side has one unit.
    """

    cuts: tuple[float, ...]
    notes: tuple[tuple[str, ...], ...]

    @property
    def units(self) -> int:
        return len(self.cuts)

    def height(self, start: int, end: int, pitch: float) -> float:
        """Height of units ``start..end-1`` laid out alone (an estimate when cut)."""
        if start >= end:
            return 0.0
        top = self.cuts[start - 1] if start else 0.0
        h = self.cuts[end - 1] - top
        # a part that starts or ends inside a paragraph may gain a line once alone
        return h + (pitch if start or end < self.units else 0.0)


@dataclass(frozen=True)
class Row:
    left: Side
    right: Side
    heading: bool = False


@dataclass(frozen=True)
class Metrics:
    """The page's text area and the template's fixed spaces, in points."""

    area: float
    row_gap: float
    note_gap: float
    rule: float  # the rule above the notes, with its spacing
    pitch: float  # one line of body text
    note_heights: dict[str, float] = field(default_factory=dict)  # "l:3", "r:3", "s:3"


@dataclass(frozen=True)
class Part:
    """Units ``[start, end)`` of each side of row ``row`` on one page (or opening)."""

    row: int
    left: tuple[int, int]
    right: tuple[int, int]
    overflow: bool = False


@dataclass
class Page:
    """One page (parallel) or opening (facing): its parts and the notes at its foot."""

    parts: list[Part] = field(default_factory=list)
    notes_left: list[str] = field(default_factory=list)
    notes_right: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


def _stack(heights: list[float], gap: float) -> float:
    return sum(heights) + gap * max(0, len(heights) - 1)


def _notes(side: Side, span: tuple[int, int]) -> list[str]:
    return [n for k in range(*span) for n in side.notes[k]]


class _Filler:
    """The page being filled: what is on it, how high each side is, its notes."""

    def __init__(self, metrics: Metrics, facing: bool, shared: set[str]):
        self.m = metrics
        self.facing = facing
        self.shared_ids = shared
        self.page = Page()
        self.body_l = self.body_r = 0.0
        self.empty = True

    def _foot(self, left: list[str], right: list[str]) -> tuple[float, float]:
        """Foot heights under each side (parallel: one foot, the same for both)."""
        h = self.m.note_heights
        if self.facing:
            def one(ids: list[str], side: str) -> float:
                if not ids:
                    return 0.0
                return self.m.rule + self.m.note_gap + _stack([h[f"{side}:{n}"] for n in ids],
                                                              self.m.note_gap)
            return one(left, "l"), one(right, "r")
        # shared: identical in both languages and referenced on this page by both
        shared = [n for n in left if n in self.shared_ids and n in right]
        own_l = [h[f"l:{n}"] for n in left if n not in shared]
        own_r = [h[f"r:{n}"] for n in right if n not in shared]
        items = []
        if own_l or own_r:
            items.append(max(_stack(own_l, self.m.note_gap), _stack(own_r, self.m.note_gap)))
        items += [h[f"s:{n}"] for n in shared]
        if not items:
            return 0.0, 0.0
        foot = self.m.rule + self.m.note_gap + _stack(items, self.m.note_gap)
        return foot, foot

    def fits(self, row: Row, left: tuple[int, int], right: tuple[int, int]) -> bool:
        gap = 0.0 if self.empty else self.m.row_gap
        hl = row.left.height(*left, self.m.pitch)
        hr = row.right.height(*right, self.m.pitch)
        if self.facing:
            body_l = self.body_l + (gap + hl if hl else 0.0)
            body_r = self.body_r + (gap + hr if hr else 0.0)
        else:
            top = max(self.body_l, self.body_r) + gap
            body_l = top + hl
            body_r = top + hr
        foot_l, foot_r = self._foot(self.page.notes_left + _notes(row.left, left),
                                    self.page.notes_right + _notes(row.right, right))
        slack = 0.5  # typst rounds; half a point never shows
        return body_l + foot_l <= self.m.area - slack and body_r + foot_r <= self.m.area - slack

    def add(self, index: int, row: Row, left: tuple[int, int], right: tuple[int, int],
            overflow: bool = False) -> None:
        gap = 0.0 if self.empty else self.m.row_gap
        hl = row.left.height(*left, self.m.pitch)
        hr = row.right.height(*right, self.m.pitch)
        if self.facing:
            self.body_l += gap + hl
            self.body_r += gap + hr
        else:
            top = max(self.body_l, self.body_r) + gap
            self.body_l, self.body_r = top + hl, top + hr
        self.page.parts.append(Part(index, left, right, overflow))
        self.page.notes_left += _notes(row.left, left)
        self.page.notes_right += _notes(row.right, right)
        self.empty = False


def paginate(rows: list[Row], metrics: Metrics, *, facing: bool,
             shared: set[str] | None = None) -> list[Page]:
    """The pages (parallel) or openings (facing) of ``rows`` (see the module docstring)."""
    pages: list[Page] = []
    shared = shared or set()
    filler = _Filler(metrics, facing, shared)

    def new_page() -> None:
        nonlocal filler
        if not filler.empty:
            pages.append(_finish(filler.page, shared, facing))
        filler = _Filler(metrics, facing, shared)

    i = 0
    start_l = start_r = 0  # where row i continues (after a cut)
    while i < len(rows):
        row = rows[i]
        whole = ((start_l, row.left.units), (start_r, row.right.units))
        if filler.fits(row, *whole) and not (row.heading and not _next_starts(
                filler, rows, i, whole)):
            filler.add(i, row, *whole)
            i, start_l, start_r = i + 1, 0, 0
            continue
        cut = None if row.heading else _best_cut(filler, row, start_l, start_r)
        if cut is not None:
            filler.add(i, row, (start_l, cut[0]), (start_r, cut[1]))
            start_l, start_r = cut
            new_page()
            continue
        if filler.empty:  # not even a cut fits an empty page: typst breaks it
            filler.add(i, row, *whole, overflow=True)
            new_page()
            i, start_l, start_r = i + 1, 0, 0
            continue
        new_page()
    new_page()
    return pages


def _next_starts(filler: _Filler, rows: list[Row], i: int,
                 whole: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """Whether, after heading row ``i``, the next row can start on this page too."""
    if i + 1 >= len(rows):
        return True
    trial = _Filler(filler.m, filler.facing, filler.shared_ids)
    trial.page = Page(list(filler.page.parts), list(filler.page.notes_left),
                      list(filler.page.notes_right))
    trial.body_l, trial.body_r, trial.empty = filler.body_l, filler.body_r, filler.empty
    trial.add(i, rows[i], *whole)
    nxt = rows[i + 1]
    return (trial.fits(nxt, (0, nxt.left.units), (0, nxt.right.units))
            or _best_cut(trial, nxt, 0, 0) is not None)


def _best_cut(filler: _Filler, row: Row, start_l: int, start_r: int) -> tuple[int, int] | None:
    """The longest cut (end unit on each side) that fits, both sides moving on; else None.

    Both sides must advance, so each page (or opening) has some of the row in both
    languages, and neither side may finish the row while the other is cut.
    """
    end_l, end_r = row.left.units - 1, row.right.units - 1
    while end_l > start_l and end_r > start_r:
        if filler.fits(row, (start_l, end_l), (start_r, end_r)):
            return end_l, end_r
        # shorten the side that overflows more (by its own height)
        over_l = row.left.height(start_l, end_l, 0) - row.right.height(start_r, end_r, 0)
        if filler.facing:
            over_l = row.left.height(start_l, end_l, 0) - filler.body_r + filler.body_l \
                - row.right.height(start_r, end_r, 0)
        if over_l >= 0:
            end_l -= 1
        else:
            end_r -= 1
    return None


def _finish(page: Page, shared: set[str], facing: bool) -> Page:
    if facing:
        return page
    both = [n for n in page.notes_left if n in shared and n in page.notes_right]
    return Page(page.parts, [n for n in page.notes_left if n not in both],
                [n for n in page.notes_right if n not in both], both)
