"""HTML and EPUB editions: body ASTs, and the HTML page around pandoc's fragment.

Single language: title block, body, then the notes (``fn-<lang>-<n>``), each
starting with its label linking back to its first reference.

Bilingual: one ``div.row`` per aligned segment group, the original in the
left cell and the translation in the right, then one row per pair of notes.
The HTML page's CSS sets each row as a two-column grid (stacked on a narrow
screen); e-readers handle grids poorly, so the EPUB's CSS interleaves: the
original's block, then the translation's, styled apart.

One body serves both: pandoc's HTML writer writes it once per edition; the
EPUB keeps it as is (notes are EPUB footnotes, ``<aside epub:type="footnote">``,
each language's in its own series), the HTML page drops ``epub:type``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pipeline.languages import known
from pipeline.render.ast import (
    Node,
    attr,
    div,
    header,
    para,
    raw_block,
    stringify,
    text,
)
from pipeline.render.document import LangDoc
from pipeline.render.formats import FormatContext, badge, finish, note_blocks, note_id, ui
from pipeline.render.langs import is_rtl, lang_attr
from pipeline.render.metadata import Metadata, original_inlines
from pipeline.render.rows import align_rows


def title_block(doc: LangDoc, ctx: FormatContext, *, heading: bool = True) -> Node:
    """The title, subtitle, authors, date and publication note of one language."""
    front = doc.front
    title = list(front.title)
    if ctx.draft and front.states.get("title") in ("fuzzy", "untranslated"):
        title = badge(front.states["title"], doc.lang, ctx.fmt) + title
    blocks: list[Node] = []
    if title:
        level = 1 if heading else 2
        blocks.append(header(level, attr(f"title-{doc.lang}", ["title"]), finish(title, doc, ctx)))
    if front.subtitle:
        blocks.append(div(attr("", ["subtitle"]), [para(finish(front.subtitle, doc, ctx))]))
    for author in front.authors:
        blocks.append(div(attr("", ["author"]), [para(finish(author, doc, ctx))]))
    if front.date_text:
        blocks.append(div(attr("", ["date"]), [para([text(front.date_text)])]))
    if front.note:
        note = list(front.note)
        if ctx.draft and front.states.get("publication-note") in ("fuzzy", "untranslated"):
            note = badge(front.states["publication-note"], doc.lang, ctx.fmt) + note
        blocks.append(div(attr("", ["publication-note"]), [para(finish(note, doc, ctx))]))
    elif line := original_line(doc):
        blocks.append(div(attr("", ["publication-note", "original"]), [para(line)]))
    if front.abstract:
        blocks.append(div(attr(f"bitext-abstract-{doc.lang}", ["abstract"]),
                          finish(front.abstract, doc, ctx)))
    return div(attr(f"bitext-front-{doc.lang}", ["title-block"], [("lang", doc.lang)]), blocks)


def original_line(doc: LangDoc) -> list[Node]:
    """The first publication's line, when the front matter has no ``publication-note``
    of its own words (which wins: it says the same, as its author put it)."""
    return original_inlines(doc.front.meta.original, doc.lang,
                            ui("first-published", doc.lang))


def _aside(doc: LangDoc, number: int, blocks: list[Node]) -> list[Node]:
    """A note's container: an ``aside``, an EPUB footnote (``page`` drops ``epub:type``)."""
    ident = note_id(doc.lang, number)
    open_tag = (f'<aside id="{ident}" class="footnote" epub:type="footnote" '
                f'role="doc-footnote" lang="{doc.lang}" xml:lang="{doc.lang}">')
    return [raw_block("html", open_tag), *blocks, raw_block("html", "</aside>")]


