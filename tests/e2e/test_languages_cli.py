"""A publication in pt-BR, zh-Hant and Arabic: update, check, status and build work end to end."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.cli import cli

pytestmark = pytest.mark.e2e

CONFIG = """\
source_lang = "tr"
target_langs = ["pt-BR", "zh_Hant", "ar"]
"""
DOC = """---
title: "Başlık"
---

Birinci paragraf[^a].

İkinci paragraf, 2024.

[^a]: Not.
"""
TRANSLATIONS = {
    "pt-BR": ["Título", "Primeiro parágrafo[^a].", "Segundo parágrafo, 2024.", "Nota."],
    "zh-Hant": ["標題", "第一段[^a]。", "第二段，2024。", "注。"],
    "ar": ["عنوان", "الفقرة الأولى[^a].", "الفقرة الثانية، 2024.", "ملاحظة."],
}


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture
def pub(project: Callable[[dict[str, str]], Path]) -> Path:
    root = project({"bitext.toml": CONFIG, "source/tr/doc.md": DOC})
    code, out = invoke(root, "update")
    assert code == 0, out
    for lang, texts in TRANSLATIONS.items():
        po = root / "locale" / lang / "LC_MESSAGES" / "doc.po"
        catalog = read_catalog(po, shown=po.name)
        for entry, text in zip(catalog.entries, texts, strict=True):
            entry.msgstr, entry.fuzzy = text, False
        po.write_text(render_catalog(catalog), encoding="utf-8")
    return root


def test_paths_use_the_bcp47_tag_and_the_po_header_gettexts(pub: Path) -> None:
    assert sorted(p.name for p in (pub / "locale").iterdir() if p.is_dir()) == [
        "ar", "pt-BR", "zh-Hant"]
    header = (pub / "locale" / "zh-Hant" / "LC_MESSAGES" / "doc.po").read_text("utf-8")
    assert '"Language: zh_Hant\\n"' in header
    assert '"Language-Team: Chinese (Traditional)\\n"' in header
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    ar = (pub / "locale" / "ar" / "LC_MESSAGES" / "doc.po").read_text("utf-8")
    assert "nplurals=6" in ar


def test_check_passes_in_every_language(pub: Path) -> None:
    code, out = invoke(pub, "update")
    assert code == 0, out
    code, out = invoke(pub, "check")
    assert code == 0, out


def test_status_columns_line_up_whatever_the_tag(pub: Path) -> None:
    code, out = invoke(pub, "status")
    assert code == 0, out
    lines = [line for line in out.splitlines() if not line.startswith("next: ")]
    assert [line.split()[1] for line in lines] == ["lang", "pt-BR", "zh-Hant", "ar"]
    assert len({len(line) for line in lines}) == 1, lines  # all as long as the header
    end = lines[0].index("segments") + len("segments")  # numbers are right-aligned to it
    for line in lines[1:]:
        assert line[end - 1].isdigit() and line[end] == " ", lines


def test_build_html_says_the_language_and_arabic_goes_right_to_left(pub: Path) -> None:
    code, out = invoke(pub, "build", "--to", "html,epub")
    assert code == 0, out
    folder = pub / "output" / "doc"
    pt = (folder / "doc.pt-BR.html").read_text("utf-8")
    assert re.search(r'<html[^>]* lang="pt-BR"', pt), pt[:300]
    assert "Primeiro parágrafo" in pt and not re.search(r'<\w+[^>]* dir="rtl"', pt)
    zh = (folder / "doc.zh-Hant.html").read_text("utf-8")
    assert re.search(r'<html[^>]* lang="zh-Hant"', zh)
    ar = (folder / "doc.ar.html").read_text("utf-8")
    assert re.search(r'<html[^>]* lang="ar"[^>]* dir="rtl"', ar), ar[:300]
    bilingual = (folder / "doc.tr-ar.html").read_text("utf-8")
    assert re.search(r'lang="ar"[^>]* dir="rtl"', bilingual)
    assert "pt_BR" not in pt and "zh_Hant" not in zh
    assert (folder / "doc.pt-BR.epub").is_file()


def test_a_gettext_spelling_in_the_config_is_stored_as_bcp47(pub: Path) -> None:
    code, out = invoke(pub, "status", "--format", "json")
    assert code == 0, out
    assert '"lang": "zh-Hant"' in out and "zh_Hant" not in out


def test_an_unknown_tag_in_the_config_is_named(project: Callable[[dict[str, str]], Path]) -> None:
    root = project({"bitext.toml": 'source_lang = "tr"\ntarget_langs = ["pt-XX"]\n',
                    "source/tr/doc.md": DOC})
    code, out = invoke(root, "update")
    assert code == 2
    assert "unknown language 'pt-XX'" in out


def test_build_pdf_in_every_language_tells_typst_the_region_apart(pub: Path) -> None:
    # typst takes `lang: "pt", region: "BR"`; `lang: "pt-BR"` fails the whole build.
    # (Text is checked for pt-BR only: bitext ships no CJK font yet, and Arabic comes out
    # as presentation forms.)
    pypdf = pytest.importorskip("pypdf")
    code, out = invoke(pub, "build", "--to", "pdf", "--edition", "pt-BR,zh-Hant,ar")
    assert code == 0, out
    folder = pub / "output" / "doc"
    assert all((folder / f"doc.{lang}.pdf").is_file() for lang in TRANSLATIONS)
    text = "".join(p.extract_text() or "" for p in pypdf.PdfReader(folder / "doc.pt-BR.pdf").pages)
    assert "Primeiro parágrafo" in text and "Segundo parágrafo" in text
