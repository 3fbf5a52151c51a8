"""XML from strangers (TBX glossaries, TMX memories), parsed without entities. Pure.

The standard library's parser expands internal entities, so a "billion laughs"
file would expand in memory: a document that declares any entity is refused
before it is parsed, with the line of the declaration.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pipeline.errors import BitextError


def parse_untrusted(text: str, *, shown: str, what: str, fmt: str) -> ET.Element:
    """The root element of ``text``; ``what`` ("a TBX glossary") and ``fmt`` ("TBX") name
    the document in messages."""
    if "<!ENTITY" in text:
        line = text.count("\n", 0, text.index("<!ENTITY")) + 1
        raise BitextError(f"{what} must not declare entities", path=shown, line=line)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise BitextError(f"not a well-formed {fmt} file: {exc}", path=shown,
                          line=exc.position[0]) from None


def local(tag: object) -> str:
    """An element's name without its namespace (``{urn:…}tu`` -> ``tu``)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
