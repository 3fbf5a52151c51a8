"""The locale-aware extractors: numbers, dates and URLs as each language writes them."""

from __future__ import annotations

from datetime import date as _date
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from pipeline.checks.extract import (
    Date,
    extract_dates,
    extract_numbers,
    extract_urls,
    mask,
    number_words,
    parse_number,
)
from pipeline.checks.lexicon import lowercase, turkish_endings


def values(text: str, lang: str) -> list[str]:
    return [format(n.value, "f") if n.value is not None else f"literal {n.text}"
            for n in extract_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Each side in its own locale: decimal comma in Turkish, decimal point in English.
        ("1,5 milyon", "tr", ["1500000"]),
        ("1.5 million", "en", ["1500000"]),
        ("12,5", "tr", ["12.5"]),
        ("125", "en", ["125"]),
        ("10.000 kişi", "tr", ["10000"]),
        ("10,000 people", "en", ["10000"]),
        ("1.234,5 TL", "tr", ["1234.5"]),
        # Not valid Turkish grouping: read the English way (a version number in a tr text).
        ("Python 2.7 sürümü", "tr", ["2.7"]),
        ("version 3.8.1", "en", ["literal 3.8.1"]),
        # Scale words from CLDR, with Turkish case endings written without an apostrophe.
        ("neredeyse 4 milyona ulaştı", "tr", ["4000000"]),
        ("8 milyonun üzerinde", "tr", ["8000000"]),
        ("15 milyonu aşkın", "tr", ["15000000"]),
        ("2 bin kişi", "tr", ["2000"]),
        ("3 milyar dolar", "tr", ["3000000000"]),
        ("3 billion dollars", "en", ["3000000000"]),
        # "bina" (a building) is not a case form of "bin" (that is "bine"): vowel harmony.
        ("3 bina", "tr", ["3"]),
        # Percent on either side, as a sign or a word.
        ("%50", "tr", ["50"]),
        ("yüzde 50'si", "tr", ["50"]),
        ("50%", "en", ["50"]),
        ("50 percent", "en", ["50"]),
        # Suffixes, ordinals and hyphens do not change a value.
        ("2021'de", "tr", ["2021"]),
        ("2017’den bu yana", "tr", ["2017"]),
        ("21. yüzyıl", "tr", ["21"]),
        ("the 21st century", "en", ["21"]),
        ("post-2016 and pre-2011", "en", ["2016", "2011"]),
        # Spelled numbers before a scale word.
        ("yaklaşık dört milyon Suriyeli", "tr", ["4000000"]),
        ("about four million Syrians", "en", ["4000000"]),
        ("bir buçuk milyon", "tr", ["1500000"]),
        ("one and a half million", "en", ["1500000"]),
        ("half a million", "en", ["500000"]),
        ("İki yüz elli bin", "tr", ["250000"]),
        ("two hundred and fifty thousand", "en", ["250000"]),
        # Not numbers: inside words, code, URLs, footnote references, placeholders.
        ("x86 and H2O", "en", []),
        ("see `retry(3)` and https://example.org/2021/5", "en", []),
        ("a note[^12] here", "en", []),
        ("%(count)s items, {0} left", "en", []),
        ("milyonlarca insan", "tr", []),
    ],
)
def test_numbers_are_read_in_their_own_locale(text: str, lang: str, expected: list[str]) -> None:
    assert values(text, lang) == expected


def test_a_number_keeps_its_written_form_and_flags() -> None:
    [number] = extract_numbers("nüfusu %12,5 arttı", "tr")
    assert (number.text, number.value, number.percent, number.spelled) == (
        "%12,5", Decimal("12.5"), True, False
    )
    assert number.show() == "“%12,5” (12.5)"
    [spelled] = extract_numbers("dört milyon", "tr")
    assert spelled.spelled and spelled.show() == "“dört milyon” (4000000)"


def test_scale_words_of_a_quoted_english_title_in_a_turkish_text() -> None:
    text = "Scott Lucas, “Syria Daily: ‘10 Million Trustworthy People Better Than 30 Million’”"
    assert values(text, "tr") == ["10000000", "30000000"]


def test_strict_parsing_decides_between_the_conventions() -> None:
    assert parse_number("1.500", "tr") == Decimal(1500)
    assert parse_number("1.500", "en") == Decimal("1.5")
    assert parse_number("1,5", "en") == Decimal("1.5")  # not English grouping: comma decimal
    assert parse_number("1,2,3", "en") is None


