"""Publication metadata as data: dates at their precision, the front matter read with its
lines, the merge with the config, the original's line, and the HTML head it gives."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import BitextError
from pipeline.render.ast import stringify
from pipeline.render.epub import _headings
from pipeline.render.html import EditionLink, page
from pipeline.render.metadata import (
    Metadata,
    Original,
    PubDate,
    front_metadata,
    original_inlines,
    parse_pub_date,
    resolve,
)


@pytest.mark.parametrize(("value", "expected", "iso"), [
    ("2021", PubDate(2021), "2021"),
    (2021, PubDate(2021), "2021"),
    ("2021-10", PubDate(2021, 10), "2021-10"),
    ("2021-10-03", PubDate(2021, 10, 3), "2021-10-03"),
    (dt.date(2021, 10, 3), PubDate(2021, 10, 3), "2021-10-03"),
    (dt.datetime(2021, 10, 3, 12, 0), PubDate(2021, 10, 3), "2021-10-03"),
])
def test_dates_keep_their_precision(value: object, expected: PubDate, iso: str) -> None:
    assert parse_pub_date(value) == expected
    assert expected.iso() == iso


@pytest.mark.parametrize("value", ["21.10.2021", "2021-13", "2021-02-30", "Ekim 2021", True,
                                   21, "", None])
def test_anything_else_is_no_date(value: object) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_pub_date(value)


def test_front_matter_values_and_the_keys_given() -> None:
    meta, given = front_metadata(
        '---\ntitle: "T"\nauthor: [A, B]\ndate: 2021-10\nrights: "© X"\n'
        "original: {publisher: Perspektif, date: 2021-10}\n---\n\nMetin.\n", path="d.md")
    assert given == {"authors", "date", "rights", "original"}
    assert meta == Metadata(date=PubDate(2021, 10), authors=("A", "B"), rights="© X",
                            original=Original(publisher="Perspektif", date=PubDate(2021, 10)))


def test_a_bad_value_names_its_line() -> None:
    with pytest.raises(BitextError) as caught:
        front_metadata('---\ntitle: "T"\n\noriginal:\n  date: "soon"\n---\n', path="d.md")
    assert (caught.value.path, caught.value.line) == ("d.md", 5)
    assert "original: date: expected a date like 2021" in caught.value.message


def test_the_front_matter_wins_key_by_key_then_git_dates() -> None:
    config = Metadata(date=PubDate(2020), authors=("C",), publisher="P", rights="R")
    front, given = front_metadata("---\nauthor: F\n---\n", path="d.md")
    got = resolve(front, given, config, PubDate(2023, 6, 7))
    assert (got.authors, got.publisher, got.date) == (("F",), "P", PubDate(2020))
    undated = resolve(front, given, Metadata(), PubDate(2023, 6, 7))
    assert undated.date == PubDate(2023, 6, 7)
    assert resolve(Metadata(), frozenset(), Metadata()).date is None  # no build day


@pytest.mark.parametrize(("original", "lang", "lead", "shown"), [
    (Original(publisher="Perspektif", date=PubDate(2021, 10)), "tr", "İlk yayımlandığı yer:",
     "İlk yayımlandığı yer: Perspektif, Ekim 2021"),
    (Original(publisher="Perspektif", date=PubDate(2021, 10)), "en", "First published in",
     "First published in Perspektif, October 2021"),
    (Original(title="Başlık", url="https://example.org/a"), "en", "First published in",
     "First published in Başlık"),
    (Original(), "en", "First published in", ""),
])
def test_the_original_line(original: Original, lang: str, lead: str, shown: str) -> None:
    inlines = original_inlines(original, lang, lead)
    assert stringify(inlines) == shown
    links = [n for n in inlines if n["t"] == "Link"]
    assert [n["c"][2][0] for n in links] == ([original.url] if original.url else [])


def test_bilingual_headings_pair_by_language() -> None:
    body = ('<h1 id="title-tr">Başlık</h1><h2 id="title-en">Title</h2>'
            '<h2 id="tr-a">Bölüm</h2><h2 id="en-a">Section</h2>'
            '<h2 id="tr-b">Yalnız</h2>'
            '<h2 id="bitext-notes-title-tr">Notlar</h2><h2 id="bitext-notes-title-en">Notes</h2>')
    assert _headings(body, ("tr", "en")) == [
        ("1", "title-tr", "Başlık / Title"), ("2", "tr-a", "Bölüm / Section"),
        ("2", "tr-b", "Yalnız"), ("2", "bitext-notes-title-tr", "Notlar / Notes")]
    assert len(_headings(body, ("tr",))) == 7


def test_the_page_fills_its_slots_once() -> None:
    """A value is never scanned for slots: an author named ``{{body}}`` stays a name."""
    template = "<head>{{head}}</head><body>{{editions}}{{body}}{{footer}}</body>"
    out = page('<p class="x">"text"</p>', template=template, lang="tr", title=[], css="",
               kind="single", version="1", meta=Metadata(authors=("{{body}}",),
                                                        rights="<b>{{css}}</b>"),
               editions=[EditionLink("d.tr.html", ("tr",), True),
                         EditionLink("d.tr-en.html", ("tr", "en"))])
    assert '<meta name="author" content="{{body}}">' in out
    assert out.count('<p class="x">') == 1
    assert "&lt;b&gt;{{css}}&lt;/b&gt;" in out
    assert '<link rel="alternate" hreflang="mul" href="d.tr-en.html"' in out
