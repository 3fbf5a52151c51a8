"""The dates check: one date, whatever the notation, in either language."""

from __future__ import annotations

import pytest

from pipeline.checks.dates import match_dates, show_date
from pipeline.checks.extract import Date
from pipeline.checks.runner import check_texts


def dates(source: str, target: str, sl: str = "tr", tl: str = "en") -> list[str]:
    run = check_texts([(source, target)], source_lang=sl, target_lang=tl, names=["dates"])
    return [f.message for f in run.findings]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("29 Eylül'de Soçi'de", "on September 29 in Sochi"),
        ("Yine 3 Ekim'de", "Again, on October 3,"),
        ("Reuters, 30.09.2021,", "Reuters, September 30, 2021,"),
        ("Jusoor, Mart 2021, s.4", "Jusoor, March 2021, p.4"),
        ("29/09/2021 tarihinde", "on Sept. 29, 2021"),
        ("29 Eylül 2021", "29 September 2021"),
        ("Mayıs ayında", "in May"),  # month names alone are not dates
    ],
)
def test_same_dates_are_quiet(source: str, target: str) -> None:
    assert dates(source, target) == []


def test_a_wrong_day_fires() -> None:
    assert dates("29.09.2021", "September 28, 2021") == [
        "dates differ: the original has 2021-09-29, the translation 2021-09-28"
    ]


def test_a_swapped_day_and_month_fires() -> None:
    assert dates("Reuters, 04.10.2021,", "Reuters, 10.04.2021,") == [
        "dates differ: the original has 2021-10-04, the translation 2021-04-10"
    ]


def test_a_missing_date_fires() -> None:
    assert dates("29 Eylül'de ve 3 Ekim'de", "on September 29") == [
        "the original's date --10-03 is not in the translation"
    ]


def test_english_original_turkish_translation() -> None:
    assert dates("on March 3, 2020", "3 Mart 2020'de", sl="en", tl="tr") == []
    assert dates("on March 3, 2020", "3 Mayıs 2020'de", sl="en", tl="tr") == [
        "dates differ: the original has 2020-03-03, the translation 2020-05-03"
    ]


def test_partial_dates_match_fuller_ones() -> None:
    assert match_dates([Date(None, 10, 3)], [Date(2021, 10, 3)]) == ([], [])
    assert match_dates([Date(2021, 10, 3)], [Date(2020, 10, 3)]) == (
        [Date(2021, 10, 3)], [Date(2020, 10, 3)])
    assert show_date(Date(None, 10, 3)) == "--10-03"
    assert show_date(Date(2021, 3, None)) == "2021-03"
