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
from pipeline.render import cover as epub_cover
from pipeline.render import html as html_edition
from pipeline.render import pdf as pdf_edition
from pipeline.render.assets import Assets
from pipeline.render.ast import document, stringify
from pipeline.render.document import LangDoc, Overrides, ids_in, prefix_ids, prepare
from pipeline.render.epub import BookInfo
from pipeline.render.formats import FormatContext
from pipeline.render.langs import shared_phrases
from pipeline.render.options import Edition, editions_for
from pipeline.render.settings import BuildSettings
from pipeline.render.source import SourceText


def lang_docs(
    asts: dict[str, dict[str, Any]], texts: dict[str, SourceText], document_: Document,
    settings: BuildSettings, *, name: str = "",
) -> dict[str, LangDoc]:
    """Prepare each parsed language of document ``name`` (see `document.prepare`)."""
    keys = {i: s.label for i, s in enumerate(document_.segments) if s.kind == "footnote"}
    langs = tuple(texts)
    phrases = shared_phrases({lang: t.texts for lang, t in texts.items()}, langs)
    overrides = Overrides(title=settings.options.title)
    metadata = settings.metadata_of(name)
    return {
        lang: prepare(asts[lang], texts[lang], style=settings.footnote_style, keys=keys,
                      phrases=phrases, overrides=overrides, metadata=metadata)
        for lang in asts
    }


def siblings(edition: Edition, settings: BuildSettings) -> list[Edition]:
    """The editions of the same document a page links to: those the config builds.

    From the config, not the command line, so that ``--edition en`` writes the page a full
    build writes.
    """
    wanted = settings.options.editions or (settings.source_lang, *settings.target_langs,
                                           "bilingual")
    return editions_for(edition.doc, settings.source_lang, settings.target_langs, wanted)


def _contexts(edition: Edition, fmt: str, settings: BuildSettings) -> list[FormatContext]:
    return [FormatContext(fmt=fmt, draft=settings.draft, source_lang=settings.source_lang,
                          bilingual=edition.bilingual)
            for _ in edition.langs]


def bilingual_docs(edition: Edition, docs: dict[str, LangDoc]) -> tuple[LangDoc, LangDoc]:
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
              version: str, settings: BuildSettings | None = None) -> str:
    first = docs[edition.langs[0]]
    title = list(first.front.title)
    if edition.bilingual:
        second = docs[edition.langs[1]]
        title = [*title, {"t": "Str", "c": " /"}, {"t": "Space"}, *second.front.title]
    links = ([html_edition.EditionLink(e.filename("html"), e.langs, e == edition)
              for e in siblings(edition, settings)]
             if settings is not None and "html" in settings.formats else [])
    return html_edition.page(fragment, template=assets.html_template, lang=first.lang,
                             title=title, css=assets.html_css,
                             kind="bilingual" if edition.bilingual else "single",
                             version=version, meta=first.front.meta,
                             editions=links if len(links) > 1 else [])


def epub_identifier(seed: str, edition: Edition) -> str:
    """A fixed identifier per edition (a name-based UUID), so rebuilds are byte-identical."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"bitext:{seed}:{edition.stem}"))


def epub_info(edition: Edition, docs: dict[str, LangDoc], settings: BuildSettings) -> BookInfo:
    """The package metadata: titles, languages, authors, dates, source, rights, identifier."""
    options = settings.options
    langdocs = [docs[lang] for lang in edition.langs]
    titles = tuple(" ".join(stringify(d.front.title).split()) for d in langdocs)
    meta = langdocs[0].front.meta
    original = meta.original
    return BookInfo(
        identifier=epub_identifier(options.identifier, edition),
        title=" / ".join(t for t in titles if t) or edition.stem,
        langs=edition.langs,
        authors=meta.authors,
        date=meta.date.iso() if meta.date else None,
        publisher=meta.publisher,
        modified=settings.epoch(meta.date),
        source=original.url or original.title or original.publisher,
        rights=meta.rights,
        titles=titles,
    )


def cover_source(edition: Edition, docs: dict[str, LangDoc]) -> str:
    """The typst source of an edition's generated cover (`pipeline.render.epub.cover_typst`)."""
    langdocs = [docs[lang] for lang in edition.langs]
    meta = langdocs[0].front.meta
    return epub_cover.cover_typst(
        titles=[(d.lang, " ".join(stringify(d.front.title).split()) or edition.stem)
                for d in langdocs],
        authors=meta.authors, publisher=meta.publisher,
        date=langdocs[0].front.date_text)


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
        left, right = bilingual_docs(edition, docs)
        return document(layout.bilingual_body(left, right, ctxs[0], ctxs[1]))
    return document(layout.single_body(docs[edition.langs[0]], ctxs[0]))


def typst_file(fragment: str, edition: Edition, docs: dict[str, LangDoc], assets: Assets,
               settings: BuildSettings) -> str:
    langdocs = [docs[lang] for lang in edition.langs]
    labels = [] if edition.bilingual else pdf_edition.footnote_labels(langdocs[0])
    return pdf_edition.document_source(fragment, template=assets.typst_template, docs=langdocs,
                                       paper=settings.options.paper, bilingual=edition.bilingual,
                                       labels=labels, layout=edition.layout,
                                       stamped=settings.source_date_epoch is not None)
