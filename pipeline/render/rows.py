"""Line two languages' blocks up into rows, one row per aligned segment (or group).

Both languages share the original's skeleton, so their top-level blocks
usually pair one to one. A translation can still change the block shape (a
paragraph split in two, a list item that became prose), so rows are built
from the segment tags each block holds: a row grows on the side that is
behind until both sides end at the same segment. A block without segments
(a code block, a rule) pairs with the other side's when both have one, else
joins the row before it on its own side.
"""

from __future__ import annotations

from pipeline.render.ast import Node
from pipeline.render.source import segments_in

Row = tuple[list[Node], list[Node]]


def _span(blocks: list[Node]) -> tuple[int, int] | None:
    found = segments_in(blocks)
    return (min(found), max(found)) if found else None


def align_rows(left: list[Node], right: list[Node]) -> list[Row]:
    """Pair ``left`` and ``right`` blocks into rows (see the module docstring)."""
    spans_l = [_span([b]) for b in left]
    spans_r = [_span([b]) for b in right]
    rows: list[Row] = []
    i = j = 0
    while i < len(left) or j < len(right):
        bare_l = i < len(left) and spans_l[i] is None
        bare_r = j < len(right) and spans_r[j] is None
        if bare_l and bare_r:
            rows.append(([left[i]], [right[j]]))
            i, j = i + 1, j + 1
            continue
        if bare_l:
            _attach(rows, left[i], side=0)
            i += 1
            continue
        if bare_r:
            _attach(rows, right[j], side=1)
            j += 1
            continue
        row_l: list[Node] = []
        row_r: list[Node] = []
        high_l = high_r = -1
        if i < len(left):
            row_l.append(left[i])
            high_l = spans_l[i][1]  # type: ignore[index]
            i += 1
        if j < len(right):
            row_r.append(right[j])
            high_r = spans_r[j][1]  # type: ignore[index]
            j += 1
        while True:
            if high_l < high_r and i < len(left) and _starts_by(spans_l[i], high_r):
                row_l.append(left[i])
                high_l = max(high_l, spans_l[i][1])  # type: ignore[index]
                i += 1
            elif high_r < high_l and j < len(right) and _starts_by(spans_r[j], high_l):
                row_r.append(right[j])
                high_r = max(high_r, spans_r[j][1])  # type: ignore[index]
                j += 1
            else:
                break
        rows.append((row_l, row_r))
    return rows


def _starts_by(span: tuple[int, int] | None, limit: int) -> bool:
    return span is not None and span[0] <= limit


def _attach(rows: list[Row], block: Node, *, side: int) -> None:
    if not rows:
        rows.append(([block], []) if side == 0 else ([], [block]))
    else:
        rows[-1][side].append(block)
