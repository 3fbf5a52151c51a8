"""The glossary check: Turkish case folding, apostrophe suffixes, forbidden terms."""

from __future__ import annotations

import pytest

from pipeline.checks.model import CheckOptions
from pipeline.checks.runner import check_texts
from pipeline.errors import BitextError
from pipeline.glossary import parse_glossary

GLOSSARY = """\
# terms of the Syria articles
source,target,forbidden,note
Esad,Assad|Al-Assad,Esed,the name as the English press writes it
İdlib,Idlib,,
Irak,Iraq,,
mülteci*,refugee*,,
,,Daesh,use ISIS
"""


def glossary(source: str, target: str, sl: str = "tr", tl: str = "en") -> list[tuple[str, str]]:
    options = CheckOptions(glossary=parse_glossary(GLOSSARY, shown="glossary.csv").terms(sl, tl))
    run = check_texts([(source, target)], source_lang=sl, target_lang=tl, names=["glossary"],
                      options=options)
    return [(f.severity, f.message) for f in run.findings]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Esad'la doğrudan görüşme", "direct talks with Al-Assad"),
        ("ESAD’IN rejimi", "the Assad regime"),  # upper case, typographic apostrophe
        ("İDLİB'de ve idlib'de", "in Idlib"),  # Turkish İ/i
        ("IRAK'tan çekilmeli", "withdraw from Iraq"),  # Turkish I -> ı, not i
        ("Türkiye'deki mültecilerin çoğu", "most refugees in Turkey"),
        ("Esadizm üzerine", "on Assadism"),  # another word: no match
        # a title kept as it is
        ("“Esad neden kazandı?” başlıklı yazı", "the article “Esad neden kazandı?”"),
        ("“Irak ve Suriye’den çıkmalı”, KURDISTAN24", "“Irak ve Suriye’den çıkmalı”, KURDISTAN24"),
    ],
)
def test_agreed_translations_are_quiet(source: str, target: str) -> None:
    assert glossary(source, target) == []


def test_a_term_translated_otherwise_is_a_warning() -> None:
    assert glossary("İdlib'in nüfusu", "the population of Idleb") == [
        ("warning", "glossary: “İdlib” should be translated as “Idlib”")
    ]


def test_forbidden_translations_are_errors() -> None:
    assert glossary("Esad rejimi", "the Esed regime") == [
        ("warning", "glossary: “Esad” should be translated as “Assad” or “Al-Assad”"),
        ("error", "glossary: “Esed” is forbidden for “Esad”; use “Assad” or “Al-Assad”"),
    ]
    assert glossary("DEAŞ saldırısı", "a Daesh attack") == [
        ("error", "glossary: “Daesh” is forbidden")
    ]


def test_turkish_folding_differs_from_python_lower() -> None:
    # Python would fold "IRAK" to "irak", which matches nothing in a Turkish-folded text.
    assert "IRAK".lower() == "irak"
    assert glossary("IRAK", "the country") == [
        ("warning", "glossary: “Irak” should be translated as “Iraq”")
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("source,target,extra\nA,B,C\n", 1, "unknown glossary column 'extra'"),
        ("source\nA\n", 1, "the glossary needs a header row with 'source' and 'target' columns"),
        ("source,target\nA,B,C\n", 2, "3 fields, but the header has 2"),
        ("# c\nsource,target\n\nA,\n", 4, "a glossary row needs a source and a target"),
    ],
)
def test_malformed_glossaries_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BitextError) as caught:
        parse_glossary(text, shown="glossary.csv")
    assert caught.value.line == line and caught.value.message.startswith(message)
