"""Segmenting Markdown: exact segments, exact round trip, rendering translations, errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import BitextError
from pipeline.markdown.segments import (
    FOOTNOTE_REF,
    PROSE_KEYS,
    Segment,
    footnote_refs,
    parse_document,
    yaml_scalar,
)

# (kind, text, line, key) of every segment, in order.
SegTuple = tuple[str, str, int, str]


def seg_tuples(text: str) -> list[SegTuple]:
    return [(s.kind, s.text, s.line, s.label) for s in parse_document(text)]


CASES: list[tuple[str, str, list[SegTuple]]] = [
    (
        "atx-headings",
        "# Başlık bir\n\n## İkinci ##\n\n### Üçüncü {#ucuncu .unnumbered}\n\nMetin.\n",
        [
            ("heading", "Başlık bir", 1, "1"),
            ("heading", "İkinci", 3, "2"),
            ("heading", "Üçüncü", 5, "3"),
            ("paragraph", "Metin.", 7, ""),
        ],
    ),
    (
        "setext-heading-with-attributes",
        "Giriş *bölümü* {#giris}\n=======\n\nAlt başlık\n----------\n",
        [("heading", "Giriş *bölümü*", 1, "1"), ("heading", "Alt başlık", 4, "2")],
    ),
    (
        "heading-braces-that-are-not-attributes",
        "# Küme {a, b}\n",
        [("heading", "Küme {a, b}", 1, "1")],
    ),
    (
        "wrapped-paragraph",
        "Birinci satır *vurgulu*\n  ikinci satır girintili\nüçüncü[^1] satır.\n\n[^1]: Not.\n",
        [
            (
                "paragraph",
                "Birinci satır *vurgulu*\nikinci satır girintili\nüçüncü[^1] satır.",
                1,
                "",
            ),
            ("footnote", "Not.", 5, "1"),
        ],
    ),
    (
        "bullet-list",
        "- elma\n- armut\n  devamı\n* başka liste\n",
        [
            ("list-item", "elma", 1, ""),
            ("list-item", "armut\ndevamı", 2, ""),
            ("list-item", "başka liste", 4, ""),
        ],
    ),
    (
        "ordered-list",
        "1. bir\n2. iki\n   sürer\n\n10) on\n",
        [
            ("list-item", "bir", 1, ""),
            ("list-item", "iki\nsürer", 2, ""),
            ("list-item", "on", 5, ""),
        ],
    ),
    (
        "nested-list-and-loose-item",
        "- dış\n  - iç\n    devam\n\n  dışın ikinci paragrafı\n- son\n",
        [
            ("list-item", "dış", 1, ""),
            ("list-item", "iç\ndevam", 2, ""),
            ("list-item", "dışın ikinci paragrafı", 5, ""),
            ("list-item", "son", 6, ""),
        ],
    ),
    (
        "quote-with-lazy-line",
        "> Alıntı başlar\ntembel satır\n> ve biter.\n>\n> İkinci paragraf.\n",
        [
            ("quote", "Alıntı başlar\ntembel satır\nve biter.", 1, ""),
            ("quote", "İkinci paragraf.", 5, ""),
        ],
    ),
    (
        "list-in-quote",
        "> - madde\n>   devam\n",
        [("list-item", "madde\ndevam", 1, "")],
    ),
    (
        "table-cells",
        "| Ad | Değer |\n|:---|----:|\n| bir | 1 \\| 2 |\n|  | boş değil |\n",
        [
            ("table-cell", "Ad", 1, ""),
            ("table-cell", "Değer", 1, ""),
            ("table-cell", "bir", 3, ""),
            ("table-cell", "1 \\| 2", 3, ""),
            ("table-cell", "boş değil", 4, ""),
        ],
    ),
    (
        "footnote-two-paragraphs",
        "Metin[^a].\n\n[^a]: İlk paragraf\n    sarılmış.\n\n    İkinci paragraf.\n\nSonra.\n",
        [
            ("paragraph", "Metin[^a].", 1, ""),
            ("footnote", "İlk paragraf\nsarılmış.\n\nİkinci paragraf.", 3, "a"),
            ("paragraph", "Sonra.", 8, ""),
        ],
    ),
    (
        "footnote-text-on-next-line",
        "Metin[^b].\n\n[^b]:\n    Alttaki satır.\n",
        [("paragraph", "Metin[^b].", 1, ""), ("footnote", "Alttaki satır.", 4, "b")],
    ),
    (
        "front-matter",
        '---\ntitle: "Başlık: tırnaklı"\nsubtitle: Tırnaksız alt başlık\nlang: tr\n'
        "abstract: 'Tek tırnak ''içinde'''\ntags: [a, b]\ndescription: 2024\n---\n\nGövde.\n",
        [
            ("meta", "Başlık: tırnaklı", 2, "title"),
            ("meta", "Tırnaksız alt başlık", 3, "subtitle"),
            ("meta", "Tek tırnak 'içinde'", 5, "abstract"),
            ("paragraph", "Gövde.", 10, ""),
        ],
    ),
    (
        "front-matter-block-scalar",
        "---\nsummary: |\n  İki\n  satır\nlang: tr\n---\n",
        [("meta", "İki\nsatır", 2, "summary")],
    ),
    (
        "not-front-matter-when-followed-by-blank",
        "---\n\nMetin\n",
        [("paragraph", "Metin", 3, "")],
    ),
    (
        "code-blocks-are-skeleton",
        "```python\n# yorum\nx = 1\n```\n\n    girintili kod\n\nMetin.\n",
        [("paragraph", "Metin.", 8, "")],
    ),
    (
        "bare-paragraphs-are-skeleton",
        "https://example.com/a\n\n<https://example.com/b>\n\n![resim](a.png)\n\n"
        "[![resim](a.png)](https://example.com)\n\n$$\nx^2\n$$\n\nMetin https://example.com.\n",
        [("paragraph", "Metin https://example.com.", 13, "")],
    ),
    (
        "html-comment-rule-reference-are-skeleton",
        '<div class="x">\nham HTML\n</div>\n\n<!-- yorum -->\n\n***\n\n[ref]: https://example.com\n\n'
        "Son [ref].\n",
        [("paragraph", "Son [ref].", 11, "")],
    ),
    (
        "fenced-div",
        "::: {.uyari}\nBölme içinde\nparagraf.\n:::\n\nDışarıda.\n",
        [("paragraph", "Bölme içinde\nparagraf.", 2, ""), ("paragraph", "Dışarıda.", 6, "")],
    ),
    (
        "colons-that-open-no-div",
        "::: not\n\nMetin\n",
        [("paragraph", "::: not", 1, ""), ("paragraph", "Metin", 3, "")],
    ),
    (
        "crlf",
        "# Başlık\r\n\r\nbir\r\niki  \r\n",
        [("heading", "Başlık", 1, "1"), ("paragraph", "bir\niki", 3, "")],
    ),
    ("bom", "\ufeff# Başlık\n", [("heading", "Başlık", 1, "1")]),
    ("no-final-newline", "Metin\nson", [("paragraph", "Metin\nson", 1, "")]),
    ("empty", "", []),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_segments(source: str, expected: list[SegTuple]) -> None:
    assert seg_tuples(source) == expected


@pytest.mark.parametrize("source", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_identity_round_trip(source: str) -> None:
    assert parse_document(source).render(lambda s: s.text) == source


@pytest.mark.parametrize(
    "source",
    [
        "a\r\nb\nc\rd\r\n",  # mixed endings inside one paragraph
        "\ufeff---\r\ntitle: x\r\n---\r\n\r\n> q\r\n> r  \r\n",
        "\t- tab\n\t  more\n",
        "-\tmarker tab\n  next\n",
        ">\tquote tab\n>  x\n",
        "   # indented heading #   \n",
        "trailing   \n\n\n\n   \n",
        "[^x]: note\n\n  \n    more\n\nuse[^x]\n",
        "| a |\n|---|\n| b | extra |\n| c\n",
        "x\0y\n",
    ],
)
def test_round_trip_of_odd_inputs(source: str) -> None:
    assert parse_document(source).render(lambda s: s.text) == source


def test_msgids_never_hold_carriage_returns() -> None:
    doc = parse_document("- bir\r\n  iki\r\n\r\n> üç\r\n> dört\r\n")
    assert [s.text for s in doc] == ["bir\niki", "üç\ndört"]
    assert all(s.eol == "\r\n" for s in doc)


def test_prefixes_and_continuation() -> None:
    doc = parse_document(
        "Para\n  girinti\n\n- madde\n  devam\n\n> alıntı\ntembel\n>  boşluklu\n\n"
        "[^n]: not\n    sürer\n\n    ikinci\n\nx[^n]\n"
    )
    got = [(s.kind, s.prefixes, s.continuation) for s in doc]
    assert got == [
        ("paragraph", ("  ",), ""),
        ("list-item", ("  ",), "  "),
        ("quote", ("", ">  "), "> "),
        ("footnote", ("    ", "", "    "), "    "),
        ("paragraph", (), ""),
    ]


UPPER_SOURCE = """\
---
title: Başlık
lang: tr
---

