"""`bitext check` through the CLI: the sample publication, drift, formats, PO files, config."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.checks.suppress import msgid_hash
from pipeline.cli import cli
from pipeline.commands.update import update
from pipeline.config import load_config

pytestmark = pytest.mark.e2e

PO = "locale/en/LC_MESSAGES/article.po"


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), "check", *args])
    return result.exit_code, result.output


@pytest.fixture
def published(sample: Path) -> Path:
    """The sample publication with its catalog made (as `bitext update` makes it)."""
    if not (sample / PO).exists():
        update(load_config(sample), ["article"])
    return sample


def edit_po(root: Path, change: dict[str, tuple[str, str]], comment: str | None = None) -> int:
    """Replace text in msgstrs (msgid prefix -> (old, new)); return the PO line of the last one."""
    path = root / PO
    catalog = read_catalog(path, shown=PO)
    line = 0
    for entry in catalog.entries:
        for prefix, (old, new) in change.items():
            if entry.msgid.startswith(prefix):
                assert old in entry.msgstr
                entry.msgstr = entry.msgstr.replace(old, new)
                if comment:
                    entry.translator_comments.append(comment.format(hash=msgid_hash(entry.msgid)))
                line = entry.line
    path.write_text(render_catalog(catalog), encoding="utf-8")
    update(load_config(root), ["article"])  # the Markdown follows the PO: no out-of-sync
    return line


def test_the_sample_checks_clean(runner: CliRunner, published: Path) -> None:
    code, out = run(runner, published)
    assert (code, out) == (0, "bitext check: no findings; 0 errors, 0 warnings, "
                              "0 suppressed in 1 catalog\n")
    code, out = run(runner, published, "--format", "json", "--strict")
    assert code == 0 and json.loads(out) == {
        "summary": {"errors": 0, "warnings": 0, "suppressed": 0}, "findings": []}


def test_drift_in_the_po_is_found_with_its_lines(runner: CliRunner, published: Path) -> None:
    # Paragraph on the border: "1,5 milyon[^x]" / "1.5 million[^x]"; the translator slips twice.
    edit_po(published, {"Beşşar Esad şu anda": ("1.5 million[^x]", "15 million")})
    code, out = run(runner, published, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["summary"] == {"errors": 2, "warnings": 0, "suppressed": 0}
    po_lines = (published / PO).read_text(encoding="utf-8").splitlines()
    source_lines = (published / "source/tr/article.md").read_text(encoding="utf-8").splitlines()
    for finding in data["findings"]:
        assert po_lines[finding["line"] - 1].startswith('msgid "Beşşar Esad şu anda')
        assert source_lines[finding["source_line"] - 1].startswith("Beşşar Esad şu anda")
        assert (finding["file"], finding["source_file"]) == (PO, "source/tr/article.md")
    assert [(f["check"], f["message"]) for f in data["findings"]] == [
        ("footnote-refs", "footnote [^x] is in the original but not in the translation"),
        ("numbers", "numbers differ: the original has “1,5 milyon” (1500000), "
                    "the translation “15 million” (15000000)"),
    ]


def test_text_github_and_junit_formats(runner: CliRunner, published: Path) -> None:
    line = edit_po(published, {"Beşşar Esad şu anda": ("1.5 million", "15 million")})
    original = (published / "source/tr/article.md").read_text(encoding="utf-8").splitlines()
    source_line = next(n for n, text in enumerate(original, 1) if text.startswith("Beşşar Esad"))
    code, out = run(runner, published)
    assert code == 1
    assert out.splitlines() == [
        PO,
        f"{PO}:{line}: error numbers: numbers differ: the original has “1,5 milyon” (1500000), "
        f"the translation “15 million” (15000000) (original: source/tr/article.md:{source_line})",
        "",
        "bitext check: 1 error, 0 warnings, 0 suppressed in 1 catalog",
    ]
    po_line = (published / PO).read_text(encoding="utf-8").splitlines()[line - 1]
    column = po_line.index("1,5 milyon") + 1  # the original's number, in the msgid line
    code, out = run(runner, published, "--format", "github")
    assert code == 1 and out.startswith(
        f"::error file={PO},line={line},col={column},title=bitext numbers::numbers differ")
    code, out = run(runner, published, "--format", "junit")
    root = ET.fromstring(out)
    assert code == 1 and root.get("failures") == "1"
    [failed] = [c for c in root.iter("testcase") if c.find("failure") is not None]
    entry = next(e for e in read_catalog(published / PO, shown=PO).entries
                 if e.msgid.startswith("Beşşar Esad şu anda"))
    assert (failed.get("name"), failed.get("classname")) == (f"numbers {entry.key}",
                                                             "bitext.article.en")
    failure = failed.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.text.startswith(f"{PO}:{line}: numbers differ")


def test_junit_case_names_survive_an_inserted_paragraph(
    runner: CliRunner, published: Path
) -> None:
    def names() -> set[str]:
        out = run(runner, published, "--format", "junit")[1]
        cases = ET.fromstring(out).iter("testcase")
        return {f"{c.get('classname')} {c.get('name')}" for c in cases}

    before = names()
    original = published / "source/tr/article.md"
    original.write_text(original.read_text(encoding="utf-8").replace(
        "## Türkiye'nin Sınır Güvenliği\n",
        "## Türkiye'nin Sınır Güvenliği\n\nYeni bir paragraf.\n"), encoding="utf-8")
    update(load_config(published), ["article"])  # every later entry's PO line moves down
    after = names()
    assert before < after  # no case renamed; only the new segment's cases are new
    assert {n.split()[-1] for n in after - before} == {
        e.key for e in read_catalog(published / PO, shown=PO).entries
        if e.msgid == "Yeni bir paragraf."}


@pytest.mark.parametrize("fmt", ["json", "github", "junit"])
def test_a_fatal_error_is_reported_in_the_machine_formats(
    runner: CliRunner, published: Path, fmt: str
) -> None:
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8")
                         + "\n[tool.bitext.check]\nseverty = {}\n", encoding="utf-8")
    result = runner.invoke(cli, ["-C", str(published), "check", "--format", fmt])
    assert result.exit_code == 2
    out = result.stdout
    if fmt == "json":
        fatal = json.loads(out)["fatal"]
        assert "'tool.bitext.check.severty': unknown key" in fatal["message"]
        assert fatal["file"] and fatal["file"].endswith("pyproject.toml")
    elif fmt == "github":
        [line] = out.splitlines()  # one annotation: the message's newlines escaped
        assert line.startswith("::error file=pyproject.toml,title=bitext check::invalid "
                               "configuration:%0A  'tool.bitext.check.severty': unknown key")
    else:
        [error] = ET.fromstring(out).iter("error")
        assert "'tool.bitext.check.severty': unknown key" in (error.get("message") or "")
    assert "unknown key" in result.stderr  # and the usual message, where it always was


def test_a_usage_error_is_reported_in_json_too(runner: CliRunner, published: Path) -> None:
    result = runner.invoke(cli, ["-C", str(published), "check", "--format", "json",
                                 "--source-lang", "en"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["fatal"]["message"] == (
        "--source-lang/--target-lang apply to PO files given by path")


def test_a_translation_edited_without_update_is_out_of_sync(
    runner: CliRunner, published: Path
) -> None:
    md = published / "source/en/article.md"
    lines = md.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, text in enumerate(lines, 1) if text.startswith("## Syrian Refugees"))
    lines[number - 1] = "## Syrian Refugees in Türkiye\n"
    md.write_text("".join(lines), encoding="utf-8")
    code, out = run(runner, published, "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and (finding["check"], finding["file"], finding["line"]) == (
        "out-of-sync", "source/en/article.md", number)
    assert finding["message"].startswith(
        f"differs from {PO} from this line on (found “## Syrian Refugees in Türkiye”")


def test_a_missing_catalog_is_out_of_sync(runner: CliRunner, sample: Path) -> None:
    (sample / PO).unlink(missing_ok=True)
    code, out = run(runner, sample, "--format", "json")
    assert code == 1 and json.loads(out)["findings"][0]["message"] == (
        "there is no catalog for source/tr/article.md in en; run `bitext update`")


def test_suppression_strict_only_and_severity(runner: CliRunner, published: Path) -> None:
    edit_po(published, {"Beşşar Esad şu anda": ("1.5 million", "1.4 million")},
            comment="bitext-ignore: numbers -- the English source rounds it [{hash}]")
    code, out = run(runner, published, "--format", "json")
    assert code == 0 and json.loads(out)["summary"] == {"errors": 0, "warnings": 0,
                                                        "suppressed": 1}
    catalog = read_catalog(published / PO, shown=PO)
    catalog.entries[-1].msgstr = ""  # the last footnote: untranslated again
    (published / PO).write_text(render_catalog(catalog), encoding="utf-8")
    update(load_config(published), ["article"])
    assert run(runner, published, "--only", "untranslated")[0] == 0
    code, out = run(runner, published, "--only", "untranslated,numbers", "--strict")
    assert code == 1 and "error untranslated: footnote [^xix]: not translated yet" in out
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8")
                         + '\n[tool.bitext.check]\nseverity = {untranslated = "off"}\n',
                         encoding="utf-8")
    assert run(runner, published, "--only", "untranslated")[1].startswith("bitext check: no")


def test_bad_input_exits_2(runner: CliRunner, published: Path) -> None:
    code, out = run(runner, published, "--only", "numbrs")
    assert code == 2 and "--only: unknown check numbrs" in out
    pyproject = published / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8")
                         + "\n[tool.bitext.check]\nseverty = {}\n", encoding="utf-8")
    code, out = run(runner, published)
    assert code == 2 and "'tool.bitext.check.severty': unknown key" in out


FOREIGN = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: tr\\n"

#: views.py:10
#, python-format
msgid "%(count)s files uploaded on 29 September 2021"
msgstr "29 Eylül 2021'de %(sayı)s dosya yüklendi"

#: views.py:12
msgid "Saved."
msgstr ""
"""


