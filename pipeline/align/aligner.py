"""Align an original with a translation that was never aligned: segments -> scored pairs.

`align_segments` pairs the segments of an original with those of its
translation and says how sure it is of each pair. Three streams are aligned
apart, because each has its own key:

* front-matter fields pair by key (``title`` with ``title``);
* footnote definitions pair by label, where the label comes from the body
  alignment (the references of paired paragraphs) or else is the same, so
  definitions in another order still pair right;
* everything else (headings, paragraphs, list items, quotes, table cells)
  goes through a dynamic-programming alignment that allows 1:1, 1:2, 2:1,
  1:0 and 0:1 pairs ("beads", see `pipeline.align.dp`). Whatever the two
  first streams leave over is aligned the same way, in document order.

A bead's cost (in nats, lower is likelier) adds a prior for its shape, the
Gale–Church length cost (log ratio of the summed visible lengths against the
documents' own ratio, with a variance that shrinks for longer texts), a cost
for a change of kind or heading level (a heading that became a bold
paragraph costs little, one that became a plain paragraph a lot), and the
anchors: a footnote reference present on both sides is a strong bonus, a
different number of references a penalty; URLs, numbers and dates (parsed per
locale by `pipeline.checks.extract`) and glossary terms are bonuses when they
agree and small penalties when they do not. Numbers and dates cost about a
millisecond a segment to parse, so they are parsed only where the first
pass is in doubt (a bead below `DOUBT` or not 1:1, and `WINDOW` beads either
side), and that stretch is aligned again with them.

The search is banded (cost linear in the length) around a line through the
anchors found exactly once on each side (the diagonal when there are none);
when the best path grazes the band's edge the band is doubled and the search
redone. Forward–backward sums over all paths in the band, so each chosen
bead gets its posterior probability. A pair's ``confidence`` is that
posterior times its *fit* (1.0 unless its length, kind or number of footnote
references disagree), capped at `STRUCTURAL_CAP` for 1:2 and 2:1, so a split
or a merge is always shown to a person at the default threshold.

The features of a segment (kind, visible length, anchors) are in
`pipeline.align.features`.

Pure: no file I/O; numpy does the arithmetic.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.align.dp import BIG, SHAPES, Band, best_path, posteriors
from pipeline.align.features import (
    ANCHOR_WEIGHTS,
    HEADING_BOLD,
    KIND_COST,
    KIND_COST_ROWS,
    KIND_INDEX,
    Side,
    anchors,
    fold,
    kind_of,
    unbold,
    value_anchors,
    visible_length,
)
from pipeline.markdown.segments import Segment

__all__ = [
    "DEFAULT_THRESHOLD", "STRUCTURAL_CAP", "Pair", "align_segments", "anchors", "fold",
    "kind_of", "unbold", "value_anchors", "visible_length",
]

# Shape priors, -log P(shape): a paragraph is almost always translated by one paragraph.
PRIOR = {"1:1": 0.1, "1:2": 4.0, "2:1": 4.0, "1:0": 4.0, "0:1": 4.0}
# Length model: sd of log(target/source) = sqrt(S2 / length + R2); fitted on the corpus
# (0.22 for 20-100 characters, 0.12 for 100-300, 0.08 for 300-1000).
S2, R2 = 3.0, 0.08**2
LEN_CAP = 6.0  # beyond ~3.5 sd the length says nothing more; anchors may still win
RATIO_PRIOR_CHARS = 3000.0  # how much text it takes to trust the documents' own length ratio
REF_COUNT_PENALTY = 2.0  # per footnote reference more on one side (labels may be renumbered)
LEVEL_COST = 1.5  # two headings of different levels
GROUP_HEADING_COST = 2.0  # a heading inside a split or a merge
STRUCTURAL_CAP = 0.85  # 1:2 and 2:1 stay below the default threshold: a person checks them
DEFAULT_THRESHOLD = 0.9
DOUBT, WINDOW = 0.99, 2  # where numbers and dates are parsed and the stretch aligned again
BAND = 10  # initial half-width of the band (segments); doubled while the path grazes it

@dataclass(frozen=True)
class Pair:
    """One bead: source and target segment indices, its confidence (0..1), a note.

    ``source`` or ``target`` is empty for 0:1 and 1:0. ``note`` says how the
    pair was made when it is not plain ("footnote label", "heading ↔ bold
    paragraph", "front-matter key").
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float
    note: str = ""

    @property
    def shape(self) -> str:
        return f"{len(self.source)}:{len(self.target)}"


def align_segments(
    source: Sequence[Segment],
    target: Sequence[Segment],
    *,
    source_lang: str = "tr",
    target_lang: str = "en",
    glossary: Mapping[str, str] | None = None,
) -> list[Pair]:
    """Pair ``source`` segments with ``target`` ones; every segment is in exactly one pair.

    The pairs come in source order; a 0:1 pair (translation text with no
    original) sits right after the pair of the source segment it follows.
    """
    src = Side(source, source_lang, target_lang, glossary, 0)
    tgt = Side(target, target_lang, source_lang, glossary, 1)
    # The documents' own length ratio, shrunk towards 1 for short documents (where a
    # missing paragraph would skew it), and kept within 1:3 .. 3:1.
    total_s, total_t = src.length.sum(), tgt.length.sum()
    weight = (total_s + total_t) / (total_s + total_t + RATIO_PRIOR_CHARS)
    ratio = min(3.0, max(1 / 3, (total_t / max(1.0, total_s)) ** weight))
    scorer = _Scorer(src, tgt, ratio)
    pairs: list[tuple[float, Pair]] = []

    def stream(s_idx: list[int], t_idx: list[int]) -> list[Pair]:
        found = scorer.align(s_idx, t_idx)
        last = (s_idx[0] - 1) if s_idx else -1
        for pair in found:
            if pair.source:
                last = pair.source[-1]
                pairs.append((pair.source[0], pair))
            else:
                pairs.append((last + 0.5, pair))
        return found

    body = stream(*(
        [i for i, s in enumerate(side.segments) if s.kind not in ("meta", "footnote")]
        for side in (src, tgt)))
    labels = _label_map(body, src, tgt)
    left_s: list[int] = []
    used_t: set[int] = set()
    for kind, key_of in (("meta", lambda s: s.label), ("footnote", lambda s: labels.get(s.label))):
        by_key = {s.label: j for j, s in enumerate(target) if s.kind == kind}
        for i, seg in enumerate(source):
            if seg.kind != kind:
                continue
            j = by_key.get(key_of(seg) or "", -1)
            if j < 0 or j in used_t:
                left_s.append(i)
                continue
            used_t.add(j)
            note = "front-matter key" if kind == "meta" else "footnote label"
            confidence = round(scorer.fit((i,), (j,), anchored=False), 4)
            pairs.append((i, Pair((i,), (j,), confidence, note)))
    stream(left_s, [j for j, s in enumerate(target)
                    if s.kind in ("meta", "footnote") and j not in used_t])
    pairs.sort(key=lambda p: (p[0], p[1].target[:1]))
    return [p for _, p in pairs]


def _label_map(pairs: list[Pair], src: Side, tgt: Side) -> dict[str, str]:
    """Source footnote label -> target label, read off aligned pairs; the label itself else."""
    labels = {s.label: s.label for s in src.segments if s.kind == "footnote"}
    taken: set[str] = set()
    for pair in pairs:
        a = [r for i in pair.source for r in src.refs[i]]
        b = [r for j in pair.target for r in tgt.refs[j]]
        if len(a) == len(b) and pair.source and pair.target:
            for x, y in zip(a, b, strict=True):
                if x in labels and x != y and y not in taken:
                    labels[x] = y
                    taken.add(y)
    return labels


class _Scorer:
    """Bead costs and the banded alignment over index lists of the two sides."""

    def __init__(self, src: Side, tgt: Side, ratio: float):
        self.src, self.tgt, self.ratio = src, tgt, ratio

    def length_cost(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """Gale–Church cost of source length(s) ``ls`` against target length(s) ``lt``."""
        mean = (self.ratio * ls + lt) / 2
        delta = np.log(lt / (self.ratio * ls)) / np.sqrt(S2 / mean + R2)
        result: np.ndarray = np.minimum(delta * delta / 2, LEN_CAP)
        return result

    def fit(self, s: tuple[int, ...], t: tuple[int, ...], *, anchored: bool = True) -> float:
        """1.0 for a pair whose length, kind and footnote references agree; less otherwise.

        Numbers, URLs and dates only steer the search (a different URL is
        common in a translation, and drift for `bitext check`). A pair made by
        key or label (``anchored`` False) is not doubted for its references either.
        """
        src, tgt = self.src, self.tgt
        ls = sum(src.lengths[a] for a in s)
        lt = sum(tgt.lengths[b] for b in t)
        delta = math.log(lt / (self.ratio * ls)) / math.sqrt(S2 / ((self.ratio * ls + lt) / 2) + R2)
        length = min(delta * delta / 2, LEN_CAP)
        kind = max(KIND_COST_ROWS[src.kinds[a]][tgt.kinds[b]] for a in s for b in t)
        if any(src.levels[a] != tgt.levels[b] and src.levels[a] and tgt.levels[b]
               for a in s for b in t):
            kind += LEVEL_COST
        missed = 0.0
        if anchored:
            missed = REF_COUNT_PENALTY * abs(sum(src.nrefs[a] for a in s)
                                             - sum(tgt.nrefs[b] for b in t))
        return math.exp(-0.5 * (kind + max(0.0, length - 2.0) + missed))

    def align(self, s_idx: list[int], t_idx: list[int]) -> list[Pair]:
        """The best monotone beads over two index lists; doubtful stretches get a second look."""
        beads = self._search(s_idx, t_idx)
        doubtful = [k for k, (s, t, post) in enumerate(beads)
                    if len(s) != 1 or len(t) != 1 or post < DOUBT
                    or post * self.fit(s, t) < DOUBT]
        windows: list[list[int]] = []
        for k in doubtful:
            if windows and k - WINDOW <= windows[-1][1]:
                windows[-1][1] = k + WINDOW
            else:
                windows.append([k - WINDOW, k + WINDOW])
        for first, last in reversed(windows):
            first, last = max(0, first), min(len(beads) - 1, last)
            s_sub = [i for s, _, _ in beads[first: last + 1] for i in s]
            t_sub = [j for _, t, _ in beads[first: last + 1] for j in t]
            self.src.add_values(s_sub)
            self.tgt.add_values(t_sub)
            beads[first: last + 1] = self._search(s_sub, t_sub)
        return [self._pair(s, t, post) for s, t, post in beads]

    def _pair(self, s: tuple[int, ...], t: tuple[int, ...], posterior: float) -> Pair:
        confidence = posterior * self.fit(s, t) if s and t else posterior
        if len(s) + len(t) == 3:
            confidence = min(confidence, STRUCTURAL_CAP)
        note = ""
        if s and t and {self.src.kind[s[0]], self.tgt.kind[t[0]]} == HEADING_BOLD:
            note = "heading ↔ bold paragraph"
        return Pair(s, t, round(float(confidence), 4), note)

    def _search(self, s_idx: list[int], t_idx: list[int]
                ) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
        """Banded DP; the band doubles while the best path grazes it."""
        n, m = len(s_idx), len(t_idx)
        if not n or not m:
            return [((i,), (), 1.0) for i in s_idx] + [((), (j,), 1.0) for j in t_idx]
        through = self._anchor_cells(s_idx, t_idx)
        half = BAND if through else BAND + abs(n - m)
        while True:
            band = Band(n, m, half, through)
            costs = self._costs(s_idx, t_idx, band)
            path, grazes = best_path(band, costs)
            if not grazes or band.width >= m + 1:
                break
            half *= 2
        beads = []
        for (shape, i, j), post in zip(path, posteriors(band, costs, path), strict=True):
            di, dj = int(shape[0]), int(shape[2])
            beads.append((tuple(s_idx[i - di: i]), tuple(t_idx[j - dj: j]), post))
        return beads

    def _anchor_cells(self, s_idx: list[int], t_idx: list[int]) -> list[tuple[float, float]]:
        """Cells the path surely crosses: anchors found once on each side, kept in order.

        The longest chain increasing on both sides is kept (an anchor that
        moved is not followed); the band is centred on the line through them.
        """
        seen: dict[tuple[str, str], list[list[int]]] = {}
        for column, (side, index) in enumerate(((self.src, s_idx), (self.tgt, t_idx))):
            for k, i in enumerate(index):
                for key, count in side.tokens[i].items():
                    if key[0] != "gloss" and key != ("ref", ""):
                        found = seen.setdefault(key, [[], []])[column]
                        found.extend([k] * count)
        cells = sorted((a[0], b[0]) for a, b in seen.values() if len(a) == 1 == len(b))
        # Longest chain increasing in both coordinates (patience sorting on columns).
        tails: list[int] = []
        tail_at: list[int] = []
        before = [-1] * len(cells)
        for k, (_, col) in enumerate(cells):
            slot = bisect.bisect_left(tails, col)
            if slot and cells[tail_at[slot - 1]][0] == cells[k][0]:
                continue  # one cell per row
            before[k] = tail_at[slot - 1] if slot else -1
            if slot == len(tails):
                tails.append(col)
                tail_at.append(k)
            else:
                tails[slot], tail_at[slot] = col, k
        chain: list[tuple[float, float]] = []
        k = tail_at[-1] if tail_at else -1
        while k >= 0:
            chain.append((cells[k][0] + 0.5, cells[k][1] + 0.5))
            k = before[k]
        return chain[::-1]

    def _costs(self, s_idx: list[int], t_idx: list[int], band: Band) -> dict[str, np.ndarray]:
        """Cost of each bead shape ending at each band cell (BIG where impossible)."""
        src, tgt = self.src, self.tgt
        n, m = len(s_idx), len(t_idx)
        rows, cols = band.cells()
        si, ti = np.array(s_idx), np.array(t_idx)
        gains = self._gains(s_idx, t_idx, band)

        def at(values: np.ndarray, picked: np.ndarray, index: np.ndarray) -> np.ndarray:
            """values[picked[index]] where index is in range, else 0 (masked below)."""
            size = len(picked)
            result: np.ndarray = values[picked[np.clip(index, 0, size - 1)]]
            return result

        def ok(index: np.ndarray, size: int) -> np.ndarray:
            result: np.ndarray = (index >= 0) & (index < size)
            return result

        def kind(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            va, vb = at(src.level, si, a), at(tgt.level, ti, b)
            result: np.ndarray = (KIND_COST[at(src.kind, si, a), at(tgt.kind, ti, b)]
                                  + LEVEL_COST * ((va != vb) & (va > 0) & (vb > 0)))
            return result

        def heading(a: np.ndarray, b: np.ndarray, c: np.ndarray, c_src: bool) -> np.ndarray:
            third = at(src.kind, si, c) if c_src else at(tgt.kind, ti, c)
            head = KIND_INDEX["heading"]
            found: np.ndarray = GROUP_HEADING_COST * (
                (at(src.kind, si, a) == head) | (at(tgt.kind, ti, b) == head) | (third == head))
            return found

        s1, s0, t1, t0 = rows - 1, rows - 2, cols - 1, cols - 2
        ls1, ls0 = at(src.length, si, s1), at(src.length, si, s0)
        lt1, lt0 = at(tgt.length, ti, t1), at(tgt.length, ti, t0)
        ps1, ps0 = at(src.penalty, si, s1), at(src.penalty, si, s0)
        pt1, pt0 = at(tgt.penalty, ti, t1), at(tgt.penalty, ti, t0)
        rs1, rs0 = at(src.nref, si, s1), at(src.nref, si, s0)
        rt1, rt0 = at(tgt.nref, ti, t1), at(tgt.nref, ti, t0)
        refs = REF_COUNT_PENALTY
        costs = {
            "1:1": (PRIOR["1:1"] + self.length_cost(ls1, lt1) + kind(s1, t1)
                    + ps1 + pt1 + refs * np.abs(rs1 - rt1) - gains["1:1"]),
            "1:2": (PRIOR["1:2"] + self.length_cost(ls1, lt0 + lt1)
                    + np.maximum(kind(s1, t0), kind(s1, t1)) + heading(s1, t1, t0, False)
                    + ps1 + pt0 + pt1 + refs * np.abs(rs1 - rt0 - rt1) - gains["1:2"]),
            "2:1": (PRIOR["2:1"] + self.length_cost(ls0 + ls1, lt1)
                    + np.maximum(kind(s0, t1), kind(s1, t1)) + heading(s1, t1, s0, True)
                    + ps0 + ps1 + pt1 + refs * np.abs(rs0 + rs1 - rt1) - gains["2:1"]),
            "1:0": PRIOR["1:0"] + ps1 + refs * rs1 + 0.0 * cols,
            "0:1": PRIOR["0:1"] + pt1 + refs * rt1,
        }
        valid = {
            "1:1": ok(s1, n) & ok(t1, m), "1:2": ok(s1, n) & ok(t0, m) & ok(t1, m),
            "2:1": ok(s0, n) & ok(s1, n) & ok(t1, m), "1:0": ok(s1, n) & (cols <= m),
            "0:1": ok(t1, m),
        }
        return {k: np.where(valid[k] & (cols <= m), costs[k], BIG) for k in SHAPES}

    def _gains(self, s_idx: list[int], t_idx: list[int], band: Band) -> dict[str, np.ndarray]:
        """Anchor bonuses per bead shape and band cell, from the (sparse) shared anchors."""
        src, tgt = self.src, self.tgt
        n, lo, width = len(s_idx), band.lo, band.width
        where: dict[tuple[str, str], list[int]] = {}
        for b, j in enumerate(t_idx):
            for key in tgt.tokens[j]:
                where.setdefault(key, []).append(b)
        out = {k: np.zeros((n + 1, width)) for k in ("1:1", "1:2", "2:1")}

        def add(shape: str, row: int, col: int, value: float) -> None:
            if 0 <= row <= n and 0 <= col - lo[row] < width:
                out[shape][row, col - lo[row]] += value

        def count(tokens: list[Counter[tuple[str, str]]], index: list[int], at: int,
                  key: tuple[str, str]) -> int:
            return tokens[index[at]][key] if 0 <= at < len(index) else 0

        # A group's shared anchors are min(source count, target count) over the whole
        # group; a cell reached from two members is counted once, from its first member.
        for a, i in enumerate(s_idx):
            first, last = lo[a + 1] - 2, lo[min(a + 2, n)] + width
            for key, cs in src.tokens[i].items():
                places = where.get(key)
                if not places or key == ("ref", ""):
                    continue
                worth = sum(ANCHOR_WEIGHTS[key[0]]) + ANCHOR_WEIGHTS[key[0]][1]
                start = bisect.bisect_left(places, first)
                for b in places[start: bisect.bisect_right(places, last)]:
                    ct = tgt.tokens[t_idx[b]][key]
                    add("1:1", a + 1, b + 1, worth * min(cs, ct))
                    after = count(tgt.tokens, t_idx, b + 1, key)
                    add("1:2", a + 1, b + 2, worth * min(cs, ct + after))
                    if not count(tgt.tokens, t_idx, b - 1, key):
                        add("1:2", a + 1, b + 1, worth * min(cs, ct))
                    below = count(src.tokens, s_idx, a + 1, key)
                    add("2:1", a + 2, b + 1, worth * min(cs + below, ct))
                    if not count(src.tokens, s_idx, a - 1, key):
                        add("2:1", a + 1, b + 1, worth * min(cs, ct))
        return out
