"""No translation is ever lost: saves during an update, emptied or cut PO files, kills.

Each test here failed before the journal (`pipeline.adapters.journal`), the
process lock (`pipeline.adapters.lock`) and the lost-entry check in `update`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import parse_catalog
from pipeline.cli import cli
from tests.e2e.snapshots import snapshot

pytestmark = pytest.mark.e2e

TR = """\
---
title: "Küçük bir yazı {n}"
---

## Giriş {n}

İlk paragraf {n} İstanbul'da yazıldı.[^1]

İkinci paragraf {n} 29 Eylül 2021'de değişti.

[^1]: Bir dipnot {n}, 15.03.2021.
"""

EN = """\
---
title: "A short piece {n}"
---

## Introduction {n}

The first paragraph {n} was written in Istanbul.[^1]

The second paragraph {n} changed on 29 September 2021.

[^1]: A footnote {n}, 15.03.2021.
"""


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output




@pytest.fixture
def pub(project: Callable[[dict[str, str]], Path], runner: CliRunner) -> Path:
    files = {}
    for n in (1, 2, 3):
        files[f"source/tr/d{n}.md"] = TR.format(n=n)
        files[f"source/en/d{n}.md"] = EN.format(n=n)
    root = project(files)
    code, out = run(runner, root, "update")
    assert code == 0, out
    return root


def po(root: Path, n: int = 1) -> Path:
    return root / f"locale/en/LC_MESSAGES/d{n}.po"


# --- saves made while update computes -------------------------------------------------

def _save_during_update(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> None:
    """Make an "editor" save ``path`` once, while update is computing (after it read it)."""
    import pipeline.translation as translation  # update imports it where it renders

    real = translation.encoded_translation
    saved: list[bool] = []

    def render_and_save(*args: object, **kwargs: object) -> object:
        if not saved:
            saved.append(True)
            path.write_text(text, encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(translation, "encoded_translation", render_and_save)


def test_a_po_saved_during_update_is_not_overwritten(
        pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # An edit to the original makes update rewrite d1's files; a translator saves the PO meanwhile.
    source = pub / "source/tr/d1.md"
    source.write_text(source.read_text(encoding="utf-8").replace("kısa", "uzun")
                      .replace("İkinci paragraf 1", "İkinci paragraf bir"), encoding="utf-8")
    saved = po(pub).read_text(encoding="utf-8").replace(
        'msgstr "The first paragraph 1', 'msgstr "The FIRST paragraph 1')
    _save_during_update(monkeypatch, po(pub), saved)
    code, out = run(runner, pub, "update")
    assert code == 1, out
    assert "error: locale/en/LC_MESSAGES/d1.po: changed while bitext update ran" in out
    assert po(pub).read_text(encoding="utf-8") == saved  # the translator's save stands
    monkeypatch.undo()
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert "The FIRST paragraph 1" in (pub / "source/en/d1.md").read_text(encoding="utf-8")


def test_a_markdown_saved_during_update_is_not_overwritten(
        pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    markdown = pub / "source/en/d2.md"
    text = po(pub, 2).read_text(encoding="utf-8")
    po(pub, 2).write_text(text.replace('msgstr "The third', 'msgstr "The 3rd'), encoding="utf-8")
    po(pub, 2).write_text(text.replace('msgstr "A footnote 2', 'msgstr "One footnote 2'),
                          encoding="utf-8")
    edited = markdown.read_text(encoding="utf-8").replace("Introduction 2", "Opening 2")
    _save_during_update(monkeypatch, markdown, edited)
    code, out = run(runner, pub, "update")
    assert code == 1, out
    assert "source/en/d2.md: changed while bitext update ran" in out
    assert markdown.read_text(encoding="utf-8") == edited
    monkeypatch.undo()
    code, out = run(runner, pub, "update")
    assert code == 0, out
    catalog = parse_catalog(po(pub, 2).read_text(encoding="utf-8"))
    assert {e.msgstr for e in catalog.entries} >= {"Opening 2", "One footnote 2, 15.03.2021."}


# --- emptied and cut catalogs ----------------------------------------------------------

@pytest.mark.parametrize("damage", ["empty", "header only"])
def test_an_emptied_po_is_a_conflict_not_a_new_catalog(
        pub: Path, runner: CliRunner, damage: str) -> None:
    text = po(pub).read_text(encoding="utf-8")
    po(pub).write_text("" if damage == "empty" else text.split("\n\n")[0] + "\n",
                       encoding="utf-8")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 1, out
    assert "error: locale/en/LC_MESSAGES/d1.po: 5 translated entries of the last update are " \
           "missing from this file" in out
    assert snapshot(pub) == before  # the Markdown still has every translation


def test_a_po_cut_after_a_msgid_is_malformed(pub: Path, runner: CliRunner) -> None:
    text = po(pub).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    cut = max(i for i, line in enumerate(lines) if line.startswith("msgid "))
    po(pub).write_text("".join(lines[:cut + 1]), encoding="utf-8")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 2, out
    assert out == (f"Error: locale/en/LC_MESSAGES/d1.po:{cut + 1}: malformed PO: this entry has "
                   "no msgstr (was the file cut short?)\n")
    assert snapshot(pub) == before


# --- interrupted runs ------------------------------------------------------------------

def test_stray_temporary_files_of_a_killed_run_are_removed(pub: Path, runner: CliRunner) -> None:
    stray = [pub / "locale/en/LC_MESSAGES/.d1.po.k1w2.bitext-tmp",
             pub / "source/en/.d2.md.zz9.bitext-tmp"]
    for path in stray:
        path.write_text("half", encoding="utf-8")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert not any(p.exists() for p in stray)


KILLER = """\
import os, signal, sys, tempfile
from pipeline.cli import main
kill_at, counted = int(sys.argv[1]), sys.argv[2]
calls = [0]
def killing(real):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
if counted == "replace":
    os.replace = killing(os.replace)
