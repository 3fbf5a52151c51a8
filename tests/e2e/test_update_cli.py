"""`bitext update`, `status` and `init` through the CLI, on small real publications."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog
from pipeline.cli import cli
from tests.e2e.snapshots import snapshot

pytestmark = pytest.mark.e2e

TR = """\
---
title: "Küçük bir yazı"
lang: tr
---

## Giriş

İlk paragraf İstanbul'da yazıldı.[^1]

İkinci paragraf 29 Eylül 2021'de değişti.

Üçüncü paragraf kısa.

[^1]: Bir dipnot, 15.03.2021.
"""

EN = """\
---
title: "A short piece"
lang: en
---

## Introduction

The first paragraph was written in Istanbul.[^1]

The second paragraph changed on 29 September 2021.

The third paragraph is short.

[^1]: A footnote, 15.03.2021.
"""

PO = "locale/en/LC_MESSAGES/doc.po"


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output




@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    code, out = run(runner, root, "update")
    assert code == 0, out
    return root


def test_first_update_takes_the_existing_translation_and_rewrites_it_identically(
    pub: Path,
) -> None:
    catalog = read_catalog(pub / PO, shown=PO)
    assert [(e.msgid, e.msgstr) for e in catalog.entries][:3] == [
        ("Küçük bir yazı", "A short piece"),
        ("Giriş", "Introduction"),
        ("İlk paragraf İstanbul'da yazıldı.[^1]",
         "The first paragraph was written in Istanbul.[^1]"),
    ]
    assert (pub / "source/en/doc.md").read_text(encoding="utf-8") == EN
    assert (pub / "locale/doc.pot").exists()


def test_second_update_changes_nothing(pub: Path, runner: CliRunner) -> None:
    before = snapshot(pub)
    # the snapshot's files: not the lock (taking it sets its times, to read the file
    # system's clock: lock.py) nor the caches (a file's stat learnt now is remembered)
    mtimes = {name: (pub / name).stat().st_mtime_ns for name in before}
    code, out = run(runner, pub, "update")
    assert (code, out.splitlines()[-1]) == (0, "nothing changed")
    assert snapshot(pub) == before
    assert {name: (pub / name).stat().st_mtime_ns for name in before} == mtimes
    assert (pub / ".bitext.lock").read_bytes() == b""


def test_committed_sample_is_up_to_date(sample: Path, runner: CliRunner) -> None:
    if not (sample / "locale").exists():
        pytest.skip("the sample's catalogs are not committed yet")
    before = snapshot(sample)
    code, out = run(runner, sample, "update")
    assert code == 0, out
    assert snapshot(sample) == before
    if shutil.which("msgfmt"):
        po = sample / "locale/en/LC_MESSAGES/article.po"
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)],
                              capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, "")
        assert "Türkiye'nin" in po.read_text(encoding="utf-8")


def test_edited_original_gives_one_fuzzy_entry_and_the_translation_follows(
    pub: Path, runner: CliRunner
) -> None:
    tr = pub / "source/tr/doc.md"
    tr.write_text(TR.replace("29 Eylül 2021'de", "30 Eylül 2021'de"), encoding="utf-8")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    fuzzy = [e for e in read_catalog(pub / PO, shown=PO).entries if e.fuzzy]
    assert len(fuzzy) == 1
    assert fuzzy[0].msgid == "İkinci paragraf 30 Eylül 2021'de değişti."
    assert fuzzy[0].previous_msgid == "İkinci paragraf 29 Eylül 2021'de değişti."
    assert fuzzy[0].msgstr == "The second paragraph changed on 29 September 2021."
    po_text = (pub / PO).read_text(encoding="utf-8")
    assert "#. changed: numbers\n" in po_text
    assert '#| msgid "İkinci paragraf 29 Eylül 2021\'de değişti."' in po_text
    en = (pub / "source/en/doc.md").read_text(encoding="utf-8")
    assert "<!-- bitext: fuzzy --> The second paragraph changed on 29 September 2021." in en


def test_deleted_paragraph_becomes_one_obsolete_entry(pub: Path, runner: CliRunner) -> None:
    tr = pub / "source/tr/doc.md"
    tr.write_text(TR.replace("Üçüncü paragraf kısa.\n\n", ""), encoding="utf-8")
    code, out = run(runner, pub, "update")
    assert code == 0, out
    catalog = read_catalog(pub / PO, shown=PO)
    assert [(e.msgid, e.msgstr) for e in catalog.obsolete] == [
        ("Üçüncü paragraf kısa.", "The third paragraph is short.")
    ]
    assert "#~ msgid \"Üçüncü paragraf kısa.\"" in (pub / PO).read_text(encoding="utf-8")
    assert "third paragraph" not in (pub / "source/en/doc.md").read_text(encoding="utf-8")


def test_new_paragraph_is_untranslated_and_marked_in_the_markdown(
    pub: Path, runner: CliRunner
) -> None:
    tr = pub / "source/tr/doc.md"
    tr.write_text(TR.replace("Üçüncü paragraf kısa.", "Üçüncü paragraf kısa.\n\nYeni bir ek."),
                  encoding="utf-8")
    assert run(runner, pub, "update")[0] == 0
    en = (pub / "source/en/doc.md").read_text(encoding="utf-8")
    assert "The third paragraph is short.\n\n<!-- bitext: untranslated --> Yeni bir ek.\n" in en
    code, out = run(runner, pub, "status", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["segments"], row["translated"], row["untranslated"], row["percent"]) == (
        7, 6, 1, 85.7)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_written_po_passes_msgfmt_check_and_keeps_turkish_letters(pub: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(pub / PO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "İlk paragraf İstanbul'da yazıldı." in (pub / PO).read_text(encoding="utf-8")


def test_identical_paragraphs_do_not_collide(project, runner: CliRunner) -> None:  # type: ignore[no-untyped-def]
    root = project({"source/tr/d.md": "Aynı.\n\nBaşka.\n\nAynı.\n"})
    assert run(runner, root, "update")[0] == 0
    catalog = read_catalog(root / "locale/en/LC_MESSAGES/d.po", shown="d.po")
    assert [(e.msgctxt, e.msgid) for e in catalog.entries] == [
        (None, "Aynı."), (None, "Başka."), ("duplicate 2", "Aynı.")]


def test_bom_and_crlf_are_accepted_and_preserved(project, runner: CliRunner) -> None:  # type: ignore[no-untyped-def]
    text = "\ufeff## Başlık\r\n\r\nBir paragraf.\r\n"
    root = project({"source/tr/d.md": text})
    code, out = run(runner, root, "update")
    assert code == 0, out
    en = (root / "source/en/d.md").read_bytes().decode("utf-8")
    assert en == ("\ufeff## <!-- bitext: untranslated --> Başlık\r\n\r\n"
                  "<!-- bitext: untranslated --> Bir paragraf.\r\n")


def _hold_lock(pub: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the publication lock for ``seconds`` (a lock is per process)."""
    code = ("import sys, time; from pathlib import Path; "
            "from pipeline.adapters.lock import publication_lock\n"
            f"with publication_lock(Path({str(pub)!r})):\n"
            "    print('held', flush=True); time.sleep(float(sys.argv[1]))\n"
            f"    Path({str(pub)!r}, 'released').write_text('about to release')")
    holder = subprocess.Popen([sys.executable, "-c", code, str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_held_lock_stops_a_second_run(pub: Path, runner: CliRunner) -> None:
    holder = _hold_lock(pub, 30)
    try:
        code, out = run(runner, pub, "update")
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert "another bitext run holds the lock" in out
    # The holder was killed: the kernel dropped its lock, the next run just takes it.
    code, out = run(runner, pub, "update")
    assert code == 0, out


def test_wait_queues_behind_a_running_bitext(pub: Path, runner: CliRunner) -> None:
    holder = _hold_lock(pub, 1.5)
    try:
        code, out = run(runner, pub, "update", "--wait")
        # the holder writes this just before it lets go: update ran only after that
        assert (pub / "released").exists()
    finally:
        holder.kill()
        holder.wait()
    assert code == 0, out


@pytest.mark.parametrize("kind", ["folder", "dangling symlink"])
def test_a_lock_file_that_is_not_a_file_is_refused(pub: Path, runner: CliRunner,
                                                    tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside-target"
    (pub / ".bitext.lock").unlink(missing_ok=True)
    if kind == "folder":
        (pub / ".bitext.lock").mkdir()
    else:
        (pub / ".bitext.lock").symlink_to(outside)
    code, out = run(runner, pub, "update")
    assert code == 2
    assert out.startswith("Error: .bitext.lock: is a "), out
    assert not outside.exists()


def test_status_reads_any_po_file(tmp_path: Path, runner: CliRunner) -> None:
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Content-Type: text/plain; '
                  'charset=UTF-8\\n"\n\nmsgid "Save"\nmsgstr "Kaydet"\n\n#, fuzzy\n'
                  'msgid "Delete"\nmsgstr "Sil"\n\nmsgid "%(n)s item"\nmsgid_plural '
                  '"%(n)s items"\nmsgstr[0] "%(n)s öğe"\nmsgstr[1] "%(n)s öğe"\n\n'
                  'msgid "Open"\nmsgstr ""\n', encoding="utf-8")
    code, out = CliRunner().invoke(cli, ["status", "--format", "json", str(po)]).exit_code, \
        CliRunner().invoke(cli, ["status", "--format", "json", str(po)]).output
    assert code == 0, out
    [row] = json.loads(out)
    assert (row["lang"], row["segments"], row["translated"], row["fuzzy"],
            row["untranslated"]) == ("tr", 4, 2, 1, 1)


def test_init_scaffolds_a_publication_update_and_status_work_on(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "new"
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    assert run(runner, root, "update")[0] == 0
    code, out = run(runner, root, "status")
    assert code == 0
    assert "sample" in out and "0.0%" in out
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 2


# Bad input: one message naming the file (and line), exit 2, nothing written.

BAD_INPUTS = {
    "unterminated string": (
        {PO: 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Giriş\nmsgstr "x"\n'},
        f"{PO}:5: malformed PO: unterminated or badly quoted string",
    ),
    "bad escape": (
        {PO: 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Giriş"\nmsgstr "x\\q"\n'},
        f"{PO}:6: malformed PO: unknown escape '\\q'",
    ),
    "broken YAML": (
        {"source/tr/doc.md": TR.replace('title: "Küçük bir yazı"', 'title: "Küçük: [')},
        "source/tr/doc.md:2: broken YAML front matter: found unexpected end of stream "
        "(while scanning a quoted scalar)",
    ),
    "undefined footnote": (
        {"source/tr/doc.md": TR.replace("kısa.", "kısa.[^9]")},
        "source/tr/doc.md:12: footnote [^9] has no definition",
    ),
    "footnote defined twice": (
        {"source/tr/doc.md": TR + "\n[^1]: İkinci tanım.\n"},
        "source/tr/doc.md:16: footnote [^1] is defined twice (first at line 14)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_message_and_nothing_is_written(
    pub: Path, runner: CliRunner, case: str
) -> None:
    files, message = BAD_INPUTS[case]
    for name, text in files.items():
        (pub / name).write_text(text, encoding="utf-8")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 2
    assert message in out
    assert snapshot(pub) == before


def test_non_utf8_source_names_file_and_line(pub: Path, runner: CliRunner) -> None:
    (pub / "source/tr/doc.md").write_bytes(TR.encode("utf-8") + "Son satır ğ\n".encode("latin-1",
                                           errors="replace") + b"\xfe\n")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 2
    assert "source/tr/doc.md:16: not valid UTF-8" in out
    assert snapshot(pub) == before


def test_po_entry_missing_from_the_template_is_refused(pub: Path, runner: CliRunner) -> None:
    po = pub / PO
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Elle eklendi"\nmsgstr "x"\n',
                  encoding="utf-8")
    before = snapshot(pub)
    code, out = run(runner, pub, "update")
    assert code == 2
    assert "msgid 'Elle eklendi' is not in the template locale/doc.pot" in out
    assert f"{PO}:" in out
    assert snapshot(pub) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["update", "../x"], "Error: document name '../x' has '/', which is not allowed"),
        (["update", "missing"], "source/tr/missing.md: no such document 'missing'"),
    ],
)
def test_bad_document_names(pub: Path, runner: CliRunner, args: list[str], message: str) -> None:
    code, out = run(runner, pub, *args)
    assert (code, message in out) == (2, True), out


def test_unknown_config_key_is_named(pub: Path, runner: CliRunner) -> None:
    (pub / "bitext.toml").write_text('source_lang = "tr"\ntarget_lang = "en"\n', encoding="utf-8")
    code, out = run(runner, pub, "update")
    assert code == 2
    assert "bitext.toml: invalid configuration:" in out
    assert "'target_lang': unknown key" in out


def test_a_failing_document_leaves_every_file_as_it_was(pub: Path, runner: CliRunner) -> None:
    (pub / "source/tr/a.md").write_text("Yeni belge.\n", encoding="utf-8")
    (pub / "source/tr/doc.md").write_text(TR.replace("kısa.", "kısa.[^9]"), encoding="utf-8")
    before = snapshot(pub)
    code, _ = run(runner, pub, "update")
    assert code == 2
    assert snapshot(pub) == before
    assert not (pub / "locale/a.pot").exists()


def test_parallel_update_writes_what_a_serial_one_does(project) -> None:  # type: ignore[no-untyped-def]
    from pipeline.commands.update import PARALLEL_FROM, update
    from pipeline.config import load_config

    docs = {f"source/tr/d{i}.md": TR.replace("kısa", f"kısa {i}") for i in range(PARALLEL_FROM)}
    serial = project({**docs, "bitext.toml": 'target_langs = ["en", "de"]\n'})
    update(load_config(serial), load_config(serial).list_documents(), jobs=1)
    expected = snapshot(serial)
    for folder in ("locale", "source/en", "source/de"):
        shutil.rmtree(serial / folder)
    result = update(load_config(serial), load_config(serial).list_documents(), jobs=2)
    assert snapshot(serial) == expected
    assert len(result.languages) == 2 * PARALLEL_FROM


def test_parallel_update_reports_bad_input_with_file_and_line(project) -> None:  # type: ignore[no-untyped-def]
    from pipeline.commands.update import PARALLEL_FROM, update
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    docs = {f"source/tr/d{i}.md": TR for i in range(PARALLEL_FROM)}
    docs["source/tr/d3.md"] = TR.replace("kısa.", "kısa.[^9]")
    root = project(docs)
    with pytest.raises(BitextError) as caught:
        update(load_config(root), load_config(root).list_documents(), jobs=2)
    assert str(caught.value) == "source/tr/d3.md:12: footnote [^9] has no definition"
    assert not (root / "locale").exists()
