"""Bidi isolation on the AST: quotations against the edition's direction, Latin runs in an
Arabic edition, and what HTML, typst and the EPUB package make of them."""

from __future__ import annotations

from pipeline.render.ast import Node, attr, para, stringify, text, words
from pipeline.render.epub import BookInfo, _opf, _xhtml
from pipeline.render.formats import LRM, RLM, FormatContext, _language, typst_lang
from pipeline.render.html import _cell
from pipeline.render.langs import bidi_quotations, ltr_runs, mark_languages

# Note xv of the sample: a tweet quoted over two paragraphs of a note.
XV_FIRST = ("“Qussai | قصي”, “فريق البث المباشر لمؤتمر عودة اللاجئين في #دمشق يهزئ، "
            "أبداً ..")
XV_SECOND = "(هذا بعد نسيان المايك دون إطفاء) ..” Twitter, 12.11.2020,"
AR = [["lang", "ar"], ["dir", "rtl"]]


def spans(blocks: list[Node]) -> list[tuple[list[list[str]], str]]:
    """(attributes, text) of each Span in the first block's inlines."""
    return [(x["c"][0][2], stringify(x["c"][1])) for x in blocks[0]["c"] if x["t"] == "Span"]


def test_note_xv_the_quote_is_isolated_with_its_marks_and_dots() -> None:
    out = mark_languages([para(words(XV_FIRST)), para(words(XV_SECOND))], lang="en", phrases={})
    assert spans(out) == [
        (AR, "قصي"),  # a quotation with Latin letters: only its Arabic run
        (AR, "“فريق البث المباشر لمؤتمر عودة اللاجئين في #دمشق يهزئ، أبداً .."),
    ]
    assert spans(out[1:]) == [(AR, "(هذا بعد نسيان المايك دون إطفاء) ..”")]
    # what stays outside: the English side's comma, and "Twitter" after the quotation
    first = out[0]["c"]
    assert stringify(first[:first.index(next(x for x in first if x["t"] == "Span"))]) \
        == "“Qussai | "
    assert stringify(out[1]["c"][1:]) == " Twitter, 12.11.2020,"


def test_a_closed_arabic_quotation_takes_both_marks() -> None:
    value = "He wrote “مرحبا بكم.” and left."
    [(start, end, a)] = bidi_quotations(value, lang="en")
    assert value[start:end] == "“مرحبا بكم.”" and a[2] == AR


def test_hebrew_quotation_gets_hebrew() -> None:
    [(_, _, a)] = bidi_quotations("see «שלום עולם»", lang="de")
    assert a[2] == [["lang", "he"], ["dir", "rtl"]]


def test_no_isolation_for_mixed_or_same_direction_quotes() -> None:
    assert bidi_quotations("“Qussai | قصي”", lang="en") == []
    assert bidi_quotations("“Where is Mazen?”", lang="en") == []
    assert bidi_quotations("“مرحبا بكم”", lang="ar") == []
    assert bidi_quotations("“12.11.2020”", lang="en") == []  # no letters, no direction


def test_in_an_arabic_edition_a_latin_quotation_is_isolated_ltr_with_its_language() -> None:
    value = "قال “Where is Mazen al-Hamada?” أمس"
    [(start, end, a)] = bidi_quotations(value, lang="ar",
                                        phrases={"Where is Mazen al-Hamada?": "en"})
    assert value[start:end] == "“Where is Mazen al-Hamada?”"
    assert a[2] == [["lang", "en"], ["dir", "ltr"]]


def test_in_an_arabic_edition_latin_runs_are_isolated_and_the_full_stop_stays_out() -> None:
    out = mark_languages([para(words("ستنشر باستخدام bitext."))], lang="ar", phrases={})
    assert spans(out) == [([["dir", "ltr"]], "bitext")]
    assert out[0]["c"][-1] == text(".")
    value = "“Qussai | قصي”، Twitter, 12.11.2020، Al-Monitor"
    # an Arabic comma between two Latin names belongs to the Arabic text
    assert [value[a:b] for a, b, _ in ltr_runs(value)] == ["Qussai", "Twitter", "Al-Monitor"]


def test_pandoc_quoted_arabic_is_wrapped_whole() -> None:
    quoted = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, words("مرحبا بكم ..")]}
    out = mark_languages([para([text("says"), {"t": "Space"}, quoted])], lang="en", phrases={})
    [wrapped] = [x for x in out[0]["c"] if x["t"] == "Span"]
    assert wrapped["c"][0][2] == AR and wrapped["c"][1] == [quoted]


