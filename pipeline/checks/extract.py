"""Locale-aware extraction of numbers, dates and URLs from one segment's text.

A stable API (the drift checks and the aligner use it); pure, no I/O.

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
    the languages in ``also`` (a Turkish citation often keeps an
    English title with "June 2014" in it). A month name alone (``in May``)
    is not a date. Numeric dates are day-first unless only month-first
    makes sense, or the separator is ``/`` and the locale writes month first.

``extract_urls(text) -> list[str]``
    URLs (``http(s)://``, ``www.``) and e-mail addresses, normalised:
    scheme and host lower-cased, ``mailto:`` dropped, trailing sentence
    punctuation and unbalanced closing brackets removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import get_date_format, get_month_names
from babel.numbers import NumberFormatError, parse_decimal

# Speed matters (9,000 segments in well under a second): every scan is guarded by a cheap
# substring test, and the expensive patterns run only in windows around digits.

# --- spans that never hold numbers or dates -------------------------------------------------

_URL = r"""(?:(?:https?|ftp)://|www\.)[^\s<>"“”‘’`\\]+"""
_EMAIL = r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# (trigger substring, pattern): a pattern runs only when its trigger occurs in the text.
_MASKS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("`",), re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)),  # code span
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


def mask(text: str) -> str:
    """``text`` with code, URLs, e-mails, footnote refs, link targets, tags, placeholders blanked.

    Same length as ``text`` (characters become spaces), so positions stay valid.
    """
    for triggers, pattern in _MASKS:
        if any(t in text for t in triggers):
            text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def has_digit(text: str) -> bool:
    """Whether ``text`` holds an ASCII digit (ten substring tests beat one regex scan)."""
    return any(d in text for d in "0123456789")


# --- locale data ------------------------------------------------------------------------------


def base_lang(lang: str) -> str:
    """``pt_BR`` -> ``pt``."""
    return lang.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def fold(text: str, lang: str) -> str:
    """Lower-case ``text`` by the language's rules (Turkish and Azeri: İ -> i, I -> ı).

    Python's ``"İ".lower()`` is "i̇" (two characters) and ``"I".lower()`` is "i",
    both wrong for Turkish.
    """
    if base_lang(lang) in ("tr", "az"):
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower()


def _letter(char: str, lang: str) -> str:
    """A regex atom matching ``char`` in either case, with the Turkish i/ı rule."""
    if base_lang(lang) in ("tr", "az") and char in "iİıI":
        return "[iİ]" if char in "iİ" else "[ıI]"
    low, up = char.lower(), char.upper()
    if low == up or len(low) != 1 or len(up) != 1:
        return re.escape(char)
    return f"[{re.escape(low)}{re.escape(up)}]"


def letters(word: str, lang: str, *, keep_first: bool = False) -> list[str]:
    """Regex atoms for ``word`` in any case; ``keep_first`` keeps a capital first letter."""
    atoms = [_letter(c, lang) for c in word]
    if keep_first and word[:1].isupper():
        atoms[0] = re.escape(word[0])
    return atoms


