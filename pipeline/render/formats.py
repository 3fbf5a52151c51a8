"""The last pass before a writer: tags, note references and language spans, per format.

`finish` rewrites a `LangDoc`'s blocks for one format: "html" (the body
pandoc's HTML writer writes for both an HTML page and an EPUB text) or "typst":

- a segment tag becomes a visible draft mark (``untranslated``, ``not
  reviewed``) in a draft build when the segment is not translated or not
  reviewed, else nothing; an untranslated segment standing in the original
  language is wrapped in a span of that language;
- a note reference becomes a link to the note, its label in superscript
  (HTML and EPUB, with ``epub:type="noteref"``; typst in a bilingual grid), or a
  real typst footnote in a single-language PDF; two references in a row get
  a superscript comma between them, so ``[^ii] [^iii]`` reads ``ii,iii``
  and not ``iiiii``;
- in typst, a language span becomes ``#text(lang: …)[…]`` (``dir: rtl`` for a
  right-to-left language: typst wraps such a run in a Unicode *embedding*),
  and a span against the paragraph's direction gets a mark of the
  paragraph's direction on each side (LRM around a right-to-left run, RLM
  around a left-to-right one), which makes the embedding act as an isolate:
  the quotes and commas around it keep their places (typst's bidi ignores
  the isolate controls FSI/RLI…PDI; HTML's ``dir`` isolates by itself); a
  language div becomes a scoped ``#set text(lang: …)``.

Identifiers: a note is ``fn-<lang>-<n>``, its references
``fnref-<lang>-<n>-<k>`` (k-th reference), in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.languages import known
from pipeline.render.ast import (
    SPACE,
    Attr,
    Node,
    attr,
    link,
    map_lists,
    raw_block,
    raw_inline,
    span,
    sup,
    text,
)
from pipeline.render.document import LangDoc
from pipeline.render.langs import is_rtl, lang_attr
from pipeline.render.notes import Note, reference_of
from pipeline.render.source import tag_index

_UI = {
    "notes": {"tr": "Notlar", "en": "Notes", "de": "Anmerkungen", "fr": "Notes", "es": "Notas",
              "ar": "ملاحظات"},
    "untranslated": {"tr": "çevrilmedi", "en": "untranslated", "de": "nicht übersetzt",
                     "fr": "non traduit", "es": "sin traducir", "ar": "غير مترجم"},
    # publication metadata (pipeline.render.html, pdf): the original's line, the switch
    "first-published": {"tr": "İlk yayımlandığı yer:", "en": "First published in",
                        "de": "Zuerst erschienen in", "fr": "Première publication :",
                        "es": "Publicado originalmente en", "ar": "نُشر أولًا في"},
    "editions": {"tr": "Baskılar", "en": "Editions", "de": "Ausgaben", "fr": "Éditions",
                 "es": "Ediciones", "ar": "الطبعات"},
    "fuzzy": {"tr": "gözden geçirilmedi", "en": "not reviewed", "de": "nicht geprüft",
              "fr": "non relu", "es": "sin revisar", "ar": "لم يُراجع"},
}
LRM = "\u200e"
RLM = "\u200f"


def ui(key: str, lang: str) -> str:
    """An interface word in ``lang`` (English when bitext does not know the language)."""
    table = _UI[key]
    found = known(lang)
    return table.get(found.base if found else lang, table["en"])


@dataclass(frozen=True)
class FormatContext:
    """How to finish: the format, a draft build or not, the languages, single or bilingual."""

    fmt: str
    draft: bool
    source_lang: str
    bilingual: bool = False


def typst_string(value: str) -> str:
    """``value`` as a typst string literal."""
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def note_id(lang: str, number: int) -> str:
    return f"fn-{lang}-{number}"


def ref_id(lang: str, number: int, occurrence: int) -> str:
    return f"fnref-{lang}-{number}-{occurrence}"


def badge(state: str, lang: str, fmt: str) -> list[Node]:
    """The draft mark shown at the start of an untranslated or unreviewed segment."""
    word = ui(state, lang)
    if fmt == "typst":
        return [raw_inline("typst", f"#bitext-mark({typst_string(word)})"), dict(SPACE)]
    return [span(attr("", ["bitext-mark", f"bitext-{state}"]), [text(word)]), dict(SPACE)]


def finish(value: Any, doc: LangDoc, ctx: FormatContext) -> Any:
    """``value`` (blocks or inlines of ``doc``) ready for ``ctx.fmt``'s writer."""
    notes = {n.number: n for n in doc.notes}

    def reference(number: int, occurrence: int) -> list[Node]:
        note = notes[number]
        if ctx.fmt == "typst" and not ctx.bilingual:
            label = f"<{note_id(doc.lang, number)}>"
            if occurrence == 1:
                body = finish(note.blocks, doc, ctx)
                return [{"t": "Note", "c": body}, raw_inline("typst", label)]
            return [raw_inline("typst", f"#footnote({label})")]
        if ctx.fmt == "typst":  # labelled, so that the note can link back to it
            return [raw_inline("typst", f"#link(<{note_id(doc.lang, number)}>, "
                                        f"bitext-ref({typst_string(note.label)}))"
                                        f"<{ref_id(doc.lang, number, occurrence)}>")]
        # epub:type is for EPUB; `pipeline.render.html.page` drops it from an HTML page
        pairs = [("role", "doc-noteref"), ("epub:type", "noteref")]
        a = attr(ref_id(doc.lang, number, occurrence), ["footnote-ref"], pairs)
        return [link(a, [sup([text(note.label)])], "#" + note_id(doc.lang, number))]

    def separator() -> Node:
        if ctx.fmt == "typst":
            return raw_inline("typst", "#super[,]")
        return sup([text(",")])

    def inlines(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        last_ref = -10
        k = 0
        while k < len(items):
            node = items[k]
            if node["t"] != "Span":  # a reference, a tag and a language run are Spans
                out.append(node)
                k += 1
                continue
            ref = reference_of(node)
            if ref is not None:
                if last_ref == len(out):
                    out.append(separator())
                out.extend(reference(*ref))
                last_ref = len(out)
                # a space between two references goes: the comma separates them
                if (k + 2 < len(items) and items[k + 1]["t"] == "Space"
                        and reference_of(items[k + 2]) is not None):
                    k += 1
                k += 1
                continue
            index = tag_index(node)
            if index is not None:
                state = doc.source.states[index]
                if ctx.draft and state in ("fuzzy", "untranslated"):
                    out.extend(badge(state, doc.lang, ctx.fmt))
                if state == "untranslated" and doc.lang != ctx.source_lang:
                    shown, tail = _shown_original(items[k + 1:], doc.lang, ctx.source_lang)
                    out.extend(_language(span(shown, inlines(tail)), ctx))
                    return out
                k += 1
                continue
            out.extend(_language(node, ctx))
            k += 1
        return out

    def blocks(items: list[Node]) -> list[Node]:
        if ctx.fmt != "typst":
            return items
        out: list[Node] = []
        for node in items:
            lang = _lang_of(node["c"][0]) if node["t"] == "Div" else None
            if lang:
                out.append(raw_block("typst", f"#[#set text({typst_lang(lang)})"))
                out.extend(node["c"][1])
                out.append(raw_block("typst", "]"))
            else:
                out.append(node)
        return out

    return map_lists(value, inlines=inlines, blocks=blocks)


def _shown_original(items: list[Node], lang: str, source: str) -> tuple[Attr, list[Node]]:
    """The span of an untranslated segment's original text shown in ``lang``'s edition.

    A left-to-right original in a right-to-left edition runs left to right as a whole
    (``dir=ltr``), and its Latin runs, isolated as in any Arabic text, lose their own
    isolates: inside it they would only break its punctuation.
    """
    shown = lang_attr(source)
    if not is_rtl(lang) or is_rtl(source):
        return shown, items
    own = [["dir", "ltr"]]
    bare = [y for x in items
            for y in (x["c"][1] if x["t"] == "Span" and x["c"][0] == ["", [], own] else [x])]
    return [shown[0], shown[1], [*shown[2], *own]], bare


def _lang_of(a: Attr) -> str | None:
    return next((v for k, v in a[2] if k == "lang"), None)


def _language(node: Node, ctx: FormatContext) -> list[Node]:
    """A language span for the format: typst ``#text``, HTML ``dir`` for RTL."""
    if node["t"] != "Span":
        return [node]
    a, content = node["c"]
    lang = _lang_of(a)
    way = next((v for k, v in a[2] if k == "dir"), None)
    if not lang and way is None:
        return [node]
    rtl = way == "rtl" or (way is None and lang is not None and is_rtl(lang))
    if ctx.fmt == "typst":
        # the span's own dir wins over its language's (one `dir:` argument: typst refuses two)
        args = [typst_lang(lang, direction=False)] if lang else []
        if way or rtl:
            args.append(f"dir: {way or 'rtl'}")
        run = [raw_inline("typst", f"#text({', '.join(args)})["), *content,
               raw_inline("typst", "]")]
        # typst's bidi ignores Unicode isolates (RLI…PDI); a mark of the other direction on
        # each side keeps the quotes and commas around the run in the paragraph's order
        if rtl:
            return [text(LRM), *run, text(LRM)]
        return [text(RLM), *run, text(RLM)] if way == "ltr" else run
    if not lang:
        return [node]
    found = known(lang)
    if found and found.html != lang:  # an author's {lang=pt_BR}: HTML wants BCP 47
        a = [a[0], a[1], [[k, found.html if k == "lang" else v] for k, v in a[2]]]
    if rtl and way is None:
        a = [a[0], a[1], [*a[2], ["dir", "rtl"]]]
    return [span(a, content)]


def typst_lang(lang: str, *, direction: bool = True) -> str:
    """typst's ``text`` arguments for ``lang``: ``lang: "pt", region: "BR"``.

    typst takes an ISO 639 code only, the region apart (and no script). A
    right-to-left language says ``dir: rtl`` too (typst would infer it from
    ``lang``; said, it holds for whoever sets ``lang`` again without it), unless
    ``direction`` is False (a span that sets its own ``dir``: typst refuses two).
    """
    found = known(lang)
    if found is None:
        return f"lang: {typst_string(lang)}"
    region = found.region if found.region and found.region.isalpha() else ""
    region = f", region: {typst_string(region)}" if region else ""
    way = ", dir: rtl" if found.rtl and direction else ""
    return f"lang: {typst_string(found.base)}{region}{way}"


def note_blocks(note: Note, doc: LangDoc, ctx: FormatContext) -> list[Node]:
    """A note's blocks for a notes list, starting with its label (a link back, in HTML)."""
    if ctx.fmt == "typst":
        label: list[Node] = [raw_inline(
            "typst", f"#link(<{ref_id(doc.lang, note.number, 1)}>, "
                     f"bitext-note-label({typst_string(note.label)}))")]
    else:
        back = attr("", ["footnote-back"], [("role", "doc-backlink")])
        label = [link(back, [text(note.label)], "#" + ref_id(doc.lang, note.number, 1))]
    body = finish(note.blocks, doc, ctx)
    if body and body[0]["t"] in ("Para", "Plain"):
        first = body[0]
        return [{"t": first["t"], "c": [*label, dict(SPACE), *first["c"]]}, *body[1:]]
    return [{"t": "Plain", "c": label}, *body]
