"""Typography checks on the translation: ``quotes``, ``brackets``, ``whitespace``.

Each compares the translation with its original, so what the original does
itself (a quotation that spans two paragraphs, ``a)`` enumerations, a
deliberate trailing space in a gettext string) is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.lexicon import base_lang
from pipeline.checks.model import Context, Problem

# (opening, closing) pairs; German „…“ is told apart by its low opening mark.
_PAIRS = (("“", "”"), ("«", "»"), ("‹", "›"), ("「", "」"))
_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


def quote_balance(text: str) -> dict[str, int]:
    """Unmatched quotation marks: opening minus closing for each pair, and straight ``"`` parity."""
    balance = {}
    low = text.count("„")
    for opening, closing in _PAIRS:
        if opening in text or closing in text:
            opened, closed = text.count(opening), text.count(closing)
            if opening == "“" and low:  # „…“: the “ closes
                opened, closed = low, closed + opened
            balance[opening + closing] = opened - closed
    if '"' in text:
        balance['"'] = text.count('"') % 2
    return {k: v for k, v in balance.items() if v}


@register("quotes", severity="warning")
def quotes(ctx: Context) -> Iterator[Problem]:
    """Quotation marks that do not pair up in the translation (when they do in the original)."""
    for unit in ctx.translated:
        t = unit.target
        if not ("“" in t or "”" in t or '"' in t or "«" in t or "»" in t or "„" in t
                or "‹" in t or "›" in t or "「" in t or "」" in t):
            continue  # no quotation mark (spelled out: `any` costs a generator per text)
        got = quote_balance(t)
        if not got:
            continue
        had = quote_balance(unit.source)
        for pair, count in got.items():
            if had.get(pair) == count:
                continue
            if pair == '"':
                yield Problem(unit, 'the translation has an odd number of straight quotes (")')
            else:
                side = f"{count} more “{pair[0]}” than “{pair[1]}”" if count > 0 else \
                       f"{-count} more “{pair[1]}” than “{pair[0]}”"
                yield Problem(unit, f"unbalanced quotes in the translation: {side}")


def bracket_balance(text: str) -> dict[str, int]:
    """Opening minus closing count for each bracket pair (non-zero only)."""
    out = {}
    for opening, closing in _BRACKETS:
        if opening in text or closing in text:
            diff = text.count(opening) - text.count(closing)
            if diff:
                out[opening + closing] = diff
    return out


@register("brackets", severity="warning")
def brackets(ctx: Context) -> Iterator[Problem]:
    """Brackets that do not pair up in the translation (when they do in the original)."""
    for unit in ctx.translated:
        got = bracket_balance(unit.target)
        if not got:
            continue
        had = bracket_balance(unit.source)
        for pair, count in got.items():
            if had.get(pair, 0) == count:
                continue
            what = f"{count} unclosed “{pair[0]}”" if count > 0 else \
                f"{-count} “{pair[1]}” without “{pair[0]}”"
            yield Problem(unit, f"brackets in the translation: {what}")


_INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "SOFT HYPHEN", "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK",
}
_DOUBLE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_NO_BREAK = {"\u00a0": "no-break space (U+00A0)", "\u202f": "narrow no-break space (U+202F)"}
_SPACE_RUN = re.compile("[ \u00a0\u202f]{2,}")
# The spaces that open a gap a reader sees. Thin and hair spaces (U+2009, U+200A) are
# the typographer's own between nested quotes (’ ”), so they are not among them.
_GAP = " \t\n\u00a0\u202f"
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# What a gap of `_gaps` needs in the text: most segments have none, and are done here
# (single characters: each is found many times faster than a regex scans the text).
_GAP_NEEDS = '\u00a0\u202f“”‘’„‚«»‹›"^'


def _may_gap(t: str) -> bool:
    for char in _GAP_NEEDS:  # a loop of "in": no regex, no generator, per segment
        if char in t:
            return char != "^" or "[^" in t
    return False
# Languages that set a no-break space inside « » (and ‹ ›) on purpose.
_SPACED_GUILLEMETS = frozenset({"fr"})


