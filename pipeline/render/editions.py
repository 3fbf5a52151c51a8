"""Which editions a document has, and the AST each format's writer gets for each.

An `Edition` is one language (``article.tr``, ``article.en``) or the
original beside one translation (``article.tr-en``). For each, this module
gives the AST pandoc writes (`html_ast`, the body of both the HTML page and
the EPUB text, and `typst_ast`) and puts the writer's text into a whole file
(`html_file`, `typst_file`). No I/O: `pipeline.render.jobs` runs pandoc and
typst through the adapters. What the build wants (draft or release, the
source language, the options, the dates) comes in one `BuildSettings`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from pipeline.markdown.segments import Document
from pipeline.render import html as html_edition
from pipeline.render import pdf as pdf_edition
from pipeline.render.assets import Assets
from pipeline.render.ast import document, stringify
from pipeline.render.document import LangDoc, Overrides, ids_in, prefix_ids, prepare
from pipeline.render.epub import BookInfo
from pipeline.render.formats import FormatContext
from pipeline.render.langs import shared_phrases
from pipeline.render.options import Edition
from pipeline.render.settings import BuildSettings
from pipeline.render.source import SourceText


def lang_docs(
    asts: dict[str, dict[str, Any]], texts: dict[str, SourceText], document_: Document,
    settings: BuildSettings,
) -> dict[str, LangDoc]:
    """Prepare each parsed language (see `pipeline.render.document.prepare`)."""
    keys = {i: s.label for i, s in enumerate(document_.segments) if s.kind == "footnote"}
    langs = tuple(texts)
    phrases = shared_phrases({lang: t.texts for lang, t in texts.items()}, langs)
    options = settings.options
    overrides = Overrides(title=options.title, authors=options.authors, date=options.date)
    return {
        lang: prepare(asts[lang], texts[lang], style=settings.footnote_style, keys=keys,
                      phrases=phrases, overrides=overrides, today=settings.today)
        for lang in asts
    }


def _contexts(edition: Edition, fmt: str, settings: BuildSettings) -> list[FormatContext]:
    return [FormatContext(fmt=fmt, draft=settings.draft, source_lang=settings.source_lang,
                          bilingual=edition.bilingual)
            for _ in edition.langs]


def _bilingual_docs(edition: Edition, docs: dict[str, LangDoc]) -> tuple[LangDoc, LangDoc]:
    """The two languages with identifiers prefixed by language, so they can share a file."""
    out = []
    for lang in edition.langs:
        doc = docs[lang]
        if doc.prefixed is None:
            ids = ids_in([doc.blocks, [n.blocks for n in doc.notes]])
            notes = [replace(n, blocks=prefix_ids(n.blocks, f"{lang}-", ids)) for n in doc.notes]
            doc.prefixed = LangDoc(lang=doc.lang, source=doc.source, front=doc.front,
                                   blocks=prefix_ids(doc.blocks, f"{lang}-", ids), notes=notes)
        out.append(doc.prefixed)
    return out[0], out[1]


def html_ast(edition: Edition, docs: dict[str, LangDoc],
             settings: BuildSettings) -> dict[str, Any]:
    """The body of both the HTML page and the EPUB text (see `pipeline.render.html`)."""
    return _body(html_edition, "html", edition, docs, settings)


def html_file(fragment: str, edition: Edition, docs: dict[str, LangDoc], assets: Assets,
              version: str) -> str:
    first = docs[edition.langs[0]]
    title = list(first.front.title)
    if edition.bilingual:
        second = docs[edition.langs[1]]
        title = [*title, {"t": "Str", "c": " /"}, {"t": "Space"}, *second.front.title]
    return html_edition.page(fragment, template=assets.html_template, lang=first.lang,
                             title=title, css=assets.html_css,
                             kind="bilingual" if edition.bilingual else "single",
                             version=version)


def epub_identifier(seed: str, edition: Edition) -> str:
    """A fixed identifier per edition (a name-based UUID), so rebuilds are byte-identical."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"bitext:{seed}:{edition.stem}"))


def epub_info(edition: Edition, docs: dict[str, LangDoc], settings: BuildSettings) -> BookInfo:
    """The package metadata: titles, languages, authors, dates, fixed identifier."""
    options = settings.options
    langdocs = [docs[lang] for lang in edition.langs]
    title = " / ".join(" ".join(stringify(d.front.title).split()) for d in langdocs)
    return BookInfo(
        identifier=epub_identifier(options.identifier, edition),
        title=title or edition.stem,
        langs=edition.langs,
        authors=tuple(" ".join(stringify(a).split()) for a in langdocs[0].front.authors),
        date=langdocs[0].front.date,
        publisher=options.publisher,
        modified=settings.epoch(langdocs[0].front.date),
    )


def typst_ast(edition: Edition, docs: dict[str, LangDoc],
              settings: BuildSettings) -> dict[str, Any]:
    """The typst body of a single-language PDF (see `pipeline.render.pdf`).

    A bilingual PDF is paged in steps, with typst measuring in between (`pipeline.render.jobs`).
    """
    if edition.bilingual:
        raise ValueError("a bilingual PDF is paged by pipeline.render.pdf_pages")
    return _body(pdf_edition, "typst", edition, docs, settings)


def _body(layout: Any, fmt: str, edition: Edition, docs: dict[str, LangDoc],
          settings: BuildSettings) -> dict[str, Any]:
    """One edition's body from a layout module (`html` or `pdf`): single or side by side."""
    ctxs = _contexts(edition, fmt, settings)
    if edition.bilingual:
        left, right = _bilingual_docs(edition, docs)
        return document(layout.bilingual_body(left, right, ctxs[0], ctxs[1]))
    return document(layout.single_body(docs[edition.langs[0]], ctxs[0]))


def typst_file(fragment: str, edition: Edition, docs: dict[str, LangDoc], assets: Assets,
               settings: BuildSettings) -> str:
    langdocs = [docs[lang] for lang in edition.langs]
    labels = [] if edition.bilingual else pdf_edition.footnote_labels(langdocs[0])
    return pdf_edition.document_source(fragment, template=assets.typst_template, docs=langdocs,
                                       paper=settings.options.paper, bilingual=edition.bilingual,
                                       labels=labels, layout=edition.layout)
