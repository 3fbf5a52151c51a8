"""The ``numbers`` check: the same numbers on both sides, each read in its own locale.

Numbers are parsed by `pipeline.checks.extract.extract_numbers` (Babel,
``strict=True``, CLDR scale words) and compared as multisets of values, so
``1,5 milyon`` = ``1.5 million``, ``%50`` = ``50%``, ``2021'de`` = ``in
2021``, while ``3 milyon`` / ``30 million`` and ``12,5`` / ``125`` differ.
Dates are the ``dates`` check's business and are left out here.

Spelled-out numbers with a scale word are read too (``dört milyon`` = ``four
million`` = ``4 million``). A lone number word on the other side (``üç`` for
a ``3``) settles a difference when its value matches. A difference that
involves a spelled-out number (``dört milyon`` / ``five million``) is lowered
to a warning, since words are read less reliably than digits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.extract import Number, Scan, number_words, scan
from pipeline.checks.model import Context, Problem, Unit


def _unmatched(mine: list[Number], theirs: list[Number]) -> list[Number]:
    """The numbers of ``mine`` left over once each is paired with an equal one in ``theirs``.

    Also settles missing numbers against lone number words (``üç`` cancels one 3).
    """
    left = Counter(n.key for n in theirs)
    out = []
    for number in mine:
        if left[number.key] > 0:
            left[number.key] -= 1
        else:
            out.append(number)
    return out


def scans(unit: Unit, source_lang: str, target_lang: str) -> tuple[Scan, Scan]:
    """The numbers and dates of both sides of ``unit`` (computed once, for both checks)."""
    key = ("scan", source_lang, target_lang)
    if key not in unit.memo:
        unit.memo[key] = (scan(unit.source, source_lang, also=(target_lang,)),
                          scan(unit.target, target_lang, also=(source_lang,)))
    return unit.memo[key]  # type: ignore[no-any-return]


def _lone_words(text: str, lang: str, numbers: list[Number]) -> list[Number]:
    """Number words of ``text`` that are not part of a spelled number already read."""
    spelled = [(n.start, n.end) for n in numbers if n.spelled]
    return [w for w in number_words(text, lang)
            if not any(s <= w.start < e for s, e in spelled)]


def compare_numbers(
    source: str, target: str, source_lang: str, target_lang: str,
    found: tuple[Scan, Scan] | None = None,
) -> tuple[str, int, int | None] | None:
    """A message, a severity adjustment and where in ``source`` (the first number missing
    from the translation, None when none is) when the numbers differ, else None."""
    if found is None:
        found = (scan(source, source_lang, also=(target_lang,)),
                 scan(target, target_lang, also=(source_lang,)))
    a, b = list(found[0].numbers), list(found[1].numbers)
    if len(a) == len(b) and all(x.key == y.key for x, y in zip(a, b, strict=True)):
        return None  # the same values in the same order (most segments), no counting
    missing, extra = _unmatched(a, b), _unmatched(b, a)
    if not missing and not extra:
        return None
    if missing:
        missing = _unmatched(missing, _lone_words(target, target_lang, b))
    if extra:
        extra = _unmatched(extra, _lone_words(source, source_lang, a))
    if not missing and not extra:
        return None
    spelled = any(n.spelled for n in missing + extra)
    shown_a = ", ".join(n.show() for n in missing)
    shown_b = ", ".join(n.show() for n in extra)
    if missing and extra:
        message = f"numbers differ: the original has {shown_a}, the translation {shown_b}"
    elif missing:
        message = f"the original's {shown_a} {'is' if len(missing) == 1 else 'are'} not in " \
                  "the translation"
    else:
        message = f"the translation has {shown_b}, which the original does not"
    return message, -1 if spelled else 0, missing[0].start if missing else None


@register("numbers", severity="error")
def numbers(ctx: Context) -> Iterator[Problem]:
    """The same numbers (values, each side in its own locale) in original and translation."""
    sl, tl = ctx.source_lang, ctx.target_lang
    for unit in ctx.translated:
        if unit.source == unit.target:  # a citation kept as it is: the same digits
            continue
        found = compare_numbers(unit.source, unit.target, sl, tl, scans(unit, sl, tl))
        if found is not None:
            yield Problem(unit, found[0], adjust=found[1], offset=found[2])
