"""Numbers in one segment's text: digits read with the locale's conventions, scale words,
percent, times of day, spelled numbers (see `pipeline.checks.extract` for the rules).

`Number` is what the extractors give and the checks compare (`Number.key`);
`parse_number` reads a token of digits and separators through Babel. `number_at`,
`times_of_day` and `spelled_numbers` are the pieces `pipeline.checks.extract.scan`
puts together with the dates; `number_words` finds lone number words (hints, not
numbers). The words themselves (scale words, number words, percent words) are
`pipeline.checks.lexicon`'s. Pure, no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from babel.numbers import NumberFormatError, parse_decimal

from pipeline.checks.datefind import inside
from pipeline.checks.lexicon import (
    HALF_AFTER,
    HALF_BEFORE,
    ONE_BEFORE_SCALE,
    Around,
    base_lang,
    lexicon,
    locale_of,
    lowercase,
)


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


_BEFORE_PERCENT = frozenset("% \u00a0\t\n")

# A time of day: 9:00, 09:00, 16:00:30, 9:00 am, 4 p.m., 12:30PM (not 3:1, 16:9, 1:2:3 ratios).
_TIME = re.compile(
    r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)(?::[0-5]\d)?)?(?![\d:]|[.,]\d)"
    r"(?:[ \u00a0]?(?P<ampm>[ap])\.?[ \u00a0]?m\b\.?)?",
    re.IGNORECASE,
)
# What every time `_TIME` gives needs: minutes (a digit, ":", two digits) or am/pm after
# the hour's digit; a text without either has none, and `_TIME` is not run over it.
# Each probe starts with a literal (":", "m", "M"), which the regex engine skips to
# quickly, and looks behind it: far cheaper than a search starting at every digit.
def _after_hour(m: str) -> str:
    return "|".join(rf"(?<=\d{space}[apAP]{dot}{space2}{m})"
                    for space in ("", "[ \u00a0]") for dot in ("", r"\.")
                    for space2 in ("", "[ \u00a0]"))


_MINUTES = re.compile(r":(?<=\d:)[0-5]\d")
_MERIDIEM = (re.compile(rf"m\b(?:{_after_hour('m')})"), re.compile(rf"M\b(?:{_after_hour('M')})"))


def may_hold_time(text: str) -> bool:
    """Whether ``text`` can hold a time of day `times_of_day` reads (see `_MINUTES`)."""
    return bool((":" in text and _MINUTES.search(text))
                or ("m" in text and _MERIDIEM[0].search(text))
                or ("M" in text and _MERIDIEM[1].search(text)))


def times_of_day(text: str, hidden: list[tuple[int, int]]) -> list[Number]:
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


def number_at(text: str, start: int, end: int, lang: str, context: Around) -> Number:
    token = text[start:end]
    value = parse_number(token, lang)
    if (end == len(text) or not (text[end] == "%" or text[end].isspace())) \
            and not (start and text[start - 1] in _BEFORE_PERCENT):
        # Nothing can stand beside it: each part of `after` starts with a space or "%",
        # `before` ends with one. Most numbers in the prose, done without a regex.
        return Number(value, token, start, end)
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


def spelled_numbers(text: str, lang: str, hidden: list[tuple[int, int]]) -> list[Number]:
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
