"""The numbers check: quiet where other tools cry wolf, loud where they stay silent."""

from __future__ import annotations

import pytest

from pipeline.checks.runner import check_texts


def numbers(source: str, target: str, *, sl: str = "tr", tl: str = "en") -> list[tuple[str, str]]:
    run = check_texts([(source, target)], source_lang=sl, target_lang=tl, names=["numbers"])
    return [(f.severity, f.message) for f in run.findings]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # The false alarms of pofilter (issue 4), and their kin.
        ("İdlib'in savaş öncesinde 1,5 milyon olan nüfusu",
         "Idlib’s pre-war population of 1.5 million"),
        ("nüfusun %50'si", "50% of the population"),
        ("nüfusun yüzde 50'si", "50 percent of the population"),
        ("Rusya ve rejimin 2021'deki operasyonu", "the operation in 2021"),
        ("yaklaşık dört milyon Suriyeli", "approximately four million Syrians"),
        ("yaklaşık dört milyon Suriyeli", "about 4 million Syrians"),
        ("neredeyse 4 milyona ulaştı", "reached almost 4 million"),
        ("10.000 kişi", "10,000 people"),
        ("21. yüzyılda", "in the 21st century"),
        ("üç gerginliği azaltma bölgesi", "3 de-escalation zones"),
        ("Türkiye özellikle 2016 sonrası dönemde", "Especially in the post-2016 period"),
        # Dates are the dates check's business.
        ("29 Eylül'de Soçi'de", "on September 29 in Sochi"),
        # A citation kept as it is.
        ("Al-Monitor, 15.03.2021, s.22", "Al-Monitor, 15.03.2021, p.22"),
    ],
)
def test_legitimate_differences_are_quiet(source: str, target: str) -> None:
    assert numbers(source, target) == []


def test_a_scale_error_fires() -> None:
    assert numbers("3 milyon kişi", "30 million people") == [(
        "error",
        "numbers differ: the original has “3 milyon” (3000000), "
        "the translation “30 million” (30000000)",
    )]


def test_a_lost_decimal_comma_fires() -> None:
    assert numbers("oran 12,5 oldu", "the rate was 125") == [(
        "error", "numbers differ: the original has “12,5” (12.5), the translation “125”"
    )]


def test_a_missing_and_an_extra_number() -> None:
    assert numbers("7 milyonu aşkın insan", "over a million people") == [(
        "warning",  # "a million" is spelled out: lowered
        "numbers differ: the original has “7 milyonu” (7000000), "
        "the translation “a million” (1000000)",
    )]
    assert numbers("geçen yıl", "in 2020") == [
        ("error", "the translation has “2020”, which the original does not")
    ]
    assert numbers("2020'de ve 2021'de", "in 2021") == [
        ("error", "the original's “2020” is not in the translation")
    ]


def test_spelled_numbers_lower_a_mismatch_to_a_warning() -> None:
    assert numbers("dört milyon Suriyeli", "five million Syrians") == [(
        "warning",
        "numbers differ: the original has “dört milyon” (4000000), "
        "the translation “five million” (5000000)",
    )]


def test_a_lone_number_word_settles_only_its_own_value() -> None:
    assert numbers("3 bölge ve iki kent", "three zones and 2 cities") == []
    # "bir" (also the article) and "iki" explain nothing about a 4: an error.
    assert numbers("3 bölge ve iki kent, bir köy", "3 zones and 4 cities, a village") == [
        ("error", "the translation has “4”, which the original does not")
    ]


def test_english_originals_and_turkish_translations() -> None:
    assert numbers("over 1.5 million users", "1,5 milyonu aşkın kullanıcı", sl="en", tl="tr") == []
    assert numbers("in 2021", "2012'de", sl="en", tl="tr") == [
        ("error", "numbers differ: the original has “2021”, the translation “2012”")
    ]


def test_fuzzy_and_untranslated_entries_are_not_checked() -> None:
    from pipeline.catalog import Entry

    entries = [Entry("3 milyon", "30 million", fuzzy=True, line=1), Entry("3 milyon", "", line=3)]
    assert check_texts(entries, names=["numbers"]).findings == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("09:00'dan 16:00'ya", "9:00 am to 4:00 pm"),  # seen on a real catalog
        ("saat 16:30'da", "at 4:30 p.m."),
        ("00:15'te", "at 12:15 am"),
        ("öğlen 12:00'de", "at noon, 12 pm"),
        ("16:9 ekran, 3:1 oran", "a 16:9 screen, a 3:1 ratio"),
    ],
)
def test_times_of_day_are_one_value_each(source: str, target: str) -> None:
    assert numbers(source, target) == []


def test_a_different_time_fires() -> None:
    assert numbers("09:00'dan 16:00'ya", "9:00 am to 5:00 pm") == [
        ("error", "numbers differ: the original has “16:00”, the translation “5:00 pm” (17:00)")]
    assert numbers("saat 16:00", "at 4:00 am") == [
        ("error", "numbers differ: the original has “16:00”, the translation “4:00 am” (04:00)")]
