"""Locale-aware extraction of numbers, dates and URLs from one segment's text.

A stable API (the drift checks use it, and so does the aligner); pure, no I/O.

``extract_numbers(text, lang, *, also=()) -> list[Number]``
    Every number written in ``text``, parsed with ``lang``'s own conventions
    through Babel (``parse_decimal(..., strict=True)``): ``1,5`` is 1.5 in
    Turkish and ``1.500`` is 1500; ``1,500`` is 1500 in English. A token
    that is not valid in its own locale is read with the other convention
    (``1.5`` in a Turkish text is 1.5), and failing that kept as a literal
    (``3.8.1``, ``192.168.0.1``: ``value`` is None, compare ``text``).
    Scale words from Babel's CLDR compact patterns multiply the value
    (``1,5 milyon`` = ``1.5 million`` = 1500000), Turkish ones with their
    case suffixes (``4 milyona``, ``8 milyonun``). The percent sign may
    stand on either side (``%50`` = ``50%`` = 50, ``percent=True``), and so
    may ``yüzde``/``percent``. Ordinal endings (``21st``, ``21.``), Turkish
    suffixes after an apostrophe (``2021'de``) and hyphens (``post-2016``)
    do not change the value. Digits inside a word (``x86``, ``H2O``), in
    URLs, e-mail addresses, code spans, footnote references, link targets,
    HTML tags, gettext placeholders and dates (see `extract_dates`) are not
    numbers. Spelled numbers with a scale word (``dört milyon``, ``four
    million``, ``bir buçuk milyon``) are numbers with ``spelled=True``.
    Scale and percent words of English and of the languages in ``also`` are
    understood too (a Turkish citation of "10 Million Vandals").

``number_words(text, lang) -> list[Number]``
    Lone number words (``üç``, ``three``): too ambiguous to be numbers
    (``bir`` is also the Turkish article), but a hint that a number was
    spelled out. English and Turkish only.

``extract_dates(text, lang, *, also=()) -> list[Date]``
    Dates as ``Date(year, month, day)`` with None for a part not written:
    ``29.09.2021``, ``29/09/2021``, ``2021-09-29``, ``29 Eylül 2021``,
    ``September 29, 2021``, ``Sept. 29``, ``3 Ekim'de`` (year None),
    ``Mart 2021`` (day None). Month names are Babel's (wide, abbreviated,
    and abbreviation prefixes followed by a dot) for ``lang``, English, and
    the languages in ``also`` (a Turkish citation often keeps an English
    title with "June 2014" in it). A month name alone (``in May``) is not a
    date. Numeric dates are day-first unless only month-first makes sense,
    or the separator is ``/`` and the locale writes the month first.

``extract_urls(text) -> list[str]``
    URLs (``http(s)://``, ``www.``) and e-mail addresses, normalised:
    scheme and host lower-cased, ``mailto:`` dropped, trailing sentence
    punctuation and unbalanced closing brackets removed.

``scan(text, lang, *, also=()) -> Scan``
    Numbers and dates together, from one pass (what the checks call).

Speed matters (9,000 segments in about a second): digits are found with
substring searches, and the patterns only run at or near them.

The pieces live in `pipeline.checks.textscan` (the shared scanning: digits, spans that
hold no numbers), `pipeline.checks.numberfind` (numbers), `pipeline.checks.datefind`
(dates) and `pipeline.checks.urlfind` (URLs); this module puts numbers and dates
together (`scan`) and is where the names are imported from.
"""

from __future__ import annotations

from typing import NamedTuple

from pipeline.checks.datefind import Date, find_dates, inside
from pipeline.checks.lexicon import around, langs_for, lexicon
from pipeline.checks.numberfind import (
    Number,
    format_decimal,
    may_hold_time,
    number_at,
    number_words,
    parse_number,
    spelled_numbers,
    times_of_day,
)
from pipeline.checks.textscan import digit_positions, digit_runs, has_digit, hidden_spans, mask
from pipeline.checks.urlfind import clean_url, extract_urls, url_spans

__all__ = [
    "Date", "Number", "Scan", "clean_url", "digit_positions", "extract_dates",
    "extract_numbers", "extract_urls", "format_decimal", "has_digit", "hidden_spans", "mask",
    "number_words", "parse_number", "scan", "url_spans",
]


class Scan(NamedTuple):
    """The numbers and the dates of one text (dates with their spans).

    A named tuple, not a frozen dataclass: two are made for most segments, and a
    tuple is made several times faster.
    """

    numbers: tuple[Number, ...] = ()
    dates: tuple[tuple[int, int, Date], ...] = ()


_EMPTY = Scan()


def scan(text: str, lang: str, *, also: tuple[str, ...] = ()) -> Scan:
    """Numbers and dates of ``text`` in ``lang`` (see the module docstring), in order."""
    lex = lexicon(lang)
    positions = digit_positions(text)
    spelled_possible = False
    if lex.spelled is not None:
        for probe in lex.scale_probes:
            if probe in text:
                spelled_possible = True
                break
    if not positions and not spelled_possible:
        return _EMPTY
    hidden = hidden_spans(text)
    langs = langs_for(lang, also)
    found: list[Number] = []
    if spelled_possible:
        found += spelled_numbers(text, lang, hidden)
    dates: list[tuple[int, int, Date]] = []
    if positions:
        runs = digit_runs(text, positions)
        if hidden:
            runs = [r for r in runs if not inside(hidden, r[0])]
        if may_hold_time(text):
            times = times_of_day(text, hidden)
            found += times
            runs = [r for r in runs if not any(t.start <= r[0] < t.end for t in times)]
        dates = find_dates(text, runs, lang, langs, hidden)
        taken = [(s, e) for s, e, _ in dates] + [(n.start, n.end) for n in found]
        context = around(langs)
        for start, end in runs:
            if start and (text[start - 1].isalpha() or text[start - 1] == "_"):
                continue  # inside a word: x86, H2O, v2
            if taken and _in_any(taken, start):
                continue
            found.append(number_at(text, start, end, lang, context))
    found.sort(key=lambda n: n.start)
    return Scan(tuple(found), tuple(dates))


def _in_any(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` is in one of ``spans`` (a loop: `any` costs a generator)."""
    for start, end in spans:  # noqa: SIM110 (no generator: called for every number)
        if start <= position < end:
            return True
    return False


def extract_numbers(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Number]:
    """The numbers of ``text`` in ``lang``, in order (see the module docstring)."""
    return list(scan(text, lang, also=also).numbers)


def extract_dates(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Date]:
    """The dates of ``text`` in ``lang``, in order (see the module docstring)."""
    return [date for _, _, date in scan(text, lang, also=also).dates]
