"""From a small document to each format's AST and text, with real pandoc writers."""

from __future__ import annotations

import pytest

from pipeline.adapters import pandoc
from pipeline.catalog import Catalog, Entry
from pipeline.markdown.segments import parse_document
from pipeline.render.ast import document
from pipeline.render.document import Overrides, prepare
from pipeline.render.editions import html_ast, typst_ast
from pipeline.render.formats import FormatContext, finish, typst_string
from pipeline.render.html import strip_epub
from pipeline.render.langs import shared_phrases
from pipeline.render.metadata import Metadata, PubDate
from pipeline.render.options import Edition
from pipeline.render.settings import BuildSettings
from pipeline.render.source import original_text, translated_text

SOURCE = """---
title: "Başlık"
---

Girişimleriyle[^ii] [^iii] devam etti[^iv].

İkinci paragraf.

[^ii]: Bir.
[^iii]: İki, “Where is Mazen al-Hamada?” diye.
[^iv]: Üç.
"""
DRAFT = BuildSettings(source_lang="tr", target_langs=("en",))
TRANSLATION = ["Title", "Attempts[^ii] [^iii] continued.[^iv]", "", "One.",
               "Two, “Where is Mazen al-Hamada?” they asked.", "Three."]


def langdocs(style: str = "lower-roman", fuzzy: int | None = None) -> dict:
    doc = parse_document(SOURCE)
    cat = Catalog(header={}, entries=[Entry(msgid=s.text, msgstr=m, fuzzy=i == fuzzy)
                                      for i, (s, m) in enumerate(zip(doc.segments, TRANSLATION,
                                                                     strict=True))])
    texts = {"tr": original_text(doc, "tr"), "en": translated_text(doc, cat, "en")}
    keys = {i: s.label for i, s in enumerate(doc.segments) if s.kind == "footnote"}
    phrases = shared_phrases({k: v.texts for k, v in texts.items()}, ("tr", "en"))
    return {lang: prepare(pandoc.parse_markdown(t.markdown, shown="x"), t, style=style,
                          keys=keys, phrases=phrases, overrides=Overrides(),
                          metadata=Metadata(date=PubDate(2026, 11, 26)))
            for lang, t in texts.items()}


@pytest.fixture(scope="module")
def docs() -> dict:
    return langdocs()


def html_of(docs: dict, lang: str, draft: bool = True) -> str:
    edition = Edition("d", lang, (lang,))
    settings = BuildSettings(source_lang="tr", release=not draft)
    return strip_epub(pandoc.write_fragments([html_ast(edition, docs, settings)], "html",
                                             shown="x")[0])


def test_labels_are_carried_and_adjacent_references_are_separated(docs: dict) -> None:
    html = html_of(docs, "tr")
    assert ('Girişimleriyle<a href="#fn-tr-1" id="fnref-tr-1-1" class="footnote-ref" '
            'role="doc-noteref"><sup>i</sup></a><sup>,</sup><a href="#fn-tr-2" '
            'id="fnref-tr-2-1" class="footnote-ref" role="doc-noteref"><sup>ii</sup></a> '
            'devam etti<a href="#fn-tr-3"') in html
    assert '<a href="#fnref-tr-3-1" class="footnote-back" role="doc-backlink">iii</a> Üç.' in html


def test_label_style_uses_the_source_labels() -> None:
    html = html_of(langdocs(style="label"), "en")
    assert [f"<sup>{x}</sup>" in html for x in ("ii", "iii", "iv")] == [True, True, True]
    assert "<sup>i</sup>" not in html


def test_a_shared_english_title_is_marked_in_the_turkish_edition(docs: dict) -> None:
    assert '“<span lang="en">Where is Mazen al-Hamada?</span>”' in html_of(docs, "tr")
    assert '<span lang="en">' not in html_of(docs, "en")


def test_untranslated_segments_are_marked_in_a_draft_and_in_their_language(docs: dict) -> None:
    html = html_of(docs, "en")
    assert ('<p><span class="bitext-mark bitext-untranslated">untranslated</span> '
            '<span lang="tr">İkinci paragraf.</span></p>') in html
    released = html_of(docs, "en", draft=False)
    assert "bitext-mark" not in released
    assert '<p><span lang="tr">İkinci paragraf.</span></p>' in released


