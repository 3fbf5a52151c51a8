"""Per-segment features for `pipeline.align`: kind, visible length, anchors.

Pure; the locale-aware numbers, dates and URLs come from the drift checks'
own parsers (`pipeline.checks.extract`), footnote references from
`pipeline.markdown.segments.footnote_refs`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np

from pipeline.languages import known
from pipeline.markdown.segments import Segment, footnote_refs

# Anchors: (bonus when both sides have it, penalty per unmatched one).
ANCHOR_WEIGHTS = {"ref": (4.0, 0.0), "url": (3.0, 1.0), "number": (2.0, 0.5),
                  "date": (2.0, 0.5), "gloss": (1.5, 0.3)}

# "bold" and "emphasis" are paragraphs all in ** ** or * *: a heading made bold, a
# translator's note in italics.
KINDS = ("paragraph", "heading", "bold", "emphasis", "list-item", "quote", "table-cell",
         "footnote", "meta", "other")
KIND_INDEX = {k: i for i, k in enumerate(KINDS)}
_SIMILAR = {("paragraph", "bold"): 0.5, ("heading", "bold"): 1.5, ("paragraph", "quote"): 1.5,
            ("paragraph", "list-item"): 2.0, ("list-item", "quote"): 2.0,
            ("bold", "list-item"): 2.0, ("paragraph", "other"): 2.0,
            ("paragraph", "emphasis"): 1.0, ("bold", "emphasis"): 1.0,
            ("heading", "emphasis"): 3.0}
KIND_COST = np.full((len(KINDS), len(KINDS)), 5.0)
for (_a, _b), _cost in _SIMILAR.items():
    KIND_COST[KIND_INDEX[_a], KIND_INDEX[_b]] = KIND_COST[KIND_INDEX[_b], KIND_INDEX[_a]] = _cost
np.fill_diagonal(KIND_COST, 0.0)
KIND_COST_ROWS: list[list[float]] = KIND_COST.tolist()  # the same, for scalar use
HEADING_BOLD = {KIND_INDEX["heading"], KIND_INDEX["bold"]}

_BOLD = re.compile(r"^(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1[.:]?$")
_EMPHASIS = re.compile(r"^([*_])(?![*_\s])(?:(?!\1).)+(?<=\S)\1[.:]?$", re.DOTALL)
_REF = re.compile(r"\[\^[^\]\s]+\]")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"<[^>\n]+>")
_MARKUP = "*_`#>[]|"


def kind_of(segment: Segment) -> str:
    """The segment's kind for alignment: an all-bold (italic) paragraph is "bold" ("emphasis")."""
    if segment.kind == "paragraph" and _BOLD.match(segment.text.strip()):
        return "bold"
    if segment.kind == "paragraph" and _EMPHASIS.match(segment.text.strip()):
        return "emphasis"
    return segment.kind if segment.kind in KIND_INDEX else "other"


def visible_length(text: str) -> int:
    """Characters a reader sees: no link targets, footnote markers, tags or markup signs."""
    # Each pattern only where its opening sign occurs: this runs on every segment.
    for sign, pattern, by in (("[^", _REF, ""), ("](", _LINK_TARGET, "]"), ("<", _TAG, "")):
        if sign in text:
            text = pattern.sub(by, text)
    return len(" ".join(text.split())) - sum(text.count(sign) for sign in _MARKUP)


def unbold(text: str) -> str:
    """The text inside a paragraph that is all bold (``**Title**`` -> ``Title``)."""
    match = _BOLD.match(text.strip())
    return match.group(2) if match else text


def fold(text: str, lang: str) -> str:
    """Case-fold for matching; Turkish and Azerbaijani keep the dotted/dotless i apart."""
    found = known(lang)
    return found.fold(text) if found else text.casefold()