def trie_regex(words: list[list[str]]) -> str:
    """One regex for many words (each a list of atoms), shared prefixes factored out.

    A plain alternation is tried alternative by alternative at every position;
    the trie is tried once per position, which is what makes month names cheap.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for atoms in words:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def render(node: dict) -> str:  # type: ignore[type-arg]
        branches = [atom + render(child) for atom, child in node.items() if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(root)


# Turkish attaches case endings to a number word without an apostrophe ("4 milyona");
# the vowels follow the word's last vowel (harmony), so "bin" + "a" ("bina", a building)
# is not a case form of "bin" (that is "bine").
_BACK, _FRONT = "aıou", "eiöü"


def turkish_endings(word: str) -> str:
    """A regex of the nominal endings ``word`` can take (harmony-aware), apostrophe or not."""
    vowels = [c for c in word.lower() if c in _BACK + _FRONT]
    last = vowels[-1] if vowels else "e"
    a = "a" if last in _BACK else "e"
    i = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}[last]
    endings = [
        i, a, f"{i}n", f"n{i}n", f"d{a}", f"t{a}", f"d{a}n", f"t{a}n", f"d{a}ki", f"t{a}ki",
        f"l{a}", f"y{a}", f"y{i}", f"{i}nd{a}", f"{i}nd{a}n", f"{i}n{a}", f"{i}yl{a}",
        f"yl{a}", f"c{a}", f"d{i}r", f"t{i}r", f"l{i}k",
    ]
    endings.sort(key=len, reverse=True)
    return rf"(?:['’]\w+|(?:{'|'.join(endings)}))?(?!\w)"


# Number words: English and Turkish only (Babel has no CLDR spell-out rules).
_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    },
    "tr": {
        "sıfır": 0, "bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7,
        "sekiz": 8, "dokuz": 9, "on": 10, "yirmi": 20, "otuz": 30, "kırk": 40, "elli": 50,
        "altmış": 60, "yetmiş": 70, "seksen": 80, "doksan": 90, "yüz": 100,
    },
}
_ONE_BEFORE_SCALE = {"en": ("a", "an")}  # "a million"
_HALF_AFTER = {"en": r"and\s+a\s+half", "tr": "buçuk"}  # "bir buçuk milyon"
_HALF_BEFORE = {"en": r"half\s+an?", "tr": "yarım"}  # "yarım milyon", "half a million"
_PERCENT_WORDS = {"en": ("percent", "per cent"), "tr": ("yüzde",)}


@dataclass(frozen=True)
class _Lexicon:
    """What a language writes around numbers, from Babel's CLDR data (plus word lists)."""

    decimal: str
    scale: dict[str, int]  # folded scale word ("milyon") -> multiplier
    scale_probes: tuple[str, ...]  # substrings that must occur for a scale word to be there
    scale_re: str  # scale words with their endings
    percent_re: str  # percent words ("yüzde", "per cent")
    spelled: re.Pattern[str] | None  # number words + scale word
    lone: re.Pattern[str] | None  # a lone number word
    words: dict[str, int]


@lru_cache(maxsize=64)
def _lexicon(lang: str) -> _Lexicon:
    base = base_lang(lang)
    locale = _locale(lang)
    scale: dict[str, int] = {}
    for plural_form in locale.compact_decimal_formats.get("long", {}).values():
        for magnitude, pattern in plural_form.items():
            zeros = pattern.pattern.count("0")
            word = re.sub(r"[0#.,'\s\u00a0]+", " ", pattern.pattern).strip()
            if word and zeros and " " not in word:
                scale[fold(word, lang)] = int(magnitude) // 10 ** (zeros - 1)
    ending = (lambda w: turkish_endings(w)) if base == "tr" else (lambda w: r"(?!\w)")
    scale_re = "|".join(
        "".join(letters(w, lang)) + ending(w) for w in sorted(scale, key=len, reverse=True)
    ) or "(?!)"
    percent_words = "|".join(
        r"\s+".join("".join(letters(p, lang)) for p in w.split()) for w in
        _PERCENT_WORDS.get(base, ())
    ) or "(?!)"
    words = {fold(w, lang): v for w, v in _NUMBER_WORDS.get(base, {}).items()}
    spelled = lone = None
    if words and scale:
        atoms = [letters(w, lang) for w in [*words, *_ONE_BEFORE_SCALE.get(base, ())]]
        word = f"(?:{trie_regex(atoms)})(?!\\w)"
        spelled = re.compile(
            rf"(?<!\w)(?P<words>(?i:{_HALF_BEFORE.get(base, '(?!)')})|{word}"
            rf"(?:[\s-]+(?:(?i:and)\s+)?{word})*(?:\s+(?i:{_HALF_AFTER.get(base, '(?!)')}))?)"
            rf"\s+(?P<scale>{scale_re})"
        )
        lone = re.compile(rf"(?<!\w)(?:{trie_regex([letters(w, lang) for w in words])})(?!\w)")
    probes = tuple({p for w in scale for p in (w, w.capitalize(), w.upper())})
    try:
        decimal = locale.number_symbols["latn"]["decimal"]
    except (KeyError, TypeError):
        decimal = "."
    return _Lexicon(
        decimal=decimal,
        scale=scale,
        scale_probes=probes,
        scale_re=scale_re,
        percent_re=percent_words,
        spelled=spelled,
        lone=lone,
        words=words,
    )


