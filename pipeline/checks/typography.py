"""Typography checks on the translation: ``quotes``, ``brackets``, ``whitespace``.

Each compares the translation with its original, so what the original does
itself (a quotation that spans two paragraphs, ``a)`` enumerations, a
deliberate trailing space in a gettext string) is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks import register
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
        if not any(c in t for c in "“”«»‹›„「」\""):
            continue
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


@register("whitespace", severity="warning")
def whitespace(ctx: Context) -> Iterator[Problem]:
    """Doubled spaces, invisible characters, or leading/trailing space unlike the original's."""
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
        for where, t_has, s_has in (("leading", t[:1].isspace(), s[:1].isspace()),
                                    ("trailing", t[-1:].isspace(), s[-1:].isspace())):
            if t_has != s_has:
                yield Problem(unit, f"the translation {'has' if t_has else 'lacks'} the {where} "
                                    f"whitespace the original {'lacks' if t_has else 'has'}")