def test_typst_direction_reaches_text() -> None:
    assert typst_lang("ar") == 'lang: "ar", dir: rtl'
    assert typst_lang("fa-IR") == 'lang: "fa", region: "IR", dir: rtl'
    assert typst_lang("he", direction=False) == 'lang: "he"'
    assert typst_lang("en") == 'lang: "en"'
    ctx = FormatContext("typst", False, "tr")
    rtl = _language({"t": "Span", "c": [attr("", [], [("lang", "ar"), ("dir", "rtl")]),
                                        [text("قصي")]]}, ctx)
    assert rtl[0] == text(LRM) and rtl[-1] == text(LRM)
    assert rtl[1]["c"][1] == '#text(lang: "ar", dir: rtl)['
    ltr = _language({"t": "Span", "c": [attr("", [], [("dir", "ltr")]), [text("bitext")]]}, ctx)
    assert ltr[0] == text(RLM) and ltr[-1] == text(RLM)
    assert ltr[1]["c"][1] == "#text(dir: ltr)["
    # an English title marked ltr in an Arabic edition: one dir argument (typst refuses two)
    en = _language({"t": "Span", "c": [attr("", [], [("lang", "en"), ("dir", "ltr")]),
                                       [text("x")]]}, ctx)
    assert en[1]["c"][1] == '#text(lang: "en", dir: ltr)['


def test_html_keeps_a_dir_only_span() -> None:
    node = {"t": "Span", "c": [attr("", [], [("dir", "ltr")]), [text("bitext")]]}
    assert _language(node, FormatContext("html", False, "tr")) == [node]


def test_every_bilingual_cell_says_its_direction() -> None:
    class Doc:
        def __init__(self, lang: str) -> None:
            self.lang = lang

    ar = _cell(Doc("ar"), [], "translation", 3)  # type: ignore[arg-type]
    en = _cell(Doc("en"), [], "translation", 3)  # type: ignore[arg-type]
    assert ar["c"][0][2] == AR
    # in an Arabic original's page (dir=rtl) an English cell must not inherit rtl
    assert en["c"][0][2] == [["lang", "en"], ["dir", "ltr"]]


def test_epub_rtl_book_html_body_and_spine() -> None:
    page = _xhtml("<p>x</p>", lang="ar", title="t", css_href=None, body_type="bodymatter")
    assert 'xml:lang="ar" dir="rtl">' in page and '<body epub:type="bodymatter" dir="rtl">' in page
    assert "dir=" not in _xhtml("<p>x</p>", lang="tr", title="t", css_href=None,
                                body_type="bodymatter")

    def info(*langs: str) -> BookInfo:
        return BookInfo(identifier="urn:x", title="t", langs=langs, authors=(),
                        date="2021-10", publisher="", modified=0)

    assert '<spine page-progression-direction="rtl">' in _opf(info("ar"))
    assert "<spine>" in _opf(info("tr", "ar"))  # the bilingual book runs as its original
    assert "<spine>" in _opf(info("en"))


def test_the_arabic_pdf_preamble_sets_lang_and_dir() -> None:
    """`text(lang: "ar", dir: rtl)` reaches the single-language PDF through ``{{lang}}``."""
    from dataclasses import replace
    from pathlib import Path

    from pipeline.render.pdf import document_source
    from tests.unit.test_render_formats import langdocs

    template = (Path(__file__).resolve().parents[2] / "pipeline/templates/edition.typ"
                ).read_text(encoding="utf-8")
    arabic = replace(langdocs()["en"], lang="ar")
    source = document_source("", template=template, docs=[arabic], paper="a4",
                             bilingual=False, labels=[])
    assert 'lang: "ar", dir: rtl,' in source


def test_an_untranslated_turkish_segment_in_an_arabic_edition_runs_ltr_whole() -> None:
    from pipeline.render.formats import _shown_original

    inlines = mark_languages([para(words("Bu, bitext ile bir yazı."))], lang="ar",
                             phrases={})[0]["c"]
    assert any(x["t"] == "Span" for x in inlines)  # Latin runs, isolated in Arabic text
    shown, bare = _shown_original(inlines, "ar", "tr")
    assert shown[2] == [["lang", "tr"], ["dir", "ltr"]]
    assert stringify(bare) == "Bu, bitext ile bir yazı." and not any(
        x["t"] == "Span" for x in bare)
    # an Arabic original shown in a Turkish edition keeps lang_attr's dir=rtl
    assert _shown_original([text("قصي")], "tr", "ar")[0][2] == AR


def test_arabic_script_runs_say_persian_or_urdu_by_their_letters() -> None:
    from pipeline.render.langs import script_runs

    def lang_of(value: str) -> str:
        return str(script_runs(value)[0][2][2][0][1])

    assert lang_of("Bkz. قصي") == "ar"
    assert lang_of("Bkz. کتاب فارسی") == "fa"  # keheh and Farsi yeh
    assert lang_of("Bkz. پاکستان میں") == "ur"  # noon ghunna
    [(_, _, a)] = bidi_quotations("see “زبان فارسی”", lang="en")
    assert a[2] == [["lang", "fa"], ["dir", "rtl"]]
