"""Dates near digits: the date half of `pipeline.checks.extract` (which re-exports `Date`).

`find_dates` tries one pattern (numeric dates, and month names of several
languages from Babel, as a trie) anchored only where a date can start: at a
run of digits, or at a month name shortly before it. Pure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline.checks.lexicon import month_first, month_number, months


class Date(NamedTuple):
    """A normalised date; a part the text does not give is None."""

    year: int | None
    month: int | None
    day: int | None


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of the sorted, possibly overlapping ``spans``."""
    for start, end in spans:
        if start > position:
            return False
        if position < end:
            return True
    return False


@lru_cache(maxsize=64)
def _date_pattern(langs: tuple[str, ...]) -> re.Pattern[str]:
    _, names = months(langs)

    def month(g: str) -> str:
        return rf"(?P<{g}>{names})(?!\w)"

    def day(g: str) -> str:
        return rf"(?P<{g}>[0-3]?[0-9])(?:st|nd|rd|th|\.)?"

    def year(g: str) -> str:
        return rf"(?P<{g}>[12][0-9]{{3}})(?![0-9])"

    suffix = r"(?:['’]\w+)?"
    branches = [
        # 29.09.2021, 29/09/2021, 29-09-2021, 9/29/21
        r"(?<![\d.,/])(?P<n1>[0-9]{1,2})(?P<sep>[./-])(?P<n2>[0-9]{1,2})(?P=sep)"
        r"(?P<n3>[12][0-9]{3}|[0-9]{2}(?![0-9]))(?![.,]?[0-9])",
        # 2021-09-29
        r"(?<![\d.,/])(?P<iy>[12][0-9]{3})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2})(?![0-9])",
        # 29 Eylül 2021, 29. September 2021, 29 Eylül'de, 29th of September
        rf"(?<![\d.,]){day('d1')}\s+(?:of\s+)?{month('m1')}{suffix}(?:,?\s+{year('y1')})?",
        # September 29, 2021, Sept. 29
        rf"(?<!\w){month('m2')}\s+{day('d2')}(?![.,]?[0-9])(?!\w)(?:,?\s+{year('y2')})?",
        # Mart 2021, March 2021
        rf"(?<!\w){month('m3')}{suffix},?\s+{year('y3')}",
    ]
    return re.compile("|".join(f"(?:{b})" for b in branches))


# How far a date reaches from its digits: "September 29" (the month name before them).
_REACH = 24


@lru_cache(maxsize=64)
def _month_words(langs: tuple[str, ...]) -> re.Pattern[str]:
    """A month name of ``langs`` as a word: where a date with the month first can start."""
    _, names = months(langs)
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)")


def find_dates(
    text: str, runs: list[tuple[int, int]], lang: str, langs: tuple[str, ...],
    hidden: list[tuple[int, int]],
) -> list[tuple[int, int, Date]]:
    """(start, end, date) of each date holding one of the digit ``runs``.

    The pattern is only tried, anchored, where a date can start: at a run,
    or at a month name just before it.
    """
    pattern = _date_pattern(langs)
    month_words = _month_words(langs)
    out = []
    covered = 0  # dates do not overlap: a run inside the last date is done
    for start, _ in runs:
        if start < covered:
            continue
        lo = max(covered, start - _REACH)
        # Only a month name can start a date before the digits (the two branches with
        # the month first begin with one), so only those words are tried; a name has
        # three letters or more, and a space or an apostrophe comes before the digits.
        candidates = [m.start() for m in month_words.finditer(text, lo, start)] \
            if start - lo >= 4 else []
        candidates.append(start)
        for at in candidates:
            match = pattern.match(text, at)
            if match is None or match.end() <= start or inside(hidden, at):
                continue
            date = _to_date(match, lang, langs)
            if date is not None:
                out.append((match.start(), match.end(), date))
                covered = match.end()
                break
    return out


def _to_date(m: re.Match[str], lang: str, langs: tuple[str, ...]) -> Date | None:
    g = m.groupdict()
    if g["n1"]:
        a, b, y = int(g["n1"]), int(g["n2"]), int(g["n3"])
        if len(g["n3"]) == 2:
            if g["sep"] != "/":
                return None
            y += 2000 if y < 70 else 1900
        first = b > 12 or (a <= 12 and g["sep"] == "/" and month_first(lang))
        day, month = (b, a) if first else (a, b)
        return _valid(y, month, day)
    if g["iy"]:
        return _valid(int(g["iy"]), int(g["im"]), int(g["id"]))
    for day_key, month_key, year_key in (("d1", "m1", "y1"), ("d2", "m2", "y2"),
                                         (None, "m3", "y3")):
        if g[month_key]:
            number = month_number(g[month_key], langs)
            if number is None:
                return None
            day_text = g[day_key] if day_key else None
            return _valid(int(g[year_key]) if g[year_key] else None, number,
                          int(day_text) if day_text else None)
    return None


def _valid(year: int | None, month: int, day: int | None) -> Date | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return Date(year, month, day)
