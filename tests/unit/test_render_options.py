"""[tool.bitext.build]: validated, every bad key reported with its name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.config import validate
from pipeline.errors import BitextError
from pipeline.render.metadata import Original, PubDate
from pipeline.render.options import BuildOptions, build_options, editions_for, parse_list


def options(table: dict, name: str = "pyproject.toml") -> BuildOptions:
    config = validate({"source_lang": "tr", "target_langs": ["en"], "build": table},
                      root=Path("/pub"), config_file=Path("/pub") / name)
    return build_options(config)


def test_defaults() -> None:
    got = options({})
    assert got == BuildOptions()
    assert (got.formats, got.release_threshold, got.paper, got.engine) == (
        ("html", "epub", "pdf"), 100.0, "a4", "typst")


def test_every_key() -> None:
    got = options({"formats": ["pdf"], "editions": ["tr", "bilingual"], "release_threshold": 90,
                   "engine": "typst", "paper": "a5", "title": {"en": "T"},
                   "author": "A. Yazar", "date": dt.date(2026, 11, 26), "publisher": "P",
                   "identifier": "urn:x"})
    assert got == BuildOptions(formats=("pdf",), editions=("tr", "bilingual"),
                               release_threshold=90.0, paper="a5", title={"en": "T"},
                               authors=("A. Yazar",), date=PubDate(2026, 11, 26),
                               publisher="P", identifier="urn:x")


def test_a_date_may_be_a_string() -> None:
    assert options({"date": "2026-11-26"}).date == PubDate(2026, 11, 26)
    # a month or a year keeps its precision
    assert options({"date": "2021-10"}).date == PubDate(2021, 10)
    assert options({"date": 2021}).date == PubDate(2021)


def test_the_publication_metadata_keys() -> None:
    got = options({"publisher": "  Yayınevi ", "rights": "© 2021 Perspektif",
                   "original": {"publisher": "Perspektif", "date": "2021-10",
                                "url": "https://example.org/a"}, "cover": "art/cover.png"})
    assert (got.publisher, got.rights, got.cover) == ("Yayınevi", "© 2021 Perspektif",
                                                      "art/cover.png")
    assert got.original == Original(publisher="Perspektif", url="https://example.org/a",
                                    date=PubDate(2021, 10))


@pytest.mark.parametrize(("key", "value", "message"), [
    ("date", "2021-13", "no such date: '2021-13'"),
    ("original", {"publisher": 1}, "publisher: expected a string, got int 1"),
    ("original", {"editor": "X"}, "unknown key 'editor' (known: title, publisher, url, date)"),
    ("original", {"url": "javascript:alert(1)"},
     "url: expected an http or https address, got 'javascript:alert(1)'"),
    ("rights", ["a"], "expected a string, got list ['a']"),
    ("cover", "cover.gif", "expected a .png, .jpg or .jpeg file, got 'cover.gif'"),
])
def test_bad_metadata_is_refused_at_load(key: str, value: object, message: str) -> None:
    with pytest.raises(BitextError) as caught:
        options({key: value})
    assert f"'tool.bitext.build.{key}': {message}" in str(caught.value)


def test_all_errors_at_once_with_their_keys() -> None:
    with pytest.raises(BitextError) as caught:
        options({"colour": "red", "release_threshold": 120, "paper": "letter",
                 "formats": ["html", "docx"], "date": "26.11.2026", "author": 3})
    assert str(caught.value) == (
        "pyproject.toml: invalid configuration:\n"
        "  'tool.bitext.build.colour': unknown key (known: formats, editions, "
        "release_threshold, engine, paper, title, author, date, publisher, identifier, "
        "original, rights, cover, layout)\n"
        "  'tool.bitext.build.formats': expected items among html, epub, pdf, got 'docx'\n"
        "  'tool.bitext.build.release_threshold': expected a number from 0 to 100, got int 120\n"
        "  'tool.bitext.build.paper': expected one of a4, a5, a3, b5, us-letter, us-legal, "
        "us-executive, got 'letter'\n"
        "  'tool.bitext.build.author': expected a string or a list of strings, got int 3\n"
        "  'tool.bitext.build.date': expected a date like 2021, 2021-10 or "
        "2021-10-03, got str '26.11.2026'"
    )


def test_bitext_toml_names_keys_without_the_tool_prefix() -> None:
    with pytest.raises(BitextError, match=r"'build\.engine': expected one of typst, got 'tex'"):
        options({"engine": "tex"}, name="bitext.toml")


def test_parse_list() -> None:
    assert parse_list(None, ("a", "b"), "--to") is None
    assert parse_list("b, a,b", ("a", "b"), "--to") == ("b", "a")
    with pytest.raises(BitextError, match="--to: expected a comma-separated list of a, b, "
                                          "got 'a,c'"):
        parse_list("a,c", ("a", "b"), "--to")


def test_editions_and_file_names() -> None:
    eds = editions_for("article", "tr", ("en", "de"), ("tr", "bilingual"))
    assert [e.filename("pdf") for e in eds] == ["article.tr.pdf", "article.tr-en.pdf",
                                               "article.tr-de.pdf"]