@dataclass(frozen=True)
class _Around:
    """What may stand around a number's digits, in any of several languages."""

    langs: tuple[str, ...]
    after: re.Pattern[str]  # percent sign, scale word, percent word
    before: re.Pattern[str]  # "%", "yüzde "


@lru_cache(maxsize=64)
def _around(langs: tuple[str, ...]) -> _Around:
    lexicons = [_lexicon(lang) for lang in langs]
    scale = "|".join(lex.scale_re for lex in lexicons)
    percent = "|".join(lex.percent_re for lex in lexicons)
    after = re.compile(
        rf"(?P<pct>[ \u00a0]?%)?(?:\s+(?P<scale>{scale}))?(?:\s+(?P<pword>{percent})(?!\w))?"
    )
    before = re.compile(rf"(?:%[ \u00a0]?|(?<!\w)(?:{percent})\s+)\Z")
    return _Around(langs, after, before)


# --- numbers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number found in a text.

    ``value``: the normalised value (scale words applied), or None for a literal
    such as a version number (then compare ``text``). ``text``: as written.
    ``start``/``end``: its span in the text. ``percent``: written with a percent
    sign or word. ``spelled``: written in words (``dört milyon``).
    """

    value: Decimal | None
    text: str
    start: int
    end: int
    percent: bool = False
    spelled: bool = False

    @property
    def key(self) -> Decimal | str:
        """What two numbers are compared by: the value, or the literal text."""
        return self.value if self.value is not None else self.text

    def show(self) -> str:
        """``“1,5 milyon” (1500000)``: the text, and the value when it reads differently."""
        if self.value is None or self.text == format_decimal(self.value):
            return f"“{self.text}”"
        return f"“{self.text}” ({format_decimal(self.value)})"


def format_decimal(value: Decimal) -> str:
    """A plain rendering of a value: no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


@lru_cache(maxsize=8192)
def parse_number(token: str, lang: str) -> Decimal | None:
    """``token`` (digits and separators) read with ``lang``'s conventions, else the other one.

    Babel with ``strict=True``: ``1,5`` is 1.5 in Turkish, ``1.500`` is 1500;
    ``1.5`` (not valid Turkish) is read the English way. None when neither
    reading is valid (``3.8.1``): a literal.
    """
    if token.isdigit():
        return Decimal(token)
    other = "en" if _lexicon(lang).decimal == "," else "tr"
    for locale in (lang, other):
        try:
            return parse_decimal(token, locale=_locale(locale), strict=True).normalize()
        except (NumberFormatError, InvalidOperation):
            continue
    return None


def extract_numbers(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Number]:
    """The numbers of ``text`` in ``lang``, in order (see the module docstring)."""
    lex = _lexicon(lang)
    digits = has_digit(text)
    spelled_possible = lex.spelled is not None and any(p in text for p in lex.scale_probes)
    if not digits and not spelled_possible:
        return []
    blanked = mask(text)
    found: list[Number] = []
    if spelled_possible and lex.spelled is not None:
        for m in lex.spelled.finditer(blanked):
            value = _spelled_value(m.group("words"), lang)
            if value is not None:
                value = (value * _scale_of(m.group("scale"), (lang,))).normalize()
                found.append(Number(value, m.group(), m.start(), m.end(), spelled=True))
    if digits:
        tokens = list(_TOKEN.finditer(blanked))
        dates = [(s, e) for s, e, _ in _date_matches(blanked, lang, also, tokens)]
        taken = dates + [(n.start, n.end) for n in found]
        around = _around(_langs(lang, also))
        for m in tokens:
            start = m.start()
            if start and (blanked[start - 1].isalpha() or blanked[start - 1] == "_"):
                continue  # inside a word: x86, H2O, v2
            if any(s <= start < e for s, e in taken):
                continue
            found.append(_number_at(m, blanked, lang, around))
    found.sort(key=lambda n: n.start)
    return found


