"""Reading XLIFF 1.1, 1.2 and 2.0 back: units, states, inline codes checked. Pure.

Untrusted input: no entities resolved, no DTD, no network. The writing side and
the state mapping are in `pipeline.exchange.xliff`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.errors import BitextError
from pipeline.exchange.inline import Code, Part, check_codes, codes_of, join

# --- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadUnit:
    """A unit as a CAT tool left it: texts rebuilt with their codes, or what is wrong."""

    id: str
    line: int
    source: str
    target: str | None  # None: no target element, or an empty one
    state: str  # one of STATES: what the target is worth
    context: str | None = None
    problem: str = ""

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS11 = "urn:oasis:names:tc:xliff:document:1.1"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class ReadFile:
    original: str
    source_lang: str
    target_lang: str
    units: list[ReadUnit] = field(default_factory=list)


def read_xliff(data: bytes, *, shown: str) -> tuple[str, list[ReadFile]]:
    """The version ("1.2" or "2.0") and files of an XLIFF document; malformed raises."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BitextError(f"not well-formed XML: {exc.msg}", path=shown,
                          line=exc.lineno or None) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None:
        raise BitextError("an XLIFF file with a DTD (entity declarations) is not read",
                          path=shown)
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or namespace not in (NS11, NS12, NS20):
        raise BitextError(f"not an XLIFF 1.1, 1.2 or 2.0 document (root {root.tag!r})",
                          path=shown, line=_line(root) or None)
    if namespace == NS20:
        return "2.0", _read20(root, shown)
    return "1.2", _read12(root, namespace or NS12, shown)


def _read12(root: etree._Element, ns: str, shown: str) -> list[ReadFile]:
    files = []
    for f in root.iter(f"{{{ns}}}file"):
        file = ReadFile(f.get("original", ""), f.get("source-language", ""),
                        f.get("target-language", ""))
        for tu in f.iter(f"{{{ns}}}trans-unit"):
            if tu.get("restype") != "x-gettext-domain-header":  # po2xliff's PO header
                file.units.append(_read_unit12(tu, ns))
        files.append(file)
    return files


def _read_unit12(tu: etree._Element, ns: str) -> ReadUnit:
    unit_id, line = tu.get("id", ""), _line(tu)
    source_el, target_el = tu.find(f"{{{ns}}}source"), tu.find(f"{{{ns}}}target")
    context = None
    for ctx in tu.iterfind(f"{{{ns}}}context-group/{{{ns}}}context"):
        if ctx.get("context-type") == "x-po-msgctxt":
            context = ctx.text or ""
    if source_el is None:
        return ReadUnit(unit_id, line, "", None, "new", context, "the unit has no <source>")
    try:
        source = _parts12(source_el, ns, None)
    except _Broken as exc:
        return ReadUnit(unit_id, line, "", None, "new", context, f"source: {exc}")
    source_text = join(source)
    if target_el is None or not _has_content(target_el):
        return ReadUnit(unit_id, line, source_text, None, "new", context)
    approved, state = tu.get("approved"), target_el.get("state", "")
    done = approved == "yes" or (approved != "no" and state in (
        "translated", "signed-off", "final"))
    try:
        target = _parts12(target_el, ns, codes_of(source))
    except _Broken as exc:
        return ReadUnit(unit_id, line, source_text, None, "new", context, str(exc))
    return ReadUnit(unit_id, line, source_text, join(target),
                    "translated" if done else "fuzzy", context, check_codes(source, target))


def _line(element: etree._Element) -> int:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 0


def _text(element: etree._Element) -> str:
    return "".join(t if isinstance(t, str) else t.decode() for t in element.itertext())


class _Broken(Exception):
    """A target whose codes cannot be read (an unknown id, an ept with no bpt...)."""


def _has_content(element: etree._Element) -> bool:
    return bool(element.text) or len(element) > 0


_FN = re.compile(r"\[\^[^\]\s]+\]")


