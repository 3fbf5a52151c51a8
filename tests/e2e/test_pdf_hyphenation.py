"""Hyphenation and measure in every PDF of the sample, from pdftotext's lines.

No hyphen in headings and title blocks, no title line that is a single word,
at most 2 hyphenated lines in a row, at most 8 % of the narrow columns'
lines hyphenated, no break inside an all-caps word, a capitalised word (a
name) or after a word-initial "Al-"; single-language PDFs at 60–75
characters a line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.pdf_layout import (
    AL_BREAK,
    CAPS_BREAK,
    NAME_BREAK,
    SOFT,
    Line,
    PdfPage,
    hyphen_runs,
    pages,
)

pytestmark = pytest.mark.e2e

LAYOUTS = {"article.tr.pdf": "single", "article.en.pdf": "single",
           "article.tr-en.pdf": "parallel", "article.tr-en.facing.pdf": "facing"}


@pytest.fixture(scope="module")
def built(sample_pdfs: tuple[Path, str]) -> Path:
    return sample_pdfs[0] / "output" / "article"


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("\u00a0", " ").replace("\u2011", "-")
                    .split())


def _headings(lang: str) -> tuple[str, list[str]]:
    text = (REPO / "source" / lang / "article.md").read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', text, re.M)
    assert title is not None
    return _norm(title.group(1)), [_norm(h) for h in re.findall(r"^#+ (.*)$", text, re.M)]


def _find_run(columns: list[list[Line]], wanted: str) -> list[Line] | None:
    """The consecutive lines of one column that read ``wanted`` (hyphens joined)."""
    for column in columns:
        for i in range(len(column)):
            text = ""
            for j in range(i, len(column)):
                line = column[j].text
                text += line[:-1] if line.endswith(SOFT) else line + " "
                if len(_norm(text)) >= len(wanted):
                    if _norm(text) == wanted:
                        return column[i:j + 1]
                    break
    return None


def _all(built: Path, name: str) -> list[PdfPage]:
    return pages(built / name)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_no_hyphen_in_headings_and_titles_and_no_lone_title_word(built: Path,
                                                                  name: str) -> None:
    layout = LAYOUTS[name]
    found = _all(built, name)
    langs = ["tr", "en"] if "tr-en" in name else [name.split(".")[1]]
    for lang in langs:
        title, headings = _headings(lang)
        run = next((r for p in found[:1] if (r := _find_run(p.columns(layout), title))), None)
        assert run is not None, (name, title)
        assert not any(ln.hyphenated for ln in run)
        assert len(run[-1].text.split()) >= 2, (name, run[-1].text)  # balanced enough
        for heading in headings:
            runs = [r for p in found if (r := _find_run(p.columns(layout), heading))]
            assert runs, (name, heading)
            assert not any(ln.hyphenated for r in runs for ln in r), (name, heading)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_hyphenation_is_rare_and_never_splits_names(built: Path, name: str) -> None:
    layout = LAYOUTS[name]
    found = _all(built, name)
    lines = [ln for p in found for column in p.columns(layout) for ln in column]
    hyphenated = [ln for ln in lines if ln.hyphenated]
    assert hyphenated, name  # the measure is real: typst does hyphenate here
    assert max(r for p in found for r in hyphen_runs(p, layout)) <= 2, name
    if layout == "parallel":  # the narrow columns
        assert len(hyphenated) / len(lines) <= 0.08, (name, len(hyphenated), len(lines))
    for line in lines:
        for rule in (CAPS_BREAK, NAME_BREAK, AL_BREAK):
            assert not rule.search(line.text), (name, line.text)


@pytest.mark.parametrize("name", ["article.tr.pdf", "article.en.pdf",
                                  "article.tr-en.facing.pdf"])
def test_a_page_of_one_language_is_set_at_60_to_75_characters_a_line(built: Path,
                                                                      name: str) -> None:
    layout = LAYOUTS[name]
    found = _all(built, name)
    # full lines only: a paragraph's last line, a heading, a note are shorter by nature
    widths = sorted(len(ln.text) for p in found[1:] for ln in p.body(layout)
                    if ln.x1 - ln.x0 > 0.95 * max(x.x1 - x.x0 for x in p.body(layout)))
    median = widths[len(widths) // 2]
    assert 60 <= median <= 75, (name, median)


def test_al_keeps_its_name(built: Path) -> None:
    text = "\n".join(p.text() for p in _all(built, "article.en.pdf"))
    assert "Al\u2011Assad" in text  # the non-breaking hyphen the template puts in