@register("whitespace", severity="warning")
def whitespace(ctx: Context) -> Iterator[Problem]:
    """Doubled or mixed spaces, spaces before notes or inside quotes, invisible characters.

    Also leading/trailing space unlike the original's. A gap the original has at
    the same place (a cited title copied as published) is no finding.
    """
    spaced_guillemets = base_lang(ctx.target_lang) in _SPACED_GUILLEMETS
    for unit in ctx.translated:
        s, t = unit.source, unit.target
        if "  " in t or "\t" in t:
            found = _DOUBLE.search(t)
            if found and not _DOUBLE.search(s):
                start = max(0, found.start() - 15)
                yield Problem(unit, f"doubled space in the translation: "
                                    f"“…{t[start:found.end() + 15]}…”")
        if not t.isascii():
            for char, name in _INVISIBLE.items():
                if char in t and char not in s:
                    yield Problem(unit, f"the translation contains U+{ord(char):04X} {name}")
        if _may_gap(t):
            for offset, what, why in _gaps(t, s, spaced_guillemets):
                yield Problem(unit, f"{what} at {_column(t, offset)} of the translation{why}: "
                                    f"“…{_excerpt(t, offset)}…”")
        for where, t_has, s_has in (("leading", t[:1].isspace(), s[:1].isspace()),
                                    ("trailing", t[-1:].isspace(), s[-1:].isspace())):
            if t_has != s_has:
                yield Problem(unit, f"the translation {'has' if t_has else 'lacks'} the {where} "
                                    f"whitespace the original {'lacks' if t_has else 'has'}")


def _gaps(t: str, s: str, spaced_guillemets: bool) -> Iterator[tuple[int, str, str]]:
    """Where ``t`` has a gap a reader sees as a hole: (offset of the space, what, why).

    Three kinds, in text order: a no-break space next to an ordinary one (two
    widths of space, and a line can still break there); a space before a
    footnote reference (the marker is stranded, or starts the next line); a
    space inside quotation marks (the mark is stranded likewise).
    """
    found: list[tuple[int, str, str]] = []
    # Each kind is looked for only where the text holds what it needs (most have none).
    if "\u00a0" in t or "\u202f" in t:
        for run in _SPACE_RUN.finditer(t):
            text = run.group()
            nbsp = next((c for c in text if c in _NO_BREAK), None)
            if nbsp is not None and " " in text and not _copied(t, s, run.start(), run.end()):
                found.append((run.start(), f"a {_NO_BREAK[nbsp]} next to an ordinary space",
                              ""))
    if "^" in t and "[^" in t:
        spaced_in_source: set[str] | None = None
        for ref in _FOOTNOTE_REF.finditer(t):
            at = ref.start()
            if not (at > 0 and t[at - 1] in _GAP):
                continue
            if spaced_in_source is None:
                spaced_in_source = {r[1] for r in _FOOTNOTE_REF.finditer(s)
                                    if r.start() > 0 and s[r.start() - 1] in _GAP}
            if ref[1] not in spaced_in_source:
                gap = len(t[:at]) - len(t[:at].rstrip(_GAP))
                found.append((at - gap, f"a space before the footnote reference [^{ref[1]}]",
                              " (the original has none there)"))
    for at, mark, opening in _quote_marks(t):
        space = at + 1 if opening else at - 1
        if not 0 <= space < len(t) or t[space] not in _GAP:
            continue
        why = ""
        if spaced_guillemets and mark in "«»‹›":
            if t[space] in _NO_BREAK:
                continue  # French: « Bonjour » with U+202F (or U+00A0) is the rule
            why = " (French sets U+202F NARROW NO-BREAK SPACE there, where no line breaks)"
        if t[at + 1:at + 2].isalnum() if not opening else t[at - 1:at].isalnum():
            # A word on the mark's other side: an apostrophe (“the ’90s”), or a mark
            # typed for the other role (“bide“ for “bide”), which `quotes` may report.
            continue
        lo, hi = (at, at + 2) if opening else (at - 1, at + 1)
        if _copied(t, s, lo, hi):
            continue
        side = "after the opening" if opening else "before the closing"
        found.append((space, f"a space {side} quotation mark {mark}", why))
    return iter(sorted(found))


# every quotation mark `_quote_marks` knows; the straight one alone
_QUOTE_MARK = re.compile('[“”‘’„‚«»‹›"]')
_STRAIGHT = re.compile('"')


