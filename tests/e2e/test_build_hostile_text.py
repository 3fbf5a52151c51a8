"""Hostile text in the title block, handles read as citations, broken URLs: every edition
builds, nothing acts, fetches or embeds, the text stays, every EPUB passes epubcheck."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.cli import cli
from tests.e2e.build_helpers import (
    anchors,
    epub_files,
    epubcheck_command,
    finish_tool,
    pdf_text,
    start_tool,
)

pytestmark = pytest.mark.e2e

STEMS = ("tr", "en", "tr-en")


def payload(word: str, n: int) -> str:
    """A link to javascript:, an event handler and style, a remote and a local image."""
    return (f"{word} [{word}Link](javascript:alert({n})) "
            f"[{word}Span]{{onclick=alert({n + 1}) style=\"color:red\"}} "
            f"![{word}Remote](https://evil.example/{n}.png) ![{word}Local](/etc/passwd)")


FIELDS = ("title", "subtitle", "abstract", "publication-note")
ORIGINAL = {field: payload(f"Tr{k}", 10 * k) for k, field in enumerate(FIELDS, start=1)}
TRANSLATED = {field: payload(f"En{k}", 100 + 10 * k) for k, field in enumerate(FIELDS, start=1)}
AUTHOR = payload("Yazar", 90)


def yaml(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


FRONT_DOC = "---\n" + "".join(f"{k}: {yaml(v)}\n" for k, v in ORIGINAL.items()) \
    + f"author: {yaml(AUTHOR)}\n---\n\nDüz bir paragraf.\n"


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def translate(root: Path, doc: str, texts: Callable[[Any], str | None]) -> None:
    """Fill the catalog as a translator would: ``texts(entry)`` gives each msgstr."""
    po = root / "locale" / "en" / "LC_MESSAGES" / f"{doc}.po"
    catalog = read_catalog(po, shown=po.name)
    for entry in catalog.entries:
        msgstr = texts(entry)
        if msgstr is not None:
            entry.msgstr, entry.fuzzy = msgstr, False
    po.write_text(render_catalog(catalog), encoding="utf-8")


def built(project: Callable[[dict[str, str]], Path], doc: str, text: str,
          texts: Callable[[Any], str | None]) -> Path:
    root = project({f"source/tr/{doc}.md": text})
    code, out = invoke(root, "update")
    assert code == 0, out
    translate(root, doc, texts)
    code, out = invoke(root, "build")
    assert code == 0, out  # every edition builds, PDFs included
    folder = root / "output" / doc
    assert sorted(p.name for p in folder.glob(f"{doc}.*")) == sorted(
        f"{doc}.{stem}.{fmt}" for stem in STEMS for fmt in ("html", "epub", "pdf"))
    return folder


def pages(folder: Path) -> dict[str, str]:
    """Every HTML page and EPUB XHTML text, by name."""
    out = {}
    for path in sorted(folder.glob("*.html")):
        out[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(folder.glob("*.epub")):
        for name, data in epub_files(path).items():
            if name.endswith(".xhtml"):
                out[f"{path.name}:{name}"] = data.decode("utf-8")
    return out


# the language switch's links to the document's other editions (bitext's own)
SIBLING = re.compile(r"^[a-z0-9_-]+\.(?:tr|en|tr-en)\.html$")


def squeeze(value: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


def assert_inert(name: str, text: str) -> None:
    """No script, handler, style, image or link target other than http(s), mailto, #."""
    if name.endswith("EPUB/text/cover.xhtml"):  # bitext's cover page: its one image
        page = anchors(text)
        assert [(t, a.get("src")) for t, a in page.tags if t == "img"] == [
            ("img", "../images/cover.png")], name
        assert "<script" not in text and " on" not in text.split("<body", 1)[1], name
        return
    for tag, attrs in anchors(text).tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "image"), (name, tag)
        assert not [k for k in attrs if k.lower().startswith("on")], (name, tag, attrs)
        assert "style" not in attrs, (name, tag, attrs)
        assert "src" not in attrs, (name, tag, attrs)
        if tag == "a" and "href" in attrs:
            href = squeeze(attrs["href"])
            assert href.startswith(("https://", "http://", "mailto:", "#")) or (
                name.endswith("nav.xhtml") and href.startswith(("text/book.xhtml",
                                                                "text/cover.xhtml"))) or (
                name.endswith(".html") and SIBLING.match(href)), (name, href)
    assert "javascript:" not in squeeze(text), name
    assert "evil.example" not in text and "/etc/passwd" not in text, name


