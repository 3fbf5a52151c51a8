"""pipeline.languages: real tags in, one canonical value out; garbage refused by name."""

from __future__ import annotations

import pytest

from pipeline.errors import BitextError
from pipeline.languages import Language, UnknownLanguage, canonical, known, language

# tag given -> (canonical tag, gettext form, base, direction, English name)
TABLE = [
    ("pt-BR", "pt-BR", "pt_BR", "pt", "ltr", "Portuguese (Brazil)"),
    ("pt_BR", "pt-BR", "pt_BR", "pt", "ltr", "Portuguese (Brazil)"),
    ("PT_br", "pt-BR", "pt_BR", "pt", "ltr", "Portuguese (Brazil)"),
    ("zh-Hant", "zh-Hant", "zh_Hant", "zh", "ltr", "Chinese (Traditional)"),
    ("zh_Hant", "zh-Hant", "zh_Hant", "zh", "ltr", "Chinese (Traditional)"),
    ("zh-hant-tw", "zh-Hant-TW", "zh_Hant_TW", "zh", "ltr", "Chinese (Traditional, Taiwan)"),
    ("sr-Latn", "sr-Latn", "sr_Latn", "sr", "ltr", "Serbian (Latin)"),
    ("ar", "ar", "ar", "ar", "rtl", "Arabic"),
    ("he", "he", "he", "he", "rtl", "Hebrew"),
    ("fa", "fa", "fa", "fa", "rtl", "Persian"),
    ("tr", "tr", "tr", "tr", "ltr", "Turkish"),
    ("az", "az", "az", "az", "ltr", "Azerbaijani"),
    ("en", "en", "en", "en", "ltr", "English"),
    ("en-GB", "en-GB", "en_GB", "en", "ltr", "English (United Kingdom)"),
    ("de-CH", "de-CH", "de_CH", "de", "ltr", "German (Switzerland)"),
    ("es-419", "es-419", "es_419", "es", "ltr", "Spanish (Latin America)"),
]


@pytest.mark.parametrize(("given", "tag", "gettext", "base", "direction", "name"), TABLE)
def test_real_tags(given: str, tag: str, gettext: str, base: str, direction: str,
                   name: str) -> None:
    lang = language(given)
    assert (lang.tag, lang.gettext, lang.base, lang.direction, lang.name) == (
        tag, gettext, base, direction, name)
    assert lang.html == str(lang) == tag
    assert lang.rtl == (direction == "rtl")
    assert lang.locale.language == base
    assert language(lang.gettext) == lang  # the two spellings are one language
    assert canonical(given) == tag


GARBAGE = ["", "xx", "english", "pt-", "-BR", "pt--BR", "../en", "en/../tr", "en US", "tr\n",
           "pt-XX", "en-ZZ", "de-US", "und", "iw", "toolongcode", "e", "123", "en-Latn-US-x",
           "zh-Hant_TW_extra"]


@pytest.mark.parametrize("tag", GARBAGE)
def test_garbage_is_one_clear_error_naming_the_tag(tag: str) -> None:
    with pytest.raises(UnknownLanguage) as caught:
        language(tag)
    assert f"unknown language {tag!r}" in str(caught.value)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, BitextError)
    assert caught.value.tag == tag
    assert known(tag) is None


def test_not_a_string_is_refused() -> None:
    with pytest.raises(UnknownLanguage):
        language(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tag", "text", "lower", "fold"),
    [("tr", "İSTANBUL IŞIK", "istanbul ışık", "istanbul ışık"),
     ("az", "İlham Işıq", "ilham ışıq", "ilham ışıq"),
     ("tr", "Straße", "straße", "strasse"),
     ("en", "ISTANBUL İ", "istanbul i̇", "istanbul i̇"),
     ("de", "STRASSE Straße", "strasse straße", "strasse strasse"),
     ("pt-BR", "IRMÃ", "irmã", "irmã")],
)
def test_case_folding_knows_the_dotted_and_dotless_i(tag: str, text: str, lower: str,
                                                      fold: str) -> None:
    lang = language(tag)
    assert (lang.lower(text), lang.fold(text)) == (lower, fold)
    assert lang.dotted_i == (lang.base in ("tr", "az"))


@pytest.mark.parametrize(
    ("tag", "libre", "google", "deepl_source", "deepl_target", "mymemory"),
    [("pt-BR", "pt", "pt", "PT", "PT-BR", "pt-BR"),
     ("pt", "pt", "pt", "PT", "PT", "portuguese"),
     ("zh-Hant", "zh", "zh-TW", "ZH", "ZH-HANT", "chinese traditional"),
     ("zh-Hans", "zh", "zh-CN", "ZH", "ZH-HANS", "chinese simplified"),
     ("zh", "zh", "zh-CN", "ZH", "ZH", "chinese"),
     ("sr-Latn", "sr", "sr", "SR", "SR", "serbian latin"),
     ("en-GB", "en", "en", "EN", "EN-GB", "en-GB"),
     ("tr", "tr", "tr", "TR", "TR", "turkish"),
     ("ar", "ar", "ar", "AR", "AR", "arabic")],
)
def test_provider_codes(tag: str, libre: str, google: str, deepl_source: str,
                        deepl_target: str, mymemory: str) -> None:
    lang = language(tag)
    assert lang.mt_code("libre") == libre
    assert lang.mt_code("google") == google
    assert lang.mt_code("deepl", target=False) == deepl_source
    assert lang.mt_code("deepl") == deepl_target
    assert lang.mt_code("mymemory") == mymemory


def test_a_language_is_a_frozen_value_compared_by_tag() -> None:
    lang = language("pt_BR")
    assert isinstance(lang, Language)
    assert lang == language("pt-BR") and len({lang, language("pt-BR")}) == 1
    with pytest.raises(AttributeError):
        lang.tag = "en"  # type: ignore[misc]
    assert (lang.script, lang.region) == (None, "BR")
    assert (language("zh-Hant").script, language("zh-Hant").region) == ("Hant", None)
    assert language("tr").display_name("tr") == "Türkçe"
