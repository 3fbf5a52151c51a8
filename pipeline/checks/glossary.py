"""The ``glossary`` check: agreed terms are translated the agreed way.

The glossary is a CSV file the config names (``glossary = "glossary.csv"``),
UTF-8, with a header row and these columns:

``source``     a term of the original (empty: the row only forbids)
``target``     its accepted translations, separated by ``|``
``forbidden``  translations that must not be used, separated by ``|`` (optional column)
``note``       anything (optional column)

Lines starting with ``#`` are comments. A term matches a whole word (or
words), in any case by the language's own rules (Turkish: ``İ``/``i`` and
``I``/``ı``), with a suffix after an apostrophe (``Ankara'nın``, ``Ankara’da``);
a trailing ``*`` allows any ending (``mülteci*`` matches ``mültecilerin``).

When an original contains a term and its translation has none of the
accepted translations: a warning. A forbidden translation in a segment whose
original has the term (or anywhere, for a row without ``source``): an error.
A quotation the translation keeps word for word (a cited title) is not
searched for terms.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.checks import register
from pipeline.checks.lexicon import fold
from pipeline.checks.model import Context, Problem, Term
from pipeline.errors import BitextError

COLUMNS = ("source", "target", "forbidden", "note")


def parse_glossary(text: str, *, shown: str) -> tuple[Term, ...]:
    """Read glossary CSV ``text``; a malformed row raises `BitextError` with its line."""
    lines = [line for line in text.lstrip("\ufeff").splitlines()]
    numbered = [(n, line) for n, line in enumerate(lines, start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return ()
    reader = csv.reader(io.StringIO("\n".join(line for _, line in numbered)))
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]]
    for name in header:
        if name not in COLUMNS:
            raise BitextError(
                f"unknown glossary column {name!r} (known: {', '.join(COLUMNS)})",
                path=shown, line=numbered[0][0],
            )
    if "source" not in header or "target" not in header:
        raise BitextError("the glossary needs a header row with 'source' and 'target' columns",
                          path=shown, line=numbered[0][0])
    terms = []
    for (number, _), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) > len(header):
            raise BitextError(f"{len(row)} fields, but the header has {len(header)}",
                              path=shown, line=number)
        cell = dict(zip(header, [c.strip() for c in row], strict=False))
        term = Term(
            source=cell.get("source", ""),
            targets=_alternatives(cell.get("target", "")),
            forbidden=_alternatives(cell.get("forbidden", "")),
            note=cell.get("note", ""),
            line=number,
        )
        if not term.forbidden and not (term.source and term.targets):
            raise BitextError("a glossary row needs a source and a target, or forbidden terms",
                              path=shown, line=number)
        terms.append(term)
    return tuple(terms)


def _alternatives(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


@lru_cache(maxsize=4096)
def term_pattern(term: str, lang: str) -> tuple[str, re.Pattern[str]]:
    """(a substring every match contains, the regex) for ``term``, on text folded for ``lang``."""
    wild = term.endswith("*")
    words = fold(term.rstrip("*"), lang).split()
    body = r"\s+".join(re.escape(w) for w in words)
    ending = r"\w*" if wild else r"(?:['’]\w+)?"
    # No look-behind at the start: a pattern that starts with a literal is searched fast;
    # the word boundary before a match is checked by `_has`.
    return words[0] if words else "", re.compile(rf"{body}{ending}(?!\w)")


def _has(term: str, folded: str, lang: str) -> bool:
    probe, pattern = term_pattern(term, lang)
    if probe not in folded:
        return False
    for match in pattern.finditer(folded):
        start = match.start()
        if start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            return True
    return False


@lru_cache(maxsize=4096)
def probes(term: str, lang: str) -> tuple[str, ...]:
    """Substrings of which the unfolded text must contain one for ``term`` to match.

    The term's first word without its first letter, in lower and upper case
    ("sad"/"SAD" for "Esad"): a substring test on the raw text, so most
    segments are passed over without folding them.
    """
    word = fold(term.rstrip("*"), lang).split()[0] if term.strip("*").strip() else ""
    tail = word[1:] if len(word) > 2 else word
    return tuple({tail, tail.upper(), tail.capitalize()}) if tail else ("",)


def _maybe(term: str, text: str, lang: str) -> bool:
    return any(p in text for p in probes(term, lang))


# A quoted title kept as it is in the translation is not translated text.
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|„[^“”]*[“”]|\"[^\"]*\"")


def _untranslated_quotes(source: str, target: str) -> str:
    """``source`` without the quotations that the translation keeps word for word."""
    for quoted in _QUOTED.findall(source) if any(q in source for q in "“«„\"") else ():
        if quoted in target:
            source = source.replace(quoted, " ")
    return source


def _quote(alternatives: tuple[str, ...]) -> str:
    return " or ".join(f"“{a}”" for a in alternatives)


@register("glossary", severity="warning")
def glossary(ctx: Context) -> Iterator[Problem]:
    """Glossary terms translated as agreed; forbidden translations are errors."""
    terms = ctx.options.glossary
    if not terms:
        return
    sl, tl = ctx.source_lang, ctx.target_lang
    for unit in ctx.translated:
        hits = [t for t in terms if _maybe(t.source, unit.source, sl)
                or (not t.source and any(_maybe(f, unit.target, tl) for f in t.forbidden))]
        if not hits:
            continue
        source = fold(_untranslated_quotes(unit.source, unit.target), sl)
        target = fold(unit.target, tl)
        for term in hits:
            if term.source and not _has(term.source, source, sl):
                continue
            if term.source and term.targets and not any(_has(t, target, tl) for t in term.targets):
                yield Problem(unit, f"glossary: “{term.source}” should be translated as "
                                    f"{_quote(term.targets)}")
            for bad in term.forbidden:
                if _has(bad, target, tl):
                    use = f"; use {_quote(term.targets)}" if term.targets else ""
                    of = f" for “{term.source}”" if term.source else ""
                    yield Problem(unit, f"glossary: “{bad}” is forbidden{of}{use}", adjust=+1)
