"""Language tags: one parser, one value, for every command. Pure (Babel's CLDR data only).

`language` takes a BCP 47 tag (``pt-BR``, ``zh-Hant``, ``sr-Latn``, ``ar``)
or its POSIX/Babel spelling (``pt_BR``, ``zh_Hant``) and returns a
`Language`, or raises `UnknownLanguage` naming the tag. A tag is language
(2-3 letters), optional script (4 letters), optional region (2 letters or 3
digits); case is normalised (``PT_br`` -> ``pt-BR``), and Babel must have
locale data for it.

Which spelling goes where:

- ``Language.tag``, the canonical BCP 47 tag, is what the configuration
  stores, and so what bitext's own paths use (``source/pt-BR/``,
  ``locale/pt-BR/LC_MESSAGES/``, ``output/<doc>/<doc>.tr-pt-BR.html``), what
  ``status`` and messages show, and the HTML/EPUB ``lang`` attribute
  (``Language.html``).
- ``Language.gettext`` (``pt_BR``) is the PO header's ``Language:`` field,
  the form gettext's tools and translators' editors expect.
- For ``tr``, ``en`` and every plain language code the two are the same
  string, so their files are unchanged.

Babel is imported when a `Language` is made, not with this module: loading a
configuration only needs each tag's canonical spelling and whether Babel knows it
(`known_tag`), which a look for Babel's data file of that name answers (issue 16:
Babel's import is ~5 ms of every command's start).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.errors import BitextError

if TYPE_CHECKING:
    from babel import Locale

_TAG = re.compile(r"(?P<lang>[A-Za-z]{2,3})(?:[-_](?P<script>[A-Za-z]{4}))?"
                  r"(?:[-_](?P<region>[A-Za-z]{2}|[0-9]{3}))?")
# Latin alphabets with a dotted and a dotless i (İ/i, I/ı): Turkish, Azerbaijani,
# Crimean Tatar, Gagauz.
_DOTTED_I = frozenset({"tr", "az", "crh", "gag"})
# Provider-specific codes: DeepL's regional targets; Google's two Chinese scripts.
_DEEPL_TARGETS = frozenset({"EN-GB", "EN-US", "PT-BR", "PT-PT", "ZH-HANS", "ZH-HANT"})
_GOOGLE_CHINESE = {"Hans": "zh-CN", "Hant": "zh-TW", "CN": "zh-CN", "TW": "zh-TW",
                   "HK": "zh-TW", "MO": "zh-TW", "SG": "zh-CN"}


class UnknownLanguage(BitextError, ValueError):
    """A language tag that is not BCP 47, or that Babel has no locale data for."""

    def __init__(self, tag: object, *, why: str = ""):
        super().__init__(f"unknown language {tag!r}" + (f" ({why})" if why else "")
                         + "; give a BCP 47 tag such as 'en', 'pt-BR' or 'zh-Hant'")
        self.tag = tag


@dataclass(frozen=True)
class Language:
    """One language of a publication; compare and hash by ``tag``."""

    tag: str  # canonical BCP 47: "pt-BR", "zh-Hant", "tr"
    locale: Locale = field(compare=False, repr=False)

    def __str__(self) -> str:
        return self.tag

    @property
    def base(self) -> str:
        """The language subtag alone: ``pt-BR`` -> ``pt``."""
        return self.tag.split("-")[0]

    @property
    def script(self) -> str | None:
        return self.locale.script

    @property
    def region(self) -> str | None:
        parts = self.tag.split("-")[1:]
        return next((p for p in parts if len(p) != 4), None)

    @property
    def html(self) -> str:
        """The value of an HTML/EPUB ``lang`` (and ``xml:lang``) attribute."""
        return self.tag

    @property
    def gettext(self) -> str:
        """The PO header's ``Language:`` value: ``pt_BR``, ``zh_Hant``, ``tr``."""
        return self.tag.replace("-", "_")

    @property
    def rtl(self) -> bool:
        return bool(self.locale.character_order == "right-to-left")

    @property
    def direction(self) -> str:
        """``"rtl"`` or ``"ltr"`` (CLDR's character order)."""
        return "rtl" if self.rtl else "ltr"

    @property
    def name(self) -> str:
        """The English display name: "Portuguese (Brazil)"."""
        return self.display_name("en")

    def display_name(self, in_lang: str = "en") -> str:
        return str(self.locale.get_display_name(in_lang) or self.tag)

    @property
    def dotted_i(self) -> bool:
        """Whether the alphabet keeps İ/i and I/ı apart (Turkish, Azerbaijani, ...)."""
        return self.base in _DOTTED_I

    def lower(self, text: str) -> str:
        """``str.lower`` with the dotted/dotless i rule (``İ`` -> ``i``, ``I`` -> ``ı``).

        Python's ``"İ".lower()`` is "i̇" (two characters) and ``"I".lower()`` is
        "i", both wrong for Turkish.
        """
        if self.dotted_i:
            text = text.replace("İ", "i").replace("I", "ı")
        return text.lower()

    def fold(self, text: str) -> str:
        """``str.casefold`` (for matching) with the dotted/dotless i rule."""
        if self.dotted_i:
            text = text.replace("İ", "i").replace("I", "ı")
        return text.casefold()

    def mt_code(self, provider: str, *, target: bool = True) -> str:
        """The code machine-translation ``provider`` wants for this language.

        ``libre``: the base code (a self-hosted server decides what it has);
        ``deepl``: upper case, with the regional/script targets DeepL offers
        (``PT-BR``, ``ZH-HANT``) and the base code as source; ``google``: the
        base code, ``zh-CN``/``zh-TW`` for Chinese; ``mymemory``: the English
        language name ("portuguese"), with the script's ("chinese traditional"), or the
        tag itself when it names a region ("pt-BR").
        """
        if provider == "deepl":
            full = self.tag.upper()
            if target and full in _DEEPL_TARGETS:
                return full
            if target and self.base == "zh" and self.script in ("Hans", "Hant"):
                return f"ZH-{self.script.upper()}"
            return self.base.upper()
        if provider == "google":
            if self.base == "zh":
                for part in (*self.tag.split("-")[1:], self.script or ""):
                    if part in _GOOGLE_CHINESE:
                        return _GOOGLE_CHINESE[part]
                return "zh-CN"
            return self.base
        if provider == "mymemory":
            if self.region:
                return self.tag  # "pt-BR", "en-US": MyMemory's own codes
            name = str(self.locale.get_language_name("en") or self.base)
            if self.script:  # "serbian latin", "chinese traditional"
                from babel import Locale

                name += " " + str(Locale("en").scripts.get(self.script, self.script))
            return name.lower()
        return self.base


