"""The EPUB container: entry order, fixed times, navigation, well-formed text."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipeline.errors import BitextError
from pipeline.render.epub import BookInfo, _toc, package

INFO = BookInfo(identifier="urn:uuid:0", title="Başlık & co", langs=("tr", "en"),
                authors=("Yazar",), date="2026-11", publisher="",
                modified=1790000000)
BODY = '<h1 id="t">Başlık</h1>\n<p>Metin<sup>i</sup></p>\n<h2 id="b">Bölüm <em>bir</em></h2>'


def test_container_layout_and_fixed_times() -> None:
    data = package(BODY, INFO, css="p{}", shown="x")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        infos = book.infolist()
        assert [i.filename for i in infos] == [
            "mimetype", "META-INF/container.xml", "EPUB/content.opf", "EPUB/nav.xhtml",
            "EPUB/styles/book.css", "EPUB/text/book.xhtml"]
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in infos} == {(2026, 9, 21, 14, 13, 20)}
        opf = book.read("EPUB/content.opf").decode()
        assert "<dc:title>Başlık &amp; co</dc:title>" in opf
        assert "<dc:language>tr</dc:language>" in opf and "<dc:language>en</dc:language>" in opf
        assert '<meta property="dcterms:modified">2026-09-21T14:13:20Z</meta>' in opf
    assert package(BODY, INFO, css="p{}", shown="x") == data


def test_navigation_nests_headings() -> None:
    assert _toc(BODY) == ('<ol>\n<li><a href="text/book.xhtml#t">Başlık</a>\n<ol>\n'
                          '<li><a href="text/book.xhtml#b">Bölüm bir</a>\n</li></ol></li></ol>')
    flat = '<h2 id="a">A</h2><h2 id="c">C</h2>'
    assert _toc(flat) == ('<ol>\n<li><a href="text/book.xhtml#a">A</a>\n</li>\n'
                          '<li><a href="text/book.xhtml#c">C</a>\n</li></ol>')


def test_a_text_that_is_not_xml_is_refused() -> None:
    with pytest.raises(BitextError, match="not well-formed XHTML"):
        package("<p>open", INFO, css="", shown="x")