def test_any_po_file_needs_no_publication(runner: CliRunner, tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(FOREIGN, encoding="utf-8")
    code, out = run(runner, tmp_path, str(po), "--format", "json")
    assert code == 1
    assert [(f["check"], f["severity"], f["line"], f["source_file"], f["source_line"])
            for f in json.loads(out)["findings"]] == [
        ("markup", "error", 8, "views.py", 10),
        ("markup", "error", 8, "views.py", 10),
        ("untranslated", "warning", 12, "views.py", 12),
    ]
    po.write_text(FOREIGN.replace('"Language: tr\\n"\n', ""), encoding="utf-8")
    code, out = run(runner, tmp_path, str(po))
    assert code == 2 and "no Language in the PO header; pass --target-lang" in out
    assert run(runner, tmp_path, str(po), "--target-lang", "tr", "--only", "dates")[0] == 0
    code, out = run(runner, tmp_path, "--source-lang", "en")
    assert code == 2 and "apply to PO files given by path" in out


def test_the_pre_commit_hooks_run_bitext_check(runner: CliRunner, published: Path) -> None:
    import re
    import tomllib

    import yaml

    from tests.conftest import REPO

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"bitext-check", "bitext-check-po"}
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    for hook in hooks.values():
        command, *args = hook["entry"].split()
        assert command in scripts and args == ["check"] and hook["language"] == "python"
        assert re.search(hook["files"], PO)
    # As pre-commit runs them, in the publication: without and with the file names.
    assert run(runner, published)[0] == 0
    code, out = run(runner, published, PO)  # source language from the publication: tr
    assert (code, out) == (0, "bitext check: no findings; 0 errors, 0 warnings, "
                              "0 suppressed in 1 catalog\n")