# Giriş {#giris}

Bir paragraf
iki satır[^1].

- madde bir
- madde
  iki

> alıntı
> devam

| a | b |
|---|---|
| c |   |

[^1]: Not
    sürer.
"""

UPPER_EXPECTED = """\
---
title: "BAŞLIK"
lang: tr
---

# GIRIŞ {#giris}

BIR PARAGRAF
IKI SATIR[^1].

- MADDE BIR
- MADDE
  IKI

> ALINTI
> DEVAM

| A | B |
|---|---|
| C |   |

[^1]: NOT
    SÜRER.
"""


def test_render_with_a_different_translation() -> None:
    doc = parse_document(UPPER_SOURCE)
    assert doc.render(lambda s: s.text.upper()) == UPPER_EXPECTED


LONGER_SOURCE = """\
Kısa paragraf.

- madde

1. sıralı

> alıntı

[^n]: Not.

Son[^n].
"""

LONGER_EXPECTED = """\
Short paragraph
on two lines.

- item
  on two lines

1. ordered
   on two lines

> quote
> on two lines

[^n]: Note.

    A second paragraph.

Last
on two lines[^n].
"""

LONGER = {
    "Kısa paragraf.": "Short paragraph\non two lines.",
    "madde": "item\non two lines",
    "sıralı": "ordered\non two lines",
    "alıntı": "quote\non two lines",
    "Not.": "Note.\n\nA second paragraph.",
    "Son[^n].": "Last\non two lines[^n].",
}


def test_render_translation_with_more_lines_uses_continuation() -> None:
    doc = parse_document(LONGER_SOURCE)
    rendered = doc.render(lambda s: LONGER[s.text])
    assert rendered == LONGER_EXPECTED
    assert [s.text for s in parse_document(rendered)] == list(LONGER.values())


def test_render_with_fewer_lines_and_crlf() -> None:
    doc = parse_document("> bir\r\n> iki\r\n\r\nüç\r\n")
    rendered = doc.render(lambda s: {"bir\niki": "one", "üç": "three\nfour"}[s.text])
    assert rendered == "> one\r\n\r\nthree\r\nfour\r\n"


def test_meta_identity_gives_the_raw_scalar_back() -> None:
    source = "---\ntitle: 'It''s'   # comment\nsubtitle: >-\n  folded\n  text\n---\n"
    doc = parse_document(source)
    assert [(s.text, s.raw) for s in doc] == [
        ("It's", "'It''s'"),
        ("folded text", ">-\n  folded\n  text"),
    ]
    assert doc.render(lambda s: s.text) == source


def test_meta_translation_is_a_valid_yaml_scalar() -> None:
    source = "---\ntitle: Başlık\nsubtitle: >-\n  katlanmış\n  metin\nlang: tr\n---\n"
    translations = {"Başlık": 'Title: "quoted" \\ back\nslash', "katlanmış metin": "folded text"}
    rendered = parse_document(source).render(lambda s: translations[s.text])
    assert rendered == (
        '---\ntitle: "Title: \\"quoted\\" \\\\ back\\nslash"\nsubtitle: "folded text"\n'
        "lang: tr\n---\n"
    )
    assert [s.text for s in parse_document(rendered)] == list(translations.values())


def test_yaml_scalar_escapes_what_yaml_cannot_hold_raw() -> None:
    assert yaml_scalar("a\u2028b\x85c\td") == '"a\\u2028b\\u0085c\\td"'


def test_prose_keys_can_be_chosen() -> None:
    source = "---\ntitle: T\nauthor: Ada\n---\n"
    assert "author" not in PROSE_KEYS
    assert [s.label for s in parse_document(source)] == ["title"]
    assert [s.label for s in parse_document(source, prose_keys={"author"})] == ["author"]


def test_segment_restructure_without_newline_fields_is_the_plain_join() -> None:
    seg = Segment("quote", "a\nb", 1, prefixes=("> ",), continuation="> ")
    assert seg.restructure("x\ny\n\nz") == "x\n> y\n>\n> z"


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        (
            "---\ntitle: Başlık\nlang: [tr\n---\n",
            "broken YAML front matter: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence)",
            3,  # where the unclosed bracket opens, not where the stream ends
        ),
        (
            "---\ntitle: iyi\nsubtitle: kötü: iki nokta\n---\n",
            "broken YAML front matter: mapping values are not allowed here",
            3,
        ),
        ("Metin\nikinci satır[^yok].\n", "footnote [^yok] has no definition", 2),
        (
            "[^a]: bir\n\nx[^a]\n\n[^a]: iki\n",
            "footnote [^a] is defined twice (first at line 1)",
            5,
        ),
        ("| h |\n|---|\n| x[^t] |\n", "footnote [^t] has no definition", 3),
    ],
)
def test_errors_name_path_and_line(source: str, message: str, line: int) -> None:
    with pytest.raises(BitextError) as info:
        parse_document(source, path="source/tr/doc.md")
    assert (info.value.message, info.value.path, info.value.line) == (
        message,
        "source/tr/doc.md",
        line,
    )
    assert str(info.value) == f"source/tr/doc.md:{line}: {message}"


def test_footnote_like_text_in_code_is_no_reference() -> None:
    source = "Kod `x[^y]` ve ``a[^b]``.\n\n```\n[^z]\n```\n"
    assert seg_tuples(source) == [("paragraph", "Kod `x[^y]` ve ``a[^b]``.", 1, "")]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("bir[^i] iki[^ii], [^iii]", ["i", "ii", "iii"]),
        ("dedi ki[^3]: şöyle", ["3"]),
        ("[^4]: bir tanım\nve[^5]", ["5"]),
        ("`[^kod]` ama [^6]", ["6"]),
        ("[^ boşluk] [^]", []),
    ],
)
def test_footnote_refs(text: str, labels: list[str]) -> None:
    assert footnote_refs(text) == labels


def test_footnote_ref_pattern_skips_definitions() -> None:
    assert [m.group(1) for m in FOOTNOTE_REF.finditer("[^a]: tanım\nmetin[^b]")] == ["b"]


def test_translation_lines_take_prefixes_by_place_not_by_index() -> None:
    # The source's third line is lazy (no indentation): a translation's first line of a
    # second paragraph must still be indented, or it would leave the footnote.
    source = "[^n]: bir\n    iki\ntembel\n\n    son\n\nx[^n]\n"
    doc = parse_document(source)
    assert doc.segments[0].prefixes == ("    ", "", "", "    ")
    translations = {"bir\niki\ntembel\n\nson": "one two\n\nlast\nline", "x[^n]": "x[^n]"}
    rendered = doc.render(lambda s: translations[s.text])
    assert rendered == "[^n]: one two\n\n    last\n    line\n\nx[^n]\n"
    assert [s.text for s in parse_document(rendered)] == list(translations.values())


def test_footnote_paragraph_end_spaces_are_no_text() -> None:
    source = "[^n]: bir  \n\n    iki\n\nx[^n]\n"
    doc = parse_document(source)
    assert doc.segments[0].text == "bir\n\niki"
    assert doc.render(lambda s: s.text) == source
    # The spaces stay before a blank line only: never a hard break inside a paragraph.
    assert doc.render(lambda s: s.text.replace("\n\n", " ")) == "[^n]: bir iki\n\nx[^n]\n"
    rendered = doc.render(lambda s: s.text.replace("bir", "a\nb"))
    assert rendered == "[^n]: a\n    b\n\n    iki\n\nx[^n]\n"


def test_a_quote_translated_into_two_paragraphs_stays_one_quote() -> None:
    doc = parse_document("> bir\n")
    assert doc.render(lambda s: "one\n\ntwo") == "> one\n>\n> two\n"
    assert [s.kind for s in parse_document("> one\n>\n> two\n")] == ["quote", "quote"]


_FOOTNOTE_REF_AS_WRITTEN = re.compile(r"(?:(?<=[^\n])|(?!\[\^[^\]\s]+\]:))\[\^([^\]\s]+)\]")


@given(st.text(alphabet="[]^:\n ab1", max_size=40))
def test_footnote_ref_finds_what_its_plain_spelling_finds(text: str) -> None:
    """FOOTNOTE_REF's leading lookahead is for speed: the same matches as without it."""
    assert [(m.span(), m.group(1)) for m in FOOTNOTE_REF.finditer(text)] == [
        (m.span(), m.group(1)) for m in _FOOTNOTE_REF_AS_WRITTEN.finditer(text)]
