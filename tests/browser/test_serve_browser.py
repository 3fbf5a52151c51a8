"""`bitext serve` end to end in a real browser: Debian's chromium, driven by Playwright.

The server is the real command (`bitext serve` in a subprocess, on a free port);
the page is driven as a translator would: type, wait for the checks, save, and
meet a conflict when the PO changed behind the page's back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.adapters.po import read_catalog
from tests.e2e.test_update_cli import EN, PO, TR, snapshot

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MD = "source/en/doc.md"
SHOTS = Path(os.environ.get("BITEXT_SCREENSHOTS", "")) if os.environ.get(
    "BITEXT_SCREENSHOTS") else None


def _playwright():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium; make test does it "
                    "as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


def bitext(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "-C", str(root), *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture
def pub(project) -> Path:  # type: ignore[no-untyped-def]
    """The small publication, its first paragraph's original edited: a fuzzy segment."""
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    assert bitext(root, "update").returncode == 0
    original = root / "source/tr/doc.md"
    original.write_text(original.read_text(encoding="utf-8").replace(
        "İlk paragraf İstanbul'da yazıldı.[^1]",
        "İlk paragraf 2020'de İstanbul'da yazıldı.[^1]"), encoding="utf-8")
    result = bitext(root, "update")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def server(pub: Path) -> Iterator[tuple[Path, str]]:
    """`bitext serve --port 0` on the publication; the address it printed."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(pub), "serve",
                                "--port", "0", "--no-open"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)\S*", line)
        assert match, line + process.stdout.read() if process.poll() is not None else line
        yield pub, match.group(1)
    finally:
        process.terminate()
        process.wait(10)


def entry(root: Path, start: str):  # type: ignore[no-untyped-def]
    return next(e for e in read_catalog(root / PO, shown=PO).entries if e.msgid.startswith(start))


def test_edit_check_save_then_a_conflict(server: tuple[Path, str], tmp_path: Path) -> None:
    sync_playwright = _playwright()
    root, base = server
    key = str(entry(root, "İlk paragraf").key)
    assert entry(root, "İlk paragraf").fuzzy
    shots = SHOTS or tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/edit/doc/en")
            row = page.locator(f"article[id='{key}']")
            assert row.get_attribute("data-state") == "fuzzy"
            field = row.locator("textarea")
            assert field.input_value() == "The first paragraph was written in Istanbul.[^1]"
            # the translator drops the footnote reference: the check says so, under the field
            field.fill("")
            field.type("The first paragraph was written in Istanbul in 2020.", delay=5)
            finding = row.locator("ul.live li", has_text="footnote-refs")
            finding.wait_for(timeout=10_000)
            assert "[^1]" in finding.inner_text()
            # the preview shows the text as the edition will
            preview = row.locator(".preview .html")
            page.wait_for_function(
                "k => document.getElementById(k).querySelector('.preview .html')"
                ".textContent.includes('in 2020')", arg=key, timeout=10_000)
            page.screenshot(path=str(shots / "editor-1280.png"), full_page=True)
            # fixed: the finding goes away, the footnote reference is in the preview
            field.type("[^1]", delay=5)
            finding.wait_for(state="detached", timeout=10_000)
            page.wait_for_function(
                "k => document.getElementById(k).querySelector('.preview sup')",
                arg=key, timeout=10_000)
            assert preview.locator("sup").inner_text() == "1"
            row.locator("[data-act=review]").click()
            row.locator(".status", has_text="reviewed and saved").wait_for(timeout=20_000)
            assert row.get_attribute("data-state") == "translated"

            # on disk: the PO entry reviewed, the Markdown rewritten, update has nothing to do
            saved = entry(root, "İlk paragraf")
            assert saved.msgstr == "The first paragraph was written in Istanbul in 2020.[^1]"
            assert not saved.fuzzy and saved.previous_msgid is None
            assert "written in Istanbul in 2020.[^1]\n" in (root / MD).read_text(encoding="utf-8")
            before = snapshot(root)
            result = bitext(root, "update")
            assert result.returncode == 0, result.stdout
            assert snapshot(root) == before, "bitext update changed what serve saved"
            assert bitext(root, "check", "--only", "footnote-refs,out-of-sync").returncode == 0

            # the PO is edited behind the page's back (Poedit, a git pull): the save is refused
            po = root / PO
            text = po.read_text(encoding="utf-8")
            po.write_text(text.replace('msgstr "The third paragraph is short."',
                                       'msgstr "The third paragraph, edited in Poedit."'),
                          encoding="utf-8")
            behind = po.read_bytes()
            third = page.locator(f"article[id='{entry(root, 'Üçüncü').key}']")
            third.locator("textarea").fill("The third paragraph, edited in the browser.")
            third.locator("[data-act=save]").click()
            conflict = third.locator(".conflict")
            conflict.wait_for(state="visible", timeout=10_000)
            assert "edited in Poedit" in conflict.locator(".theirs").inner_text()
            assert "edited in the browser" in conflict.locator(".yours").inner_text()
            assert po.read_bytes() == behind  # nothing overwritten
            page.screenshot(path=str(shots / "conflict-1280.png"), full_page=True)
            # the refused save's 409 is the one failed request the console reports
            assert [e for e in errors if "409" not in e] == []

            narrow = browser.new_page(viewport={"width": 390, "height": 2000})
            narrow.goto(f"{base}/edit/doc/en")
            narrow.locator("textarea").first.wait_for()
            narrow.screenshot(path=str(shots / "editor-390.png"), full_page=True)
            # each screenshot is a real, non-empty PNG
            for name in ("editor-1280.png", "conflict-1280.png", "editor-390.png"):
                assert (shots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            browser.close()


def test_two_tabs_the_second_save_sees_the_conflict(server: tuple[Path, str]) -> None:
    sync_playwright = _playwright()
    root, base = server
    key = str(entry(root, "Üçüncü").key)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context()
            first, second = context.new_page(), context.new_page()
            for tab in (first, second):
                tab.goto(f"{base}/edit/doc/en")
            one = first.locator(f"article[id='{key}']")
            one.locator("textarea").fill("Short, says the first tab.")
            one.locator("[data-act=save]").click()
            one.locator(".status", has_text="saved").wait_for(timeout=20_000)
            two = second.locator(f"article[id='{key}']")
            two.locator("textarea").fill("Short, says the second tab.")
            two.locator("[data-act=save]").click()
            two.locator(".conflict").wait_for(state="visible", timeout=10_000)
            assert "says the first tab" in two.locator(".conflict .theirs").inner_text()
            assert entry(root, "Üçüncü").msgstr == "Short, says the first tab."
            # the second tab chooses to keep its text: now it is saved, on purpose
            two.locator(".conflict button", has_text="Keep mine").click()
            two.locator(".status", has_text="saved").wait_for(timeout=20_000)
            assert entry(root, "Üçüncü").msgstr == "Short, says the second tab."
        finally:
            browser.close()


def test_without_script_the_page_is_readable(server: tuple[Path, str]) -> None:
    sync_playwright = _playwright()
    root, base = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(f"{base}/edit/doc/en")
            row = page.locator(f"article[id='{entry(root, 'İkinci').key}']")
            assert "İkinci paragraf 29 Eylül 2021" in row.locator(".original").inner_text()
            assert row.locator("textarea").input_value() == \
                "The second paragraph changed on 29 September 2021."
            assert not row.locator(".tools").is_visible()  # the buttons need the script
            # (Playwright turns script off after parsing, so <noscript> is not shown here)
            assert "<noscript><p><strong>Script is off" in page.content()
        finally:
            browser.close()
