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
  1:0 and 0:1 pairs ("beads"). Whatever the two first streams leave over
  is aligned the same way, in document order.

A bead's cost (in nats, lower is likelier) adds a prior for its shape, the
Gale–Church length cost (log ratio of the summed visible lengths against the
documents' own ratio, with a variance that shrinks for longer texts), a cost
for a change of kind or heading level (a heading that became a bold
paragraph costs little, one that became a plain paragraph a lot), and the
anchors: a footnote reference present on both sides is a strong bonus, a
different number of references a penalty; numbers, dates and URLs (parsed per
locale by `pipeline.checks.extract`, when present) and glossary terms are
bonuses when they agree and small penalties when they do not.

The search is banded around the diagonal (cost linear in the length); when
the best path touches the band's edge the band is doubled and the search
redone. Forward–backward sums over all paths in the band, so each chosen
bead gets its posterior probability. A pair's ``confidence`` is that
posterior times its *fit* (1.0 unless its length, kind or anchors disagree),
capped at `STRUCTURAL_CAP` for 1:2 and 2:1, so a split or a merge is always
shown to a person at the default threshold.

Pure: no file I/O; numpy does the arithmetic.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from pipeline.segments import Segment, footnote_refs

# Shape priors, -log P(shape): a paragraph is almost always translated by one paragraph.
PRIOR = {"1:1": 0.1, "1:2": 4.0, "2:1": 4.0, "1:0": 4.0, "0:1": 4.0}
# Length model: sd of log(target/source) = sqrt(S2 / length + R2); fitted on the corpus
# (0.22 for 20-100 characters, 0.12 for 100-300, 0.08 for 300-1000).
S2, R2 = 3.0, 0.08**2
LEN_CAP = 12.0  # beyond ~5 sd the length says nothing more; anchors may still win
# Anchors: (bonus when both sides have it, penalty per unmatched one).
ANCHOR_WEIGHTS = {"ref": (4.0, 0.0), "url": (3.0, 1.0), "number": (2.0, 0.5),
                  "date": (2.0, 0.5), "gloss": (1.5, 0.3)}
REF_COUNT_PENALTY = 2.0  # per footnote reference more on one side (labels may be renumbered)
STRUCTURAL_CAP = 0.85  # 1:2 and 2:1 stay below the default threshold: a person checks them
DEFAULT_THRESHOLD = 0.9
BAND = 10  # initial half-width of the band (segments); doubled while the path touches it
BIG = 1e9

# "bold" and "emphasis" are paragraphs all in ** ** or * *: a heading made bold, a
# translator's note in italics.
_KINDS = ("paragraph", "heading", "bold", "emphasis", "list-item", "quote", "table-cell",
          "footnote", "meta", "other")
_K = {k: i for i, k in enumerate(_KINDS)}
_SIMILAR = {("paragraph", "bold"): 0.5, ("heading", "bold"): 1.5, ("paragraph", "quote"): 1.5,
            ("paragraph", "list-item"): 2.0, ("list-item", "quote"): 2.0,
            ("bold", "list-item"): 2.0, ("paragraph", "other"): 2.0,
            ("paragraph", "emphasis"): 1.0, ("bold", "emphasis"): 1.0,
            ("heading", "emphasis"): 3.0}
KIND_COST = np.full((len(_KINDS), len(_KINDS)), 5.0)
for (_a, _b), _cost in _SIMILAR.items():
    KIND_COST[_K[_a], _K[_b]] = KIND_COST[_K[_b], _K[_a]] = _cost
np.fill_diagonal(KIND_COST, 0.0)
_HEADING_BOLD = {_K["heading"], _K["bold"]}
LEVEL_COST = 1.5  # two headings of different levels
GROUP_HEADING_COST = 2.0  # a heading inside a split or a merge

_BOLD = re.compile(r"^(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1[.:]?$")
_EMPHASIS = re.compile(r"^([*_])(?![*_\s])(?:(?!\1).)+(?<=\S)\1[.:]?$", re.DOTALL)
_INVISIBLE = re.compile(r"\[\^[^\]\s]+\]|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<[^>\n]+>|[*_`#>\[\]|]")

Extractor = Callable[[str, str], Sequence[object]]


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
    src = _Side(source, source_lang, glossary, 0, target_lang)
    tgt = _Side(target, target_lang, glossary, 1, source_lang)
    ratio = min(2.0, max(0.5, tgt.length.sum() / max(1.0, src.length.sum())))
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

    body_s = [i for i, s in enumerate(source) if s.kind not in ("meta", "footnote")]
    body_t = [j for j, s in enumerate(target) if s.kind not in ("meta", "footnote")]
    body = stream(body_s, body_t)
    labels = _label_map(body, source, target)
    left_s: list[int] = []
    used_t: set[int] = set()
    for kind, key_of in (("meta", lambda s: s.key), ("footnote", lambda s: labels.get(s.key))):
        by_key = {s.key: j for j, s in enumerate(target) if s.kind == kind}
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
    left_t = [j for j, s in enumerate(target) if s.kind in ("meta", "footnote")
              and j not in used_t]
    stream(left_s, left_t)
    pairs.sort(key=lambda p: (p[0], p[1].target[:1]))
    return [p for _, p in pairs]


def _label_map(pairs: list[Pair], source: Sequence[Segment],
               target: Sequence[Segment]) -> dict[str, str]:
    """Source footnote label -> target label, read off aligned pairs; the label itself else."""
    labels = {s.key: s.key for s in source if s.kind == "footnote"}
    taken: set[str] = set()
    for pair in pairs:
        a = [r for i in pair.source for r in footnote_refs(source[i].text)]
        b = [r for j in pair.target for r in footnote_refs(target[j].text)]
        if len(a) == len(b) and pair.source and pair.target:
            for x, y in zip(a, b, strict=True):
                if x in labels and x != y and y not in taken:
                    labels[x] = y
                    taken.add(y)
    return labels


class _Side:
    """Per-segment features of one document, as arrays."""

    def __init__(self, segments: Sequence[Segment], lang: str,
                 glossary: Mapping[str, str] | None, column: int, other: str):
        self.segments = segments
        self.length = np.array([max(1.0, float(visible_length(s.text))) for s in segments])
        self.kind = np.array([_K[kind_of(s)] for s in segments], dtype=np.int64)
        self.level = np.array([int(s.key) if s.kind == "heading" and s.key.isdigit() else 0
                               for s in segments], dtype=np.int64)
        self.tokens = [anchors(s.text, lang, glossary, column, other) for s in segments]
        self.nref = np.array([t.get(("ref", ""), 0) for t in self.tokens], dtype=np.float64)
        self.penalty = np.array([sum(n * ANCHOR_WEIGHTS[k[0]][1] for k, n in t.items())
                                 for t in self.tokens])


def kind_of(segment: Segment) -> str:
    """The segment's kind for alignment: an all-bold (italic) paragraph is "bold" ("emphasis")."""
    if segment.kind == "paragraph" and _BOLD.match(segment.text.strip()):
        return "bold"
    if segment.kind == "paragraph" and _EMPHASIS.match(segment.text.strip()):
        return "emphasis"
    return segment.kind if segment.kind in _K else "other"


def visible_length(text: str) -> int:
    """Characters a reader sees: no link targets, footnote markers, tags or markup signs."""
    return len(" ".join(_INVISIBLE.sub("", text).split()))


def unbold(text: str) -> str:
    """The text inside a paragraph that is all bold (``**Title**`` -> ``Title``)."""
    match = _BOLD.match(text.strip())
    return match.group(2) if match else text


def anchors(text: str, lang: str, glossary: Mapping[str, str] | None = None,
            column: int = 0, other: str = "") -> Counter[tuple[str, str]]:
    """The anchors of a text: tokens that survive translation, normalised, with counts.

    ``("ref", label)`` per footnote reference, plus ``("ref", "")`` counting them;
    numbers, dates and URLs from `pipeline.checks.extract` when it is installed;
    ``("gloss", term)`` for each glossary entry whose source (``column`` 0) or
    target (``column`` 1) term occurs in the text. Month names of the ``other``
    language count too (a Turkish citation often keeps an English title).
    """
    found: Counter[tuple[str, str]] = Counter()
    for label in footnote_refs(text):
        found["ref", label] += 1
        found["ref", ""] += 1
    for kind, extract in _extractors(other).items():
        for value in extract(text, lang):
            found[kind, _value_key(value)] += 1
    if glossary:
        folded = fold(text, lang)
        for term, translation in glossary.items():
            if fold((term, translation)[column], lang) in folded:
                found["gloss", term] += 1
    return found


def fold(text: str, lang: str) -> str:
    """Case-fold for matching; Turkish and Azerbaijani keep the dotted/dotless i apart."""
    if lang.split("_")[0].split("-")[0] in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    return text.casefold()


def _extractors(other: str) -> dict[str, Extractor]:
    """The locale-aware parsers of `pipeline.checks.extract` (the drift checks' own)."""
    try:
        from pipeline.checks import extract
    except ImportError:  # pragma: no cover - only while that module is being written
        return {}
    months = (other,) if other else ()
    return {
        "number": lambda text, lang: extract.extract_numbers(text, lang, months_from=months),
        "date": lambda text, lang: extract.extract_dates(text, lang, months_from=months),
        "url": lambda text, _lang: extract.extract_urls(text),
    }


def _value_key(value: object) -> str:
    """A comparable key for an extracted value: ``1.5E+6`` and ``1500000`` are one number."""
    number = getattr(value, "value", None)
    if isinstance(number, Decimal):
        return format(number.normalize(), "f") + ("%" if getattr(value, "percent", False) else "")
    if number is None and isinstance(getattr(value, "text", None), str):
        return str(value.text)  # type: ignore[attr-defined]  # a literal, e.g. "3.8.1"
    return str(value)


class _Scorer:
    """Bead costs and the banded alignment over index lists of the two sides."""

    def __init__(self, src: _Side, tgt: _Side, ratio: float):
        self.src, self.tgt, self.ratio = src, tgt, ratio

    def length_cost(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        mean = (self.ratio * ls + lt) / 2
        delta = np.log(lt / (self.ratio * ls)) / np.sqrt(S2 / mean + R2)
        result: np.ndarray = np.minimum(delta * delta / 2, LEN_CAP)
        return result

    def fit(self, s: tuple[int, ...], t: tuple[int, ...], *, anchored: bool = True) -> float:
        """1.0 for a pair whose length, kind and anchors agree; less for each disagreement.

        A pair made by key or label (``anchored`` False) is not doubted for its
        numbers: a number that differs there is drift for `bitext check`.
        """
        src, tgt = self.src, self.tgt
        length = float(self.length_cost(np.array(src.length[list(s)].sum()),
                                        np.array(tgt.length[list(t)].sum())))
        kind = max(float(KIND_COST[src.kind[a], tgt.kind[b]]) for a in s for b in t)
        if any(src.level[a] != tgt.level[b] and src.level[a] and tgt.level[b]
               for a in s for b in t):
            kind += LEVEL_COST
        a_tok = sum((src.tokens[a] for a in s), Counter())
        b_tok = sum((tgt.tokens[b] for b in t), Counter())
        missed = 0.0
        if anchored:
            missed = REF_COUNT_PENALTY * abs(a_tok["ref", ""] - b_tok["ref", ""])
            for kind_name, (_, penalty) in ANCHOR_WEIGHTS.items():
                if kind_name == "ref":
                    continue
                mine = Counter({k: n for k, n in a_tok.items() if k[0] == kind_name})
                theirs = Counter({k: n for k, n in b_tok.items() if k[0] == kind_name})
                # A substitution (one value for another) counts once.
                shared = sum((mine & theirs).values())
                missed += penalty * (max(mine.total(), theirs.total()) - shared)
        return math.exp(-0.5 * (kind + max(0.0, length - 2.0) + missed))

    def align(self, s_idx: list[int], t_idx: list[int]) -> list[Pair]:
        """The best monotone bead sequence over two index lists, with confidences."""
        n, m = len(s_idx), len(t_idx)
        if not n or not m:
            return [Pair((i,), (), 1.0) for i in s_idx] + [Pair((), (j,), 1.0) for j in t_idx]
        half = BAND + abs(n - m)
        while True:
            band = _Band(n, m, half)
            costs = self._costs(s_idx, t_idx, band)
            path, touches = _viterbi(band, costs)
            if not touches or band.width >= m + 1:
                break
            half *= 2
        posterior = _posteriors(band, costs, path)
        pairs = []
        for (shape, i, j), post in zip(path, posterior, strict=True):
            s = tuple(s_idx[i - int(shape[0]) + x] for x in range(int(shape[0])))
            t = tuple(t_idx[j - int(shape[2]) + x] for x in range(int(shape[2])))
            conf = post
            if s and t:
                conf *= self.fit(s, t)
            if shape in ("1:2", "2:1"):
                conf = min(conf, STRUCTURAL_CAP)
            note = ""
            if s and t and {self.src.kind[s[0]], self.tgt.kind[t[0]]} == _HEADING_BOLD:
                note = "heading ↔ bold paragraph"
            pairs.append(Pair(s, t, round(float(conf), 4), note))
        return pairs

    def _costs(self, s_idx: list[int], t_idx: list[int], band: _Band) -> dict[str, np.ndarray]:
        """Cost of each bead shape ending at each band cell (BIG where impossible)."""
        src, tgt = self.src, self.tgt
        n, m = len(s_idx), len(t_idx)
        si, ti = np.array(s_idx), np.array(t_idx)
        ls, lt = src.length[si], tgt.length[ti]
        ks, kt = src.kind[si], tgt.kind[ti]
        vs, vt = src.level[si], tgt.level[ti]
        ps, pt = src.penalty[si], tgt.penalty[ti]
        rs, rt = src.nref[si], tgt.nref[ti]
        rows = np.arange(n + 1)[:, None]
        cols = band.lo[:, None] + np.arange(band.width)[None, :]
        inside = cols <= m
        gains = self._gains(s_idx, t_idx, band)
        heading = _K["heading"]

        def take(values: np.ndarray, index: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
            ok = (index >= 0) & (index < size)
            return values[np.clip(index, 0, size - 1)], ok

        def kind(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            ka, _ = take(ks, a, n)
            kb, _ = take(kt, b, m)
            va, _ = take(vs, a, n)
            vb, _ = take(vt, b, m)
            level = (va != vb) & (va > 0) & (vb > 0)
            result: np.ndarray = KIND_COST[ka, kb] + LEVEL_COST * level
            return result

        def group_heading(index: np.ndarray, kinds: np.ndarray, size: int) -> np.ndarray:
            values, _ = take(kinds, index, size)
            found: np.ndarray = values == heading
            return found

        s1, t1 = rows - 1, cols - 1
        l_s1, ok_s1 = take(ls, s1, n)
        l_s0, ok_s0 = take(ls, rows - 2, n)
        l_t1, ok_t1 = take(lt, t1, m)
        l_t0, ok_t0 = take(lt, cols - 2, m)
        p_s1, p_s0 = take(ps, s1, n)[0], take(ps, rows - 2, n)[0]
        p_t1, p_t0 = take(pt, t1, m)[0], take(pt, cols - 2, m)[0]
        r_s1, r_s0 = take(rs, s1, n)[0], take(rs, rows - 2, n)[0]
        r_t1, r_t0 = take(rt, t1, m)[0], take(rt, cols - 2, m)[0]

        c11 = (PRIOR["1:1"] + self.length_cost(l_s1, l_t1) + kind(s1, t1)
               + p_s1 + p_t1 + REF_COUNT_PENALTY * np.abs(r_s1 - r_t1) - gains["1:1"])
        c12 = (PRIOR["1:2"] + self.length_cost(l_s1, l_t0 + l_t1)
               + np.maximum(kind(s1, cols - 2), kind(s1, t1))
               + GROUP_HEADING_COST * (group_heading(s1, ks, n) | group_heading(t1, kt, m)
                                       | group_heading(cols - 2, kt, m))
               + p_s1 + p_t0 + p_t1 + REF_COUNT_PENALTY * np.abs(r_s1 - r_t0 - r_t1)
               - gains["1:2"])
        c21 = (PRIOR["2:1"] + self.length_cost(l_s0 + l_s1, l_t1)
               + np.maximum(kind(rows - 2, t1), kind(s1, t1))
               + GROUP_HEADING_COST * (group_heading(s1, ks, n) | group_heading(t1, kt, m)
                                       | group_heading(rows - 2, ks, n))
               + p_s0 + p_s1 + p_t1 + REF_COUNT_PENALTY * np.abs(r_s0 + r_s1 - r_t1)
               - gains["2:1"])
        c10 = PRIOR["1:0"] + p_s1 + REF_COUNT_PENALTY * r_s1 + 0.0 * cols
        c01 = PRIOR["0:1"] + p_t1 + REF_COUNT_PENALTY * r_t1 + 0.0 * rows
        valid = {
            "1:1": ok_s1 & ok_t1, "1:2": ok_s1 & ok_t1 & ok_t0, "2:1": ok_s1 & ok_s0 & ok_t1,
            "1:0": ok_s1 & (cols >= 0), "0:1": ok_t1 & (rows >= 0),
        }
        costs = {"1:1": c11, "1:2": c12, "2:1": c21, "1:0": c10, "0:1": c01}
        return {k: np.where(valid[k] & inside, v, BIG) for k, v in costs.items()}

    def _gains(self, s_idx: list[int], t_idx: list[int], band: _Band) -> dict[str, np.ndarray]:
        """Anchor bonuses per bead shape and band cell, from the (sparse) shared anchors."""
        src, tgt = self.src, self.tgt
        n, lo, width = len(s_idx), band.lo, band.width
        where: dict[tuple[str, str], list[int]] = {}
        for b, j in enumerate(t_idx):
            for key in tgt.tokens[j]:
                if key != ("ref", ""):
                    where.setdefault(key, []).append(b)
        out = {k: np.zeros((n + 1, width)) for k in ("1:1", "1:2", "2:1")}

        def add(shape: str, row: int, col: int, value: float) -> None:
            if 0 <= row <= n and 0 <= col - lo[row] < width:
                out[shape][row, col - lo[row]] += value

        for a, i in enumerate(s_idx):
            first, last = lo[a + 1] - 2, lo[min(a + 2, n)] + width
            for key, count in src.tokens[i].items():
                places = where.get(key)
                if not places or key == ("ref", ""):
                    continue
                bonus, penalty = ANCHOR_WEIGHTS[key[0]]
                start = bisect.bisect_left(places, first)
                for b in places[start:bisect.bisect_right(places, last)]:
                    gain = min(count, tgt.tokens[t_idx[b]][key]) * (bonus + 2 * penalty)
                    add("1:1", a + 1, b + 1, gain)
                    add("1:2", a + 1, b + 2, gain)
                    add("1:2", a + 1, b + 1, gain)
                    add("2:1", a + 2, b + 1, gain)
                    add("2:1", a + 1, b + 1, gain)
        return out


class _Band:
    """Row i of the DP keeps columns lo[i] .. lo[i] + width - 1 around the diagonal."""

    def __init__(self, n: int, m: int, half: int):
        self.n, self.m = n, m
        self.width = min(m + 1, 2 * half + 1)
        centre = np.round(np.arange(n + 1) * (m / n)).astype(np.int64)
        self.lo = np.clip(centre - half, 0, m + 1 - self.width)


# (shape, rows back, columns back)
_MOVES = (("1:1", 1, 1), ("1:2", 1, 2), ("2:1", 2, 1), ("1:0", 1, 0))


def _shift(row: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """out[k] = row[k + offset], ``fill`` outside."""
    width = row.shape[0]
    out = np.full(width, fill)
    if offset >= 0:
        if offset < width:
            out[: width - offset] = row[offset:]
    elif -offset < width:
        out[-offset:] = row[: width + offset]
    return out


def _viterbi(band: _Band, costs: dict[str, np.ndarray]) -> tuple[list[tuple[str, int, int]], bool]:
    """Best path as (shape, end row, end column) beads; also whether it touches the band edge."""
    n, m, lo, width = band.n, band.m, band.lo, band.width
    best = np.full((n + 1, width), BIG)
    back = np.zeros((n + 1, width), dtype=np.int64)
    for i in range(n + 1):
        cands = [np.full(width, BIG) for _ in _MOVES]
        if i == 0:
            cands[0][0] = 0.0
        for c, (shape, di, dj) in enumerate(_MOVES):
            if i >= di:
                cands[c] = _shift(best[i - di], int(lo[i] - lo[i - di]) - dj, BIG) + costs[shape][i]
        stack = np.stack(cands)
        choice = np.argmin(stack, axis=0)
        arrive = stack[choice, np.arange(width)]
        if i == 0:
            arrive[0], choice[0] = 0.0, -1
        step = costs["0:1"][i].copy()
        step[0] = 0.0
        cum = np.cumsum(step)
        run = np.minimum.accumulate(arrive - cum)
        best[i] = cum + run
        back[i] = np.where(run < arrive - cum, len(_MOVES), choice)
    path: list[tuple[str, int, int]] = []
    touches = False
    i, j = n, m
    while i > 0 or j > 0:
        k = j - lo[i]
        if (k <= 1 and lo[i] > 0) or (k >= width - 2 and lo[i] + width - 1 < m):
            touches = True
        move = back[i, k]
        shape, di, dj = ("0:1", 0, 1) if move == len(_MOVES) else _MOVES[move]
        path.append((shape, i, j))
        i, j = i - di, j - dj
    return path[::-1], touches


def _posteriors(band: _Band, costs: dict[str, np.ndarray],
                path: list[tuple[str, int, int]]) -> list[float]:
    """Posterior probability of each bead of ``path``, by forward-backward over the band."""
    n, m, lo, width = band.n, band.m, band.lo, band.width
    neg = {k: -v for k, v in costs.items()}
    alpha = np.full((n + 1, width), -BIG)
    beta = np.full((n + 1, width), -BIG)
    for i in range(n + 1):
        arrive = np.full(width, -BIG)
        if i == 0:
            arrive[0] = 0.0
        for shape, di, dj in _MOVES:
            if i >= di:
                came = _shift(alpha[i - di], int(lo[i] - lo[i - di]) - dj, -BIG) + neg[shape][i]
                arrive = np.logaddexp(arrive, came)
        step = neg["0:1"][i].copy()
        step[0] = 0.0
        cum = np.cumsum(step)
        alpha[i] = np.maximum(cum + np.logaddexp.accumulate(arrive - cum), -BIG)
    for i in range(n, -1, -1):
        leave = np.full(width, -BIG)
        if i == n:
            leave[m - lo[n]] = 0.0
        for shape, di, dj in _MOVES:
            if i + di <= n:
                nxt = beta[i + di] + neg[shape][i + di]
                leave = np.logaddexp(leave, _shift(nxt, dj - int(lo[i + di] - lo[i]), -BIG))
        step = neg["0:1"][i].copy()
        step[0] = 0.0
        cum = np.cumsum(step)
        beta[i] = np.maximum(np.logaddexp.accumulate((leave + cum)[::-1])[::-1] - cum, -BIG)
    total = alpha[n, m - lo[n]]
    out = []
    for shape, i, j in path:
        di, dj = int(shape[0]), int(shape[2])
        start = alpha[i - di, j - dj - lo[i - di]]
        logp = start + neg[shape][i, j - lo[i]] + beta[i, j - lo[i]] - total
        out.append(float(min(1.0, math.exp(min(0.0, logp)))))
    return out