def _code(name: str, cid: str, text: str, known: dict[str, Code] | None) -> Code:
    """The code an inline element stands for. Reading a source (``known`` None), a new
    code named after the element (``ph:3``; the halves of a pair ``open:1``/``close:1``);
    reading a target, the source's code of that name (`_Broken` if there is none)."""
    role = {"bpt": "open", "sc": "open", "ept": "close", "ec": "close"}.get(name, "")
    ident = f"{role or 'ph'}:{cid}"
    if known is None:
        kind = "fn" if _FN.fullmatch(text) else "emph" if role else "ph"
        return Code(ident, text, kind, role, f"open:{cid}" if role else "")
    found = known.get(ident)
    if found is None:
        raise _Broken(f"the target has an inline code <{name} id={cid!r}> the source "
                      "does not have")
    return found


def _parts12(element: etree._Element, ns: str, known: dict[str, Code] | None) -> list[Part]:
    """Text and codes of a 1.2 source or target (``known``: the source's codes by name,
    None when reading the source itself, whose codes are what the elements hold)."""
    parts: list[Part] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                name = etree.QName(child).localname
                if name in ("ph", "bpt", "ept", "it", "x", "bx", "ex"):
                    parts.append(_code(name if name in ("bpt", "ept") else "ph",
                                       child.get("id", ""), _text(child), known))
                elif name in ("g", "mrk"):
                    walk(child)
                else:
                    raise _Broken(f"unexpected element <{name}> in a segment")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return parts


def _read20(root: etree._Element, shown: str) -> list[ReadFile]:
    files = []
    src, trg = root.get("srcLang", ""), root.get("trgLang", "")
    for f in root.iter(f"{{{NS20}}}file"):
        file = ReadFile(f.get("original", ""), src, trg)
        for u in f.iter(f"{{{NS20}}}unit"):
            file.units.append(_read_unit20(u))
        files.append(file)
    return files


def _read_unit20(u: etree._Element) -> ReadUnit:
    unit_id, line = u.get("id", ""), _line(u)
    data = {d.get("id", ""): _text(d)
            for d in u.iterfind(f"{{{NS20}}}originalData/{{{NS20}}}data")}
    context = None
    for note in u.iterfind(f"{{{NS20}}}notes/{{{NS20}}}note"):
        if note.get("category") == "msgctxt":
            context = note.text or ""
    segments = u.findall(f"{{{NS20}}}segment")
    if len(segments) != 1:
        return ReadUnit(unit_id, line, "", None, "new", context,
                        f"expected one <segment>, found {len(segments)}")
    segment = segments[0]
    source_el, target_el = segment.find(f"{{{NS20}}}source"), segment.find(f"{{{NS20}}}target")
    if source_el is None:
        return ReadUnit(unit_id, line, "", None, "new", context, "the unit has no <source>")
    try:
        source = _parts20(source_el, data, None)
        source_text = join(source)
        if target_el is None or not _has_content(target_el):
            return ReadUnit(unit_id, line, source_text, None, "new", context)
        target = _parts20(target_el, data, codes_of(source))
    except _Broken as exc:
        return ReadUnit(unit_id, line, "", None, "new", context, str(exc))
    state = segment.get("state", "initial")
    return ReadUnit(unit_id, line, source_text, join(target),
                    "translated" if state in ("reviewed", "final") else "fuzzy", context,
                    check_codes(source, target))


def _parts20(element: etree._Element, data: dict[str, str],
             known: dict[str, Code] | None) -> list[Part]:
    parts: list[Part] = []

    def native(ref: str | None) -> str:
        if known is not None:
            return ""  # a target's code is the source's
        if ref is None or ref not in data:
            raise _Broken(f"an inline code refers to original data {ref!r} the unit lacks")
        return data[ref]

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                name = etree.QName(child).localname
                cid = child.get("id", "")
                if name == "ph":
                    parts.append(_code("ph", cid, native(child.get("dataRef")), known))
                elif name == "pc":
                    parts.append(_code("sc", cid, native(child.get("dataRefStart")), known))
                    walk(child)
                    parts.append(_code("ec", cid, native(child.get("dataRefEnd")), known))
                elif name == "sc":
                    parts.append(_code("sc", cid, native(child.get("dataRef")), known))
                elif name == "ec":
                    parts.append(_code("ec", child.get("startRef", ""),
                                       native(child.get("dataRef")), known))
                elif name == "mrk":
                    walk(child)
                else:
                    raise _Broken(f"unexpected element <{name}> in a segment")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return parts