def pdf_actions(path: Path) -> list[dict[str, str]]:
    """Every annotation's action (as strings) in a PDF, and the document's open action."""
    reader = PdfReader(path)
    out = []
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root or "/JS" not in root["/OpenAction"].get_object()
    assert "/JavaScript" not in root.get("/Names", {}), path.name
    for page in reader.pages:
        assert not page.get("/Resources", {}).get_object().get("/XObject", {}), path.name
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A", {})
            out.append({str(k): str(v) for k, v in action.items()})
    return out


def flat(text: str) -> str:
    """PDF text without line breaks and hyphenation."""
    return re.sub(r"\xad|-?\s+", "", text)


def test_the_title_block_is_sanitised_in_every_format(
        project: Callable[[dict[str, str]], Path]) -> None:
    folder = built(project, "front", FRONT_DOC,
                   lambda e: TRANSLATED.get(e.label) if e.kind == "meta" else "A plain paragraph.")
    texts = pages(folder)
    for name, text in texts.items():
        assert_inert(name, text)
    # the visible text stays: link and span texts, image descriptions
    words = [f"{w}{k}{part}" for w in ("Tr", "En") for k in range(1, 5)
             for part in ("Link", "Span", "Remote", "Local")]
    for stem, langs in (("tr", "Tr"), ("en", "En"), ("tr-en", "TrEn")):
        html = texts[f"front.{stem}.html"]
        epub = texts[f"front.{stem}.epub:EPUB/text/book.xhtml"]
        wanted = [w for w in words if w[:2] in langs] + [f"Yazar{p}" for p in ("Link", "Span")]
        for word in wanted:
            assert word in html and word in epub, (stem, word)
        pdf = flat(pdf_text(folder / f"front.{stem}.pdf"))
        for word in wanted:
            assert word in pdf, (stem, word)
        for action in pdf_actions(folder / f"front.{stem}.pdf"):
            assert action.get("/S") != "/JavaScript", (stem, action)
            assert "javascript" not in squeeze(action.get("/URI", "")), (stem, action)
        raw = (folder / f"front.{stem}.pdf").read_bytes()
        assert b"/URI (javascript" not in raw and b"/JavaScript" not in raw, stem
    # the package document and the HTML <title> hold text only
    for stem, word in (("tr", "Tr1Link"), ("en", "En1Link"), ("tr-en", "En1Link")):
        opf = epub_files(folder / f"front.{stem}.epub")["EPUB/content.opf"].decode()
        assert "javascript" not in opf and word in opf, stem


CITE_DOC = """---
title: "Alıntılar @baslik"
---

Bkz. @perspektif ve [@doe2020, s. 3]; e-posta ad@example.org.
"""


def test_handles_and_citation_keys_stay_text(project: Callable[[dict[str, str]], Path]) -> None:
    folder = built(project, "cite", CITE_DOC, lambda e: (
        "Quotes @title" if e.kind == "meta" else
        "See @perspektif and [@doe2020, p. 3]; mail ad@example.org."))
    for stem, shown in (("tr", ["@baslik", "@perspektif", "[@doe2020,s.3]"]),
                        ("en", ["@title", "@perspektif", "[@doe2020,p.3]"])):
        html = re.sub(r"\s+", "", (folder / f"cite.{stem}.html").read_text(encoding="utf-8"))
        pdf = flat(pdf_text(folder / f"cite.{stem}.pdf"))
        for text in shown:
            assert text in html and text in pdf, (stem, text)
    html = (folder / "cite.tr-en.html").read_text(encoding="utf-8")
    assert "@perspektif" in html and 'class="citation"' not in html