def test_fuzzy_segments_are_marked_not_reviewed() -> None:
    html = html_of(langdocs(fuzzy=1), "en")
    assert '<span class="bitext-mark bitext-fuzzy">not reviewed</span> Attempts' in html


def test_typst_single_edition_uses_real_footnotes_with_labels(docs: dict) -> None:
    edition = Edition("d", "tr", ("tr",))
    body = pandoc.write_fragments([typst_ast(edition, docs, DRAFT)],
                                  "typst", shown="x")[0]
    assert "Girişimleriyle#footnote[Bir.]<fn-tr-1>#super[,]#footnote[İki," in body
    assert '#text(lang: "en")[Where is Mazen al-Hamada?]' in body


def test_typst_bilingual_links_to_notes_and_back(docs: dict) -> None:
    from pipeline.render import pdf_pages

    ctx = FormatContext(fmt="typst", draft=True, source_lang="tr", bilingual=True)
    plan = pdf_pages.plan(docs["tr"], docs["en"], ctx, ctx, facing=False)
    blocks, what = pdf_pages.pieces(plan)
    texts = pdf_pages.Texts(what, pandoc.write_fragments([document(b) for b in blocks],
                                                         "typst", shown="x"))
    body = "\n".join(texts.unit(1, "l", k) for k in range(len(plan.rows[1].left)))
    assert ('#link(<fn-tr-1>, bitext-ref("i"))<fnref-tr-1-1>#super[,]'
            '#link(<fn-tr-2>, bitext-ref("ii"))<fnref-tr-2-1>') in body
    assert "#footnote" not in body
    assert texts.note("en:3".replace("en", "r")).startswith(
        '#link(<fnref-en-3-1>, bitext-note-label("iii"))')


def test_typst_rtl_runs_are_kept_in_place_by_marks() -> None:
    docs = langdocs()
    span = {"t": "Span", "c": [["", [], [["lang", "ar"], ["dir", "rtl"]]],
                               [{"t": "Str", "c": "قصي"}]]}
    out = finish([{"t": "Para", "c": [span]}], docs["tr"],
                 FormatContext(fmt="typst", draft=False, source_lang="tr"))
    assert out[0]["c"] == [{"t": "Str", "c": "\u200e"},
                           {"t": "RawInline", "c": ["typst", '#text(lang: "ar", dir: rtl)[']},
                           {"t": "Str", "c": "قصي"}, {"t": "RawInline", "c": ["typst", "]"]},
                           {"t": "Str", "c": "\u200e"}]


def test_typst_string() -> None:
    assert typst_string('a"b\\c\nd\x01') == '"a\\"b\\\\c\\nd\\u{1}"'


@pytest.mark.parametrize(("lang", "day", "month", "year"), [
    ("tr", "26 Kasım 2026", "Kasım 2026", "2026"),
    ("en", "November 26, 2026", "November 2026", "2026"),
    ("de", "26. November 2026", "November 2026", "2026"),
    ("ar", "26 نوفمبر 2026", "نوفمبر 2026", "2026"),
])
def test_dates_per_language_at_their_precision(lang: str, day: str, month: str,
                                               year: str) -> None:
    assert PubDate(2026, 11, 26).text(lang) == day
    assert PubDate(2026, 11).text(lang) == month
    assert PubDate(2026).text(lang) == year


def test_front_matter_date_and_title(docs: dict) -> None:
    assert docs["tr"].front.date_text == "26 Kasım 2026"
    assert docs["en"].front.date_text == "November 26, 2026"
    assert [x["c"] for x in docs["en"].front.title] == ["Title"]


def test_an_empty_document_renders() -> None:
    doc = parse_document("Tek paragraf.\n")
    text = original_text(doc, "tr")
    ld = prepare(pandoc.parse_markdown(text.markdown, shown="x"), text, style="arabic",
                 keys={}, phrases={}, overrides=Overrides(), metadata=Metadata())
    edition = Edition("d", "tr", ("tr",))
    html = pandoc.write_fragments([html_ast(edition, {"tr": ld}, DRAFT)], "html",
                                  shown="x")[0]
    # no date anywhere: none is shown (never the day of the build)
    assert "<p>Tek paragraf.</p>" in html and 'class="date"' not in html
    assert document([])["blocks"] == []
