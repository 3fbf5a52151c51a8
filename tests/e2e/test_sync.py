"""Two-way sync: translators edit the PO or the translated Markdown; nothing is lost."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog
from pipeline.cli import cli
from tests.e2e.test_update_cli import EN, PO, TR, run, snapshot

pytestmark = pytest.mark.e2e

MD = "source/en/doc.md"


@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    assert run(runner, root, "update")[0] == 0
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def msgstrs(root: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in read_catalog(root / PO, shown=PO).entries}


def entry(root: Path, msgid_start: str):  # type: ignore[no-untyped-def]
    return next(e for e in read_catalog(root / PO, shown=PO).entries
                if e.msgid.startswith(msgid_start))


def test_markdown_edit_goes_into_the_po(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "The third paragraph is short.", "The third paragraph is brief.")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert "1 taken from the Markdown" in out
    third = entry(pub, "Üçüncü")
    assert (third.msgstr, third.fuzzy) == ("The third paragraph is brief.", False)
    assert run(runner, pub, "update")[1].splitlines()[-1] == "nothing changed"


def test_po_edit_goes_into_the_markdown(pub: Path, runner: CliRunner) -> None:
    edit(pub / PO, 'msgstr "The third paragraph is short."', 'msgstr "Third: short."')
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert "Third: short.\n" in (pub / MD).read_text(encoding="utf-8")


def test_edits_on_both_sides_in_different_segments_are_both_kept(
    pub: Path, runner: CliRunner
) -> None:
    edit(pub / MD, "The third paragraph is short.", "The third paragraph is brief.")
    edit(pub / PO, 'msgstr "Introduction"', 'msgstr "Opening"')
    code, out = run(runner, pub, "update")
    assert code == 0, out
    md = (pub / MD).read_text(encoding="utf-8")
    assert "## Opening\n" in md and "is brief." in md
    assert msgstrs(pub)["Giriş"] == "Opening"
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "The third paragraph is brief."


def test_the_same_segment_edited_on_both_sides_is_a_conflict(
    pub: Path, runner: CliRunner
) -> None:
    edit(pub / MD, "The third paragraph is short.", "Markdown says brief.")
    edit(pub / PO, 'msgstr "The third paragraph is short."', 'msgstr "PO says tiny."')
    code, out = run(runner, pub, "update")
    assert code == 1
    assert "source/en/doc.md:12: conflict: this segment changed in both" in out
    md = (pub / MD).read_text(encoding="utf-8")
    assert "Markdown says brief." in md and "PO says tiny." in md
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "PO says tiny."
    # Still unresolved: reported again, nothing written.
    before = snapshot(pub)
    assert run(runner, pub, "update")[0] == 1
    assert snapshot(pub) == before
    # The translator keeps the Markdown version: the next update takes it.
    md = re.sub(r"<!-- bitext conflict: your[^\n]*\n(.*?)\n<!-- bitext conflict: the[^\n]*\n"
                r".*?\n<!-- bitext conflict: end -->", r"\1", md, flags=re.S)
    (pub / MD).write_text(md, encoding="utf-8")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "Markdown says brief."


def test_conflict_block_is_markdown_pandoc_renders(pub: Path, runner: CliRunner) -> None:
    import pypandoc

    edit(pub / MD, "The third paragraph is short.", "Markdown says brief.")
    edit(pub / PO, 'msgstr "The third paragraph is short."', 'msgstr "PO says tiny."')
    assert run(runner, pub, "update")[0] == 1
    html = pypandoc.convert_file(str(pub / MD), "html", format="markdown")
    assert "Markdown says brief." in html and "PO says tiny." in html


def test_split_paragraph_goes_into_one_msgstr(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "The first paragraph was written in Istanbul.[^1]",
         "The first paragraph.\n\nIt was written in Istanbul.[^1]")
    edit(pub / MD, "The third paragraph is short.", "The third one is short.")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert msgstrs(pub)["İlk paragraf İstanbul'da yazıldı.[^1]"] == (
        "The first paragraph.\n\nIt was written in Istanbul.[^1]")
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "The third one is short."
    assert "The first paragraph.\n\nIt was written" in (pub / MD).read_text(encoding="utf-8")


def test_merged_paragraphs_are_reported_and_left_in_place(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "2021.\n\nThe third", "2021. The third")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 1
    assert "source/en/doc.md:10: 2 segments were merged into 1 paragraph(s)" in out
    assert snapshot(pub) == before


def test_paragraph_without_original_is_reported_and_left_in_place(
    pub: Path, runner: CliRunner
) -> None:
    edit(pub / MD, "The third paragraph is short.\n",
         "The third paragraph is short.\n\nTranslator's note: added.\n")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 1
    assert "source/en/doc.md:14: paragraph with no original segment" in out
    assert snapshot(pub) == before


def test_deleted_translation_is_restored_and_reported(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "The third paragraph is short.\n\n", "")
    code, out = run(runner, pub, "update")
    assert code == 0
    assert "deleted from the Markdown; restored from the PO" in out
    assert (pub / MD).read_text(encoding="utf-8") == EN


def test_footnote_definition_edit_edits_that_footnote(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "[^1]: A footnote, 15.03.2021.", "[^1]: A note, 15.03.2021.")
    assert run(runner, pub, "update")[0] == 0
    assert msgstrs(pub)["Bir dipnot, 15.03.2021."] == "A note, 15.03.2021."


def test_removing_the_fuzzy_mark_reviews_the_entry(pub: Path, runner: CliRunner) -> None:
    edit(pub / "source/tr/doc.md", "Üçüncü paragraf kısa.", "Üçüncü paragraf çok kısa.")
    assert run(runner, pub, "update")[0] == 0
    assert entry(pub, "Üçüncü").fuzzy
    edit(pub / MD, "<!-- bitext: fuzzy --> The third paragraph is short.",
         "The third paragraph is very short.")
    assert run(runner, pub, "update")[0] == 0
    third = entry(pub, "Üçüncü")
    assert (third.msgstr, third.fuzzy) == ("The third paragraph is very short.", False)


def test_original_and_translation_changed_together(pub: Path, runner: CliRunner) -> None:
    edit(pub / "source/tr/doc.md", "Üçüncü paragraf kısa.", "Üçüncü paragraf biraz kısa.")
    edit(pub / MD, "The third paragraph is short.", "The third paragraph is short indeed.")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    third = entry(pub, "Üçüncü")
    assert third.msgstr == "The third paragraph is short indeed."
    assert third.fuzzy, "the original changed too: the translator must review it"
    assert third.previous_msgid == "Üçüncü paragraf kısa."


def test_the_original_is_never_written(pub: Path, runner: CliRunner) -> None:
    original = (pub / "source/tr/doc.md").read_bytes()
    edit(pub / MD, "The third paragraph is short.", "Changed.")
    edit(pub / PO, 'msgstr "Introduction"', 'msgstr "Opening"')
    run(runner, pub, "update")
    assert (pub / "source/tr/doc.md").read_bytes() == original


def test_dry_run_reports_and_writes_nothing(pub: Path, runner: CliRunner) -> None:
    edit(pub / MD, "The third paragraph is short.", "The third paragraph is brief.")
    edit(pub / PO, 'msgstr "Introduction"', 'msgstr "Opening"')
    before = snapshot(pub)
    code, out = run(runner, pub, "update", "--dry-run")
    assert code == 0, out
    assert "1 taken from the Markdown, 1 from the PO, 0 conflicts" in out
    assert f"would write {MD}" in out
    assert snapshot(pub) == before


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="gettext is not installed")
def test_state_survives_msgmerge_and_msgcat(pub: Path, runner: CliRunner) -> None:
    po = pub / PO
    for command in (["msgcat", "-o", str(po), str(po)],
                    ["msgmerge", "-q", "-U", "--backup=none", str(po),
                     str(pub / "locale/doc.pot")]):
        subprocess.run(command, check=True)
    edit(pub / MD, "The third paragraph is short.", "The third paragraph is brief.")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    assert "0 conflicts" in out
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "The third paragraph is brief."


def test_without_a_sync_record_differences_are_conflicts(pub: Path, runner: CliRunner) -> None:
    (pub / "locale/en/LC_MESSAGES/doc.sync.json").unlink()
    edit(pub / MD, "The third paragraph is short.", "Edited without a record.")
    code, out = run(runner, pub, "update")
    assert code == 1
    assert "conflict" in out
    assert msgstrs(pub)["Üçüncü paragraf kısa."] == "The third paragraph is short."


def test_cli_module_entry_point_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True,
                          text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0
    assert "update" in done.stdout and "status" in done.stdout


def test_cli_help_lists_the_commands(runner: CliRunner) -> None:
    out = runner.invoke(cli, ["--help"]).output
    assert "update" in out and "status" in out and "init" in out


def test_marked_segments_stay_segments_of_the_markdown(project, runner: CliRunner) -> None:  # type: ignore[no-untyped-def]
    """A marker in front of a paragraph must not turn it into an HTML block (two-line ones too)."""
    tr = "Bir iki\nüç dört.\n\n- Madde bir\n  devam.\n\nSon paragraf.[^1]\n\n[^1]: Not.\n"
    root = project({"source/tr/d.md": tr})
    assert run(runner, root, "update")[0] == 0
    md = root / "source/en/d.md"
    assert md.read_text(encoding="utf-8").startswith(
        "<!-- bitext: untranslated --> Bir iki\nüç dört.\n\n- <!-- bitext: untranslated --> "
        "Madde bir\n  devam.\n")
    # Translate the list item in the Markdown; the marked paragraphs around it stay as they are.
    edit(md, "<!-- bitext: untranslated --> Madde bir\n  devam.", "Item one\n  continued.")
    po = "locale/en/LC_MESSAGES/d.po"
    edit(root / po, 'msgid "Not."\nmsgstr ""', 'msgid "Not."\nmsgstr "Note."')
    code, out = run(runner, root, "update")
    assert code == 0, out
    catalog = {e.msgid: e.msgstr for e in read_catalog(root / po, shown=po).entries}
    assert catalog == {"Bir iki\nüç dört.": "", "Madde bir\ndevam.": "Item one\ncontinued.",
                       "Son paragraf.[^1]": "", "Not.": "Note."}
    assert "[^1]: Note.\n" in md.read_text(encoding="utf-8")
