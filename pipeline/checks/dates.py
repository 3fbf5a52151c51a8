"""The ``dates`` check: the same dates on both sides, whatever the notation.

``29.09.2021``, ``29 Eylül 2021``, ``September 29, 2021`` and ``29/09/2021``
are one date (`pipeline.checks.extract.extract_dates`, Babel month names of
both languages). A date missing its year or day on one side (``3 Ekim'de``
/ ``October 3``) matches a fuller one on the other side with the same
month and day.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.extract import Date, Scan, scan
from pipeline.checks.model import Context, Problem
from pipeline.checks.numbers import scans


def show_date(date: Date) -> str:
    """ISO 8601, reduced where a part is unknown: ``2021-09-29``, ``--10-03``, ``2021-03``."""
    if date.year is None:
        return f"--{date.month:02d}-{date.day:02d}" if date.day else f"--{date.month:02d}"
    if date.day is None:
        return f"{date.year}-{date.month:02d}"
    return f"{date.year}-{date.month:02d}-{date.day:02d}"


def _compatible(a: Date, b: Date) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def match_dates(source: list[Date], target: list[Date]) -> tuple[list[Date], list[Date]]:
    """(missing, extra): dates without a partner, exact partners first, then compatible ones."""
    missing, extra = list(source), list(target)
    for exact in (True, False):
        for date in list(missing):
            for other in extra:
                if date == other if exact else _compatible(date, other):
                    missing.remove(date)
                    extra.remove(other)
                    break
    return missing, extra


def compare_dates(
    source: str, target: str, source_lang: str, target_lang: str,
    found: tuple[Scan, Scan] | None = None,
) -> str | None:
    """A message when the dates differ, else None."""
    if found is None:
        found = (scan(source, source_lang, also=(target_lang,)),
                 scan(target, target_lang, also=(source_lang,)))
    a = [d for _, _, d in found[0].dates]
    b = [d for _, _, d in found[1].dates]
    if a == b:
        return None
    missing, extra = match_dates(a, b)
    if not missing and not extra:
        return None
    shown_a = ", ".join(show_date(d) for d in missing)
    shown_b = ", ".join(show_date(d) for d in extra)
    if missing and extra:
        return f"dates differ: the original has {shown_a}, the translation {shown_b}"
    if missing:
        return f"the original's date {shown_a} is not in the translation"
    return f"the translation has the date {shown_b}, which the original does not"


@register("dates", severity="error")
def dates(ctx: Context) -> Iterator[Problem]:
    """The same dates (numeric or with month names, either language) on both sides."""
    sl, tl = ctx.source_lang, ctx.target_lang
    for unit in ctx.translated:
        if unit.source == unit.target:  # a citation kept as it is: the same dates
            continue
        message = compare_dates(unit.source, unit.target, sl, tl, scans(unit, sl, tl))
        if message:
            yield Problem(unit, message)
