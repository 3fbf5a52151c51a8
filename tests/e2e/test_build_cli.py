"""`bitext build` as a command: options, drafts and releases, the cache, bad input, progress."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.cli import cli
from pipeline.commands.build import build
from pipeline.config import load_config
from tests.e2e.build_helpers import pdf_text

pytestmark = pytest.mark.e2e

DOC = """---
title: "Başlık {n}"
---

Birinci paragraf[^a].

İkinci paragraf.

[^a]: Not {n}.
"""
EN = ["Title {n}", "First paragraph[^a].", "Second paragraph.", "Note {n}."]


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output  # stdout and stderr, as a user sees them


def translate(root: Path, doc: str, n: int, *, fuzzy: int | None = None,
              empty: int | None = None) -> None:
    """Fill the document's catalog (as a translator would), optionally leaving gaps."""
    po = root / "locale" / "en" / "LC_MESSAGES" / f"{doc}.po"
    catalog = read_catalog(po, shown=po.name)
    for k, entry in enumerate(catalog.entries):
        entry.msgstr = "" if k == empty else EN[k].format(n=n)
        entry.fuzzy = k == fuzzy
    po.write_text(render_catalog(catalog), encoding="utf-8")


@pytest.fixture
def pub(project: Callable[[dict[str, str]], Path]) -> Path:
    root = project({f"source/tr/d{n}.md": DOC.format(n=n) for n in (1, 2)})
    assert invoke(root, "update")[0] == 0
    for n in (1, 2):
        translate(root, f"d{n}", n)
    return root


def test_to_and_edition_choose_the_outputs(pub: Path) -> None:
    code, out = invoke(pub, "build", "d1", "--to", "html,pdf", "--edition", "en,bilingual")
    assert code == 0, out
    assert out.splitlines() == ["wrote output/d1/d1.en.html", "wrote output/d1/d1.en.pdf",
                                "wrote output/d1/d1.tr-en.html", "wrote output/d1/d1.tr-en.pdf"]
    assert sorted(p.name for p in (pub / "output").iterdir()) == ["d1"]


def test_only_what_changed_is_rebuilt(pub: Path) -> None:
    assert invoke(pub, "build", "--to", "html")[0] == 0
    po = pub / "locale/en/LC_MESSAGES/d2.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Second paragraph.", "Second one."),
                  encoding="utf-8")
    (pub / "output/d1/d1.tr.html").unlink()
    code, out = invoke(pub, "build", "--to", "html")
    assert code == 0, out
    # d2's catalog changed: its editions are rebuilt, and the Turkish one, whose bytes come
    # out the same, is not rewritten; d1's deleted page is rebuilt, the rest is not touched
    assert out.splitlines() == [
        "wrote output/d1/d1.tr.html", "wrote output/d2/d2.en.html",
        "wrote output/d2/d2.tr-en.html", "unchanged output/d2/d2.tr.html", "2 up to date"]
    assert "Second one." in (pub / "output/d2/d2.en.html").read_text(encoding="utf-8")
    assert invoke(pub, "build", "--to", "html") == (0, "6 up to date\n")
    forced = invoke(pub, "build", "--to", "html", "--force")[1].splitlines()
    assert len(forced) == 6 and all(line.startswith("unchanged output/") for line in forced)


def test_a_draft_marks_unreviewed_and_untranslated_segments(pub: Path) -> None:
    translate(pub, "d1", 1, fuzzy=1, empty=2)
    code, out = invoke(pub, "build", "d1", "--edition", "en", "--to", "html,pdf")
    assert code == 0, out
    html = (pub / "output/d1/d1.en.html").read_text(encoding="utf-8")
    assert '<span class="bitext-mark bitext-fuzzy">not reviewed</span> First paragraph' in html
    assert ('<span class="bitext-mark bitext-untranslated">untranslated</span> '
            '<span lang="tr">İkinci paragraf.</span>') in html
    text = pdf_text(pub / "output/d1/d1.en.pdf")
    assert "not reviewed" in text and "untranslated" in text and "İkinci paragraf." in text