# Broken or hostile link targets, in the body, in a note and in the front matter.
BAD_LINKS = [
    "java\\\nscript:alert(1)", "https://exa mple.org", "<https://a b>", "http://[::1",
    "https://ex%ample.org/ü", "other.html", "ftp://example.org/x", "https://x/\"^`{|}",
    "mailto:a b@example.org", "#missing", "https://good@evil.example", "https://x:99999",
    " JaVa\tScRiPt:alert(2)", "jav%61script:alert(3)", "data:text/html,x", "\\\\evil\\share",
    "https://x/%zz%", "vbscript:x",
]
LINKS_DOC = """---
title: |
  Bağlantılar [başlıkta](java\\
  script:alert(9)) ve [iyi](https://example.org/başlık)
---

# Giriş

{links}

İyi: [iç](#giriş), <https://example.org/ok?a=1&b=2>, [posta](mailto:ad@example.org),
[tr](https://tr.wikipedia.org/wiki/Türkiye).

Dipnot[^a].

[^a]: Notta [kötü](java\\
script:alert(8)).
"""


def test_every_epub_passes_epubcheck_whatever_the_links(
        project: Callable[[dict[str, str]], Path]) -> None:
    command = epubcheck_command()
    if command is None:
        pytest.skip("epubcheck is not installed (apt-get install epubcheck, or `make test`)")
    links = "\n".join(f"[bağ{k}]({url}) ve" for k, url in enumerate(BAD_LINKS)) + " son."
    doc = LINKS_DOC.format(links=links)
    translated = {"meta": "Links [in title](java\\\nscript:alert(19)) [ok](https://example.org)",
                  "footnote": "In a note [bad](java\\\nscript:alert(18))."}

    def texts(entry: Any) -> str | None:
        if entry.kind in translated:
            return translated[entry.kind]
        return entry.msgid.replace("bağ", "link").replace("javascript", "JavaScript")

    folder = built(project, "links", doc, texts)
    runs = {stem: start_tool(command, str(folder / f"links.{stem}.epub")) for stem in STEMS}
    for stem, process in runs.items():
        code, out = finish_tool(process)
        assert code == 0, (stem, out)
    for name, text in pages(folder).items():
        assert_inert(name, text)
        for k in range(len(BAD_LINKS)):
            if not name.endswith(("nav.xhtml", "cover.xhtml")) and ".en." not in name:
                assert f"bağ{k}" in text, (name, k)  # the text stays, without its target
    page = anchors((folder / "links.tr.html").read_text(encoding="utf-8"))
    external = sorted({a["href"] for a in page.links
                       if not a["href"].startswith("#") and not SIBLING.match(a["href"])})
    # the valid ones kept as written, the almost valid ones percent-encoded, the rest gone
    assert external == ["https://example.org/başlık", "https://example.org/ok?a=1&b=2",
                        "https://tr.wikipedia.org/wiki/Türkiye", "https://x/%22%5E%60%7B%7C%7D",
                        "https://x/%25zz%25", "mailto:a%20b@example.org", "mailto:ad@example.org"]
    assert any(a["href"] == "#giriş" for a in page.links)


IDS_DOC = """---
title: "Kimlikler"
---

# Giriş {#x}

[a]{#x} ve [b]{#x} ve [c]{#giriş} ve [d]{#title-tr} ve [e]{#title-en}[^n].

# Giriş

[f](#x) ve [g](#giriş).

[^n]: Not [h]{#x} ve [i]{#n-1}.
"""


def test_identifiers_the_text_repeats_or_takes_from_bitext_stay_unique(
        project: Callable[[dict[str, str]], Path]) -> None:
    folder = built(project, "ids", IDS_DOC, lambda e: e.msgid.replace("Giriş", "Intro"))
    for path in sorted(folder.glob("ids.*.html")):
        tags = anchors(path.read_text(encoding="utf-8")).tags
        given = [attrs["id"] for _, attrs in tags if "id" in attrs]
        assert len(given) == len(set(given)), (path.name, sorted(given))
        assert {"x", "giriş"} <= {i.removeprefix("tr-").removeprefix("en-") for i in given}
    command = epubcheck_command()
    if command is None:
        pytest.skip("epubcheck is not installed (apt-get install epubcheck, or `make test`)")
    runs = {stem: start_tool(command, str(folder / f"ids.{stem}.epub")) for stem in STEMS}
    for stem, process in runs.items():
        code, out = finish_tool(process)
        assert code == 0, (stem, out)
