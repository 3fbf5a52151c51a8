"""Locale data for the extractors: case folding, number and month words, from Babel's CLDR.

Pure; every table is built once per language and cached. Turkish gets what
Python's ``str.lower`` and plain regexes get wrong: the dotted/dotless i
(`fold`, `letters`) and case endings written without an apostrophe after a
number word (`turkish_endings`: ``4 milyona``, ``8 milyonun``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import get_date_format, get_month_names

from pipeline.languages import known, language


def base_lang(lang: str) -> str:
    """``pt_BR`` -> ``pt``."""
    found = known(lang)
    return found.base if found else lang.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=64)
def locale_of(lang: str) -> Locale:
    """The language's Babel locale; English's for a tag Babel does not know."""
    found = known(lang)
    return found.locale if found else language("en").locale


def _dotted_i(lang: str) -> bool:
    found = known(lang)
    return found.dotted_i if found else False


def lowercase(text: str, lang: str) -> str:
    """Lower-case ``text`` by the language's rules (Turkish and Azeri: İ -> i, I -> ı).

    See `pipeline.languages.Language.lower`.
    """
    found = known(lang)
    return found.lower(text) if found else text.lower()


def letter(char: str, lang: str) -> str:
    """A regex atom matching ``char`` in either case, with the Turkish i/ı rule."""
    if char in "iİıI" and _dotted_i(lang):
        return "[iİ]" if char in "iİ" else "[ıI]"
    low, up = char.lower(), char.upper()
    if low == up or len(low) != 1 or len(up) != 1:
        return re.escape(char)
    return f"[{re.escape(low)}{re.escape(up)}]"


def letters(word: str, lang: str, *, keep_first: bool = False) -> list[str]:
    """Regex atoms for ``word`` in any case; ``keep_first`` keeps a capital first letter."""
    atoms = [letter(c, lang) for c in word]
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
ONE_BEFORE_SCALE = {"en": ("a", "an")}  # "a million"
HALF_AFTER = {"en": r"and\s+a\s+half", "tr": "buçuk"}  # "bir buçuk milyon"
HALF_BEFORE = {"en": r"half\s+an?", "tr": "yarım"}  # "yarım milyon", "half a million"
_PERCENT_WORDS = {"en": ("percent", "per cent"), "tr": ("yüzde",)}


@dataclass(frozen=True)
class Lexicon:
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
def lexicon(lang: str) -> Lexicon:
    base = base_lang(lang)
    locale = locale_of(lang)
    scale: dict[str, int] = {}
    for plural_form in locale.compact_decimal_formats.get("long", {}).values():
        for magnitude, pattern in plural_form.items():
            zeros = pattern.pattern.count("0")
            word = re.sub(r"[0#.,'\s\u00a0]+", " ", pattern.pattern).strip()
            if word and zeros and " " not in word:
                scale[lowercase(word, lang)] = int(magnitude) // 10 ** (zeros - 1)
    scale_re = "|".join(
        "".join(letters(w, lang)) + (turkish_endings(w) if base == "tr" else r"(?!\w)")
        for w in sorted(scale, key=len, reverse=True)
    ) or "(?!)"
    percent_words = "|".join(
        r"\s+".join("".join(letters(p, lang)) for p in w.split()) for w in
        _PERCENT_WORDS.get(base, ())
    ) or "(?!)"
    words = {lowercase(w, lang): v for w, v in _NUMBER_WORDS.get(base, {}).items()}
    spelled = lone = None
    if words and scale:
        atoms = [letters(w, lang) for w in [*words, *ONE_BEFORE_SCALE.get(base, ())]]
        word = f"(?:{trie_regex(atoms)})(?!\\w)"
        spelled = re.compile(
            rf"(?<!\w)(?P<words>(?i:{HALF_BEFORE.get(base, '(?!)')})|{word}"
            rf"(?:[\s-]+(?:(?i:and)\s+)?{word})*(?:\s+(?i:{HALF_AFTER.get(base, '(?!)')}))?)"
            rf"\s+(?P<scale>{scale_re})"
        )
        lone = re.compile(rf"(?<!\w)(?:{trie_regex([letters(w, lang) for w in words])})(?!\w)")
    # Cheap substring tests before any regex: a word's tail in lower and upper case
    # ("ilyon", "ILYON"), or the whole word for short ones ("bin", "Bin", "BIN").
    probes: set[str] = set()
    for w in scale:
        probes.update((w[1:], w[1:].upper()) if len(w) > 3 else (w, w.capitalize(), w.upper()))
    probes = {p for p in probes if not any(q != p and q in p for q in probes)}
    try:
        decimal = locale.number_symbols["latn"]["decimal"]
    except (KeyError, TypeError):
        decimal = "."
    return Lexicon(
        decimal=decimal,
        scale=scale,
        scale_probes=tuple(sorted(probes)),
        scale_re=scale_re,
        percent_re=percent_words,
        spelled=spelled,
        lone=lone,
        words=words,
    )


@dataclass(frozen=True)
class Around:
    """What may stand around a number's digits, in any of several languages."""

    langs: tuple[str, ...]
    after: re.Pattern[str]  # percent sign, scale word, percent word
    before: re.Pattern[str]  # "%", "yüzde "


@lru_cache(maxsize=64)
def around(langs: tuple[str, ...]) -> Around:
    lexicons = [lexicon(lang) for lang in langs]
    scale = "|".join(lex.scale_re for lex in lexicons)
    percent = "|".join(lex.percent_re for lex in lexicons)
    after = re.compile(
        rf"(?P<pct>[ \u00a0]?%)?(?:\s+(?P<scale>{scale}))?(?:\s+(?P<pword>{percent})(?!\w))?"
    )
    before = re.compile(rf"(?:%[ \u00a0]?|(?<!\w)(?:{percent})\s+)\Z")
    return Around(langs, after, before)


@lru_cache(maxsize=64)
def months(langs: tuple[str, ...]) -> tuple[dict[str, int], str]:
    """Folded month name -> number, and one regex of all the names, for ``langs``."""
    names: dict[str, int] = {}
    atoms: dict[tuple[str, ...], None] = {}
    for lang in langs:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, raw in get_month_names(width, context, locale_of(lang)).items():
                    name = raw.rstrip(".")
                    if len(name) < 3 or not name.isalpha():
                        continue
                    names.setdefault(lowercase(name, lang), number)
                    atoms[(*letters(name, lang, keep_first=True), r"\.?")] = None
                    # Abbreviations with a dot: "Sept.", "Febr.".
                    for cut in range(3, len(name) if width == "wide" else 0):
                        prefix = name[:cut]
                        names.setdefault(lowercase(prefix, lang) + ".", number)
                        atoms[(*letters(prefix, lang, keep_first=True), r"\.")] = None
    return names, trie_regex([list(a) for a in atoms])


def month_number(name: str, langs: tuple[str, ...]) -> int | None:
    names, _ = months(langs)
    for lang in langs:
        folded = lowercase(name, lang)
        bare = folded.rstrip(".")
        for key in (folded, bare, bare + "."):
            if key in names:
                return names[key]
    return None


@lru_cache(maxsize=64)
def month_first(lang: str) -> bool:
    """Whether the locale's short date pattern puts the month first (English: M/d/yy)."""
    pattern = get_date_format("short", locale=locale_of(lang)).pattern
    return pattern.find("M") < pattern.find("d")


@lru_cache(maxsize=256)
def langs_for(lang: str, also: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The text's language, English (citations keep English titles), and ``also``."""
    return tuple(dict.fromkeys((lang, "en", *also)))
