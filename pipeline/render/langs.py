"""Mark text in another language inside a paragraph, and isolate right-to-left runs.

Two kinds of foreign text are found without the author marking them:

- *right-to-left script*: a run of Arabic (or Hebrew) letters, with the
  spaces, digits and punctuation between them, becomes
  ``Span lang=ar dir=rtl`` (in an edition whose own language is not
  right-to-left). HTML's ``dir`` isolates the run, so the quotes and commas
  around it stay where the author put them; typst gets left-to-right marks
  around the run (see `pipeline.render.formats`).
- *shared quotations*: a quoted title that a segment and its translation
  carry verbatim (a Turkish article title cited in an English note, an
  English title in a Turkish one) is in one of the two languages; letters
  and common words decide which (`guess_lang`), and the quotation is marked
  with that language in the edition of the other. Undecided ones stay unmarked.

Spans the author wrote (``[metin]{lang=tr}``) are kept as they are.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.languages import known
from pipeline.render.ast import Attr, Node, attr, map_lists, span, stringify, wrap_ranges

_SCRIPTS = (
    ("ar", "\u0600-\u06ff\u0750-\u077f\u0870-\u089f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"),
    ("he", "\u0590-\u05ff\ufb1d-\ufb4f"),
)
# Between two letters of the script a run takes spaces, digits and punctuation, but not
# quotation marks or brackets: those belong to the text around the run ("“Qussai | قصي”").
_OUTSIDE = "“”‘’\"'«»‹›()\\[\\]{}<>"
_RUNS = [(lang, re.compile(f"[{chars}](?:(?:[{chars}]|[^\\w{_OUTSIDE}]|\\d|_)*[{chars}])?"))
         for lang, chars in _SCRIPTS]
_QUOTES = re.compile(r"“([^“”]+)”|‘([^‘’]+)’|«([^«»]+)»|\"([^\"]+)\"")
_WORD = re.compile(r"[^\W\d_]+")

# Letters a language's alphabet has (beyond a-z) and its commonest short words; enough to
# tell a cited title's language between the two languages of a publication.
_LETTERS = {
    "tr": set("çğıöşüâîûÇĞİÖŞÜÂÎÛ"), "en": set(), "de": set("äöüßÄÖÜ"),
    "fr": set("àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ"), "es": set("áéíñóúüÁÉÍÑÓÚÜ¿¡"),
}
_MISSING = {"tr": set("qwxQWX"), "en": set()}
_WORDS = {
    "tr": {"ve", "bir", "bu", "için", "ile", "da", "de", "gibi", "olarak", "çok", "daha", "ne",
           "mi", "değil", "ki", "ya", "veya", "ama", "en", "her", "olan", "sonra", "kadar"},
    "en": {"the", "of", "and", "to", "in", "is", "for", "with", "on", "from", "by", "as", "at",
           "its", "an", "a", "not", "has", "have", "be", "are", "was", "than", "between",
           "while", "over", "into", "why", "what", "how", "where", "who", "don't", "will"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "von", "für", "auf", "ein"},
    "fr": {"le", "la", "les", "et", "est", "des", "du", "une", "pour", "dans", "sur"},
    "es": {"el", "la", "los", "las", "y", "es", "del", "una", "para", "por", "con"},
}


def is_rtl(lang: str) -> bool:
    """True for a right-to-left language (CLDR character order); False for an unknown tag."""
    found = known(lang)
    return found.rtl if found else False


def lang_attr(lang: str) -> Attr:
    """``lang=`` (BCP 47: ``pt_BR`` becomes ``pt-BR``) and, right to left, ``dir=rtl``."""
    found = known(lang)
    pairs = [("lang", found.html if found else lang)]
    if found and found.rtl:
        pairs.append(("dir", "rtl"))
    return attr("", [], pairs)


def _base(lang: str) -> str:
    found = known(lang)
    return found.base if found else lang.split("-")[0].split("_")[0]


def script_runs(value: str) -> list[tuple[int, int, Attr]]:
    """Ranges of right-to-left script in ``value``, with their language."""
    found: list[tuple[int, int, Attr]] = []
    for lang, pattern in _RUNS:
        found.extend((m.start(), m.end(), lang_attr(lang)) for m in pattern.finditer(value))
    return sorted(found, key=lambda r: r[0])


def guess_lang(phrase: str, candidates: tuple[str, ...]) -> str | None:
    """Which of ``candidates`` ``phrase`` is written in, or None when the evidence is even."""
    words = [w.lower() for w in _WORD.findall(phrase.replace("’", "'"))]
    scores: dict[str, int] = {}
    for lang in candidates:
        base = _base(lang)
        others = set().union(*(_LETTERS.get(_base(o), set())
                               for o in candidates if o != lang))
        own = _LETTERS.get(base, set()) - others
        score = 3 * sum(ch in own for ch in phrase)
        score += sum(w in _WORDS.get(base, set()) for w in words)
        score -= 3 * sum(ch in _MISSING.get(base, set()) for ch in phrase)
        scores[lang] = score
    best = max(scores.values())
    winners = [lang for lang, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 and best > 0 else None


def quotations(value: str) -> list[str]:
    """The quoted passages of a text (“…”, ‘…’, «…», "…"), whitespace collapsed."""
    out = []
    for match in _QUOTES.finditer(value):
        inner = next(g for g in match.groups() if g is not None)
        out.append(" ".join(inner.split()))
    return out


def shared_phrases(
    texts: dict[str, tuple[str, ...]], langs: tuple[str, ...]
) -> dict[str, str]:
    """Quotations that segment *i* carries verbatim in two languages -> their language.

    ``texts`` maps each language to its segment texts (same order). Phrases
    shorter than two words, or whose language cannot be told, are left out.
    """
    found: dict[str, str] = {}
    for first in langs:
        for second in langs:
            if first >= second or first not in texts or second not in texts:
                continue
            for a, b in zip(texts[first], texts[second], strict=True):
                flat_b = " ".join(b.split())
                for phrase in quotations(a):
                    if len(phrase.split()) < 2 or phrase not in flat_b or phrase in found:
                        continue
                    lang = guess_lang(phrase, (first, second))
                    if lang is not None:
                        found[phrase] = lang
    return found


def mark_languages(value: Any, *, lang: str, phrases: dict[str, str]) -> Any:
    """Wrap right-to-left runs and foreign shared quotations in language spans."""
    foreign = {p: lg for p, lg in phrases.items() if lg != lang}
    pattern = (re.compile("|".join(re.escape(p) for p in sorted(foreign, key=len, reverse=True)))
               if foreign else None)

    own_rtl = is_rtl(lang)  # in an Arabic edition, Arabic is not foreign

    def find(value: str) -> list[tuple[int, int, Attr]]:
        ranges = [] if own_rtl else script_runs(value)
        if pattern is not None:
            taken = [(s, e) for s, e, _ in ranges]
            for m in pattern.finditer(value):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    ranges.append((m.start(), m.end(), lang_attr(foreign[m.group()])))
        return ranges

    def inlines(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node["t"] == "Quoted" and pattern is not None:
                phrase = " ".join(stringify(node["c"][1]).split())
                if phrase in foreign:
                    node = {"t": "Quoted", "c": [node["c"][0],
                                                 [span(lang_attr(foreign[phrase]), node["c"][1])]]}
            out.append(node)
        return wrap_ranges(out, find)

    return map_lists(value, inlines=inlines)