def test_a_release_below_the_threshold_is_refused_and_writes_nothing(pub: Path) -> None:
    translate(pub, "d1", 1, fuzzy=1)
    code, out = invoke(pub, "build", "--release")
    assert code == 1
    assert out.splitlines() == [
        "refused: locale/en/LC_MESSAGES/d1.po: 75.0% translated and reviewed (3 of 4 "
        "segments), below the release threshold of 100%",
        "release build refused; nothing written"]
    assert not (pub / "output").exists()


def test_a_release_at_the_threshold_has_no_draft_marks(pub: Path) -> None:
    (pub / "bitext.toml").write_text(
        (pub / "bitext.toml").read_text(encoding="utf-8")
        + "\n[build]\nrelease_threshold = 75\n", encoding="utf-8")
    translate(pub, "d1", 1, fuzzy=1)
    code, out = invoke(pub, "build", "d1", "--release", "--to", "html", "--edition", "en")
    assert code == 0, out
    html = (pub / "output/d1/d1.en.html").read_text(encoding="utf-8")
    assert "First paragraph" in html and "bitext-mark" not in html.split("</style>")[1]


def test_quiet_prints_nothing(pub: Path) -> None:
    assert invoke(pub, "build", "d2", "--to", "html", "-q") == (0, "")
    assert (pub / "output/d2/d2.tr-en.html").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "docx"], "Error: --to: expected a comma-separated list of html, epub, pdf, "
                       "got 'docx'"),
    (["--edition", "fr"], "Error: --edition: expected a comma-separated list of tr, en, "
                          "bilingual, got 'fr'"),
    (["nope"], "Error: source/tr/nope.md: no such document 'nope'"),
    (["../d1"], "Error: document name '../d1' has '/', which is not allowed"),
])
def test_bad_usage_exits_2(pub: Path, args: list[str], message: str) -> None:
    code, out = invoke(pub, "build", *args)
    assert code == 2
    assert out.startswith(message)
    assert not (pub / "output").exists()


def test_bad_config_names_the_key(pub: Path) -> None:
    (pub / "bitext.toml").write_text(
        (pub / "bitext.toml").read_text(encoding="utf-8") + "\n[build]\ncolour = 1\n",
        encoding="utf-8")
    code, out = invoke(pub, "build")
    assert code == 2
    assert "'build.colour': unknown key" in out


def test_a_missing_catalog_asks_for_update(project: Callable[[dict[str, str]], Path]) -> None:
    root = project({"source/tr/d1.md": DOC.format(n=1)})
    assert invoke(root, "build") == (
        2, "Error: locale/en/LC_MESSAGES/d1.po: no catalog for this translation; run "
           "`bitext update`\n")


def test_no_output_escapes_the_output_folder(pub: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (pub / "output").mkdir()
    (pub / "output" / "d1").symlink_to(outside)
    code, out = invoke(pub, "build", "d1", "--to", "html")
    assert code == 2
    assert out == ("Error: output/d1: is a symbolic link; bitext follows none unless the "
                   "configuration says allow_symlinks = true\n")
    assert list(outside.iterdir()) == []


def test_progress_is_reported_per_file(project: Callable[[dict[str, str]], Path]) -> None:
    root = project({f"source/tr/d{n}.md": DOC.format(n=n) for n in range(1, 5)})
    assert invoke(root, "update")[0] == 0
    calls: list[tuple[int, int, str]] = []
    result = build(load_config(root), ["d1", "d2", "d3", "d4"], formats=("html",),
                   editions=("tr",), jobs=2, progress=lambda *a: calls.append(a))
    assert sorted(c[2] for c in calls) == [f"d{n}/d{n}.tr.html" for n in range(1, 5)]
    assert [c[:2] for c in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(result.written) == 4
    # the command shows a bar (on stderr) for more than three documents, then a summary
    code, out = invoke(root, "build", "--to", "html", "--edition", "en", "--force")
    assert code == 0 and out.endswith("wrote 4 files, 0 unchanged\n"), out
