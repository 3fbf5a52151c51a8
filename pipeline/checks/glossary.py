"""The ``glossary`` check: agreed terms are translated the agreed way.

The glossary is the file the config names (``glossary = "glossary.csv"``): CSV or
TSV with a header row (``source``, ``target``, ``forbidden``, ``note``), or TBX,
read by `pipeline.glossary` (the same reader as `bitext align --glossary`).

A term matches a whole word (or
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

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pipeline.checks import register
from pipeline.checks.lexicon import base_lang, letters, lowercase
from pipeline.checks.model import Context, Problem


@dataclass(frozen=True)
class Matcher:
    """How to find one term in raw text without folding it.

    ``probes``: the term's first word less its first letter, in the cases a
    text writes it ("sad", "SAD" for "Esad"; Turkish upper case for Turkish);
    each occurrence is a candidate, confirmed by ``pattern`` (every letter in
    either case, the i/ı rule, endings) anchored ``head`` characters before.
    """

    probes: tuple[str, ...]
    head: int
    pattern: re.Pattern[str]

    def find(self, text: str, skip: list[tuple[int, int]] = ()) -> bool:  # type: ignore[assignment]
        """Whether the term occurs in ``text`` as a whole word, outside the ``skip`` spans."""
        for probe in self.probes:
            at = text.find(probe)
            while at >= 0:
                start = at - self.head
                if start >= 0 and (start == 0 or not _wordish(text[start - 1])) \
                        and self.pattern.match(text, start) \
                        and not any(a <= start < b for a, b in skip):
                    return True
                at = text.find(probe, at + 1)
        return False


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"


def _upper(text: str, lang: str) -> str:
    if base_lang(lang) in ("tr", "az"):
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


@lru_cache(maxsize=4096)
def matcher(term: str, lang: str) -> Matcher:
    """The `Matcher` of ``term`` in ``lang`` (a trailing ``*`` allows any ending)."""
    wild = term.endswith("*")
    words = lowercase(term.rstrip("*").strip(), lang).split()
    body = r"\s+".join("".join(letters(w, lang)) for w in words)
    ending = r"\w*" if wild else r"(?:['’]\w+)?"
    first = words[0] if words else ""
    head = 1 if len(first) > 2 else 0
    tail = first[head:]
    variants = {tail, _upper(tail, lang), tail.capitalize() if not head else tail}
    return Matcher(tuple(v for v in variants if v), head,
                   re.compile(rf"{body}{ending}(?!\w)"))


# A quoted title kept as it is in the translation is not translated text.
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|„[^“”]*[“”]|\"[^\"]*\"")


def _kept_quotes(source: str, target: str) -> list[tuple[int, int]]:
    """Spans of ``source`` quotations that the translation keeps word for word."""
    if not any(q in source for q in "“«„\""):
        return []
    return [m.span() for m in _QUOTED.finditer(source) if m.group() in target]


def _quote(alternatives: tuple[str, ...]) -> str:
    return " or ".join(f"“{a}”" for a in alternatives)


@register("glossary", severity="warning")
def glossary(ctx: Context) -> Iterator[Problem]:
    """Glossary terms translated as agreed; forbidden translations are errors."""
    terms = ctx.options.glossary
    if not terms:
        return
    sl, tl = ctx.source_lang, ctx.target_lang
    plan = [(t, matcher(t.source, sl) if t.source else None,
             [matcher(x, tl) for x in t.targets], [(f, matcher(f, tl)) for f in t.forbidden])
            for t in terms]
    for unit in ctx.translated:
        source, target = unit.source, unit.target
        kept: list[tuple[int, int]] | None = None
        for term, in_source, targets, forbidden in plan:
            if in_source is not None:
                if not in_source.find(source):
                    continue
                if kept is None:  # once per unit, and only for a unit with a term
                    kept = _kept_quotes(source, target)
                if kept and not in_source.find(source, kept):
                    continue
                if targets and not any(m.find(target) for m in targets):
                    yield Problem(unit, f"glossary: “{term.source}” should be translated as "
                                        f"{_quote(term.targets)}")
            for bad, found in forbidden:
                if found.find(target):
                    use = f"; use {_quote(term.targets)}" if term.targets else ""
                    of = f" for “{term.source}”" if term.source else ""
                    yield Problem(unit, f"glossary: “{bad}” is forbidden{of}{use}", adjust=+1)
