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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from babel.numbers import NumberFormatError, parse_decimal

from pipeline.checks.datefind import Date, find_dates, inside
from pipeline.checks.lexicon import (
    HALF_AFTER,
    HALF_BEFORE,
    ONE_BEFORE_SCALE,
    Around,
    around,
    base_lang,
    langs_for,
    lexicon,
    locale_of,
    lowercase,
)

__all__ = [
    "Date", "Number", "Scan", "clean_url", "digit_positions", "extract_dates",
    "extract_numbers", "extract_urls", "format_decimal", "has_digit", "hidden_spans", "mask",
    "number_words", "parse_number", "scan", "url_spans",
]

# --- spans that never hold numbers or dates -------------------------------------------------

_URL = r"""(?:(?:https?|ftp)://|www\.)[^\s<>"“”‘’`\\]+"""
_EMAIL = r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# (trigger substrings, pattern): a pattern runs only when a trigger occurs in the text.
_HIDDEN: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("`",), _CODE),
    (("://", "www."), re.compile(_URL)),
    (("@",), re.compile(_EMAIL)),
    (("[^",), re.compile(r"\[\^[^\]\s]+\]")),  # footnote reference
    (("](",), re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")),  # link target
    (("<",), re.compile(r"</?[A-Za-z][^<>]*>")),  # HTML tag
    (("&",), re.compile(r"&#?\w+;")),  # HTML entity
    (("%",), re.compile(  # printf placeholders: %(name)s %s %1$s %5.2f
        r"%\(\w+\)[#0 +-]?\d*(?:\.\d+)?[sdifgexXr]|%\d+\$[sdif]|%[-+ 0#]*\d*(?:\.\d+)?[sdifgexX]"
    )),
    (("{",), re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|\{#[^}]*\}")),  # {0} {#id}
)


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """Spans of code, URLs, e-mails, footnote refs, link targets, tags and placeholders."""
    spans: list[tuple[int, int]] = []
    for triggers, pattern in _HIDDEN:
        for trigger in triggers:
            if trigger in text:
                spans.extend(m.span() for m in pattern.finditer(text))
                break
    spans.sort()
    return spans


def mask(text: str) -> str:
    """``text`` with its `hidden_spans` turned into spaces (same length, positions kept)."""
    for start, end in reversed(hidden_spans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def digit_positions(text: str) -> list[int]:
    """Positions of the ASCII digits of ``text``, sorted (ten substring searches, no regex)."""
    found: list[int] = []
    find = text.find
    for digit in "0123456789":
        at = find(digit)
        while at >= 0:
            found.append(at)
            at = find(digit, at + 1)
    found.sort()
    return found


def has_digit(text: str) -> bool:
    """Whether ``text`` holds an ASCII digit."""
    return any(d in text for d in "0123456789")


def _runs(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """Maximal ``[0-9]+([.,][0-9]+)*`` runs, from sorted digit positions."""
    runs = []
    start = prev = positions[0]
    for at in positions[1:]:
        if at == prev + 1 or (at == prev + 2 and text[prev + 1] in ".,"):
            prev = at
            continue
        runs.append((start, prev + 1))
        start = prev = at
    runs.append((start, prev + 1))
    return runs


# --- numbers ------------------------------------------------------------------------------------


class Number(NamedTuple):
    """A number found in a text.

    ``value``: the normalised value (scale words applied), or None for a literal
    such as a version number (then compare ``text``). ``text``: as written.
    ``start``/``end``: its span in the text. ``percent``: written with a percent
    sign or word. ``spelled``: written in words (``dört milyon``). ``clock``: a
    time of day as 24-hour ``HH:MM`` (``4:00 pm`` and ``16:00`` are ``16:00``;
    then ``value`` is None).
    """

    value: Decimal | None
    text: str
    start: int
    end: int
    percent: bool = False
    spelled: bool = False
    clock: str | None = None

    @property
    def key(self) -> Decimal | str:
        """What two numbers are compared by: the value, the time of day, or the literal text."""
        if self.clock is not None:
            return "time " + self.clock
        return self.value if self.value is not None else self.text

    def show(self) -> str:
        """``“1,5 milyon” (1500000)``: the text, and the value when it reads differently."""
        if self.clock is not None:
            return f"“{self.text}”" if self.text == self.clock else f"“{self.text}” ({self.clock})"
        if self.value is None or self.text == format_decimal(self.value):
            return f"“{self.text}”"
        return f"“{self.text}” ({format_decimal(self.value)})"


def format_decimal(value: Decimal) -> str:
    """A plain rendering of a value: no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=8192)
def parse_number(token: str, lang: str) -> Decimal | None:
    """``token`` (digits and separators) read with ``lang``'s conventions, else the other one.

    Babel with ``strict=True``: ``1,5`` is 1.5 in Turkish, ``1.500`` is 1500;
    ``1.5`` (not valid Turkish) is read the English way. None when neither
    reading is valid (``3.8.1``): a literal.
    """
    if token.isdigit():
        return Decimal(token)
    other = "en" if lexicon(lang).decimal == "," else "tr"
    for locale in (lang, other):
        try:
            return parse_decimal(token, locale=locale_of(locale), strict=True).normalize()
        except (NumberFormatError, InvalidOperation):
            continue
    return None


@dataclass(frozen=True)
class Scan:
    """The numbers and the dates of one text (dates with their spans)."""

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
        found += _spelled(text, lang, hidden)
    dates: list[tuple[int, int, Date]] = []
    if positions:
        runs = [r for r in _runs(text, positions) if not inside(hidden, r[0])]
        if ":" in text or _MERIDIEM_PROBE.search(text):
            times = _times(text, hidden)
            found += times
            runs = [r for r in runs if not any(t.start <= r[0] < t.end for t in times)]
        dates = find_dates(text, runs, lang, langs, hidden)
        taken = [(s, e) for s, e, _ in dates] + [(n.start, n.end) for n in found]
        context = around(langs)
        for start, end in runs:
            if start and (text[start - 1].isalpha() or text[start - 1] == "_"):
                continue  # inside a word: x86, H2O, v2
            if any(s <= start < e for s, e in taken):
                continue
            found.append(_number_at(text, start, end, lang, context))
    found.sort(key=lambda n: n.start)
    return Scan(tuple(found), tuple(dates))


_BEFORE_PERCENT = frozenset("% \u00a0\t\n")

# A time of day: 9:00, 09:00, 16:00:30, 9:00 am, 4 p.m., 12:30PM (not 3:1, 16:9, 1:2:3 ratios).
_TIME = re.compile(
    r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)(?::[0-5]\d)?)?(?![\d:]|[.,]\d)"
    r"(?:[ \u00a0]?(?P<ampm>[ap])\.?[ \u00a0]?m\b\.?)?",
    re.IGNORECASE,
)
_MERIDIEM_PROBE = re.compile(r"\d[ \u00a0]?[apAP]\.?[ \u00a0]?[mM]\b")


def _times(text: str, hidden: list[tuple[int, int]]) -> list[Number]:
    """Times of day (``9:00 am``, ``16:00``), each one value; a bare hour only with am/pm."""
    out = []
    for m in _TIME.finditer(text):
        hour, minute, ampm = int(m.group("h")), m.group("m"), m.group("ampm")
        if (minute is None and ampm is None) or inside(hidden, m.start()):
            continue
        if ampm is not None:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
        clock = f"{hour:02d}:{minute or '00'}"
        out.append(Number(None, m.group().strip(), m.start(), m.end(), clock=clock))
    return out


def _number_at(text: str, start: int, end: int, lang: str, context: Around) -> Number:
    value = parse_number(text[start:end], lang)
    after = context.after.match(text, end)
    assert after is not None  # every part of it is optional
    percent = bool(after.group("pct") or after.group("pword"))
    if after.group("scale") and value is not None:
        value = (value * _scale_of(after.group("scale"), context.langs)).normalize()
    before = None
    if start and text[start - 1] in _BEFORE_PERCENT:  # "%50", "% 50", "yüzde 50"
        before = context.before.search(text, max(0, start - 12), start)
    if before is not None:
        percent, start = True, before.start()
    end = max(end, after.end())
    return Number(value, text[start:end].strip(), start, end, percent=percent)


def _spelled(text: str, lang: str, hidden: list[tuple[int, int]]) -> list[Number]:
    """Spelled numbers, searched only in windows before the scale words' probes."""
    lex = lexicon(lang)
    assert lex.spelled is not None
    windows: list[list[int]] = []
    for probe in lex.scale_probes:
        at = text.find(probe)
        while at >= 0:
            windows.append([max(0, at - 80), at + len(probe) + 20])
            at = text.find(probe, at + 1)
    windows.sort()
    merged: list[list[int]] = []
    for window in windows:
        if merged and window[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], window[1])
        else:
            merged.append(window)
    out = []
    for lo, hi in merged:
        for m in lex.spelled.finditer(text, lo, min(hi, len(text))):
            if inside(hidden, m.start()):
                continue
            value = _spelled_value(m.group("words"), lang)
            if value is not None:
                value = (value * _scale_of(m.group("scale"), (lang,))).normalize()
                out.append(Number(value, m.group(), m.start(), m.end(), spelled=True))
    return out


def _spelled_value(words: str, lang: str) -> Decimal | None:
    """The value of the number words before a scale word (``iki yüz elli`` -> 250)."""
    lex = lexicon(lang)
    base = base_lang(lang)
    folded = lowercase(words, lang)
    if re.fullmatch(HALF_BEFORE.get(base, "(?!)"), folded):
        return Decimal("0.5")
    half = re.search(rf"\s+(?:{HALF_AFTER.get(base, '(?!)')})$", folded)
    if half:
        folded = folded[: half.start()]
    total = Decimal(0)
    for token in re.split(r"[\s-]+", folded):
        if token == "and" and base == "en":
            continue
        if token in ONE_BEFORE_SCALE.get(base, ()):
            total += 1
        elif token in lex.words:
            value = lex.words[token]
            total = (total or Decimal(1)) * value if value == 100 else total + value
        else:
            return None
    return total + (Decimal("0.5") if half else 0)


def _scale_of(word: str, langs: tuple[str, ...]) -> int:
    for lang in langs:
        folded = lowercase(word, lang)
        scale = lexicon(lang).scale
        for scale_word in sorted(scale, key=len, reverse=True):
            if folded.startswith(scale_word):
                return scale[scale_word]
    return 1


def extract_numbers(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Number]:
    """The numbers of ``text`` in ``lang``, in order (see the module docstring)."""
    return list(scan(text, lang, also=also).numbers)


def number_words(text: str, lang: str) -> list[Number]:
    """Lone number words (``üç``, ``three``) in ``text``: hints, not numbers (``spelled=True``).

    Too ambiguous to count as numbers (``bir`` is also the Turkish article),
    they only tell a checker that the text may have spelled a number out.
    """
    lex = lexicon(lang)
    if lex.lone is None:
        return []
    return [
        Number(Decimal(lex.words[lowercase(m.group(), lang)]), m.group(), m.start(), m.end(),
               spelled=True)
        for m in lex.lone.finditer(text)
    ]


# --- dates --------------------------------------------------------------------------------------


def extract_dates(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Date]:
    """The dates of ``text`` in ``lang``, in order (see the module docstring)."""
    return [date for _, _, date in scan(text, lang, also=also).dates]


# --- URLs ---------------------------------------------------------------------------------------

_URL_OR_EMAIL = re.compile(rf"{_URL}|{_EMAIL}")
_TRAILING = ".,;:!?'\"’”*_"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


def extract_urls(text: str) -> list[str]:
    """The URLs and e-mail addresses of ``text``, normalised, in order."""
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    if "`" in text:  # not in code spans
        text = _CODE.sub(lambda m: " " * len(m.group()), text)
    return [u for u in (clean_url(m.group()) for m in _URL_OR_EMAIL.finditer(text)) if u]


def url_spans(text: str) -> list[re.Match[str]]:
    """The raw matches `extract_urls` cleans (outside code spans), with their positions."""
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    if "`" in text:
        text = _CODE.sub(lambda m: " " * len(m.group()), text)
    return list(_URL_OR_EMAIL.finditer(text))


def clean_url(url: str) -> str:
    """Cut at an unbalanced closer, trim sentence punctuation; lower-case scheme and host.

    ``[text](https://a.example/)'nın`` gives ``https://a.example/``: the link's
    ``)`` closes nothing inside the URL; ``Foo_(bar)`` keeps its balanced one.
    """
    depth = {"(": 0, "[": 0}
    for i, char in enumerate(url):
        if char in depth:
            depth[char] += 1
        elif char in ")]":
            opener = _CLOSERS[char]
            if depth[opener] == 0:
                url = url[:i]
                break
            depth[opener] -= 1
    while url and url[-1] in _TRAILING + ")]}>":
        closer = _CLOSERS.get(url[-1])
        if closer and url.count(closer) >= url.count(url[-1]):
            break
        url = url[:-1]
    if "://" not in url and not url.startswith("www."):
        return url.removeprefix("mailto:").lower() if "@" in url else ""
    scheme, sep, rest = url.partition("://") if "://" in url else ("", "", url)
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"
