"""Sentences of a paragraph, with Turkish and English rules. Pure.

For translation-memory lookups only (`pipeline.memory`, ``memory_sentences``):
the PO stays per paragraph.
"""

from __future__ import annotations

import re

# Abbreviations after which a period never ends a sentence (compared case-folded, no dot).
_TITLES = {
    "tr": {"dr", "prof", "doç", "yrd", "av", "alb", "gen", "org", "sn", "bkz", "no", "s",
           "sok", "cad", "mah", "apt", "yy", "çev", "haz", "ed", "bl", "örn", "st"},
    "en": {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "no", "vol", "pp", "p", "fig",
           "cf", "e.g", "i.e", "gen", "col", "lt", "sgt", "rev", "mt", "ed", "eds", "approx"},
}
# End a sentence only before a lower-case word is impossible for these anyway; listed so
# that "vb. Ahmet" (a name after "etc.") still splits, only lower case does not.
_ROMAN = re.compile(r"[IVXLC]{1,5}")
_END = re.compile(r"[.!?…]+(?:[\"'”’»)\]]|\[\^[^\]\s]+\])*(?=\s)")
_NEXT = re.compile(r"\s+([\"'“‘«(\[]*)(\S)")


def split_sentences(text: str, lang: str = "tr") -> list[str]:
    """Sentences of a paragraph, with Turkish and English rules; whitespace between dropped.

    A period ends a sentence only before whitespace and a capital (or a digit
    or opening quote after ``!``/``?``), and never after an abbreviation
    (``Dr.``, ``Prof.``, English ``Mr.``…), a single capital (initials
    ``M. K.``), or, in Turkish, a number or Roman numeral (ordinals: ``1.
    sayı``, ``II. Abdullah``). ``vb.``/``vs.``/``etc.`` end one only before
    a capital. A decimal (``1.5``) has no space after its point.
    """
    base = lang.split("-")[0].casefold()
    titles = _TITLES.get(base, set()) | (_TITLES["en"] if base != "en" else set())
    out, start = [], 0
    for end in _END.finditer(text):
        after = _NEXT.match(text, end.end())
        if after is None:
            continue
        following = after.group(2)
        mark = end.group().rstrip("\"'”’»)]")
        mark = re.sub(r"\[\^[^\]\s]+\]$", "", mark) or mark
        if not (following.isupper() or (mark[0] in "!?…" and
                                        (following.isdigit() or after.group(1)))):
            continue
        if mark.startswith(".") and len(mark.rstrip(".")) == 0:
            word = re.search(r"(\S+)$", text[start:end.start()])
            last = word.group(1) if word else ""
            bare = last.strip("\"'“‘«(").casefold()
            if bare in titles or (len(bare) == 1 and last[-1:].isupper()):
                continue
            if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", last):  # e.g, U.S
                continue
            if base == "tr" and (last.isdigit() or _ROMAN.fullmatch(last)):
                continue
        piece = text[start:end.end()].strip()
        if piece:
            out.append(piece)
        start = end.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
