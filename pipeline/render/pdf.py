"""PDF editions: a typst document from pandoc's typst fragment and bitext's preamble.

Single language: real typst footnotes at the foot of each page, numbered
with the publication's labels (``#set footnote(numbering: …)`` reads them
from an array, so roman, alphabetic or the source's own labels all work);
each note's label links back to its reference (the template's
``footnote.entry`` rule). About 65 characters a line (the template's margins).

Bilingual (parallel columns or facing pages): not typst's own page breaking,
whose footnotes inside grid cells land on the wrong page when a row breaks
(measured with typst 0.15), and which has no two flows kept in step. The
pages are cut in Python from heights typst measures: `pipeline.render.pdf_pages`
(pieces, measuring document, paged document) and `pipeline.render.pagination`.

The preamble (``pipeline/templates/edition.typ``) sets A4 paper (or the
configured size), the shipped fonts, the language (Turkish hyphenation comes
from ``lang: "tr"``), the hyphenation rules and the helper functions the body calls.
"""

from __future__ import annotations

import re

from pipeline.render.ast import Node, plain, raw_block, raw_inline, stringify
from pipeline.render.document import LangDoc
from pipeline.render.formats import (
    FormatContext,
    badge,
    finish,
    typst_lang,
    typst_string,
    ui,
)
from pipeline.render.metadata import original_inlines


def _call(name: str, inlines: list[Node]) -> list[Node]:
    """``#name[inlines]`` as blocks (pandoc writes the inlines, escaped)."""
    return [plain([raw_inline("typst", f"#{name}["), *inlines, raw_inline("typst", "]")])]


def title_blocks(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    front = doc.front
    out: list[Node] = []
    title = list(front.title)
    if ctx.draft and front.states.get("title") in ("fuzzy", "untranslated"):
        title = badge(front.states["title"], doc.lang, ctx.fmt) + title
    if title:
        out += _call("bitext-title", finish(title, doc, ctx))
    if front.subtitle:
        out += _call("bitext-subtitle", finish(front.subtitle, doc, ctx))
    for author in front.authors:
        out += _call("bitext-author", finish(author, doc, ctx))
    if front.date_text:
        out += [raw_block("typst", f"#bitext-date({typst_string(front.date_text)})")]
    if front.note:
        note = list(front.note)
        if ctx.draft and front.states.get("publication-note") in ("fuzzy", "untranslated"):
            note = badge(front.states["publication-note"], doc.lang, ctx.fmt) + note
        out += _call("bitext-pubnote", finish(note, doc, ctx))
    elif line := original_inlines(front.meta.original, doc.lang,
                                  ui("first-published", doc.lang)):
        out += _call("bitext-pubnote", line)
    if front.abstract:
        out += [raw_block("typst", "#bitext-abstract["), *finish(front.abstract, doc, ctx),
                raw_block("typst", "]")]
    return out


def front_blocks(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    """The title block, never hyphenated, no line of it a single word (see `unorphan`)."""
    return [raw_block("typst", "#[#set text(hyphenate: false)"),
            *[unorphan(b) for b in title_blocks(doc, ctx)], raw_block("typst", "]")]


def unorphan(block: Node) -> Node:
    """A ``#bitext-title[…]`` line (title, subtitle, author, note) whose last word cannot
    stand alone on a line: its last space becomes a no-break space.

    Balancing the lines of a title is the point (typst has no ``text-wrap: balance``);
    a word alone on the last line is the imbalance a reader sees.
    """
    items = block["c"] if block["t"] == "Plain" else None
    if not items or items[0]["t"] != "RawInline" or not str(items[0]["c"][1]).startswith(
            "#bitext-"):
        return block
    spaces = [k for k, node in enumerate(items) if node["t"] == "Space"]
    if not spaces:
        return block
    k = spaces[-1]
    return {"t": "Plain", "c": [*items[:k], {"t": "Str", "c": "\u00a0"}, *items[k + 1:]]}


def single_body(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    return [*front_blocks(doc, ctx), raw_block("typst", "#bitext-body-start()"),
            *finish(doc.blocks, doc, ctx)]


def document_source(
    fragment: str, *, template: str, docs: list[LangDoc], paper: str, bilingual: bool,
    labels: list[str], stamped: bool = False, layout: str = "parallel",
) -> str:
    """The whole typst file: the preamble with its slots filled, then the body fragment."""
    first = docs[0]
    title = " / ".join(t for d in docs if (t := " ".join(stringify(d.front.title).split())))
    meta = first.front.meta
    day = meta.date.first_day() if meta.date else None
    # the document's date: the publication's; else typst's compile time (SOURCE_DATE_EPOCH,
    # `stamped`); else none, rather than a day the build happened to run on
    date = (f"datetime(year: {day.year}, month: {day.month}, day: {day.day})" if day
            else "auto" if stamped else "none")
    # the PDF's keywords: the languages (typst writes one document language, the first; a
    # bilingual PDF names both here and sets each column's own)
    keywords = [d.lang for d in docs] if bilingual else []
    values = {
        "title": typst_string(title),
        "authors": "(" + "".join(typst_string(a) + ", " for a in meta.authors) + ")",
        "date": date,
        "keywords": "(" + "".join(typst_string(k) + ", " for k in keywords) + ")",
        "paper": typst_string(paper),
        "lang": typst_lang(first.lang),  # typst wants the region apart: pt-BR
        "labels": "(" + "".join(typst_string(lb) + ", " for lb in labels) + ")",
        "bilingual": "true" if bilingual else "false",
        "layout": typst_string(layout if bilingual else "single"),
    }
    # one pass: a value (a title is untrusted text) is never searched for slots again
    out = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), template)
    return out + "\n" + fragment + "\n"


def footnote_labels(doc: LangDoc) -> list[str]:
    """The label of note n at index n-1: typst's footnote counter indexes this array."""
    return [n.label for n in sorted(doc.notes, key=lambda n: n.number)]