def anchors(text: str, lang: str, *, other: str = "", glossary: Mapping[str, str] | None = None,
            column: int = 0, values: bool = True,
            refs: Sequence[str] | None = None) -> Counter[tuple[str, str]]:
    """The anchors of a text: tokens that survive translation, normalised, with counts.

    ``("ref", label)`` per footnote reference (``refs`` if already known),
    plus ``("ref", "")`` counting them; ``("url", url)``; with ``values``,
    numbers and dates (see `value_anchors`); ``("gloss", term)`` for each
    glossary entry whose source (``column`` 0) or target (``column`` 1) term
    occurs in the text.
    """
    from pipeline.checks.urlfind import extract_urls

    if refs is None:
        refs = footnote_refs(text) if "[^" in text else []  # the full scan is not free
    found: Counter[tuple[str, str]] = Counter()
    for label in refs:
        found["ref", label] += 1
        found["ref", ""] += 1
    found.update(("url", url) for url in extract_urls(text))
    if values:
        found.update(value_anchors(text, lang, other))
    if glossary:
        folded = fold(text, lang)
        for term, translation in glossary.items():
            if fold((term, translation)[column], lang) in folded:
                found["gloss", term] += 1
    return found


def value_anchors(text: str, lang: str, other: str = "") -> Counter[tuple[str, str]]:
    """``("number", value)`` and ``("date", value)`` as the drift checks parse them.

    `pipeline.checks.extract` reads ``text`` with ``lang``'s conventions, and
    words of the ``other`` language too (a Turkish citation keeps English titles).
    """
    from pipeline.checks.extract import extract_dates, extract_numbers

    also = (other,) if other else ()
    found: Counter[tuple[str, str]] = Counter()
    found.update(("number", _value_key(v)) for v in extract_numbers(text, lang, also=also))
    found.update(("date", _value_key(v)) for v in extract_dates(text, lang, also=also))
    return found


def _value_key(value: object) -> str:
    """A comparable key for an extracted value: ``1.5E+6`` and ``1500000`` are one number."""
    clock = getattr(value, "clock", None)
    if isinstance(clock, str):
        return "time " + clock  # 4:00 pm and 16:00 are one time
    number = getattr(value, "value", None)
    if isinstance(number, Decimal):
        return format(number.normalize(), "f") + ("%" if getattr(value, "percent", False) else "")
    if number is None and isinstance(getattr(value, "text", None), str):
        return str(value.text)  # type: ignore[attr-defined]  # a literal, e.g. "3.8.1"
    return str(value)


class Side:
    """Per-segment features of one document, as arrays; numbers and dates added on demand."""

    def __init__(self, segments: Sequence[Segment], lang: str, other: str,
                 glossary: Mapping[str, str] | None, column: int):
        self.segments, self.lang, self.other = segments, lang, other
        self.length = np.array([max(1.0, float(visible_length(s.text))) for s in segments])
        self.kind = np.array([KIND_INDEX[kind_of(s)] for s in segments], dtype=np.int64)
        self.level = np.array([int(s.label) if s.kind == "heading" and s.label.isdigit() else 0
                               for s in segments], dtype=np.int64)
        self.refs = [footnote_refs(s.text) if "[^" in s.text else [] for s in segments]
        self.tokens = [
            anchors(s.text, lang, other=other, glossary=glossary, column=column, values=False,
                    refs=refs)
            for s, refs in zip(segments, self.refs, strict=True)
        ]
        self.nref = np.array([t["ref", ""] for t in self.tokens], dtype=np.float64)
        # Plain lists of the same, for the per-pair arithmetic (numpy scalars are slow).
        self.lengths: list[float] = self.length.tolist()
        self.kinds: list[int] = self.kind.tolist()
        self.levels: list[int] = self.level.tolist()
        self.nrefs: list[float] = self.nref.tolist()
        self.penalty = np.array([_penalty(t) for t in self.tokens])
        self.valued: set[int] = set()

    def add_values(self, indices: Sequence[int]) -> None:
        """Parse the numbers and dates of these segments into their anchors."""
        for i in indices:
            if i not in self.valued:
                self.valued.add(i)
                self.tokens[i] += value_anchors(self.segments[i].text, self.lang, self.other)
                self.penalty[i] = _penalty(self.tokens[i])


def _penalty(tokens: Counter[tuple[str, str]]) -> float:
    """What a segment's anchors cost when none of them is matched."""
    return sum(n * ANCHOR_WEIGHTS[k[0]][1] for k, n in tokens.items())


