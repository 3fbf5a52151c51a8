"""PDF editions: a typst document from pandoc's typst fragment and bitext's preamble.

Single language: real typst footnotes at the foot of each page, numbered
with the publication's labels (``#set footnote(numbering: …)`` reads them
from an array, so roman, alphabetic or the source's own labels all work).

Bilingual: one two-column grid per aligned row, the original on the left,
the translation on the right. Footnotes inside grid cells break badly in
typst (measured with typst 0.15: when a row breaks, notes whose references
are on one page land on the next), so the bilingual PDF does not use them:
a row whose text references notes is followed at once by a *notes row*,
the original's notes on the left and the translation's on the right, each
language numbered in its own series, in smaller type, references linked to
them. The row sticks to its notes row: when the two do not fit in what is
left of a page, both move to the next, so every note is on the page of its
reference (at the cost of some empty space at the foot of a page). Only a
row taller than a page breaks, with its notes after its end. A heading row
sticks to the row after it.

The preamble (``pipeline/templates/edition.typ``) sets A4 paper (or the
configured size), the shipped fonts, the language (Turkish hyphenation comes
from ``lang: "tr"``) and the helper functions the body calls.
"""

from __future__ import annotations

from pipeline.render.ast import Node, plain, raw_block, raw_inline, stringify
from pipeline.render.document import LangDoc
from pipeline.render.formats import (
    FormatContext,
    badge,
    finish,
    note_blocks,
    note_id,
    typst_lang,
    typst_string,
    ui,
)
from pipeline.render.metadata import original_inlines
from pipeline.render.notes import references_in
from pipeline.render.rows import align_rows


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


def _cell(doc: LangDoc, blocks: list[Node] | None, last: bool = False) -> list[Node]:
    """One argument of ``#bitext-pair``: ``[…]`` in the cell's language, or ``none``."""
    end = "]" if last else "],"
    if blocks is None:
        return [raw_block("typst", "none" + end[1:])]
    return [raw_block("typst", f"[#set text({typst_lang(doc.lang)})"), *blocks,
            raw_block("typst", end)]


def _pair(left: LangDoc, right: LangDoc, a: list[Node], b: list[Node],
          notes: tuple[list[Node], list[Node]] | None = None, heading: bool = False
          ) -> list[Node]:
    """``#bitext-pair(…)``: a row, and the notes it calls (see the template)."""
    return [raw_block("typst", f"#bitext-pair(heading: {'true' if heading else 'false'},"),
            *_cell(left, a), *_cell(right, b), *_cell(left, notes[0] if notes else None),
            *_cell(right, notes[1] if notes else None, last=True), raw_block("typst", ")")]


def _notes(doc: LangDoc, ctx: FormatContext, numbers: list[int]) -> list[Node]:
    table = {n.number: n for n in doc.notes}
    out: list[Node] = []
    for number in numbers:
        out.append(raw_block("typst", "#bitext-note-entry["))
        out.extend(note_blocks(table[number], doc, ctx))
        out.append(raw_block("typst", f"] <{note_id(doc.lang, number)}>"))
    return out


def single_body(doc: LangDoc, ctx: FormatContext) -> list[Node]:
    return [*title_blocks(doc, ctx), raw_block("typst", "#bitext-body-start()"),
            *finish(doc.blocks, doc, ctx)]


def bilingual_body(left: LangDoc, right: LangDoc, lctx: FormatContext,
                   rctx: FormatContext) -> list[Node]:
    out = _pair(left, right, title_blocks(left, lctx), title_blocks(right, rctx))
    out.append(raw_block("typst", "#bitext-body-start()"))
    placed_l: set[int] = set()
    placed_r: set[int] = set()
    for a, b in align_rows(left.blocks, right.blocks):
        heading = any(x["t"] == "Header" for x in a + b)
        notes_l = [n for n in references_in(a) if n not in placed_l]
        notes_r = [n for n in references_in(b) if n not in placed_r]
        placed_l.update(notes_l)
        placed_r.update(notes_r)
        notes = ((_notes(left, lctx, notes_l), _notes(right, rctx, notes_r))
                 if notes_l or notes_r else None)
        out += _pair(left, right, finish(a, left, lctx), finish(b, right, rctx), notes,
                     heading=heading)
    # notes that no body row calls (a reference only in the title, say) end the document
    rest_l = [n.number for n in left.notes if n.number not in placed_l]
    rest_r = [n.number for n in right.notes if n.number not in placed_r]
    if rest_l or rest_r:
        out += _pair(left, right, [], [], (_notes(left, lctx, rest_l),
                                           _notes(right, rctx, rest_r)))
    return out


def document_source(
    fragment: str, *, template: str, docs: list[LangDoc], paper: str, bilingual: bool,
    labels: list[str], stamped: bool = False,
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
    }
    out = template
    for key, value in values.items():
        out = out.replace("{{" + key + "}}", value)
    return out + "\n" + fragment + "\n"


def footnote_labels(doc: LangDoc) -> list[str]:
    """The label of note n at index n-1: typst's footnote counter indexes this array."""
    return [n.label for n in sorted(doc.notes, key=lambda n: n.number)]
