"""TMX 1.4b: the publication's reviewed pairs as a translation memory. Pure.

One ``<tu>`` per translated (not fuzzy) segment and target language, ``tuid`` =
the segment key, ``<prop type="x-document">`` its document, ``creationdate``
its PO file's revision date; the header says ``segtype="paragraph"`` (a
segment is a paragraph, heading, list item... never a sentence) and the
source language.

Inline codes (`pipeline.exchange.inline`: footnote references, inline code,
URLs, link brackets and targets, emphasis delimiters, escapes, HTML) are TMX
1.4b's inline elements, so a CAT tool matching against the memory protects
them: ``<ph x="n" type="…">`` for a standalone code, ``<bpt i="n" x="n">`` /
``<ept i="n">`` (the same ``i``) for the two halves of a pair, each holding the
Markdown it stands for as its native code (what TMX puts in them). The
translation's codes carry the original's numbers, matched by text; a code the
translation does not have, or half a pair, stays plain text there, so no
``<it>`` (an isolated half) is ever needed. Reading a ``<seg>`` back as text
(its text and its elements' text, in order: `pipeline.adapters.memory_store`)
gives the Markdown again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from pipeline.exchange.inline import (
    Code,
    Part,
    code_type,
    source_parts,
    target_parts,
    write_flat,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Pair:
    key: str
    doc: str
    source: str
    target: str
    target_lang: str
    date: str  # the PO-Revision-Date it comes from ("2026-11-26 16:00+0000")


def tmx_date(po_date: str) -> str:
    """A PO date (``YYYY-MM-DD HH:MM+ZZZZ``) as TMX's ``YYYYMMDDThhmmssZ`` (in UTC)."""
    match = re.match(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?::(\d\d))?([+-]\d{4})?", po_date)
    if not match:
        return "19700101T000000Z"
    year, month, day, hour, minute, second, zone = match.groups()
    offset = zone or "+0000"
    stamp = datetime.strptime(f"{year}{month}{day}{hour}{minute}{second or '00'}{offset}",
                              "%Y%m%d%H%M%S%z")
    return stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_tmx(pairs: Iterable[Pair], *, source_lang: str, tool_version: str) -> bytes:
    """A TMX 1.4b document of ``pairs`` (the newest pair's date is the header's)."""
    pairs = list(pairs)
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "bitext", "creationtoolversion": tool_version,
        "segtype": "paragraph", "o-tmf": "PO", "adminlang": "en", "srclang": source_lang,
        "datatype": "plaintext",
        "creationdate": max((tmx_date(p.date) for p in pairs), default="19700101T000000Z"),
    })
    del header  # attributes only
    body = etree.SubElement(root, "body")
    for pair in pairs:
        tu = etree.SubElement(body, "tu", tuid=pair.key, creationdate=tmx_date(pair.date))
        etree.SubElement(tu, "prop", type="x-document").text = pair.doc
        source = source_parts(pair.source)
        for lang, parts in ((source_lang, source),
                            (pair.target_lang, target_parts(pair.target, source))):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            _seg(etree.SubElement(tuv, "seg"), parts)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">'))


def _seg(seg: etree._Element, parts: list[Part]) -> None:
    """Fill a ``<seg>`` with text and inline elements (see the module docstring)."""
    write_flat(seg, parts, _code)


def _code(seg: etree._Element, part: Code) -> etree._Element:
    if part.role == "open":
        return etree.SubElement(seg, "bpt", i=part.pair, x=part.pair, type=code_type(part))
    if part.role == "close":
        return etree.SubElement(seg, "ept", i=part.pair)
    return etree.SubElement(seg, "ph", x=part.id, type=code_type(part))