@pytest.mark.slow
def test_the_corpus_shows_real_drift_and_no_number_false_alarms(
    runner: CliRunner, tmp_path: Path
) -> None:
    """12factor (English original, Turkish translation by others): the known stale links."""
    from tests.conftest import CORPUS

    folder = CORPUS / "12factor"
    if not folder.is_dir():
        pytest.skip("the shared corpus is not here")
    (tmp_path / "bitext.toml").write_text('source_lang = "en"\ntarget_langs = ["tr"]\n')
    for path in folder.glob("*.md"):
        doc, lang, _ = path.name.split(".")
        target = tmp_path / "source" / lang / f"d{doc}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(cli, ["-C", str(tmp_path), "update"]).exit_code == 0
    code, out = run(runner, tmp_path, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    messages = {(f["document"], f["check"], f["message"]) for f in findings}
    assert ("d02", "urls", "URL differs: the original has books.google.com/books/about/"
            "Patterns_of_enterprise_application_archi.html?id=FyWZt5DdvFkC, the translation "
            "books.google.com/books/about/about/Patterns_of_enterprise_application_archi.html"
            "?id=FyWZt5DdvFkC") in messages
    assert ("d05", "urls", "URL differs: the original has mercurial-scm.org/, "
            "the translation mercurial.selenic.com/") in messages
    assert not [f for f in findings if f["check"] in ("numbers", "dates", "footnote-refs")]


def test_an_original_edited_without_update_is_out_of_sync(
    runner: CliRunner, published: Path
) -> None:
    original = published / "source/tr/article.md"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("## Türkiye'nin Sınır Güvenliği\n",
                                     "## Türkiye'nin Sınır Güvenliği\n\nYeni bir paragraf.\n"),
                        encoding="utf-8")
    new_line = 1 + original.read_text(encoding="utf-8").splitlines().index("Yeni bir paragraf.")
    code, out = run(runner, published, "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and finding["check"] == "out-of-sync" and finding["file"] == PO
    assert finding["message"] == (
        f"the catalog does not match source/tr/article.md (46 segments, 45 entries; first "
        f"difference at source/tr/article.md:{new_line}); run `bitext update`")
    po_lines = (published / PO).read_text(encoding="utf-8").splitlines()
    assert po_lines[finding["line"] - 1].startswith('msgid "Beşşar Esad şu anda')


def test_drift_in_the_translated_markdown_is_found_before_update(
    runner: CliRunner, published: Path
) -> None:
    md = published / "source/en/article.md"
    text = md.read_text(encoding="utf-8")
    assert text.count("1.5 million[^x]") == 1
    md.write_text(text.replace("1.5 million[^x]", "15 million"), encoding="utf-8")
    number = next(n for n, line in enumerate(text.splitlines(), 1) if "1.5 million[^x]" in line)
    code, out = run(runner, published, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["check"], f["file"], f["line"]) for f in findings] == [
        ("footnote-refs", "source/en/article.md", number),
        ("numbers", "source/en/article.md", number),
        ("out-of-sync", "source/en/article.md", number),
    ]
    assert findings[1]["source_file"] == "source/tr/article.md"
    assert findings[1]["message"].startswith("numbers differ: the original has “1,5 milyon”")
    # The excerpt shows where the lines differ, on both sides, not their shared opening.
    assert "found “…-war population of 15 million reached" in findings[2]["message"]
    assert "the PO gives “…-war population of 1.5 million[^x] reached" in findings[2]["message"]
    code, out = run(runner, published, "--format", "github")
    column = text.splitlines()[number - 1].index("1.5 million[^x]") + 2  # "1" same, "." not
    assert f"::error file=source/en/article.md,line={number},col={column},title=bitext " \
        "out-of-sync::" in out
    # update takes the edit into the PO: the same findings, now on the PO's lines.
    update(load_config(published), ["article"])
    findings = json.loads(run(runner, published, "--format", "json")[1])["findings"]
    assert [(f["check"], f["file"]) for f in findings] == [("footnote-refs", PO), ("numbers", PO)]