def notes_section(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    if not doc.notes:
        return []
    out: list[Node] = [header(2, attr(f"bitext-notes-title-{doc.lang}", ["notes-title"]),
                              [text(ui("notes", doc.lang))])]
    for note in doc.notes:
        out.extend(_aside(doc, note.number, note_blocks(note, doc, ctx)))
    return [div(attr(f"bitext-notes-{doc.lang}", ["footnotes"]), out)]


def single_body(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    """The body of a single-language HTML or EPUB edition."""
    return [
        title_block(doc, ctx),
        div(attr(f"bitext-text-{doc.lang}", ["body"]), finish(doc.blocks, doc, ctx)),
        *notes_section(doc, ctx),
    ]


def note_pairs(left: LangDoc, right: LangDoc) -> list[tuple[int | None, int | None]]:
    """Note numbers paired by footnote segment; a note only one side has stands alone."""
    by_segment = {n.segment: n.number for n in right.notes if n.segment is not None}
    used: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for note in left.notes:
        match = by_segment.get(note.segment) if note.segment is not None else None
        if match is not None and match not in used:
            used.add(match)
        pairs.append((note.number, match))
    pairs.extend((None, n.number) for n in right.notes if n.number not in used)
    return pairs


def _cell(doc: LangDoc, blocks: list[Node], side: str, row: int) -> Node:
    # an identifier keeps pandoc from turning a div that starts with a heading into a
    # <section> that takes the heading's identifier
    # each cell says its direction, left to right too: in a page that runs the other way
    # (an Arabic original beside its English translation) a cell would inherit the page's
    pairs = lang_attr(doc.lang)[2]
    pairs = pairs if is_rtl(doc.lang) else [*pairs, ["dir", "ltr"]]
    return div(attr(f"bitext-{row}-{doc.lang}", ["cell", side], pairs), blocks)


def bilingual_body(left: LangDoc, right: LangDoc, lctx: FormatContext,
                   rctx: FormatContext) -> list[Node]:
    """The bilingual body: one ``div.row`` per aligned group, each with two cells.

    The same body serves the HTML page (its CSS makes each row a two-column grid) and
    the EPUB text (its CSS shows each original block followed by its translation).
    """
    kind = "row"
    out: list[Node] = [div(attr("", [kind, "title-row"]), [
        _cell(left, [title_block(left, lctx, heading=True)], "original", 0),
        _cell(right, [title_block(right, rctx, heading=False)], "translation", 0),
    ])]
    rows = align_rows(left.blocks, right.blocks)
    for row, (a, b) in enumerate(rows, start=1):
        heading = any(x["t"] == "Header" for x in a + b)
        out.append(div(attr("", [kind] + (["heading-row"] if heading else [])), [
            _cell(left, finish(a, left, lctx), "original", row),
            _cell(right, finish(b, right, rctx), "translation", row),
        ]))
    pairs = note_pairs(left, right)
    if pairs:
        out.append(div(attr("", [kind, "notes-row"]), [
            _cell(left, [header(2, attr(f"bitext-notes-title-{left.lang}", ["notes-title"]),
                                [text(ui("notes", left.lang))])], "original", len(rows) + 1),
            _cell(right, [header(2, attr(f"bitext-notes-title-{right.lang}", ["notes-title"]),
                                 [text(ui("notes", right.lang))])], "translation",
                  len(rows) + 1),
        ]))
    notes_l = {n.number: n for n in left.notes}
    notes_r = {n.number: n for n in right.notes}
    for row, (ln, rn) in enumerate(pairs, start=len(rows) + 2):
        cells = []
        for doc, ctx, number, table, side in ((left, lctx, ln, notes_l, "original"),
                                               (right, rctx, rn, notes_r, "translation")):
            content = (_aside(doc, number, note_blocks(table[number], doc, ctx))
                       if number is not None else [])
            cells.append(_cell(doc, content, side, row))
        out.append(div(attr("", [kind, "note-row"]), cells))
    return out


_SLOT = re.compile(r"\{\{([a-z]+)\}\}")
_EPUB_TYPE = re.compile(r'(<(?:a|aside) [^>]*?) epub:type="[a-z]+"')


def strip_epub(fragment: str) -> str:
    """The body without its ``epub:type`` attributes (they are not HTML).

    Only bitext's own tags can match: raw HTML is off, so source text cannot make a tag.
    """
    return _EPUB_TYPE.sub(r"\1", fragment)


@dataclass(frozen=True)
class EditionLink:
    """A sibling edition of a page (or the page itself, ``current``): file and languages."""

    href: str
    langs: tuple[str, ...]
    current: bool = False


def language_name(lang: str) -> str:
    """A language's name in that language, as a reader picks it: "Türkçe", "English"."""
    found = known(lang)
    name = str(found.locale.get_display_name(found.locale) or lang) if found else lang
    return name[:1].upper() + name[1:]


def _edition_label(link: EditionLink) -> str:
    """"Türkçe", or "Türkçe–English" for a bilingual edition, each name in its language."""
    return "–".join(f'<span lang="{lg}">{html.escape(language_name(lg))}</span>'
                    for lg in link.langs)


def _hreflang(link: EditionLink) -> str:
    # a bilingual page is in two languages: BCP 47 has "mul" (multiple languages) for that;
    # "tr-en" would read as Turkish of a region "EN", and "x-default" means "for any
    # language no other page serves", which is not what this page is
    return link.langs[0] if len(link.langs) == 1 else "mul"


def _head(meta: Metadata, editions: list[EditionLink]) -> str:
    """Metadata and sibling-edition links for the page's ``<head>``."""
    out = [f'<meta name="author" content="{html.escape(a)}">' for a in meta.authors]
    if meta.date:
        out.append(f'<meta name="dcterms.date" content="{meta.date.iso()}">')
    if meta.publisher:
        out.append(f'<meta name="dcterms.publisher" content="{html.escape(meta.publisher)}">')
    if meta.original.url:
        out.append(f'<meta name="dcterms.source" content="{html.escape(meta.original.url)}">')
    if meta.rights:
        out.append(f'<meta name="dcterms.rights" content="{html.escape(meta.rights)}">')
    for link in editions:
        title = "–".join(language_name(lg) for lg in link.langs)
        out.append(f'<link rel="alternate" hreflang="{_hreflang(link)}" '
                   f'href="{html.escape(link.href)}" title="{html.escape(title)}">')
    return "".join(line + "\n" for line in out)


def _switch(editions: list[EditionLink], lang: str) -> str:
    """The visible language switch: every edition, the current one not a link."""
    if not editions:
        return ""
    items = []
    for link in editions:
        label = _edition_label(link)
        if link.current:
            items.append(f'<span class="current" aria-current="page">{label}</span>')
        else:
            items.append(f'<a href="{html.escape(link.href)}" hreflang="{_hreflang(link)}">'
                         f"{label}</a>")
    return (f'<nav class="editions" aria-label="{html.escape(ui("editions", lang))}">'
            + ' <span class="sep" aria-hidden="true">·</span> '.join(items) + "</nav>\n")


def _footer(meta: Metadata) -> str:
    """Publisher and rights at the foot of the page (nothing when neither is given)."""
    parts = [html.escape(x) for x in (meta.publisher, meta.rights) if x]
    if not parts:
        return ""
    return ('<footer class="colophon"><p>' + " · ".join(parts) + "</p></footer>\n")


def page(fragment: str, *, template: str, lang: str, title: list[Node], css: str,
         kind: str, version: str, meta: Metadata | None = None,
         editions: list[EditionLink] | None = None) -> str:
    """The HTML page around pandoc's body fragment (``{{name}}`` slots in ``template``).

    The fragment is the EPUB text's body; its ``epub:type`` attributes go (`strip_epub`).
    ``meta`` goes into the head and the footer, ``editions`` (this page among them) into
    ``<link rel="alternate">`` and the language switch at the top.
    """
    fragment = strip_epub(fragment)
    meta = meta or Metadata()
    editions = editions or []
    values = {
        "lang": lang,
        "dir": ' dir="rtl"' if is_rtl(lang) else "",
        "title": html.escape(" ".join(stringify(title).split()) or "Untitled"),
        "head": _head(meta, editions),
        "css": css,
        "kind": kind,
        "version": html.escape(version),
        "editions": _switch(editions, lang),
        "footer": _footer(meta),
        "body": fragment,
    }
    # one pass over the template: a value ("{{body}}" in an author's name) is never scanned
    return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), template)