def test_lone_number_words_are_hints_with_values() -> None:
    found = [(w.text, w.value) for w in number_words("Üç bölge, iki kez", "tr")]
    assert found == [("Üç", 3), ("iki", 2)]
    assert number_words("three zones", "en")[0].value == 3
    assert number_words("drei Zonen", "de") == []  # no word list for German


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("29.09.2021", "tr", [Date(2021, 9, 29)]),
        ("29 Eylül 2021", "tr", [Date(2021, 9, 29)]),
        ("29 EYLÜL 2021", "tr", [Date(2021, 9, 29)]),
        ("September 29, 2021", "en", [Date(2021, 9, 29)]),
        ("29th of September 2021", "en", [Date(2021, 9, 29)]),
        ("29/09/2021", "en", [Date(2021, 9, 29)]),
        ("09/29/2021", "en", [Date(2021, 9, 29)]),
        ("2021-09-29", "en", [Date(2021, 9, 29)]),
        # Ambiguous slashes follow the locale: English writes the month first, Turkish not.
        ("03/04/2021", "en", [Date(2021, 3, 4)]),
        ("03/04/2021", "tr", [Date(2021, 4, 3)]),
        # Parts not written are None.
        ("Yine 3 Ekim'de görüştü", "tr", [Date(None, 10, 3)]),
        ("Again, on October 3, Assad", "en", [Date(None, 10, 3)]),
        ("Sept. 29", "en", [Date(None, 9, 29)]),
        ("Mart 2021", "tr", [Date(2021, 3, None)]),
        ("March 2021", "en", [Date(2021, 3, None)]),
        # An English title quoted in a Turkish citation.
        ("“Governorates Profile (June 2014)”", "tr", [Date(2014, 6, None)]),
        # A month name alone is no date; neither is a version number.
        ("Mayıs ayında", "tr", []),
        ("in May", "en", []),
        ("version 1.2.3", "en", []),
    ],
)
def test_dates_are_normalised(text: str, lang: str, expected: list[Date]) -> None:
    assert extract_dates(text, lang) == expected


def test_dates_are_not_numbers() -> None:
    assert values("Al-Monitor, 15.03.2021, s.4", "tr") == ["4"]


def test_urls_and_addresses_are_normalised() -> None:
    text = (
        "See https://EN.Wikipedia.org/wiki/Foo_(bar)). Mail Me@Example.ORG, "
        "<https://a.example/x>, [t](http://b.example/p?q=1 \"t\") and www.c.example. "
        "`https://in.code/skip`"
    )
    assert extract_urls(text) == [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "me@example.org",
        "https://a.example/x",
        "http://b.example/p?q=1",
        "www.c.example",
    ]
    # A Turkish suffix after a Markdown link: the link's ")" ends the URL.
    assert extract_urls("[Bundler](https://bundler.io/)'ı ve (bkz. https://a.example/x)") == [
        "https://bundler.io/", "https://a.example/x"]
    assert extract_urls("[r](http://x.example/Reentrant_%28sub%29)dir") == [
        "http://x.example/Reentrant_%28sub%29"]


def test_mask_keeps_positions() -> None:
    text = "a[^ii] `x` b"
    assert mask(text) == "a" + " " * 10 + "b"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("İSTANBUL", "tr", "istanbul"), ("ILIK", "tr", "ılık"), ("DİYARBAKIR", "tr", "diyarbakır"),
     ("ISTANBUL", "en", "istanbul")],
)
def test_turkish_case_folding(text: str, lang: str, expected: str) -> None:
    assert lowercase(text, lang) == expected
    assert "İ".lower() != "i"  # why fold exists


def test_turkish_endings_follow_vowel_harmony() -> None:
    import re

    bin_ = re.compile("bin" + turkish_endings("bin"))
    milyon = re.compile("milyon" + turkish_endings("milyon"))
    assert bin_.fullmatch("bine") and bin_.fullmatch("binde") and not bin_.fullmatch("bina")
    assert milyon.fullmatch("milyona") and milyon.fullmatch("milyonun")
    assert not milyon.fullmatch("milyone")


# Babel's own formatters are the oracle: what Babel writes, the extractors read back.
LANGS = st.sampled_from(["tr", "en"])


@given(st.decimals(min_value=0, max_value=10**9, places=2), LANGS)
def test_numbers_babel_formats_read_back(value: Decimal, lang: str) -> None:
    text = format_decimal(value, locale=lang)  # "1.234.567,5" / "1,234,567.5"
    assert [n.value for n in extract_numbers(f"toplam {text} kişi", lang)] == [value]


@given(st.integers(min_value=100, max_value=99_999), st.sampled_from([10**3, 10**6, 10**9]),
       LANGS)
def test_compact_numbers_with_scale_words_read_back(mantissa: int, scale: int, lang: str) -> None:
    value = Decimal(mantissa) / 100 * scale  # 1.00 .. 999.99 thousand/million/billion
    text = format_compact_decimal(value, format_type="long", locale=lang, fraction_digits=2)
    [number] = extract_numbers(text, lang)
    assert number.value == value, text


@given(st.dates(min_value=_date(1900, 1, 1), max_value=_date(2099, 12, 31)), LANGS,
       st.sampled_from(["long", "medium", "short"]))
def test_babel_dates_read_back(day: _date, lang: str, width: str) -> None:
    text = format_date(day, format=width, locale=lang)  # "29 Eylül 2021", "Sep 29, 2021", ...
    if width == "short" and lang == "en" and not 1970 <= day.year <= 2069:
        return  # "9/29/21": a two-digit year names a year of 1970-2069
    assert extract_dates(text, lang) == [Date(day.year, day.month, day.day)], text