def test_markdown_that_does_not_pair_with_the_po_falls_back_to_the_po(
    runner: CliRunner, published: Path
) -> None:
    md = published / "source/en/article.md"
    text = md.read_text(encoding="utf-8")
    # Two paragraphs merged into one (another shape), and a number changed in one of them.
    edited = text.replace("1.5 million[^x]", "15 million[^x]")
    start = edited.index("15 million[^x]")
    end = edited.index("\n\n", start)
    md.write_text(edited[:end] + " " + edited[end + 2:], encoding="utf-8")
    code, out = run(runner, published, "--format", "json")
    assert code == 1 and [f["check"] for f in json.loads(out)["findings"]] == ["out-of-sync"]


def test_an_open_conflict_says_resolve_it(runner: CliRunner, published: Path) -> None:
    md = published / "source/en/article.md"
    md.write_text(md.read_text(encoding="utf-8").replace(
        "## Syrian Refugees in Turkey", "## Syrian Refugees in Türkiye"), encoding="utf-8")
    edit = read_catalog(published / PO, shown=PO)
    [entry] = [e for e in edit.entries if e.msgstr == "Syrian Refugees in Turkey"]
    entry.msgstr = "Refugees from Syria"
    (published / PO).write_text(render_catalog(edit), encoding="utf-8")
    assert update(load_config(published), ["article"]).failed  # a conflict: both kept
    block = 1 + md.read_text(encoding="utf-8").splitlines().index(
        "## <!-- bitext conflict: your Markdown edit; keep one version, delete the other and "
        "the three bitext lines -->")
    code, out = run(runner, published, "--format", "json", "--only", "out-of-sync")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and finding["message"].endswith(
        f"resolve the conflict block at line {block} (keep one version, delete the other "
        "and the three bitext lines)")
    assert "bitext update" not in finding["message"]


def test_an_unreadable_sync_state_leaves_check_on_the_po(
    runner: CliRunner, published: Path
) -> None:
    (published / "locale/en/LC_MESSAGES/article.sync.json").write_text("{", encoding="utf-8")
    md = published / "source/en/article.md"
    md.write_text(md.read_text(encoding="utf-8").replace("1.5 million[^x]", "15 million"),
                  encoding="utf-8")
    code, out = run(runner, published, "--format", "json")
    assert code == 1 and [f["check"] for f in json.loads(out)["findings"]] == ["out-of-sync"]
