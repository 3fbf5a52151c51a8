"""The bilingual PDF layouts, measured from the real PDFs: parallel columns and facing pages.

Two publications: the sample, and ten documents made from it (each a different
run of its paragraphs, so pages break in ten different places), every
paragraph marked in both languages with a token at its start (``Q3x7``) and
its end (``Z3x7``) so that a test can find where each segment starts and ends
in each language. Both built once per module, PDFs only, both layouts.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import REPO
from tests.e2e.build_helpers import link_pages
from tests.e2e.pdf_layout import MARGINS, PdfPage, fill, pages

pytestmark = pytest.mark.e2e

DOCS = 10
TOKEN = re.compile(r"\b([QZ])(\d)x(\d+)\b")


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def _split(lang: str) -> tuple[str, list[str], list[str]]:
    text = (REPO / "source" / lang / "article.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    blocks = body.strip().split("\n\n")
    return front, [b for b in blocks if not b.startswith("[^")], [
        b for b in blocks if b.startswith("[^")]


def make_publication(root: Path) -> None:
    """Ten documents from the sample's paragraphs, original and translation, with tokens."""
    root.mkdir(parents=True)
    (root / "bitext.toml").write_text(
        'source_lang = "tr"\ntarget_langs = ["en"]\nfootnote_style = "lower-roman"\n'
        '[build]\nformats = ["pdf"]\neditions = ["bilingual"]\n'
        'layout = ["parallel", "facing"]\n', encoding="utf-8")
    for lang in ("tr", "en"):
        front, body, notes = _split(lang)
        (root / "source" / lang).mkdir(parents=True)
        for d in range(DOCS):
            start = 3 * d % len(body)
            chosen = (body[start:] + body[:start])[: 8 + d]
            while chosen[-1].startswith("#"):
                chosen.pop()
            blocks = [b if b.startswith("#") else f"Q{d}x{k} {b} Z{d}x{k}."
                      for k, b in enumerate(chosen)]
            text = f"---\n{front}---\n\n" + "\n\n".join(blocks + notes) + "\n"
            (root / "source" / lang / f"doc{d}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1790000000")
        root = tmp_path_factory.mktemp("layouts") / "pub"
        make_publication(root)
        code, out = invoke(root, "update")
        assert code == 0, out
        code, out = invoke(root, "build", "--jobs", "2")
        assert code == 0, out
        yield root


@pytest.fixture(scope="module")
def sample(sample_pdfs: tuple[Path, str]) -> Path:
    root, out = sample_pdfs
    assert sorted(out.splitlines()) == sorted(
        f"wrote output/article/article.{n}.pdf" for n in ("tr", "en", "tr-en", "tr-en.facing"))
    return root


def pdfs(root: Path, layout: str) -> list[Path]:
    suffix = ".tr-en.facing.pdf" if layout == "facing" else ".tr-en.pdf"
    return sorted((root / "output").glob(f"*/*{suffix}"))


def inner_pages(found: list[PdfPage], layout: str) -> list[PdfPage]:
    """The pages a fill is asked of: not the last (facing: not the title page, not the
    last opening)."""
    return found[1:-2] if layout == "facing" else found[:-1]


@pytest.mark.parametrize("layout", ["parallel", "facing"])
def test_pages_are_full(sample: Path, publication: Path, layout: str) -> None:
    for path in [*pdfs(sample, layout), *pdfs(publication, layout)]:
        found = inner_pages(pages(path), layout)
        if not found:
            continue
        fills = [fill(p, layout) for p in found]
        assert sum(fills) / len(fills) >= 0.85, (path.name, [round(f, 2) for f in fills])


@pytest.mark.parametrize("layout", ["parallel", "facing"])
def test_every_note_is_on_the_page_of_its_reference(sample: Path, publication: Path,
                                                    layout: str) -> None:
    for path in [*pdfs(sample, layout), *pdfs(publication, layout)]:
        pairs = link_pages(path)
        # references of both languages and the links back from the notes
        assert len(pairs) >= (38 if path.name.startswith("article") else 6), path.name
        assert [p for p in pairs if p[0] != p[1]] == [], path.name


