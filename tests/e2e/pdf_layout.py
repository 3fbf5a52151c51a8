"""What a PDF's pages look like, measured from ``pdftotext -bbox-layout`` (poppler).

Lines with their boxes, per page; the share of the text area a page fills;
hyphenated line ends. The PDFs' text area is the template's
(``pipeline/templates/edition.typ``): the margins are repeated here.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

CM = 72 / 2.54
# (top, bottom) margins of the template, per layout
MARGINS = {"parallel": (2.2 * CM, 2.4 * CM), "single": (2.5 * CM, 2.8 * CM),
           "facing": (2.5 * CM, 2.8 * CM)}
SOFT = "\u00ad"
_NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def hyphenated(self) -> bool:
        """Ends in a hyphen typst added (pdftotext shows it as a soft hyphen)."""
        return self.text.endswith(SOFT)


@dataclass(frozen=True)
class PdfPage:
    number: int
    width: float
    height: float
    lines: list[Line]

    def body(self, layout: str) -> list[Line]:
        """The lines inside the text area (not the running head or the page number)."""
        top, bottom = MARGINS[layout]
        # a line's box (the font's ascent) reaches above typst's line top: a line is in the
        # area when its bottom is below the area's top, its top above the area's bottom
        return [ln for ln in self.lines if ln.y1 > top and ln.y0 < self.height - bottom]

    def columns(self, layout: str) -> list[list[Line]]:
        """Lines per column (parallel: a line across the middle is in both), top to bottom."""
        body = sorted(self.body(layout), key=lambda ln: ln.y0)
        if layout != "parallel":
            return [body]
        middle = self.width / 2
        return [[ln for ln in body if ln.x0 < middle], [ln for ln in body if ln.x1 > middle]]

    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


def pages(path: Path) -> list[PdfPage]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True).stdout
    root = ET.fromstring(out)
    result = []
    for n, page in enumerate(root.iter(f"{_NS}page"), start=1):
        lines = []
        for line in page.iter(f"{_NS}line"):
            words = [w.text or "" for w in line.iter(f"{_NS}word")]
            lines.append(Line(float(line.get("xMin", 0)), float(line.get("yMin", 0)),
                              float(line.get("xMax", 0)), float(line.get("yMax", 0)),
                              " ".join(words)))
        result.append(PdfPage(n, float(page.get("width", 0)), float(page.get("height", 0)),
                              lines))
    return result


def fill(page: PdfPage, layout: str) -> float:
    """The share of the text area's height that holds text, per column, averaged.

    Blank bands up to two lines high are part of the text (paragraph and heading
    spacing); a taller band, above the notes or at the foot, is unused area.
    """
    top, bottom = MARGINS[layout]
    area_top, area_bottom = top, page.height - bottom
    height = area_bottom - area_top
    shares = []
    for column in page.columns(layout):
        if not column:
            shares.append(0.0)
            continue
        pitch = sorted(ln.y1 - ln.y0 for ln in column)[len(column) // 2]
        unused = 0.0
        edge = area_top
        for ln in column:
            gap = ln.y0 - edge
            if gap > 2 * pitch:
                unused += gap
            edge = max(edge, ln.y1)
        if area_bottom - edge > 2 * pitch:
            unused += area_bottom - edge
        shares.append(1 - unused / height)
    return sum(shares) / len(shares)


def hyphen_runs(page: PdfPage, layout: str) -> list[int]:
    """Lengths of the runs of consecutive hyphenated lines, per column."""
    runs = []
    for column in page.columns(layout):
        run = 0
        for ln in column:
            if ln.hyphenated:
                run += 1
            elif run:
                runs.append(run)
                run = 0
        if run:
            runs.append(run)
    return runs


CAPS_BREAK = re.compile(r"(^|\s)[A-ZÇĞİÖŞÜ]{2,}" + SOFT + "$")
NAME_BREAK = re.compile(r"(^|\s)[A-ZÇĞİÖŞÜ][\wçğıöşü’']*" + SOFT + "$")
AL_BREAK = re.compile(r"(^|\s)[Aa]l[-‐]$")
