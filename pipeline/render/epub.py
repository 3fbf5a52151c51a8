"""EPUB 3 container around an XHTML body that pandoc's HTML writer produced.

pandoc's own EPUB writer costs a process per book; the body it would write
is the same HTML its HTML writer gives, so bitext writes every edition's
body in the one HTML run (see `pipeline.render.run`) and packages the EPUB
here: ``mimetype`` (stored, first), ``META-INF/container.xml``, the package
document (``content.opf``), the navigation document (``nav.xhtml``, from
the headings), one stylesheet and one XHTML text. Every zip entry has the
same fixed time (from ``SOURCE_DATE_EPOCH`` or the edition's date) and a
fixed order, so the same inputs give the same bytes. The body is checked to
be well-formed XML before it is packaged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from html import escape
from xml.etree import ElementTree

from pipeline.errors import BitextError
from pipeline.languages import known

_HEADING = re.compile(r'<h([1-3])(?: [^>]*?)?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass(frozen=True)
class BookInfo:
    """What the package document says about a book."""

    identifier: str
    title: str
    langs: tuple[str, ...]
    authors: tuple[str, ...]
    date: dt.date | None
    publisher: str
    modified: int  # seconds since the epoch


def _xhtml(body: str, *, lang: str, title: str, css_href: str | None, body_type: str) -> str:
    link = (f'  <link rel="stylesheet" type="text/css" href="{css_href}" />\n'
            if css_href else "")
    # a right-to-left book says so on <html> and <body>: some reading systems read only one
    way = ' dir="rtl"' if (found := known(lang)) and found.rtl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}"{way}>\n<head>\n  <meta charset="utf-8" />\n'
        f"  <title>{escape(title)}</title>\n{link}</head>\n"
        f'<body epub:type="{body_type}"{way}>\n{body}\n</body>\n</html>\n'
    )


def _toc(body: str) -> str:
    """Nested ``<ol>`` of the body's h1-h3 (a level never deepens by more than one step)."""
    out: list[str] = []
    depth = 0
    found = _HEADING.findall(body)
    base = min((int(level) for level, _, _ in found), default=1)
    for level_text, ident, inner in found:
        level = min(int(level_text) - base + 1, depth + 1)
        if level > depth:
            out.append("<ol>")
        else:
            out.append("</li>" + "</ol></li>" * (depth - level))
        label = escape(" ".join(_TAG.sub("", inner).split()), quote=False) or ident
        out.append(f'<li><a href="text/book.xhtml#{ident}">{label}</a>')
        depth = level
    if depth:
        out.append("</li>" + "</ol></li>" * (depth - 1) + "</ol>")
    return "\n".join(out)


def _nav(body: str, *, lang: str, title: str) -> str:
    """The navigation document: the table of contents and the start of the text."""
    toc = _toc(body) or f'<ol><li><a href="text/book.xhtml">{escape(title)}</a></li></ol>'
    nav = (f'<nav epub:type="toc" id="toc">\n<h1>{escape(title)}</h1>\n{toc}\n</nav>\n'
           '<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<ol>\n'
           '<li><a epub:type="bodymatter" href="text/book.xhtml">'
           f"{escape(title)}</a></li>\n</ol>\n</nav>")
    return _xhtml(nav, lang=lang, title=title, css_href=None, body_type="frontmatter")


def _opf(info: BookInfo) -> str:
    modified = dt.datetime.fromtimestamp(info.modified, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = [f'<dc:identifier id="bookid">{escape(info.identifier)}</dc:identifier>',
            f"<dc:title>{escape(info.title)}</dc:title>"]
    meta += [f"<dc:language>{escape(lang)}</dc:language>" for lang in info.langs]
    meta += [f"<dc:creator>{escape(a)}</dc:creator>" for a in info.authors]
    if info.date:
        meta.append(f"<dc:date>{info.date.isoformat()}</dc:date>")
    if info.publisher:
        meta.append(f"<dc:publisher>{escape(info.publisher)}</dc:publisher>")
    meta += [f'<meta property="dcterms:modified">{modified}</meta>',
             '<meta property="schema:accessMode">textual</meta>',
             '<meta property="schema:accessModeSufficient">textual</meta>',
             '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
             '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
             '<meta property="schema:accessibilityHazard">none</meta>']
    # the book's first language sets the page order: an Arabic book turns its pages leftwards
    first = known(info.langs[0])
    spine = ' page-progression-direction="rtl"' if first and first.rtl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="bookid" xml:lang="{info.langs[0]}">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n    '
        + "\n    ".join(meta)
        + "\n  </metadata>\n  <manifest>\n"
        '    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
        'properties="nav"/>\n'
        '    <item id="css" href="styles/book.css" media-type="text/css"/>\n'
        '    <item id="text" href="text/book.xhtml" media-type="application/xhtml+xml"/>\n'
        f'  </manifest>\n  <spine{spine}>\n    <itemref idref="text"/>\n  </spine>\n</package>\n'
    )


def package(body: str, info: BookInfo, *, css: str, shown: str) -> bytes:
    """The EPUB file: ``body`` (an XHTML fragment) as the book's one text."""
    lang = info.langs[0]
    text = _xhtml(body, lang=lang, title=info.title, css_href="../styles/book.css",
                  body_type="bodymatter")
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        raise BitextError(f"EPUB text is not well-formed XHTML: {exc}", path=shown) from exc
    stamp = dt.datetime.fromtimestamp(max(info.modified, 315532800), dt.UTC)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    files = [
        ("META-INF/container.xml", CONTAINER),
        ("EPUB/content.opf", _opf(info)),
        ("EPUB/nav.xhtml", _nav(body, lang=lang, title=info.title)),
        ("EPUB/styles/book.css", css),
        ("EPUB/text/book.xhtml", text),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(_entry("mimetype", date_time), "application/epub+zip",
                      compress_type=zipfile.ZIP_STORED)
        for name, content in files:
            book.writestr(_entry(name, date_time), content.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def _entry(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.external_attr = 0o644 << 16
    info.create_system = 3  # unix, whatever the building machine
    return info