def _number_at(m: re.Match[str], text: str, lang: str, around: _Around) -> Number:
    start, end = m.span()
    value = parse_number(m.group(), lang)
    after = around.after.match(text, end)
    assert after is not None  # every part of it is optional
    percent = bool(after.group("pct") or after.group("pword"))
    if after.group("scale") and value is not None:
        value = (value * _scale_of(after.group("scale"), around.langs)).normalize()
    before = around.before.search(text, max(0, start - 12), start)
    if before is not None:
        percent, start = True, before.start()
    end = after.end() if after.end() > end else end
    return Number(value, text[start:end].strip(), start, end, percent=percent)


def _spelled_value(words: str, lang: str) -> Decimal | None:
    """The value of the number words before a scale word (``iki yüz elli`` -> 250)."""
    lex = _lexicon(lang)
    base = base_lang(lang)
    folded = fold(words, lang)
    if re.fullmatch(_HALF_BEFORE.get(base, "(?!)"), folded):
        return Decimal("0.5")
    half = re.search(rf"\s+(?:{_HALF_AFTER.get(base, '(?!)')})$", folded)
    if half:
        folded = folded[: half.start()]
    total = Decimal(0)
    for token in re.split(r"[\s-]+", folded):
        if token == "and" and base == "en":
            continue
        if token in _ONE_BEFORE_SCALE.get(base, ()):
            total += 1
        elif token in lex.words:
            value = lex.words[token]
            total = (total or 1) * value if value == 100 else total + value
        else:
            return None
    return total + (Decimal("0.5") if half else 0)


def _scale_of(word: str, langs: tuple[str, ...]) -> int:
    for lang in langs:
        folded = fold(word, lang)
        scale = _lexicon(lang).scale
        for scale_word in sorted(scale, key=len, reverse=True):
            if folded.startswith(scale_word):
                return scale[scale_word]
    return 1


def number_words(text: str, lang: str) -> list[Number]:
    """Lone number words (``üç``, ``three``) in ``text``: hints, not numbers (``spelled=True``).

    Too ambiguous to count as numbers (``bir`` is also the Turkish article),
    they only tell a checker that the text may have spelled a number out.
    """
    lex = _lexicon(lang)
    if lex.lone is None:
        return []
    return [
        Number(Decimal(lex.words[fold(m.group(), lang)]), m.group(), m.start(), m.end(),
               spelled=True)
        for m in lex.lone.finditer(text)
    ]


# --- dates --------------------------------------------------------------------------------------


class Date(NamedTuple):
    """A normalised date; a part the text does not give is None."""

    year: int | None
    month: int | None
    day: int | None


@lru_cache(maxsize=64)
def _months(langs: tuple[str, ...]) -> tuple[dict[str, int], str]:
    """Folded month name -> number, and one regex of all the names, for ``langs``."""
    names: dict[str, int] = {}
    atoms: dict[tuple[str, ...], None] = {}
    for lang in langs:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, raw in get_month_names(width, context, _locale(lang)).items():
                    name = raw.rstrip(".")
                    if len(name) < 3 or not name.isalpha():
                        continue
                    names.setdefault(fold(name, lang), number)
                    atoms[(*letters(name, lang, keep_first=True), r"\.?")] = None
                    # Abbreviations with a dot: "Sept.", "Febr.".
                    for cut in range(3, len(name) if width == "wide" else 0):
                        prefix = name[:cut]
                        names.setdefault(fold(prefix, lang) + ".", number)
                        atoms[(*letters(prefix, lang, keep_first=True), r"\.")] = None
    return names, trie_regex([list(a) for a in atoms])


def _month_number(name: str, langs: tuple[str, ...]) -> int | None:
    names, _ = _months(langs)
    for lang in langs:
        folded = fold(name, lang)
        bare = folded.rstrip(".")
        for key in (folded, bare, bare + "."):
            if key in names:
                return names[key]
    return None


