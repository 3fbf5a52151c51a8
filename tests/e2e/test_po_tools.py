"""PO files as gettext's own tools (msgcat, msgfmt, msginit, msgmerge) read and write them.

Every oracle here is the real tool: these tests skip when gettext is not installed.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.adapters.po import detect_wrap, parse_catalog, render_catalog
from pipeline.catalog import Entry
from pipeline.cli import cli
from pipeline.commands.check import check
from pipeline.commands.status import status
from pipeline.commands.update import update
from pipeline.config import load_config
from pipeline.errors import BitextError

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed"),
]

PO = "locale/en/LC_MESSAGES/article.po"
POT = "locale/article.pot"
HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n'
          '"PO-Revision-Date: 2026-01-01 00:00+0000\\n"\n"Last-Translator: A <a@b.c>\\n"\n'
          '"Language-Team: English\\n"\n"Language: en\\n"\n"MIME-Version: 1.0\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def gettext(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, input=stdin, check=False)


def date_of(text: str, field: str) -> str:
    found = re.search(rf'^"{field}: ([^"\\]*)\\n"$', text, re.MULTILINE)
    assert found, field
    return found.group(1)


# --- 1. wrapping: a file saved by msgcat (Poedit, Weblate: 79 columns) stays as it is --------

@pytest.mark.parametrize("width", ["79", "77"])  # gettext's and Poedit's; translate-toolkit's
def test_a_msgcat_save_then_update_twice_changes_nothing(sample: Path, width: str) -> None:
    config = load_config(sample)
    update(config, ["article"])  # the sample as the repository has it
    before = {name: (sample / name).read_text(encoding="utf-8") for name in (PO, POT)}
    for name in (PO, POT):
        done = gettext("msgcat", f"--width={width}", str(sample / name), "-o", str(sample / name))
        assert done.returncode == 0, done.stderr
    saved = {name: (sample / name).read_bytes() for name in (PO, POT)}
    assert all(saved[n] != before[n].encode() for n in saved), "msgcat must rewrap the sample"
    assert detect_wrap(saved[PO].decode()) == 79 and detect_wrap(before[PO]) == 0
    markdown = (sample / "source/en/article.md").read_bytes()

    first = update(config, ["article"])
    assert {n: (sample / n).read_bytes() for n in (PO, POT)} == saved  # zero diff
    assert (sample / "source/en/article.md").read_bytes() == markdown
    assert not {PO, POT, "source/en/article.md"} & set(first.written)
    after = (sample / PO).read_text(encoding="utf-8")
    assert date_of(after, "PO-Revision-Date") == date_of(before[PO], "PO-Revision-Date")
    assert date_of((sample / POT).read_text(encoding="utf-8"), "POT-Creation-Date") == \
        date_of(before[POT], "POT-Creation-Date")
    assert [(e.msgid, e.msgstr, e.fuzzy, e.translator_comments, e.flags)
            for e in parse_catalog(after).entries] == [
        (e.msgid, e.msgstr, e.fuzzy, e.translator_comments, e.flags)
        for e in parse_catalog(before[PO]).entries]
    second = update(config, ["article"])
    assert second.written == []
    assert {n: (sample / n).read_bytes() for n in (PO, POT)} == saved


def test_a_real_change_after_msgcat_touches_that_entry_and_the_date_wrapped_as_gettext(
    sample: Path,
) -> None:
    config = load_config(sample)
    po = sample / PO
    gettext("msgcat", str(po), "-o", str(po))
    saved = po.read_text(encoding="utf-8")
    md = sample / "source/en/article.md"
    # A translator edits one paragraph in the Markdown: a long text, so it must be wrapped.
    old = "Again, on October 3, Assad and the Jordanian King held their first phone call"
    new = ("Again, on 3 October, Assad and the King of Jordan held their very first "
           "telephone call")
    md.write_text(md.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    update(config, ["article"])
    after = po.read_text(encoding="utf-8")
    assert date_of(after, "PO-Revision-Date") != date_of(saved, "PO-Revision-Date")
    # Every other entry is byte for byte as msgcat left it; the changed one as msgcat writes it.
    assert gettext("msgcat", str(po)).stdout == after
    changed = [line for line in after.splitlines() if line not in saved.splitlines()]
    assert changed and all(line.startswith('"') for line in changed)
    assert sum(1 for e in parse_catalog(after).entries if "telephone call" in e.msgstr) == 1


def test_new_files_are_wrapped_as_gettext_writes_them_unless_configured(
    project: Callable[[dict[str, str]], Path],
) -> None:
    long = " ".join(["Uzun bir paragraf, İstanbul'da 29 Eylül'de yazıldı."] * 8)
    root = project({"source/tr/doc.md": f"# Başlık\n\n{long}\n"})
    update(load_config(root), ["doc"])
    for name in ("locale/doc.pot", "locale/en/LC_MESSAGES/doc.po"):
        text = (root / name).read_text(encoding="utf-8")
        assert max(len(line) for line in text.splitlines() if line.startswith(("msg", '"'))) <= 79
        assert gettext("msgcat", str(root / name)).stdout == text
    (root / "bitext.toml").write_text('po_wrap = 0\ntarget_langs = ["en"]\n', encoding="utf-8")
    update(load_config(root), ["doc"])
    assert f'msgid "{long}"' in (root / "locale/doc.pot").read_text(encoding="utf-8")


def wrapped_texts(seed: int) -> list[str]:
    """Prose with the punctuation, brackets, quotes, dashes, URLs and numbers wrapping meets."""
    rng = random.Random(seed)
    letters = "abcdefgğıİşŞçÇöÜ"
    marks = [*".,;:!?/-–—…()[]{}“”’'\"", "[^iv]", "**", "`", "\n", "https://a.b/c", "12", "\t"]
    texts = []
    for _ in range(300):
        words = []
        for _ in range(rng.randint(5, 60)):
            words.append("".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
                         if rng.random() < 0.7 else rng.choice(marks))
            if rng.random() < 0.6:
                words.append(" ")
        texts.append("".join(words))
    # and every width around the margin, for escapes, a final newline, dashes, brackets
    for tail in ('"a" "b"', "a\\b", "– x", "x.[^i] y", "(x) y", "x\ny", "end\n", "a\tb"):
        texts += [f"{'k' * pad} {tail}" for pad in range(64, 80)]
        texts += [f"{'kelime ' * 10}{'k' * pad} {tail}" for pad in range(0, 16)]
    return texts


def test_strings_are_wrapped_as_msgcat_wraps_them(sample: Path) -> None:
    texts = wrapped_texts(1) + wrapped_texts(2) + [
        e.msgstr or e.msgid for name in (PO, POT)
        for e in parse_catalog((sample / name).read_text(encoding="utf-8")).entries]
    catalog = parse_catalog(HEADER)
    catalog.entries = [Entry(msgid=text, msgctxt=str(n)) for n, text in enumerate(texts)]
    mine = render_catalog(catalog, wrap=79)
    assert gettext("msgcat", "-", stdin=mine).stdout == mine


def test_po_wrap_is_validated(project: Callable[[dict[str, str]], Path]) -> None:
    root = project({"bitext.toml": 'po_wrap = "wide"\n', "source/tr/doc.md": "Bir.\n"})
    with pytest.raises(BitextError, match=r"'po_wrap': expected \"keep\" or a width"):
        load_config(root)


# --- 2. every string msgfmt accepts, and only those --------------------------------------

STRINGS = [
    r"\x01", r"\x41BC", r"\xc3\xbc", r"\x0", r"\x", r"\xZ", r"\001", r"\0", r"\7", r"\777",
    r"\303\274", r"\8", r"\a", r"\b", r"\f", r"\v", r"\?", "\\'", r"\e", r"\u00e9", r"\\", r"\"",
    "x\vy", "x\fy", "x\x85y", "x\u2028y", "x\u2029y", "x\x1cy", "x\x1ey", "x\ry", "x\x01y",
    "x\x7fy", "x\ty", "x\x1fy", "\\", "a\\", 'x"y', "tail\\x41\\tz",
]


@pytest.mark.parametrize("body", STRINGS, ids=[repr(s) for s in STRINGS])
def test_bitext_reads_what_msgfmt_reads(body: str, tmp_path: Path) -> None:
    path = tmp_path / "t.po"
    text = HEADER + f'#. a comment\u2028with a line separator\nmsgid "a"\nmsgstr "{body}"\n'
    path.write_bytes(text.encode("utf-8"))
    mo = tmp_path / "t.mo"
    msgfmt = gettext("msgfmt", "-c", "-o", str(mo), str(path))
    if msgfmt.returncode != 0:
        first = msgfmt.stderr.splitlines()[0]
        found = re.search(r"t\.po:(\d+)", first)
        assert found
        # msgfmt counts an end-of-line error on the line after the string; bitext names its line
        line = int(found.group(1)) - ("end-of-line within string" in first)
        with pytest.raises(BitextError, match="malformed PO") as refused:
            parse_catalog(text, shown="t.po")
        assert refused.value.line == line
        return
    catalog = parse_catalog(text, shown="t.po")
    assert msgfmt.stderr == ""
    [entry] = catalog.entries
    # escapes that make valid UTF-8 (polib reads no other), no NUL (which ends a string in a MO)
    if "\ufffd" not in entry.msgstr and "\x00" not in entry.msgstr:
        compiled = polib.mofile(str(mo)).find("a")
        assert compiled is not None and entry.msgstr == compiled.msgstr  # as msgfmt compiled it
    # and bitext writes it back so that msgfmt reads the same text again
    again = tmp_path / "again.po"
    again.write_text(render_catalog(catalog), encoding="utf-8")
    assert gettext("msgfmt", "-c", "-o", str(mo), str(again)).returncode == 0
    assert parse_catalog(again.read_text(encoding="utf-8")).entries[0].msgstr == entry.msgstr


def test_update_takes_a_po_with_escapes_and_raw_line_separators(sample: Path,
                                                               runner: CliRunner) -> None:
    po = sample / PO
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Direct Talks with Al-Assad Have Nothing to Offer Turkey"',
                        'msgstr "Direct Talks with \\x41l-Assad Have\\040Nothing to\u2028Offer '
                        'Turkey\\f"')
    po.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["-C", str(sample), "update"])
    assert result.exit_code == 0, result.output
    [title] = [e for e in parse_catalog(po.read_text(encoding="utf-8")).entries
               if e.kind == "meta" and e.label == "title"]
    assert title.msgstr == "Direct Talks with Al-Assad Have Nothing to\u2028Offer Turkey\f"


# --- 3. the source language in the file --------------------------------------------------

def test_check_takes_the_source_language_from_the_po_header(tmp_path: Path) -> None:
    path = tmp_path / "foreign.po"
    entry = 'msgid "Toplam 1,5 milyon kişi ve 2.500 çadır."\nmsgstr "In all 1.5 million ' \
            'people and 2,500 tents."\n'
    path.write_text(HEADER + entry, encoding="utf-8")

    def errors(**langs: str) -> list[str]:
        result = check(None, [], [path], only=["numbers"], **langs)
        return [p.check for run in result.runs for p in run.findings]

    assert errors() == ["numbers"]  # read as English msgids: 1,5 is not 1.5
    path.write_text(HEADER.replace('"Language: en\\n"\n', '"Language: en\\n"\n'
                                   '"X-Source-Language: tr\\n"\n') + entry, encoding="utf-8")
    assert errors() == []
    assert errors(source_lang="en") == ["numbers"]  # the command line wins


def test_bitext_writes_the_source_language(sample: Path) -> None:
    update(load_config(sample), ["article"])
    for name in (PO, POT):
        assert '"X-Source-Language: tr\\n"' in (sample / name).read_text(encoding="utf-8")


# --- 4. the template's header, as gettext's -------------------------------------------------

def test_the_template_is_checked_and_initialised_as_an_xgettext_one(sample: Path,
                                                                   tmp_path: Path) -> None:
    pot = sample / POT
    pot.unlink()  # a template made afresh
    update(load_config(sample), ["article"])
    text = pot.read_text(encoding="utf-8")
    assert "Do not edit" not in text and "#, fuzzy\nmsgid \"\"\n" in text

    def warnings(path: Path) -> set[str]:
        done = gettext("msgfmt", "-c", "-o", "/dev/null", str(path))
        assert done.returncode == 0, done.stderr
        return {re.sub(r"^[^:]*:\d+: ", "", line) for line in done.stderr.splitlines()}

    # A real xgettext template, its charset filled in: what msgfmt -c says of any template.
    source = tmp_path / "a.py"
    source.write_text('x = _("merhaba")\n', encoding="utf-8")
    real = tmp_path / "real.pot"
    assert gettext("xgettext", "--package-name=article", "--package-version=1",
                   "--from-code=UTF-8", "-o", str(real), str(source)).returncode == 0
    real.write_text(real.read_text(encoding="utf-8").replace("CHARSET", "UTF-8"),
                    encoding="utf-8")
    assert warnings(pot) == warnings(real)
    assert not any("missing" in w for w in warnings(pot))

    made = tmp_path / "fr.po"
    done = gettext("msginit", "--no-translator", "-l", "fr", "-i", str(pot), "-o", str(made))
    assert done.returncode == 0, done.stderr
    new = made.read_text(encoding="utf-8")
    assert gettext("msgfmt", "-c", "-o", "/dev/null", str(made)).stderr == ""
    assert '"X-Source-Language: tr\\n"' in new and '"Language: fr\\n"' in new
    assert "Do not edit" not in new and "#, fuzzy\nmsgid \"\"" not in new


def test_a_header_fix_alone_moves_no_date(sample: Path) -> None:
    po = sample / PO
    old = po.read_text(encoding="utf-8")
    po.write_text(old.replace('"X-Source-Language: tr\\n"\n', "").replace(
        '"Language-Team: English\\n"', '"Language-Team: English <>\\n"'), encoding="utf-8")
    update(load_config(sample), ["article"])
    text = po.read_text(encoding="utf-8")
    assert text == old  # the header as bitext writes it now, and the date as it was
    assert '"Language-Team: English\\n"' in text and "<>" not in text


# --- 5. machine labels that outlived their reason -----------------------------------------

def test_update_drops_the_machine_label_of_a_draft_rewritten_by_hand(sample: Path) -> None:
    config = load_config(sample)
    po = sample / PO
    catalog = parse_catalog(po.read_text(encoding="utf-8"))
    reviewed, still_draft = catalog.entries[2], catalog.entries[3]
    for entry in (reviewed, still_draft):
        entry.fuzzy = True
        entry.translator_comments = ["bitext-mt: libre, 2026-12-01"]
    po.write_text(render_catalog(catalog), encoding="utf-8")
    update(config, ["article"])
    assert status(config, ["article"], [])[0].machine == 2
    # The translator rewrites the first draft by hand and clears fuzzy (as Poedit does).
    catalog = parse_catalog(po.read_text(encoding="utf-8"))
    catalog.entries[2].msgstr = "Rewritten by hand. " + catalog.entries[2].msgstr
    catalog.entries[2].fuzzy = False
    po.write_text(render_catalog(catalog), encoding="utf-8")
    update(config, ["article"])
    after = parse_catalog(po.read_text(encoding="utf-8")).entries
    assert after[2].translator_comments == []
    assert after[3].translator_comments == ["bitext-mt: libre, 2026-12-01"] and after[3].fuzzy
    assert status(config, ["article"], [])[0].machine == 1


# --- 6. Weblate's md-text flag: gettext's tools drop it, so bitext does not write it --------

def test_msgmerge_and_msgcat_drop_the_md_text_flag(tmp_path: Path) -> None:
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   '#, md-text\nmsgid "Bir"\nmsgstr ""\n', encoding="utf-8")
    po = tmp_path / "t.po"
    po.write_text(HEADER + '#, fuzzy, md-text\nmsgid "Bir"\nmsgstr "One"\n', encoding="utf-8")
    merged = gettext("msgmerge", "-q", str(po), str(pot)).stdout
    assert "#, fuzzy\n" in merged and "md-text" not in merged
    assert "md-text" not in gettext("msgcat", str(po)).stdout
    # hence the flag is set on the Weblate component (README), not in the files
    assert "md-text" not in (Path(__file__).parents[2] / POT).read_text(encoding="utf-8")
