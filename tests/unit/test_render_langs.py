"""Foreign text inside a paragraph: right-to-left runs, and quoted titles in the other language."""

from __future__ import annotations

import pytest

from pipeline.render.ast import para, span, text, words
from pipeline.render.langs import (
    guess_lang,
    is_rtl,
    mark_languages,
    quotations,
    script_runs,
    shared_phrases,
)

# Note xv of the sample: a Twitter handle and a tweet in Arabic, inside Latin quotes.
NOTE_XV = ("“Qussai | قصي”, “فريق البث المباشر لمؤتمر عودة اللاجئين في #دمشق يهزئ، أبداً .. "
           "(هذا بعد نسيان المايك دون إطفاء) ..” Twitter, 12.11.2020,")


def test_arabic_runs_stop_at_quotes_and_brackets() -> None:
    runs = [NOTE_XV[a:b] for a, b, _ in script_runs(NOTE_XV)]
    assert runs == ["قصي", "فريق البث المباشر لمؤتمر عودة اللاجئين في #دمشق يهزئ، أبداً",
                    "هذا بعد نسيان المايك دون إطفاء"]
    assert all(a[2] == [["lang", "ar"], ["dir", "rtl"]] for _, _, a in script_runs(NOTE_XV))


def test_no_runs_in_latin_text() -> None:
    assert script_runs("Türkiye'nin “Suriye” politikası, 2021.") == []


@pytest.mark.parametrize(("lang", "rtl"), [("ar", True), ("he", True), ("fa", True),
                                           ("tr", False), ("en", False), ("xx", False)])
def test_is_rtl(lang: str, rtl: bool) -> None:
    assert is_rtl(lang) is rtl


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Erdoğan: ABD Afganistan’dan çıktığı gibi Irak ve Suriye’den de çıkmalıdır", "tr"),
    ("Egypt, UAE call for rethink of Syria’s expulsion from Arab League", "en"),
    ("Where is Mazen al-Hamada?", "en"),
    ("Heated Conflict or Consolidation of the Status Quo in Northeast Syria", "en"),
    ("Syrian Arab Republic-Governorates Profile (June 2014)", None),  # no evidence either way
])
def test_guess_lang(phrase: str, expected: str | None) -> None:
    assert guess_lang(phrase, ("en", "tr")) == expected


def test_quotations() -> None:
    assert quotations('a “b  c” d ‘e’ «f» "g h"') == ["b c", "e", "f", "g h"]


def test_shared_quotations_get_the_language_they_are_written_in() -> None:
    texts = {
        "tr": ("“Erdoğan: ABD Afganistan’dan çıktığı gibi” KURDISTAN24",
               "Ahmed Gomaa, “Egypt, UAE call for rethink”, Al-Monitor",
               "Bkz. “Çeviri yapılmış başlık”"),
        "en": ("“Erdoğan: ABD Afganistan’dan çıktığı gibi” KURDISTAN24",
               "Ahmed Gomaa, “Egypt, UAE call for rethink”, Al-Monitor",
               "See. “A translated title”"),
    }
    assert shared_phrases(texts, ("tr", "en")) == {
        "Erdoğan: ABD Afganistan’dan çıktığı gibi": "tr",
        "Egypt, UAE call for rethink": "en",
    }


def test_mark_languages_wraps_foreign_quotes_and_arabic() -> None:
    inlines = words("Bkz. “Egypt, UAE call for rethink”, ve “Qussai | قصي”.")
    out = mark_languages([para(inlines)], lang="tr",
                         phrases={"Egypt, UAE call for rethink": "en"})[0]["c"]
    spans = [(x["c"][0][2], "".join(w.get("c", " ") for w in x["c"][1]))
             for x in out if x["t"] == "Span"]
    assert spans == [([["lang", "en"]], "Egypt, UAE call for rethink"),
                     ([["lang", "ar"], ["dir", "rtl"]], "قصي")]
    # the quotation marks stay outside the spans, where the author put them
    assert out[out.index(next(x for x in out if x["t"] == "Span")) - 1] == text("“")


def test_own_language_quotes_are_not_marked() -> None:
    out = mark_languages([para(words("“Egypt, UAE call”"))], lang="en",
                         phrases={"Egypt, UAE call": "en"})
    assert not any(x["t"] == "Span" for x in out[0]["c"])


def test_arabic_is_not_foreign_in_an_arabic_edition() -> None:
    out = mark_languages([para(words("قصي وفريق"))], lang="ar", phrases={})
    assert not any(x["t"] == "Span" for x in out[0]["c"])


def test_author_spans_are_kept() -> None:
    authored = span(["", [], [["lang", "de"]]], [text("Zeitgeist")])
    out = mark_languages([para([text("a"), authored])], lang="en", phrases={})
    assert out[0]["c"][1] == authored
