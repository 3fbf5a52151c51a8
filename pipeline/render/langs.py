"""Mark text in another language inside a paragraph, and isolate right-to-left runs.

Two kinds of foreign text are found without the author marking them:

- *right-to-left script*: a run of Arabic (or Hebrew) letters, with the
  spaces, digits and punctuation between them, becomes
  ``Span lang=ar dir=rtl`` (in an edition whose own language is not
  right-to-left). HTML's ``dir`` isolates the run, so the quotes and commas
  around it stay where the author put them; typst gets ``dir: rtl`` and
  left-to-right marks around the run (see `pipeline.render.formats`).
- *a quotation in the other direction* (`bidi_quotations`): a quotation whose
  letters are all right to left (in a left-to-right edition), or all left to
  right (in a right-to-left one), is isolated whole, *with its own
  punctuation*: quotation marks, brackets and the ``..`` that end it. A run
  alone would leave them to the surrounding text, which puts the opening
  mark beside the quotation's last word and its final ``..`` beside its
  first (the sample's note xv). A quotation the paragraph does not close
  (note xv runs over two paragraphs) counts to the paragraph's end, and one
  it did not open from the paragraph's start.
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
# In a right-to-left edition, a run of left-to-right letters (a Latin name, "bitext") with
# what lies between them: isolated, the full stop and note reference after it stay at the
# sentence's end (its left), not between the run and the word before it.
_RTL_CHARS = "".join(chars for _, chars in _SCRIPTS)
_L = f"[^\\W\\d_{_RTL_CHARS}]"  # a letter, not of a right-to-left script
_LTR_RUN = re.compile(f"{_L}(?:(?:{_L}|[^\\w{_OUTSIDE}{_RTL_CHARS}]|\\d|_)*{_L})?")
_QUOTES = re.compile(r"“([^“”]+)”|‘([^‘’]+)’|«([^«»]+)»|\"([^\"]+)\"")
_WORD = re.compile(r"[^\W\d_]+")
# Quotations for `bidi_quotations`: closed ones, then one the text opens and does not
# close (to its end), then one it closes without opening (from its start). Only double
# and angle marks: a lone ’ is an apostrophe, a lone " says nothing of its side.
_PAIRED = re.compile(r"“[^“”]*”|«[^«»]*»|‘[^‘’]*’|\"[^\"]*\"")
_OPENED = re.compile(r"[“«][^“”«»]*$")
_CLOSED = re.compile(r"^[^“”«»]*[”»]")
_RTL_LETTER = re.compile(f"[{_RTL_CHARS}]")

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
        found.extend((m.start(), m.end(), lang_attr(_arabic_script(m.group(), lang)))
                     for m in pattern.finditer(value))
    return sorted(found, key=lambda r: r[0])


# Letters Arabic spelling does not use: Urdu's (ٹ ڈ ڑ ں ے ۓ ھ), then Persian's (پ چ ژ گ,
# and the keheh and yeh forms ک ی that Persian and Urdu write for Arabic's ك ي).
_URDU = set("\u0679\u0688\u0691\u06ba\u06d2\u06d3\u06be")
_PERSIAN = set("\u067e\u0686\u0698\u06af\u06a9\u06cc")


def _arabic_script(run: str, lang: str) -> str:
    """``ur`` or ``fa`` for a run of Arabic script with their letters, else ``lang``."""
    if lang != "ar":
        return lang
    letters = set(run)
    return "ur" if letters & _URDU else "fa" if letters & _PERSIAN else "ar"


def ltr_runs(value: str) -> list[tuple[int, int, Attr]]:
    """Ranges of left-to-right letters in ``value`` (for a right-to-left edition): ``dir=ltr``."""
    return [(m.start(), m.end(), attr("", [], [("dir", "ltr")]))
            for m in _LTR_RUN.finditer(value)]


def _direction(value: str) -> str | None:
    """``"rtl"`` or ``"ltr"`` when every letter of ``value`` runs that way, else None."""
    letters = "".join(_WORD.findall(value))
    if not letters:
        return None
    rtl = len(_RTL_LETTER.findall(letters))
    return "rtl" if rtl == len(letters) else "ltr" if rtl == 0 else None


def _script_lang(value: str) -> str:
    lang = next((lang for lang, pattern in _RUNS if pattern.search(value)), "ar")
    return _arabic_script(value, lang)


def bidi_quotations(value: str, *, lang: str,
                    phrases: dict[str, str] | None = None) -> list[tuple[int, int, Attr]]:
    """Quotations in ``value`` that run against ``lang``'s direction, marks included.

    In a left-to-right edition a quotation all in Arabic or Hebrew letters gets
    ``lang=ar dir=rtl`` (``he``); in a right-to-left one a quotation with no
    right-to-left letter gets ``dir=ltr`` (and the ``lang`` of ``phrases`` when it
    is a known shared title). The range covers the quotation marks and
    everything between them; spaces at an open end stay outside.
    """
    if not is_rtl(lang) and not _RTL_LETTER.search(value):
        return []  # the common case, left to right with nothing against it: no work
    found: list[tuple[int, int]] = [(m.start(), m.end()) for m in _PAIRED.finditer(value)]
    closed = list(found)

    def free(start: int, end: int) -> bool:
        return start < end and not any(s < end and start < e for s, e in closed)

    for pattern in (_OPENED, _CLOSED):
        m = pattern.search(value)
        if m:
            start, end = m.start(), m.end()
            start += len(value[start:end]) - len(value[start:end].lstrip())
            end -= len(value[start:end]) - len(value[start:end].rstrip())
            if free(start, end):
                found.append((start, end))
    out: list[tuple[int, int, Attr]] = []
    for start, end in found:
        a = _against(value[start:end], lang, phrases or {})
        if a is not None:
            out.append((start, end, a))
    return sorted(out, key=lambda r: r[0])


def _against(quoted: str, lang: str, phrases: dict[str, str]) -> Attr | None:
    """The span attributes of a quotation running against ``lang``'s direction, or None."""
    way = _direction(quoted)
    if way is None or way == ("rtl" if is_rtl(lang) else "ltr"):
        return None
    if way == "rtl":
        return lang_attr(_script_lang(quoted))
    foreign = phrases.get(" ".join(quoted.strip("“”«»‘’\"").split()))
    found = known(foreign) if foreign and foreign != lang else None
    return attr("", [], [*([("lang", found.html)] if found else []), ("dir", "ltr")])


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

    own_rtl = is_rtl(lang)  # in an Arabic edition, Arabic is not foreign: Latin runs are

    def find(value: str) -> list[tuple[int, int, Attr]]:
        ranges = bidi_quotations(value, lang=lang, phrases=phrases)
        runs = ltr_runs(value) if own_rtl else script_runs(value)
        ranges += [r for r in runs if not any(s < r[1] and r[0] < e for s, e, _ in ranges)]
        if pattern is not None:
            taken = [(s, e) for s, e, _ in ranges]
            for m in pattern.finditer(value):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    ranges.append((m.start(), m.end(), lang_attr(foreign[m.group()])))
        return ranges

    def inlines(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            # pandoc's own quotations ("…" in the source): isolated whole, marks included
            against = (_against(stringify(node["c"][1]), lang, phrases)
                       if node["t"] == "Quoted" else None)
            if against is not None:
                # the runs found inside it (walked first) go: one isolate, not nested ones
                inner = [y for x in node["c"][1]
                         for y in (x["c"][1] if x["t"] == "Span" and x["c"][0] == against
                                   else [x])]
                out.append(span(against, [{"t": "Quoted", "c": [node["c"][0], inner]}]))
                continue
            if node["t"] == "Quoted" and pattern is not None:
                phrase = " ".join(stringify(node["c"][1]).split())
                if phrase in foreign:
                    node = {"t": "Quoted", "c": [node["c"][0],
                                                 [span(lang_attr(foreign[phrase]), node["c"][1])]]}
            out.append(node)
        return wrap_ranges(out, find)

    return map_lists(value, inlines=inlines)