def _tokens(path: Path, layout: str) -> dict[tuple[str, str, int, int], tuple[int, float]]:
    """(kind, language, doc, paragraph) -> (page, y) of each token."""
    out = {}
    for page in pages(path):
        for line in page.body(layout):
            for match in TOKEN.finditer(line.text):
                if layout == "parallel":
                    lang = "tr" if line.x0 < page.width / 2 else "en"
                else:
                    lang = "tr" if page.number % 2 == 0 else "en"
                key = (match.group(1), lang, int(match.group(2)), int(match.group(3)))
                out[key] = (page.number, line.y0)
    return out


def test_parallel_rows_start_level_on_the_same_page(publication: Path) -> None:
    for path in pdfs(publication, "parallel"):
        found = _tokens(path, "parallel")
        starts = [k for k in found if k[0] == "Q" and k[1] == "tr"]
        assert len(starts) >= 4
        for _, _, d, k in starts:
            (page_tr, y_tr), (page_en, y_en) = found["Q", "tr", d, k], found["Q", "en", d, k]
            assert page_tr == page_en and abs(y_tr - y_en) < 1, (path.name, k)


def test_facing_original_left_translation_right_in_step(publication: Path) -> None:
    for path in pdfs(publication, "facing"):
        found = _tokens(path, "facing")
        keys = {k[2:] for k in found}
        assert len(keys) >= 6
        for d, k in keys:
            for kind in ("Q", "Z"):  # where the segment starts, and where it ends
                verso, _ = found[kind, "tr", d, k]
                recto, _ = found[kind, "en", d, k]
                assert verso % 2 == 0 and recto == verso + 1, (path.name, kind, k)


def test_a_note_the_same_in_both_languages_is_printed_once_across_both_columns(
        sample: Path) -> None:
    quote = "Egypt, UAE call for rethink of Syria"
    parallel = pages(pdfs(sample, "parallel")[0])
    lines = [(p, ln) for p in parallel for ln in p.lines if quote in ln.text]
    assert len(lines) == 1
    page, line = lines[0]
    assert line.x0 < page.width / 2 < line.x1
    facing = pages(pdfs(sample, "facing")[0])
    assert len([ln for p in facing for ln in p.lines if quote in ln.text]) == 2


def _head(page: PdfPage, layout: str) -> str:
    top = MARGINS[layout][0]
    return " ".join(ln.text for ln in page.lines if ln.y1 <= top)


def test_running_heads(sample: Path) -> None:
    parallel = pages(pdfs(sample, "parallel")[0])
    assert _head(parallel[0], "parallel") == ""
    for page in parallel[1:]:
        head = _head(page, "parallel")
        # the Turkish title is too long for its half of the line: cut after a word
        assert head.startswith("Esad’la Doğrudan Görüşmenin Türkiye’ye Kazandıracağı Bir …"
                               f" {page.number} ")
        assert head.endswith("Nothing to Offer Turkey")
    facing = pages(pdfs(sample, "facing")[0])
    assert _head(facing[0], "facing") == ""
    for page in facing[1:]:
        assert _head(page, "facing") == ("Türkçe" if page.number % 2 == 0 else "English")
        assert page.lines[-1].text == str(page.number)  # the page number, at the foot


def test_layout_flag_and_setting(project: object, tmp_path: Path) -> None:
    root = tmp_path / "one"
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "locale", root / "locale")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    code, out = invoke(root, "build", "--to", "pdf", "--edition", "bilingual", "--layout",
                       "facing")
    assert code == 0, out
    assert out.splitlines() == ["wrote output/article/article.tr-en.facing.pdf"]
    code, out = invoke(root, "build", "--layout", "sideways")
    assert code == 2 and "--layout: expected a comma-separated list of parallel, facing" in out
    config = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        re.sub(r"(?m)^layout = .*$", 'layout = "both"', config), encoding="utf-8")
    code, out = invoke(root, "build")
    assert code == 2 and "'tool.bitext.build.layout': expected items among parallel, " \
        "facing, got 'both'" in out
