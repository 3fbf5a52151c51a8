"""The banded dynamic programme behind `pipeline.align`: best path and bead posteriors.

Cells are ``(i, j)``: the first ``i`` source and ``j`` target segments are
aligned. A bead ends at a cell and starts ``(di, dj)`` cells before it
("1:1" is (1, 1), "1:2" (1, 2), "2:1" (2, 1), "1:0" (1, 0), "0:1" (0, 1)).
Row ``i`` keeps only the columns ``lo[i] .. lo[i] + width - 1``; a cost
array per shape gives, for each kept cell, the cost of the bead of that
shape ending there (`BIG` where it cannot). Rows are processed with numpy,
and the 0:1 moves inside a row (a chain) with a cumulative min/logsumexp,
so the work is rows x a few array operations.

Pure arithmetic; no knowledge of segments.
"""

from __future__ import annotations

import math

import numpy as np

BIG = 1e9
# (shape, rows back, columns back) of the beads that come from an earlier row.
MOVES = (("1:1", 1, 1), ("1:2", 1, 2), ("2:1", 2, 1), ("1:0", 1, 0))
SHAPES = (*(m[0] for m in MOVES), "0:1")


class Band:
    """Row i keeps columns lo[i] .. lo[i] + width - 1 around a centre line.

    The centre is the diagonal, or a monotone line through known anchor
    cells (``through``: (row, column) points, increasing in both); a row
    keeps ``half`` columns either side of the stretch the line crosses in it.
    """

    def __init__(self, n: int, m: int, half: int,
                 through: list[tuple[float, float]] | None = None):
        self.n, self.m = n, m
        points = [(0.0, 0.0), *(through or []), (float(n), float(m))]
        rows = np.arange(n + 2, dtype=np.float64)
        centre = np.interp(rows, [p[0] for p in points], [p[1] for p in points])
        start = np.floor(centre[:-1]).astype(np.int64)
        stop = np.ceil(centre[1:]).astype(np.int64)  # where the line leaves the row
        self.width = int(min(m + 1, (stop - start).max() + 2 * half + 1))
        self.lo = np.clip(start - half, 0, m + 1 - self.width)
        steps = np.diff(self.lo, prepend=0)
        # Padding so that every shifted read of an earlier or later row is a plain slice.
        self.pad = int(2 * steps.max() + 3)

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row index and column index of every kept cell, as (n+1, width) arrays."""
        rows = np.broadcast_to(np.arange(self.n + 1)[:, None], (self.n + 1, self.width))
        return rows, self.lo[:, None] + np.arange(self.width)[None, :]


def best_path(band: Band, costs: dict[str, np.ndarray]) -> tuple[list[tuple[str, int, int]], bool]:
    """The cheapest path as (shape, end row, end column) beads, and whether it grazes the band.

    Grazing (a bead ending within one cell of a band edge that is not the
    document's edge) means a better path may lie outside: widen and redo.
    """
    n, m, lo, width, pad = band.n, band.m, band.lo, band.width, band.pad
    best = np.full((n + 1, width + 2 * pad), BIG)
    back = np.zeros((n + 1, width), dtype=np.int64)
    cum = _chain(costs["0:1"])
    cands = np.empty((len(MOVES), width))
    columns = np.arange(width)
    for i in range(n + 1):
        for c, (shape, di, dj) in enumerate(MOVES):
            if i >= di:
                off = pad + int(lo[i] - lo[i - di]) - dj
                np.add(best[i - di, off: off + width], costs[shape][i], out=cands[c])
            else:
                cands[c] = BIG
        choice = np.argmin(cands, axis=0)
        arrive = cands[choice, columns]
        if i == 0:
            arrive[0], choice[0] = 0.0, -1
        start = arrive - cum[i]
        run = np.minimum.accumulate(start)
        best[i, pad: pad + width] = cum[i] + run
        back[i] = np.where(run < start, len(MOVES), choice)
    path: list[tuple[str, int, int]] = []
    grazes = False
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        if (k <= 1 and lo[i] > 0) or (k >= width - 2 and lo[i] + width - 1 < m):
            grazes = True
        move = int(back[i, k])
        shape, di, dj = ("0:1", 0, 1) if move == len(MOVES) else MOVES[move]
        path.append((shape, i, j))
        i, j = i - di, j - dj
    return path[::-1], grazes


def posteriors(band: Band, costs: dict[str, np.ndarray],
               path: list[tuple[str, int, int]]) -> list[float]:
    """Posterior probability of each bead of ``path`` (forward-backward over the band)."""
    n, m, lo, width, pad = band.n, band.m, band.lo, band.width, band.pad
    neg = {k: -v for k, v in costs.items()}
    cum = -_chain(costs["0:1"])
    alpha = np.full((n + 1, width + 2 * pad), -BIG)
    beta = np.full((n + 1, width + 2 * pad), -BIG)
    cands = np.empty((len(MOVES) + 1, width))
    body = slice(pad, pad + width)
    for i in range(n + 1):
        cands[-1] = -BIG
        if i == 0:
            cands[-1, 0] = 0.0
        for c, (shape, di, dj) in enumerate(MOVES):
            if i >= di:
                off = pad + int(lo[i] - lo[i - di]) - dj
                np.add(alpha[i - di, off: off + width], neg[shape][i], out=cands[c])
            else:
                cands[c] = -BIG
        arrive = np.logaddexp.reduce(cands, axis=0)
        alpha[i, body] = np.maximum(cum[i] + np.logaddexp.accumulate(arrive - cum[i]), -BIG)
    # Bead costs padded like beta, so a successor row is read with one slice.
    padded = {k: np.pad(v, ((0, 0), (pad, pad)), constant_values=-BIG) for k, v in neg.items()}
    for i in range(n, -1, -1):
        cands[-1] = -BIG
        if i == n:
            cands[-1, m - lo[n]] = 0.0
        for c, (shape, di, dj) in enumerate(MOVES):
            if i + di <= n:
                off = pad + dj - int(lo[i + di] - lo[i])
                row = slice(off, off + width)
                np.add(beta[i + di, row], padded[shape][i + di, row], out=cands[c])
            else:
                cands[c] = -BIG
        leave = np.logaddexp.reduce(cands, axis=0)
        beta[i, body] = np.maximum(
            np.logaddexp.accumulate((leave + cum[i])[::-1])[::-1] - cum[i], -BIG)
    total = alpha[n, pad + m - lo[n]]
    out = []
    for shape, i, j in path:
        di, dj = int(shape[0]), int(shape[2])
        start = alpha[i - di, pad + j - dj - lo[i - di]]
        logp = start + neg[shape][i, j - lo[i]] + beta[i, pad + j - lo[i]] - total
        out.append(float(min(1.0, math.exp(min(0.0, logp)))))
    return out


def _chain(step_costs: np.ndarray) -> np.ndarray:
    """Per row, the cost of the 0:1 chain from column 0 to each column (column 0 costs 0)."""
    steps = step_costs.copy()
    steps[:, 0] = 0.0
    result: np.ndarray = np.cumsum(steps, axis=1)
    return result
