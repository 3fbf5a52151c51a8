"""The dates in built editions come from the one clock: ``SOURCE_DATE_EPOCH`` when set, else
the edition's date (its front matter's, or the day of the build), read in real files."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli

pytestmark = pytest.mark.e2e

UNDATED = '---\ntitle: "Başlık"\n---\n\nBir paragraf.\n'
DATED = '---\ntitle: "Başlık"\ndate: 2024-03-05\n---\n\nBir paragraf.\n'


def build(root: Path) -> None:
    for args in (["update"], ["build", "--force", "-q"]):
        result = CliRunner().invoke(cli, ["-C", str(root), *args])
        assert result.exit_code == 0, result.output


def pdf_dates(path: Path) -> tuple[dt.datetime | None, dt.datetime | None]:
    meta = PdfReader(path).metadata
    assert meta is not None
    return meta.creation_date, meta.modification_date


def epub_dates(path: Path) -> tuple[str, set[tuple[int, ...]]]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        stamp = opf.split('<meta property="dcterms:modified">')[1].split("<")[0]
        return stamp, {info.date_time for info in book.infolist()}


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


@pytest.mark.parametrize(("epoch", "when", "shown"), [
    (1633046400, (2021, 10, 1, 0, 0, 0), "October 1, 2021"),
    (1790000000, (2026, 9, 21, 14, 13, 20), "September 21, 2026"),
])
def test_source_date_epoch_dates_an_undated_edition(project: Callable[[dict[str, str]], Path],
                                                    monkeypatch: pytest.MonkeyPatch, epoch: int,
                                                    when: tuple[int, ...], shown: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    root = project({"source/tr/d.md": UNDATED})
    build(root)
    out = root / "output" / "d"
    day = utc(*when[:3])
    # the edition's date is the epoch's day: shown, and typst's document date (midnight)
    assert shown in (out / "d.en.html").read_text("utf-8")
    for name in ("d.tr.pdf", "d.en.pdf", "d.tr-en.pdf"):
        assert pdf_dates(out / name) == (day, day), name
    # the EPUB's modification time and every zip entry's time are the epoch itself
    stamp = utc(*when).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("d.tr.epub", "d.en.epub", "d.tr-en.epub"):
        assert epub_dates(out / name) == (stamp, {when}), name


def test_source_date_epoch_stamps_a_dated_epub_and_the_pdf_keeps_its_date(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project({"source/tr/d.md": DATED})
    build(root)
    out = root / "output" / "d"
    assert epub_dates(out / "d.en.epub") == ("2026-09-21T14:13:20Z", {(2026, 9, 21, 14, 13, 20)})
    # typst's document date (the front matter's) wins over the compile timestamp
    assert pdf_dates(out / "d.en.pdf") == (utc(2024, 3, 5), utc(2024, 3, 5))


def test_without_it_the_front_matter_date_dates_them(project: Callable[[dict[str, str]], Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project({"source/tr/d.md": DATED})
    build(root)
    out = root / "output" / "d"
    assert pdf_dates(out / "d.tr-en.pdf") == (utc(2024, 3, 5), utc(2024, 3, 5))
    assert epub_dates(out / "d.en.epub") == ("2024-03-05T00:00:00Z", {(2024, 3, 5, 0, 0, 0)})


def test_an_undated_edition_shows_and_is_stamped_the_build_day(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    # the real time, as `pipeline.clock` reads it: 2026-09-21 14:13:20 UTC
    monkeypatch.setattr(time, "time", lambda: 1790000000.0)
    root = project({"source/tr/d.md": UNDATED})
    build(root)
    out = root / "output" / "d"
    assert "21 Eylül 2026" in (out / "d.tr.html").read_text("utf-8")
    assert "September 21, 2026" in (out / "d.en.html").read_text("utf-8")
    assert pdf_dates(out / "d.en.pdf") == (utc(2026, 9, 21), utc(2026, 9, 21))
    assert epub_dates(out / "d.tr.epub")[0] == "2026-09-21T00:00:00Z"



def test_another_source_date_epoch_rebuilds(project: Callable[[dict[str, str]], Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({"source/tr/d.md": DATED})
    build(root)
    # an hour later the same day (conftest sets 1790000000): only the epoch differs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790003600")
    result = CliRunner().invoke(cli, ["-C", str(root), "build", "--to", "epub",
                                      "--edition", "en"])
    assert result.output == "wrote output/d/d.en.epub\n"
    assert epub_dates(root / "output" / "d" / "d.en.epub")[0] == "2026-09-21T15:13:20Z"