def _quote_marks(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each quotation mark of ``text`` that may have a space inside: (offset, mark, opens).

    That is a mark with a gap on one side and no word on the other (`_gaps` reports
    no other); the others are not looked at.
    A mark's role depends on the language's convention, read off the text
    itself: “ closes in German „…“; the pair is reversed in Arabic ”…“ and
    Danish »…« (told by which side each mark touches a word); one mark both
    opens and closes in Swedish ”…” and »…», Russian “…“ and with straight ".
    Where one mark plays both roles, they alternate (the marks of that kind
    before it tell which turn it is); an odd count leaves " undecided and
    unflagged (the ``quotes`` check reports that text), and makes ” and » close
    (a quotation opened in an earlier paragraph).
    """
    low = "„" in text or "‚" in text
    both: set[str] = {'"'}
    paired: dict[str, tuple[str, str]] = {}  # a mark of a pair whose two marks are here
    for opening, closing in (("“", "”"), ("«", "»"), ("‹", "›")):
        if low and opening == "“":
            continue  # „…“ and „…”: “ and ” close
        has_opening, has_closing = opening in text, closing in text
        if has_opening != has_closing:
            both.add(opening if has_opening else closing)
        elif has_opening:
            paired[opening] = paired[closing] = (opening, closing)
    reversed_pairs: dict[tuple[str, str], bool] = {}  # asked only for a mark that needs it
    straight_known: bool | None = None
    last = len(text) - 1
    for found in _QUOTE_MARK.finditer(text):
        i, c = found.start(), found.group()
        left = text[i - 1] if i else ""
        right = text[i + 1] if i < last else ""
        if not ((left and left in _GAP and not right.isalnum())
                or (right and right in _GAP and not left.isalnum())):
            # No space on either side, or a word on the side away from it (“ after a
            # space, before a word): whichever way it faces, no space inside it that
            # `_gaps` reports. Most marks; their role is not worked out.
            continue
        if c in both:
            if text.count(c) % 2:
                if c != '"':
                    yield i, c, c in "“«‹"
                continue
            if c == '"':
                if straight_known is None:
                    straight_known = _straight_quotes_pair(text)
                if not straight_known:
                    continue
            yield i, c, text.count(c, 0, i) % 2 == 0  # the marks before it alternate
            continue
        pair = paired.get(c)
        if pair is not None and pair not in reversed_pairs:
            reversed_pairs[pair] = _looks_reversed(text, *pair)
        if pair is not None and reversed_pairs[pair]:
            yield i, c, c in "”»›"
        elif c in "“‘":
            yield i, c, not low
        else:
            yield i, c, c in "„‚«‹"


def _looks_reversed(text: str, opening: str, closing: str) -> bool:
    """Whether more of the pair's marks touch a word on the wrong side than on the right one.

    A mark with a letter or digit on its right only looks like an opening one,
    on its left only like a closing one (a space or punctuation is no evidence:
    French spaces its guillemets, « dernière », and follows them with a comma);
    ``quote.” Then “hi”`` (a quotation carried over from the paragraph before)
    stays the right way round.
    """
    right = wrong = 0
    for found in re.finditer(f"[{opening}{closing}]", text):  # re caches the pattern
        i, c = found.start(), found.group()
        left_word = text[i - 1:i].isalnum()
        right_word = text[i + 1:i + 2].isalnum()
        if left_word == right_word:
            continue
        if right_word == (c == opening):
            right += 1
        else:
            wrong += 1
    return wrong > right


def _straight_quotes_pair(text: str) -> bool:
    """Whether alternating the straight quotes of ``text`` agrees with what each one touches.

    A " glued to a word on its left only closes; on its right only, opens. When
    alternation says otherwise (``a 12" pipe and " more``: inch marks, or a
    quote missing), which one is which is unknowable, and none is flagged.
    """
    opening = True
    for found in _STRAIGHT.finditer(text):
        i = found.start()
        left = i > 0 and not text[i - 1].isspace()
        right = i + 1 < len(text) and not text[i + 1].isspace()
        if left != right and left == opening:
            return False
        opening = not opening
    return True


def _copied(t: str, s: str, start: int, end: int) -> bool:
    """Whether ``t[start:end]``, with the words on either side, is in the original too."""
    while start > 0 and not t[start - 1].isspace():
        start -= 1
    while end < len(t) and not t[end].isspace():
        end += 1
    return t[start:end] in s


def _column(t: str, offset: int) -> str:
    """``column N`` (1-based), or ``line L, column N`` in a translation of several lines."""
    line_start = t.rfind("\n", 0, offset) + 1
    column = f"column {offset - line_start + 1}"
    return f"line {t.count(chr(10), 0, offset) + 1}, {column}" if "\n" in t else column


def _excerpt(t: str, offset: int) -> str:
    """A few words around ``offset``, no-break spaces and newlines made visible."""
    text = t[max(0, offset - 15):offset + 15]
    return text.replace("\u00a0", "<U+00A0>").replace("\u202f", "<U+202F>").replace("\n", "\\n")