def canonical(tag: str) -> str:
    """The canonical BCP 47 spelling of ``tag`` (``pt_br`` -> ``pt-BR``); no data check."""
    match = _TAG.fullmatch(tag) if isinstance(tag, str) else None
    if match is None:
        raise UnknownLanguage(tag, why="not a language tag")
    parts = [match["lang"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts)


@lru_cache(maxsize=256)
def language(tag: str) -> Language:
    """Parse ``tag``; raise `UnknownLanguage` (a `BitextError` and a `ValueError`) if unknown."""
    from babel import Locale, UnknownLocaleError

    canon = canonical(tag)
    try:
        locale = Locale.parse(canon.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLanguage(tag, why="no locale data") from None
    # Babel falls back on likely subtags ("und" -> en_US, "en_ZZ" -> en_US, "iw" -> he):
    # a tag is known only if its own subtags survived.
    lang, script, region = canonical_parts(canon)
    if (locale.language != lang or (script and locale.script != script)
            or (region and locale.territory != region)):
        raise UnknownLanguage(tag, why="no locale data")
    return Language(canon, locale)


@lru_cache(maxsize=256)
def known_tag(tag: str) -> str:
    """``language(tag).tag``, raising the same `UnknownLanguage`, without importing Babel
    when it has locale data of that very name.

    `Locale.parse` makes ``Locale(*parts)`` first, which stands when Babel's
    ``locale-data/<id>.dat`` exists; its parts are then the tag's own, all that
    `language` asks of it. Any other tag (no such file, or Babel not found) is
    `language`'s to answer, likely subtags and all.
    """
    canon = canonical(tag)
    folder = _locale_data()
    if folder and os.path.isfile(os.path.join(folder, canon.replace("-", "_") + ".dat")):
        return canon
    return language(tag).tag


@lru_cache(maxsize=1)
def _locale_data() -> str | None:
    """Babel's folder of locale data (found, not imported), or None."""
    import importlib.util

    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(next(iter(spec.submodule_search_locations)), "locale-data")


def canonical_parts(tag: str) -> tuple[str, str | None, str | None]:
    """``pt-BR`` -> ``("pt", None, "BR")``; ``zh-Hant`` -> ``("zh", "Hant", None)``."""
    match = _TAG.fullmatch(canonical(tag))
    assert match is not None
    return match["lang"], match["script"], match["region"]


@lru_cache(maxsize=256)
def known(tag: str) -> Language | None:
    """``language(tag)``, or None for an unknown tag (for text an author wrote)."""
    try:
        return language(tag)
    except UnknownLanguage:
        return None
