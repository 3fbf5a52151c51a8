"""Workflow and configuration: init's languages, finding the config, retired documents,
open conflicts, newly fuzzy, help and next steps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

pytestmark = pytest.mark.e2e

TR = """\
---
title: "Küçük bir yazı"
lang: tr
---

İlk paragraf İstanbul'da yazıldı.

İkinci paragraf 29 Eylül 2021'de değişti.
"""

PO = "locale/en/LC_MESSAGES/doc.po"


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def translate_all(root: Path, lang: str = "en", doc: str = "doc") -> None:
    """Give every empty msgstr of the PO a translation (as a translator would)."""
    path = root / "locale" / lang / "LC_MESSAGES" / f"{doc}.po"
    text = path.read_text(encoding="utf-8")  # the header's msgstr "" goes on with '"…'
    path.write_text(re.sub(r'^msgstr ""\n(?!")', 'msgstr "X"\n', text, flags=re.M),
                    encoding="utf-8")


# 1. init --target-lang

@pytest.mark.parametrize("args", [
    ["--target-lang", "ar,de"],
    ["--target-lang", "ar", "--target-lang", "de"],
    ["--target-lang", "ar, de"],
])
def test_init_takes_comma_separated_and_repeated_target_langs(
    tmp_path: Path, runner: CliRunner, args: list[str]
) -> None:
    root = tmp_path / "pub"
    result = runner.invoke(cli, ["init", str(root), *args])
    assert result.exit_code == 0, result.output
    assert 'target_langs = ["ar", "de"]' in (root / "bitext.toml").read_text(encoding="utf-8")
    code, out = run(runner, root, "update")
    assert code == 0, out
    assert (root / "locale/ar/LC_MESSAGES/sample.po").is_file()
    assert (root / "locale/de/LC_MESSAGES/sample.po").is_file()


def test_init_mixes_both_forms(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "pub"
    result = runner.invoke(cli, ["init", str(root), "--target-lang", "ar,de",
                                 "--target-lang", "pt_BR"])
    assert result.exit_code == 0, result.output
    assert 'target_langs = ["ar", "de", "pt-BR"]' in (root / "bitext.toml").read_text("utf-8")


@pytest.mark.parametrize("value", ["ar,xx-notalang", "de,de", "tr"])
def test_init_refuses_a_bad_target_lang_before_writing(
    tmp_path: Path, runner: CliRunner, value: str
) -> None:
    root = tmp_path / "pub"
    result = runner.invoke(cli, ["init", str(root), "--target-lang", value])
    assert result.exit_code == 2, result.output
    assert not root.exists() or not any(root.iterdir())


# 2. the configuration is found above the current folder

def test_config_is_found_in_a_folder_above(
    project, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project({"source/tr/doc.md": TR})
    deep = root / "source" / "tr"
    (deep / "pyproject.toml").write_text("[tool.ruff]\nline-length = 90\n", encoding="utf-8")
    monkeypatch.chdir(deep)
    result = runner.invoke(cli, ["--verbose", "update"])
    assert result.exit_code == 0, result.output
    assert f"config: {root.resolve() / 'bitext.toml'}" in result.output
    assert (root / PO).is_file()  # the publication root is the config's folder
    assert not (deep / "locale").exists()
    result = runner.invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
    assert "config:" not in result.output  # only with --verbose


def test_dash_c_starts_the_search_too(project, runner: CliRunner) -> None:
    root = project({"source/tr/doc.md": TR})
    result = runner.invoke(cli, ["-C", str(root / "source"), "-v", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"config: {root.resolve() / 'bitext.toml'}" in result.output


def test_no_config_anywhere_above(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    code, out = run(runner, tmp_path / "a" / "b", "status")
    assert code == 2
    assert "no bitext configuration here or in any folder above" in out


# 7. -h

@pytest.mark.parametrize("command", [[], ["update"], ["status"], ["check"], ["build"],
                                     ["align"], ["translate"], ["init"]])
def test_dash_h_is_help(runner: CliRunner, command: list[str]) -> None:
    short = runner.invoke(cli, [*command, "-h"])
    long = runner.invoke(cli, [*command, "--help"])
    assert (short.exit_code, short.output) == (0, long.output)
    assert "Usage:" in short.output


# 4. open conflicts: counted by status, refused by a release

def _conflicted(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    from tests.e2e.test_update_cli import EN
    from tests.e2e.test_update_cli import TR as TR_FULL

    root = project({"source/tr/doc.md": TR_FULL, "source/en/doc.md": EN})
    assert run(runner, root, "update")[0] == 0
    md, po = root / "source/en/doc.md", root / PO
    md.write_text(md.read_text("utf-8").replace("The third paragraph is short.",
                                                "Markdown says brief."), encoding="utf-8")
    po.write_text(po.read_text("utf-8").replace('msgstr "The third paragraph is short."',
                                                'msgstr "PO says tiny."'), encoding="utf-8")
    assert run(runner, root, "update")[0] == 1  # the conflict block is written
    return root


def test_status_counts_open_conflicts(project, runner: CliRunner) -> None:
    root = _conflicted(project, runner)
    code, out = run(runner, root, "status", "--format", "json")
    assert code == 0, out
    row = json.loads(out[out.index("["):])[0]
    assert (row["percent"], row["conflicts"]) == (100.0, 1)
    code, out = run(runner, root, "status")
    header, line = out.splitlines()[:2]
    assert header.split()[-1] == "conflicts" and line.split()[-1] == "1"


def test_a_release_is_refused_while_a_conflict_is_open(project, runner: CliRunner) -> None:
    root = _conflicted(project, runner)
    code, out = run(runner, root, "build", "--release", "--to", "html", "--edition", "en")
    assert code == 1, out
    assert "refused: source/en/doc.md:12: open conflict" in out
    assert not (root / "output").exists()
    # resolved in the Markdown but not taken in yet: still refused, naming the state
    md = root / "source/en/doc.md"
    text = md.read_text("utf-8")
    start = text.index("<!-- bitext conflict: your")
    end = text.index("<!-- bitext conflict: end -->") + len("<!-- bitext conflict: end -->")
    md.write_text(text[:start] + "Markdown says brief." + text[end:], encoding="utf-8")
    code, out = run(runner, root, "build", "--release", "--to", "html", "--edition", "en")
    assert code == 1 and "doc.sync.json: 1 conflicts recorded" in out, out
    assert run(runner, root, "update")[0] == 0
    code, out = run(runner, root, "status", "--format", "json")
    assert json.loads(out)[0]["conflicts"] == 0
    code, out = run(runner, root, "build", "--release", "--to", "html", "--edition", "en")
    assert code == 0, out


# 6. one glossary format for align and check

GLOSSARIES = {
    "terms.csv": "source,target,forbidden\nEsad,Assad,Esed\n",
    "terms.tsv": "source\ttarget\tforbidden\nEsad\tAssad\tEsed\n",
    "terms.tbx": '<martif type="TBX"><text><body><termEntry>'
                 '<langSet xml:lang="tr"><tig><term>Esad</term></tig></langSet>'
                 '<langSet xml:lang="en"><tig><term>Assad</term></tig><tig><term>Esed</term>'
                 '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>'
                 "</tig></langSet></termEntry></body></text></martif>",
}


@pytest.mark.parametrize("name", sorted(GLOSSARIES))
def test_check_and_align_read_the_same_glossaries(
    sample: Path, runner: CliRunner, name: str
) -> None:
    (sample / name).write_text(GLOSSARIES[name], encoding="utf-8")
    code, out = run(runner, sample, "align", "--doc", "article", "-o", str(sample / "x.po"),
                    "--glossary", str(sample / name))
    assert code == 0, out
    assert "wrote" in out
    pyproject = sample / "pyproject.toml"
    table = f'\n[tool.bitext.check]\nglossary = "{name}"\n'
    pyproject.write_text(pyproject.read_text("utf-8") + table, encoding="utf-8")
    po = sample / "locale/en/LC_MESSAGES/article.po"
    po.write_text(po.read_text("utf-8").replace("Assad", "Esed", 1), encoding="utf-8")
    code, out = run(runner, sample, "check", "--only", "glossary")
    assert code == 1, out
    assert "glossary: “Esed” is forbidden for “Esad”; use “Assad”" in out


# 3. a deleted original: reported, and retired by --prune

def _with_a_deleted_original(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/tr/gone.md": TR})
    assert run(runner, root, "update")[0] == 0
    po = root / "locale/en/LC_MESSAGES/gone.po"
    po.write_text(po.read_text("utf-8").replace(
        'msgid "İlk paragraf İstanbul\'da yazıldı."\nmsgstr ""',
        'msgid "İlk paragraf İstanbul\'da yazıldı."\nmsgstr "Written in Istanbul."'),
        encoding="utf-8")
    assert run(runner, root, "update")[0] == 0
    (root / "output/gone").mkdir(parents=True)
    (root / "output/gone/gone.en.html").write_text("<p>built</p>", encoding="utf-8")
    (root / "source/tr/gone.md").unlink()
    return root


LEFT = ["locale/gone.pot", "locale/en/LC_MESSAGES/gone.po",
        "locale/en/LC_MESSAGES/gone.sync.json", "source/en/gone.md", "output/gone"]


def test_a_deleted_original_is_reported_with_what_it_left(project, runner: CliRunner) -> None:
    root = _with_a_deleted_original(project, runner)
    code, out = run(runner, root, "update")
    assert code == 0, out
    warning = next(line for line in out.splitlines() if line.startswith("warning: gone:"))
    assert "its original source/tr/gone.md is gone" in warning
    assert all(name in warning for name in LEFT), warning
    assert "--prune" in warning
    assert all((root / name).exists() for name in LEFT)  # reported, not touched


def test_prune_archives_the_translations_then_removes_the_rest(
    project, runner: CliRunner
) -> None:
    from pipeline.adapters.po import read_catalog

    root = _with_a_deleted_original(project, runner)
    md = root / "source/en/gone.md"
    md.write_text(md.read_text("utf-8").replace("Written in Istanbul.", "Penned in Istanbul."),
                  encoding="utf-8")  # an edit the PO has not seen
    code, out = run(runner, root, "update", "--prune", "--dry-run")
    assert code == 0 and "would remove" in out, out
    assert all((root / name).exists() for name in LEFT)
    code, out = run(runner, root, "update", "--prune")
    assert code == 0, out
    assert "retired gone (source/tr/gone.md is gone); keep translations in attic/en/gone.po, " \
           "attic/en/gone.md; remove " + ", ".join(LEFT) in out
    assert not any((root / name).exists() for name in LEFT)
    archive = read_catalog(root / "attic/en/gone.po", shown="attic/en/gone.po")
    assert archive.entries == []
    assert [(e.msgid, e.msgstr) for e in archive.obsolete] == [
        ("İlk paragraf İstanbul'da yazıldı.", "Written in Istanbul.")]
    assert "Penned in Istanbul." in (root / "attic/en/gone.md").read_text("utf-8")
    # the live document is untouched, and the next run has nothing to say
    assert (root / PO).is_file()
    code, out = run(runner, root, "update", "--prune")
    assert (code, "retired" in out, "warning" in out) == (0, False, False), out


def test_a_retired_document_can_be_pruned_twice_without_losing_the_first_archive(
    project, runner: CliRunner
) -> None:
    from pipeline.adapters.po import read_catalog

    root = _with_a_deleted_original(project, runner)
    assert run(runner, root, "update", "--prune")[0] == 0
    (root / "source/tr/gone.md").write_text(TR.replace("İkinci", "Yeni ikinci"), "utf-8")
    assert run(runner, root, "update")[0] == 0
    po = root / "locale/en/LC_MESSAGES/gone.po"
    po.write_text(po.read_text("utf-8").replace(
        "Yeni ikinci paragraf 29 Eylül 2021'de değişti.\"\nmsgstr \"\"",
        "Yeni ikinci paragraf 29 Eylül 2021'de değişti.\"\nmsgstr \"New second.\""), "utf-8")
    (root / "source/tr/gone.md").unlink()
    assert run(runner, root, "update", "--prune")[0] == 0
    archive = read_catalog(root / "attic/en/gone.po", shown="attic/en/gone.po")
    assert sorted(e.msgstr for e in archive.obsolete) == ["New second.", "Written in Istanbul."]


# 7. update and status end with the next step

def test_update_and_status_say_what_to_do_next(project, runner: CliRunner) -> None:
    root = project({"source/tr/doc.md": TR})
    code, out = run(runner, root, "update")
    assert code == 0, out
    assert out.splitlines()[-1] == (
        f"next: translate the 3 untranslated segments in {PO}, then bitext build")
    code, out = run(runner, root, "status")
    assert out.splitlines()[-1] == (
        f"next: translate the 3 untranslated segments in {PO}, then bitext build")
    assert "next:" not in run(runner, root, "status", "--format", "json")[1]
    translate_all(root)
    code, out = run(runner, root, "update")
    assert out.splitlines()[-1] == "next: bitext check, then bitext build", out
    assert run(runner, root, "status")[1].splitlines()[-1] == "next: bitext build --release"
    assert run(runner, root, "update")[1].splitlines()[-1] == "nothing changed"


def test_next_step_after_a_conflict(project, runner: CliRunner) -> None:
    root = _conflicted(project, runner)
    code, out = run(runner, root, "update")
    assert code == 1
    assert out.splitlines()[-1] == "next: resolve what is reported in source/en/doc.md, " \
                                   "then bitext update"
    assert run(runner, root, "status")[1].splitlines()[-1] == (
        "next: resolve the 1 open conflict in source/en/doc.md, then bitext update")


def test_newly_fuzzy_in_update_and_fuzzy_in_status(project, runner: CliRunner) -> None:
    root = project({"source/tr/doc.md": TR})
    assert run(runner, root, "update")[0] == 0
    translate_all(root)
    assert run(runner, root, "update")[0] == 0
    original = root / "source/tr/doc.md"
    original.write_text(TR.replace("29 Eylül", "30 Eylül"), encoding="utf-8")
    code, out = run(runner, root, "update")
    assert "2 kept, 1 newly fuzzy, 0 new" in out, out
    original.write_text(TR.replace("29 Eylül", "30 Eylül").replace("İlk", "Birinci"), "utf-8")
    code, out = run(runner, root, "update")
    assert code == 0 and "2 kept, 1 newly fuzzy, 0 new" in out, out  # the old one is "kept"
    status = json.loads(run(runner, root, "status", "--format", "json")[1])[0]
    assert status["fuzzy"] == 2
    assert out.splitlines()[-1] == f"next: review the 2 fuzzy segments in {PO}, then bitext build"


def test_prune_removes_nothing_when_the_archive_cannot_be_written(
    project, runner: CliRunner
) -> None:
    root = _with_a_deleted_original(project, runner)
    (root / "attic").write_text("in the way", encoding="utf-8")  # attic/en/gone.po cannot be
    code, out = run(runner, root, "update", "--prune")
    assert code == 2, out
    assert all((root / name).exists() for name in LEFT)
    (root / "attic").unlink()
    (root / "attic").mkdir()
    (root / "attic/en").write_text("in the way", encoding="utf-8")
    code, out = run(runner, root, "update", "--prune")
    assert code == 2 and "nothing was removed" in out, out
    assert all((root / name).exists() for name in LEFT)