@lru_cache(maxsize=64)
def _date_pattern(langs: tuple[str, ...]) -> re.Pattern[str]:
    _, months = _months(langs)

    def month(g: str) -> str:
        return rf"(?P<{g}>{months})(?!\w)"

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


@lru_cache(maxsize=64)
def _month_first(lang: str) -> bool:
    """Whether the locale's short date pattern puts the month first (English: M/d/yy)."""
    pattern = get_date_format("short", locale=_locale(lang)).pattern
    return pattern.find("M") < pattern.find("d")


def _langs(lang: str, also: tuple[str, ...]) -> tuple[str, ...]:
    """The text's language, English (citations keep English titles), and ``also``."""
    return tuple(dict.fromkeys((lang, "en", *also)))


# How far a date reaches from its digits: "September 29" (month name before the digits).
_REACH = 24


def _date_matches(
    text: str, lang: str, also: tuple[str, ...], tokens: list[re.Match[str]] | None = None
) -> list[tuple[int, int, Date]]:
    """(start, end, date) of each date in ``text`` (already masked), searched near digits."""
    if tokens is None:
        if not has_digit(text):
            return []
        tokens = list(_TOKEN.finditer(text))
    langs = _langs(lang, also)
    pattern = _date_pattern(langs)
    windows: list[list[int]] = []
    for m in tokens:
        lo, hi = max(0, m.start() - _REACH), m.end() + _REACH
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out = []
    for lo, hi in windows:
        for match in pattern.finditer(text, lo, min(hi, len(text))):
            date = _to_date(match, lang, langs)
            if date is not None:
                out.append((match.start(), match.end(), date))
    return out


def _to_date(m: re.Match[str], lang: str, langs: tuple[str, ...]) -> Date | None:
    g = m.groupdict()
    if g["n1"]:
        a, b, y = int(g["n1"]), int(g["n2"]), int(g["n3"])
        if len(g["n3"]) == 2:
            if g["sep"] != "/":
                return None
            y += 2000 if y < 70 else 1900
        month_first = b > 12 or (a <= 12 and g["sep"] == "/" and _month_first(lang))
        day, month = (b, a) if month_first else (a, b)
        return _valid(y, month, day)
    if g["iy"]:
        return _valid(int(g["iy"]), int(g["im"]), int(g["id"]))
    for d, mo, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), (None, "m3", "y3")):
        if g[mo]:
            number = _month_number(g[mo], langs)
            if number is None:
                return None
            return _valid(int(g[y]) if g[y] else None, number, int(g[d]) if d and g[d] else None)
    return None


def _valid(year: int | None, month: int, day: int | None) -> Date | None:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return Date(year, month, day)


def extract_dates(text: str, lang: str, *, also: tuple[str, ...] = ()) -> list[Date]:
    """The dates of ``text`` in ``lang``, in order (see the module docstring)."""
    if not has_digit(text):
        return []
    return [date for _, _, date in _date_matches(mask(text), lang, also)]


# --- URLs ---------------------------------------------------------------------------------------

_URL_OR_EMAIL = re.compile(rf"{_URL}|{_EMAIL}")
_TRAILING = ".,;:!?'\"’”*_"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


def extract_urls(text: str) -> list[str]:
    """The URLs and e-mail addresses of ``text``, normalised, in order."""
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    if "`" in text:
        text = _MASKS[0][1].sub(lambda m: " " * len(m.group()), text)  # not in code spans
    return [u for u in (clean_url(m.group()) for m in _URL_OR_EMAIL.finditer(text)) if u]


def clean_url(url: str) -> str:
    """Trim sentence punctuation and unbalanced closers; lower-case scheme and host."""
    while url and url[-1] in _TRAILING + ")]}>":
        opener = _CLOSERS.get(url[-1])
        if opener and url.count(opener) >= url.count(url[-1]):
            break
        url = url[:-1]
    if "://" not in url and not url.startswith("www."):
        return url.removeprefix("mailto:").lower() if "@" in url else ""
    scheme, sep, rest = url.partition("://") if "://" in url else ("", "", url)
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"
