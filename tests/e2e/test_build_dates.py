"""An edition's date is the publication's, never the build day: the front matter's ``date``,
else ``[tool.bitext.build] date``, else the original's last git commit, else none.
``SOURCE_DATE_EPOCH`` only stamps (the EPUB's modification time, typst's clock), and without
it nothing reads the clock: two builds on two days give the same bytes. Read in real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli
from tests.conftest import REPO, TINY_CONFIG

pytestmark = pytest.mark.e2e

UNDATED = '---\ntitle: "Başlık"\n---\n\nBir paragraf.\n'
DATED = '---\ntitle: "Başlık"\ndate: 2024-03-05\n---\n\nBir paragraf.\n'
MONTH = '---\ntitle: "Başlık"\ndate: 2021-10\n---\n\nBir paragraf.\n'
FILES = [f"d.{e}.{x}" for e in ("tr", "en", "tr-en") for x in ("html", "epub", "pdf")]
FIXED = "1980-01-01T00:00:00Z"  # an undated EPUB's modification time


def build(root: Path, *extra: str) -> str:
    out = ""
    for args in (["update"], ["build", "--force", *extra]):
        result = CliRunner().invoke(cli, ["-C", str(root), *args])
        assert result.exit_code == 0, result.output
        out = result.output
    return out


def pdf_dates(path: Path) -> tuple[dt.datetime | None, dt.datetime | None]:
    meta = PdfReader(path).metadata
    assert meta is not None
    return meta.creation_date, meta.modification_date


def epub_dates(path: Path) -> tuple[str, set[tuple[int, ...]]]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        stamp = opf.split('<meta property="dcterms:modified">')[1].split("<")[0]
        return stamp, {info.date_time for info in book.infolist()}


def dc_date(path: Path) -> str | None:
    with zipfile.ZipFile(path) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
    return opf.split("<dc:date>")[1].split("<")[0] if "<dc:date>" in opf else None


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


def digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


def test_source_date_epoch_stamps_an_undated_edition_but_dates_nothing(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21 14:13:20
    root = project({"source/tr/d.md": UNDATED})
    build(root)
    out = root / "output" / "d"
    for name in ("d.tr.html", "d.en.html", "d.tr-en.html"):
        html = (out / name).read_text("utf-8")
        assert "2026" not in html and 'class="date"' not in html, name
    for name in ("d.tr.epub", "d.en.epub", "d.tr-en.epub"):
        assert dc_date(out / name) is None, name
        assert epub_dates(out / name) == ("2026-09-21T14:13:20Z", {(2026, 9, 21, 14, 13, 20)})
    # the PDF's dates are typst's clock, which is the epoch (its document date is auto)
    assert pdf_dates(out / "d.en.pdf") == (utc(2026, 9, 21, 14, 13, 20),) * 2


def test_source_date_epoch_stamps_a_dated_epub_and_the_pdf_keeps_its_date(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = project({"source/tr/d.md": DATED})
    build(root)
    out = root / "output" / "d"
    assert epub_dates(out / "d.en.epub") == ("2026-09-21T14:13:20Z", {(2026, 9, 21, 14, 13, 20)})
    assert dc_date(out / "d.en.epub") == "2024-03-05"
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
    assert "5 Mart 2024" in (out / "d.tr.html").read_text("utf-8")
    assert "March 5, 2024" in (out / "d.en.html").read_text("utf-8")


def test_a_month_keeps_its_precision_everywhere(project: Callable[[dict[str, str]], Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project({"source/tr/d.md": MONTH})
    build(root)
    out = root / "output" / "d"
    assert "<p>Ekim 2021</p>" in (out / "d.tr.html").read_text("utf-8")
    assert "<p>October 2021</p>" in (out / "d.en.html").read_text("utf-8")
    assert '<meta name="dcterms.date" content="2021-10">' in (out / "d.en.html").read_text(
        "utf-8")
    for name in ("d.tr.epub", "d.en.epub", "d.tr-en.epub"):
        assert dc_date(out / name) == "2021-10", name
        assert epub_dates(out / name)[0] == "2021-10-01T00:00:00Z", name
    assert pdf_dates(out / "d.tr.pdf") == (utc(2021, 10, 1), utc(2021, 10, 1))


def test_an_undated_edition_shows_no_date_and_never_reads_the_clock(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project({"source/tr/d.md": UNDATED})
    out = root / "output" / "d"
    # two builds a year and a day apart, as `pipeline.clock` (and typst, through it) sees time
    monkeypatch.setattr(time, "time", lambda: 1790000000.0)  # 2026-09-21
    build(root)
    first = digests(out)
    assert "Eylül" not in (out / "d.tr.html").read_text("utf-8")
    assert 'class="date"' not in (out / "d.en.html").read_text("utf-8")
    assert epub_dates(out / "d.tr.epub") == (FIXED, {(1980, 1, 1, 0, 0, 0)})
    assert dc_date(out / "d.tr.epub") is None
    assert pdf_dates(out / "d.en.pdf") == (None, None)  # no date rather than a wrong one
    monkeypatch.setattr(time, "time", lambda: 1790000000.0 + 366 * 86400)
    build(root)
    assert digests(out) == first


def test_the_build_day_is_in_no_cache_key(project: Callable[[dict[str, str]], Path],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project({"source/tr/d.md": UNDATED})
    monkeypatch.setattr(time, "time", lambda: 1790000000.0)
    build(root)
    monkeypatch.setattr(time, "time", lambda: 1790000000.0 + 86400)  # the next day
    result = CliRunner().invoke(cli, ["-C", str(root), "build"])
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.output and "9 up to date" in result.output  # nothing rebuilt


def test_under_faketime_two_days_give_the_same_bytes(tmp_path: Path) -> None:
    """The real clock, faked for the whole process (typst and pandoc included)."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime is not installed (apt-get install faketime); the in-process "
                    "test above fakes pipeline.clock instead")
    root = tmp_path / "pub"
    (root / "source" / "tr").mkdir(parents=True)
    (root / "bitext.toml").write_text(TINY_CONFIG, encoding="utf-8")
    (root / "source" / "tr" / "d.md").write_text(UNDATED, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(REPO)
    results = []
    for day in ("2026-09-21 10:00:00", "2031-02-03 23:59:00"):
        for args in (["update"], ["build", "--force", "-q"]):
            done = subprocess.run([faketime, day, sys.executable, "-m", "pipeline",
                                   "-C", str(root), *args], env=env, capture_output=True,
                                  text=True, check=False, timeout=300)
            assert done.returncode == 0, done.stderr
        results.append(digests(root / "output" / "d"))
    assert results[0] == results[1]


def git(root: Path, *args: str, when: str = "2023-06-07T08:09:10+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_undated_original_takes_its_last_commit_date(
        project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project({"source/tr/d.md": UNDATED})
    git(root, "init", "-q")
    git(root, "add", "source/tr/d.md")
    git(root, "commit", "-q", "-m", "first")
    # a later commit that does not touch the original does not date it
    (root / "bitext.toml").write_text(TINY_CONFIG + "\n", encoding="utf-8")
    git(root, "add", "bitext.toml")
    git(root, "commit", "-q", "-m", "config", when="2025-01-01T00:00:00+00:00")
    build(root)
    out = root / "output" / "d"
    assert "7 Haziran 2023" in (out / "d.tr.html").read_text("utf-8")
    assert "June 7, 2023" in (out / "d.en.html").read_text("utf-8")
    assert dc_date(out / "d.tr-en.epub") == "2023-06-07"
    # the config's date wins over git's, and the front matter's over both
    (root / "bitext.toml").write_text(TINY_CONFIG + '[build]\ndate = "2022"\n', encoding="utf-8")
    build(root)
    assert "<p>2022</p>" in (out / "d.en.html").read_text("utf-8")
    (root / "source" / "tr" / "d.md").write_text(MONTH, encoding="utf-8")
    build(root)
    assert "<p>October 2021</p>" in (out / "d.en.html").read_text("utf-8")


def test_outside_git_or_without_git_there_is_no_commit_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.adapters.git import last_commit_date

    original = tmp_path / "d.md"
    original.write_text(UNDATED, encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert last_commit_date(original) is None  # not a work tree
    if shutil.which("git"):
        git(tmp_path, "init", "-q")
        assert last_commit_date(original) is None  # never committed
        git(tmp_path, "add", "d.md")
        git(tmp_path, "commit", "-q", "-m", "x")
        assert last_commit_date(original) == dt.date(2023, 6, 7)
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no git installed
    assert last_commit_date(original) is None


@pytest.mark.parametrize(("line", "message"), [
    ("date: 21.10.2021", "front matter date: expected a date like 2021, 2021-10 or "
                         "2021-10-03, got str '21.10.2021'"),
    ("date: 2021-02-30", "front matter date: no such date: '2021-02-30'"),
    ("original: {publisher: [a]}", "front matter original: publisher: expected a string, "
                                   "got list ['a']"),
    ("author: {name: x}", "front matter author: expected a name or a list of names"),
])
def test_a_bad_front_matter_value_is_named_with_its_line(
        project: Callable[[dict[str, str]], Path], line: str, message: str) -> None:
    root = project({"source/tr/d.md": f'---\ntitle: "Başlık"\n{line}\n---\n\nBir paragraf.\n'})
    result = CliRunner().invoke(cli, ["-C", str(root), "update"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["-C", str(root), "build"])
    assert result.exit_code == 2, result.output
    assert f"source/tr/d.md:3: {message}" in result.output
    assert "Traceback" not in result.output
    assert not (root / "output").exists() or not any((root / "output").rglob("*.*"))


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
