"""The one glossary reader, for `bitext check` (the ``glossary`` check) and `bitext align`.

Three formats, told apart by their first characters:

* **CSV or TSV** with a header row: ``source`` (a term of the original),
  ``target`` (its accepted translations, ``|``-separated), optionally
  ``forbidden`` (translations that must not be used, ``|``-separated) and
  ``note``. The delimiter is the header line's: a tab, a comma or a semicolon,
  whichever it has most of. Lines starting with ``#`` are comments. The
  columns say nothing about languages: the rows apply to every target.
* **TBX** (TermBase eXchange, ISO 30042; what CAT tools and Weblate export):
  a ``martif`` (TBX 2) or ``tbx`` (TBX 3) document of ``termEntry``
  (``conceptEntry``) elements, each a concept with one ``langSet``
  (``langSec``) per ``xml:lang``, holding ``tig``/``ntig``/``termSec``
  with a ``term``. A term whose ``administrativeStatus`` or
  ``normativeAuthorization`` note says deprecated or superseded is forbidden;
  the others are accepted. A ``langSet`` matches a language by its tag, else
  by its primary subtag (``en-US`` serves ``en``). Parsed with the standard
  library; a document declaring entities is refused (no entity is ever
  expanded, no external file or DTD is read).

Pure: text in, `Glossary` out; a malformed file raises `BitextError` with its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pipeline.checks.model import Term
from pipeline.errors import BitextError
from pipeline.untrusted_xml import local, parse_untrusted

COLUMNS = ("source", "target", "forbidden", "note")
_DELIMITERS = ("\t", ",", ";")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN = ("deprecated", "superseded", "notrecommended", "forbidden")


@dataclass(frozen=True)
class TbxTerm:
    text: str
    forbidden: bool = False


@dataclass(frozen=True)
class Concept:
    """One TBX entry: its terms by language (as the file spells the tag), and a note."""

    terms: dict[str, tuple[TbxTerm, ...]]
    note: str = ""


@dataclass(frozen=True)
class Glossary:
    """A parsed glossary: ``rows`` (CSV/TSV, for any languages) or ``concepts`` (TBX)."""

    rows: tuple[Term, ...] = ()
    concepts: tuple[Concept, ...] = ()

    def terms(self, source_lang: str, target_lang: str) -> tuple[Term, ...]:
        """The terms for translating ``source_lang`` into ``target_lang``."""
        if not self.concepts:
            return self.rows
        out = []
        for concept in self.concepts:
            source = _for_language(concept, source_lang)
            target = _for_language(concept, target_lang)
            accepted = tuple(t.text for t in target if not t.forbidden)
            forbidden = tuple(t.text for t in target if t.forbidden)
            sources = [t.text for t in source if not t.forbidden]
            if accepted or forbidden:
                out += [Term(s, accepted, forbidden, concept.note) for s in sources]
            if forbidden and not sources:
                out.append(Term("", (), forbidden, concept.note))
        return tuple(out)

    def pairs(self, source_lang: str, target_lang: str) -> dict[str, str]:
        """Term -> its first accepted translation, for the aligner's anchors."""
        return {t.source.rstrip("*"): t.targets[0].rstrip("*")
                for t in self.terms(source_lang, target_lang)
                if t.source.rstrip("*") and t.targets and t.targets[0].rstrip("*")}


def parse_glossary(text: str, *, shown: str) -> Glossary:
    """Read a glossary in any of the formats above (see the module docstring)."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("<"):
        return Glossary(concepts=_parse_tbx(text, shown))
    return Glossary(rows=_parse_table(text, shown))


def _parse_table(text: str, shown: str) -> tuple[Term, ...]:
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return ()
    first = numbered[0][1]
    delimiter = max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) \
        else ","
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in numbered)),
                           delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    for name in header:
        if name not in COLUMNS:
            raise BitextError(
                f"unknown glossary column {name!r} (known: {', '.join(COLUMNS)}; the first "
                "line that is not a comment is the header)",
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


def _parse_tbx(text: str, shown: str) -> tuple[Concept, ...]:
    root = parse_untrusted(text, shown=shown, what="a TBX glossary", fmt="TBX")
    if local(root.tag) not in ("martif", "tbx"):
        raise BitextError(f"a TBX glossary's root is <martif> or <tbx>, not <{local(root.tag)}>",
                          path=shown)
    concepts = []
    for entry in root.iter():
        if local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        terms: dict[str, tuple[TbxTerm, ...]] = {}
        for lang_set in entry:
            if local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
            if not lang:
                raise BitextError("a TBX langSet needs an xml:lang", path=shown)
            found = []
            for group in lang_set.iter():
                if local(group.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term = next((e for e in group.iter() if local(e.tag) == "term"), None)
                if term is None or not "".join(term.itertext()).strip():
                    continue
                status = " ".join(
                    (note.text or "") for note in group.iter()
                    if local(note.tag) == "termNote" and note.get("type") in (
                        "administrativeStatus", "normativeAuthorization"))
                found.append(TbxTerm(" ".join("".join(term.itertext()).split()),
                                     forbidden=any(f in status.lower() for f in _FORBIDDEN)))
            terms[lang] = terms.get(lang, ()) + tuple(found)
        note = next((" ".join("".join(e.itertext()).split()) for e in entry.iter()
                     if local(e.tag) in ("note", "descrip")), "")
        concepts.append(Concept(terms, note))
    return tuple(concepts)


def _for_language(concept: Concept, lang: str) -> tuple[TbxTerm, ...]:
    wanted = lang.replace("_", "-").lower()
    spelled = {tag.replace("_", "-").lower(): terms for tag, terms in concept.terms.items()}
    if wanted in spelled:
        return spelled[wanted]
    base = wanted.split("-")[0]
    return tuple(t for tag, terms in spelled.items() if tag.split("-")[0] == base for t in terms)