else:
    tempfile.mkstemp = killing(tempfile.mkstemp)
sys.argv = ["bitext", "-C", sys.argv[3], "update"]
main()
"""


def _edit_both_sides(root: Path) -> list[str]:
    """A translator's PO edit, a Markdown edit, an original edit: texts that must survive."""
    text = po(root, 1).read_text(encoding="utf-8")
    po(root, 1).write_text(text.replace('msgstr "The first paragraph 1',
                                        'msgstr "The very first paragraph 1'), encoding="utf-8")
    md = root / "source/en/d2.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Introduction 2", "Preface 2"),
                  encoding="utf-8")
    # d3: the author edits a paragraph and the translator, meanwhile, another one's translation
    tr = root / "source/tr/d3.md"
    tr.write_text(tr.read_text(encoding="utf-8").replace("İlk paragraf 3", "Birinci paragraf 3"),
                  encoding="utf-8")
    text = po(root, 3).read_text(encoding="utf-8")
    po(root, 3).write_text(text.replace('msgstr "The second paragraph 3',
                                        'msgstr "The 2nd paragraph 3'), encoding="utf-8")
    return ["The very first paragraph 1", "Preface 2", "The first paragraph 3",
            "The 2nd paragraph 3"]


def _everything_written(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*")
                     if p.is_file() and p.suffix in (".po", ".md"))


@pytest.mark.parametrize("counted", ["replace", "mkstemp"])
def test_an_update_killed_at_any_write_loses_nothing_and_never_sticks(
        project: Callable[[dict[str, str]], Path], runner: CliRunner, tmp_path: Path,
        counted: str) -> None:
    kills = 0
    for kill_at in range(1, 40):
        root = tmp_path / f"{counted}-{kill_at}"
        root.mkdir()
        files = {"bitext.toml": 'source_lang = "tr"\ntarget_langs = ["en"]\n'}
        for n in (1, 2, 3):
            files[f"source/tr/d{n}.md"] = TR.format(n=n)
            files[f"source/en/d{n}.md"] = EN.format(n=n)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        assert run(runner, root, "update")[0] == 0
        must_survive = _edit_both_sides(root)
        child = subprocess.run([sys.executable, "-c", KILLER, str(kill_at), counted, str(root)],
                               capture_output=True, text=True,
                               env={**os.environ, "SOURCE_DATE_EPOCH": "1790000000"})
        if child.returncode != -signal.SIGKILL:
            assert child.returncode in (0, 1), child.stderr
            break  # the run finished before the kth call: every point has been tried
        kills += 1
        code, out = run(runner, root, "update")
        assert code in (0, 1), f"kill at {counted} {kill_at}: {out}"
        code, out = run(runner, root, "update")
        assert code in (0, 1), f"kill at {counted} {kill_at}, second run: {out}"
        written = _everything_written(root)
        for text in must_survive:
            assert text in written, f"kill at {counted} {kill_at}: lost {text!r}"
        assert not list(root.rglob("*.bitext-tmp"))
    assert kills >= 3  # the kills did land inside the write phase


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_parallel_update_leaves_no_worker_and_no_lock(
        project: Callable[[dict[str, str]], Path], runner: CliRunner) -> None:
    big = "\n\n".join(f"Paragraf {i} İstanbul'da, 29 Eylül 2021." for i in range(1500))
    root = project({f"source/tr/d{n}.md": f"# Başlık {n}\n\n{big}\n" for n in range(16)})
    parent = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "update"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.02)
        assert workers, "no worker process was seen"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.05)
        alive = [w for w in workers if Path(f"/proc/{w}/stat").exists()
                 and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        assert alive == []
    finally:
        if parent.poll() is None:
            parent.kill()
    code, out = run(runner, root, "update")  # the lock died with its holder
    assert code == 0, out
