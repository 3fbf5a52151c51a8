"""XLIFF 1.2 and 2.0: bitext's segments for a CAT tool, and its work read back. Pure.

One ``trans-unit`` (1.2) / ``unit`` (2.0) per segment, ``id`` = the segment
key (`pipeline.keys`). States as translate-toolkit's po2xliff maps a PO:

============  ==========================================  ===================
PO entry      XLIFF 1.2                                   XLIFF 2.0 segment
============  ==========================================  ===================
translated    ``approved="yes"``, ``state="translated"``  ``state="reviewed"``
fuzzy         ``approved="no"``,                          ``state="translated"``
              ``state="needs-review-translation"``, the
              previous original as ``alt-trans``
untranslated  ``state="new"``                             ``state="initial"``
============  ==========================================  ===================

Inline codes (`pipeline.exchange.inline`): 1.2 ``<ph>`` for a standalone
code, ``<bpt>``/``<ept>`` (same ``id``) for a pair, the Markdown as their
content; 2.0 ``<ph>``, ``<pc>`` for a well-nested pair (``<sc>``/``<ec>``
otherwise), the Markdown in ``<originalData>``.

Reading (`read_xliff`) accepts XLIFF 1.1, 1.2 (po2xliff's, Okapi's, ...) and
2.0; untrusted input: no entities resolved, no DTD, no network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import BitextError
from pipeline.exchange.inline import Code, Part, code_type, source_parts, write_flat
from pipeline.exchange.inline import target_parts as match_target
from pipeline.exchange.xliff_read import (
    NS12,
    NS20,
    XML_SPACE,
    ReadFile,
    ReadUnit,
    read_xliff,
)

STATES = ("translated", "fuzzy", "new")


@dataclass(frozen=True)
class Unit:
    """A segment as exported: its key, texts, PO state and what the translator should know."""

    key: str
    source: str
    target: str
    state: str  # one of STATES
    previous: str | None = None  # the original the fuzzy translation was made for
    kind: str = ""
    label: str = ""
    context: str | None = None
    comments: tuple[str, ...] = ()  # translator comments (suppressions, machine labels)
    locations: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class File:
    """One document in one target language."""

    original: str  # the source path, root-relative: source/tr/article.md
    source_lang: str
    target_lang: str
    units: tuple[Unit, ...]


# --- writing -----------------------------------------------------------------------------

def write_xliff12(files: Iterable[File], *, tool_version: str) -> bytes:
    """An XLIFF 1.2 document of ``files``."""
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")  # type: ignore[dict-item]
    for file in files:
        f = etree.SubElement(root, f"{{{NS12}}}file", original=file.original,
                             datatype="x-markdown")
        f.set("source-language", file.source_lang)
        f.set("target-language", file.target_lang)
        header = etree.SubElement(f, f"{{{NS12}}}header")
        tool = etree.SubElement(header, f"{{{NS12}}}tool")
        tool.set("tool-id", "bitext")
        tool.set("tool-name", "bitext")
        tool.set("tool-version", tool_version)
        body = etree.SubElement(f, f"{{{NS12}}}body")
        for unit in file.units:
            _unit12(body, unit)
    return _bytes(root)


def _unit12(body: etree._Element, unit: Unit) -> None:
    tu = etree.SubElement(body, f"{{{NS12}}}trans-unit", id=unit.key)
    tu.set(XML_SPACE, "preserve")
    tu.set("approved", "yes" if unit.state == "translated" else "no")
    source = source_parts(unit.source)
    _inline12(etree.SubElement(tu, f"{{{NS12}}}source"), source)
    target = etree.SubElement(tu, f"{{{NS12}}}target", state={
        "translated": "translated", "fuzzy": "needs-review-translation", "new": "new"}[unit.state])
    if unit.target:
        _inline12(target, match_target(unit.target, source))
    for file, line in unit.locations:
        group = etree.SubElement(tu, f"{{{NS12}}}context-group", name="po-reference",
                                 purpose="location")
        _context(group, "sourcefile", file)
        _context(group, "linenumber", str(line))
    if unit.context:
        group = etree.SubElement(tu, f"{{{NS12}}}context-group", name="po-entry",
                                 purpose="information")
        _context(group, "x-po-msgctxt", unit.context)
    if unit.kind:
        note = etree.SubElement(tu, f"{{{NS12}}}note", {"from": "developer"})
        note.text = f"{unit.kind} {unit.label}".strip()
    for comment in unit.comments:
        note = etree.SubElement(tu, f"{{{NS12}}}note", {"from": "po-translator"})
        note.text = comment
    if unit.state == "fuzzy" and unit.previous is not None:
        alt = etree.SubElement(tu, f"{{{NS12}}}alt-trans", origin="previous")
        _inline12(etree.SubElement(alt, f"{{{NS12}}}source"), source_parts(unit.previous))
        etree.SubElement(alt, f"{{{NS12}}}target").text = unit.target


def _context(group: etree._Element, kind: str, text: str) -> None:
    etree.SubElement(group, f"{{{NS12}}}context").set("context-type", kind)
    group[-1].text = text


def _inline12(element: etree._Element, parts: list[Part]) -> None:
    write_flat(element, parts, _code12)


def _code12(element: etree._Element, part: Code) -> etree._Element:
    if part.role == "open":
        return etree.SubElement(element, f"{{{NS12}}}bpt", id=part.pair, ctype=code_type(part))
    if part.role == "close":
        return etree.SubElement(element, f"{{{NS12}}}ept", id=part.pair)
    return etree.SubElement(element, f"{{{NS12}}}ph", id=part.id, ctype=code_type(part))


def write_xliff20(files: Iterable[File], *, tool_version: str) -> bytes:
    """An XLIFF 2.0 document of ``files`` (all in one target language, as 2.0 wants)."""
    files = list(files)
    langs = {(f.source_lang, f.target_lang) for f in files}
    if len(langs) > 1:
        raise BitextError("an XLIFF 2.0 file holds one source and one target language; "
                          "export each language on its own (--lang)")
    src, trg = next(iter(langs)) if langs else ("und", "und")
    root = etree.Element(f"{{{NS20}}}xliff", nsmap={None: NS20}, version="2.0",  # type: ignore[dict-item]
                         srcLang=src, trgLang=trg)
    for n, file in enumerate(files, start=1):
        f = etree.SubElement(root, f"{{{NS20}}}file", id=f"f{n}", original=file.original)
        for unit in file.units:
            _unit20(f, unit)
    return _bytes(root)


def _unit20(parent: etree._Element, unit: Unit) -> None:
    u = etree.SubElement(parent, f"{{{NS20}}}unit", id=unit.key)
    notes = [("segment", f"{unit.kind} {unit.label}".strip())] if unit.kind else []
    notes += [("location", f"{file}:{line}") for file, line in unit.locations]
    if unit.context:
        notes.append(("msgctxt", unit.context))
    notes += [("translator", c) for c in unit.comments]
    if unit.state == "fuzzy" and unit.previous is not None:
        notes.append(("previous-source", unit.previous))
    if notes:
        holder = etree.SubElement(u, f"{{{NS20}}}notes")
        for category, text in notes:
            etree.SubElement(holder, f"{{{NS20}}}note", category=category).text = text
    source = source_parts(unit.source)
    codes = [p for p in source if isinstance(p, Code)]
    if codes:
        data = etree.SubElement(u, f"{{{NS20}}}originalData")
        for code in codes:
            etree.SubElement(data, f"{{{NS20}}}data", id=f"d{code.id}").text = code.text
    segment = etree.SubElement(u, f"{{{NS20}}}segment", state={
        "translated": "reviewed", "fuzzy": "translated", "new": "initial"}[unit.state])
    src = etree.SubElement(segment, f"{{{NS20}}}source")
    src.set(XML_SPACE, "preserve")
    _inline20(src, source)
    if unit.target:
        trg = etree.SubElement(segment, f"{{{NS20}}}target")
        trg.set(XML_SPACE, "preserve")
        _inline20(trg, match_target(unit.target, source))


def _inline20(element: etree._Element, parts: list[Part]) -> None:
    nested = _nested_pairs(parts)
    stack = [element]
    last: etree._Element | None = None

    def add_text(text: str) -> None:
        if last is not None and last.getparent() is stack[-1]:
            last.tail = (last.tail or "") + text
        elif len(stack[-1]):
            stack[-1][-1].tail = (stack[-1][-1].tail or "") + text
        else:
            stack[-1].text = (stack[-1].text or "") + text

    for part in parts:
        if isinstance(part, str):
            add_text(part)
            continue
        kind = "link" if part.kind == "link" else "fmt" if part.kind == "emph" else "other"
        if part.role == "open" and part.pair in nested:
            pc = etree.SubElement(stack[-1], f"{{{NS20}}}pc", id=part.pair, type=kind,
                                  dataRefStart=f"d{part.id}")
            stack.append(pc)
            last = None
        elif part.role == "close" and part.pair in nested:
            pc = stack.pop()
            pc.set("dataRefEnd", f"d{part.id}")
            last = pc
        elif part.role == "open":
            last = etree.SubElement(stack[-1], f"{{{NS20}}}sc", id=part.pair, type=kind,
                                    dataRef=f"d{part.id}")
        elif part.role == "close":
            last = etree.SubElement(stack[-1], f"{{{NS20}}}ec", startRef=part.pair, type=kind,
                                    dataRef=f"d{part.id}")
        else:
            last = etree.SubElement(stack[-1], f"{{{NS20}}}ph", id=part.id, type=kind,
                                    dataRef=f"d{part.id}", disp=part.text)


def _nested_pairs(parts: list[Part]) -> set[str]:
    """The pairs that nest properly among the others (they can be ``<pc>``)."""
    stack: list[str] = []
    good: set[str] = set()
    closes = {p.pair for p in parts if isinstance(p, Code) and p.role == "close"}
    for part in parts:
        if not isinstance(part, Code) or not part.role:
            continue
        if part.role == "open" and part.pair in closes:
            stack.append(part.pair)
        elif part.role == "close" and part.pair in stack:
            if stack[-1] == part.pair:
                good.add(part.pair)
                stack.pop()
            else:
                stack.remove(part.pair)
    return good


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))

__all__ = ["File", "ReadFile", "ReadUnit", "Unit", "read_xliff", "write_xliff12", "write_xliff20"]
