"""Every place that reads a language tag goes through pipeline.languages, with one spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.align.features import fold as align_fold
from pipeline.catalog_header import header_for
from pipeline.checks.lexicon import base_lang, letter, locale_of, lowercase
from pipeline.checks.model import CheckOptions
from pipeline.commands.align import _languages
from pipeline.commands.check import _po_context
from pipeline.commands.init import init
from pipeline.commands.status import Status, table
from pipeline.config import validate
from pipeline.errors import BitextError
from pipeline.render.ast import attr, span, text
from pipeline.render.formats import FormatContext, _language, typst_lang, ui
from pipeline.render.langs import is_rtl, lang_attr


def test_config_stores_canonical_tags_and_names_an_unknown_one(tmp_path: Path) -> None:
    config = validate({"source_lang": "tr", "target_langs": ["pt_BR", "zh-Hant", "sr-Latn"]},
                      root=tmp_path)
    assert (config.source_lang, config.target_langs) == ("tr", ("pt-BR", "zh-Hant", "sr-Latn"))
    assert config.po_path("pt-BR", "d").relative_to(tmp_path).as_posix() == \
        "locale/pt-BR/LC_MESSAGES/d.po"
    with pytest.raises(BitextError) as caught:
        validate({"target_langs": ["en", "klingon", "pt_BR", "pt-BR"]}, root=tmp_path)
    message = str(caught.value)
    assert "unknown language 'klingon'" in message
    assert "names a language twice" in message
    with pytest.raises(BitextError, match="includes the source language 'tr'"):
        validate({"source_lang": "TR", "target_langs": ["tr"]}, root=tmp_path)


def test_po_header_uses_gettexts_spelling_and_keeps_en_and_tr() -> None:
    pt = header_for("pt-BR", "d")
    assert (pt["Language"], pt["Language-Team"]) == ("pt_BR", "Portuguese (Brazil)")
    assert header_for("zh_Hant", "d")["Plural-Forms"] == "nplurals=1; plural=0;"
    en = header_for("en", "d")
    assert (en["Language"], en["Language-Team"], en["Plural-Forms"]) == (
        "en", "English", "nplurals=2; plural=(n != 1);")
    assert header_for("tr", "d")["Language"] == "tr"
    with pytest.raises(BitextError, match="unknown language 'xx'"):
        header_for("xx", "d")


def test_check_reads_a_gettext_language_header(tmp_path: Path) -> None:
    po = tmp_path / "d.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: pt_BR\\n"\n"Content-Type: text/plain; '
                  'charset=UTF-8\\n"\n\nmsgid "Bir"\nmsgstr "Um"\n', encoding="utf-8")
    ctx = _po_context(po, CheckOptions(), "tr", None)
    assert (ctx.source_lang, ctx.target_lang) == ("tr", "pt-BR")
    assert _po_context(po, CheckOptions(), "tr", "zh_Hant").target_lang == "zh-Hant"
    with pytest.raises(BitextError, match="unknown language 'pt-XX'"):
        _po_context(po, CheckOptions(), "tr", "pt-XX")


def test_align_languages_accept_both_spellings() -> None:
    assert _languages(None, "tr", "pt_BR") == ("tr", "pt-BR")
    assert _languages(None, "tr", "zh-Hant") == ("tr", "zh-Hant")
    with pytest.raises(BitextError, match="--target-lang: unknown language 'zz'"):
        _languages(None, "tr", "zz")
    with pytest.raises(BitextError, match="both 'tr'"):
        _languages(None, "tr", "TR")


def test_html_lang_is_bcp47_and_rtl_gets_dir() -> None:
    assert lang_attr("pt_BR")[2] == [["lang", "pt-BR"]]
    assert lang_attr("ar")[2] == [["lang", "ar"], ["dir", "rtl"]]
    assert lang_attr("fa-IR")[2] == [["lang", "fa-IR"], ["dir", "rtl"]]
    assert lang_attr("qaa")[2] == [["lang", "qaa"]]  # an author's unknown tag stays as written
    assert is_rtl("he") and not is_rtl("tr") and not is_rtl("garbage")
    assert ui("notes", "pt-BR") == ui("notes", "pt") == "Notes"  # English: no Portuguese words
    assert ui("notes", "tr") == "Notlar" and ui("notes", "ar") == "ملاحظات"
    assert typst_lang("tr") == 'lang: "tr"'
    assert typst_lang("pt_BR") == 'lang: "pt", region: "BR"'
    assert typst_lang("zh-Hant") == 'lang: "zh"'


def test_lexicon_and_alignment_fold_alike() -> None:
    for tag in ("tr", "az", "tr-TR"):
        assert lowercase("IŞIK İL", tag) == align_fold("IŞIK İL", tag) == "ışık il"
        assert letter("i", tag) == "[iİ]" and letter("I", tag) == "[ıI]"
    assert lowercase("IŞIK", "en") == "işik"
    assert letter("i", "en") == "[iI]"
    assert base_lang("pt_BR") == base_lang("pt-BR") == "pt"
    assert str(locale_of("pt-BR")) == "pt_BR"
    assert str(locale_of("nonsense")) == "en"


def _row(lang: str, document: str = "article") -> Status:
    return Status(document=document, lang=lang, file="f", segments=12, translated=3, fuzzy=1,
                  untranslated=8, obsolete=0, machine=0, words=90, words_translated=20)


def test_status_table_keeps_todays_layout_for_short_tags() -> None:
    assert table([_row("en")]) == [
        "document             lang  segments translated  fuzzy untransl. obsolete   words"
        "  percent",
        "article              en          12          3      1         8        0      90"
        "    25.0%",
    ]


def test_status_table_widens_for_long_tags_and_names() -> None:
    lines = table([_row("en"), _row("zh-Hant"), _row("sr-Latn-RS", "a-very-long-document-name")])
    assert len({len(line) for line in lines}) == 1
    end = lines[0].index("segments") + len("segments")
    assert all(line[end - 2:end] == "12" for line in lines[1:])


def test_an_authors_span_gets_the_bcp47_tag_in_html_and_typst_arguments() -> None:
    node = span(attr("", [], [("lang", "pt_BR")]), [text("olá")])
    [html] = _language(node, FormatContext("html", False, "tr"))
    assert html["c"][0][2] == [["lang", "pt-BR"]]
    typst = _language(span(attr("", [], [("lang", "ar")]), [text("x")]),
                      FormatContext("typst", False, "tr"))
    assert typst[1]["c"][1] == '#text(lang: "ar", dir: rtl)['


def test_init_writes_canonical_tags_and_refuses_a_path(tmp_path: Path) -> None:
    init(tmp_path / "pub", source="tr", target="pt_BR")
    assert 'target_langs = ["pt-BR"]' in (tmp_path / "pub" / "bitext.toml").read_text("utf-8")
    assert (tmp_path / "pub" / "source" / "pt-BR").is_dir()
    with pytest.raises(BitextError, match=r"unknown language '\.\./x'"):
        init(tmp_path / "other", source="tr", target="../x")
    assert not (tmp_path / "other").exists()
