"""Suppressions: a translator comment with a reason and the original's hash; expiry."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.adapters.po import parse_catalog, read_catalog
from pipeline.catalog import Entry
from pipeline.checks.model import CheckOptions, Context, Ignore
from pipeline.checks.runner import check_texts, levels, run_checks
from pipeline.checks.suppress import msgid_hash, parse, suppression_comment

ORIGINAL = "Nüfus 1,48 milyon."
SYNTAX = "expected “bitext-ignore: CHECK[, CHECK] -- REASON [HASH]”"
TRANSLATION = "The population is 1.5 million."


def test_the_hash_is_the_start_of_the_sha1_of_the_msgid() -> None:
    # sha1("Nüfus 1,48 milyon.") computed independently: hashlib is the reference here.
    import hashlib

    assert msgid_hash(ORIGINAL) == hashlib.sha1(ORIGINAL.encode()).hexdigest()[:8]
    assert suppression_comment(["numbers"], "rounded", ORIGINAL) == \
        f"bitext-ignore: numbers -- rounded [{msgid_hash(ORIGINAL)}]"


def test_a_valid_suppression_silences_one_check_and_is_counted() -> None:
    comment = f"bitext-ignore: numbers -- the English rounds it [{msgid_hash(ORIGINAL)}]"
    entry = Entry(ORIGINAL, TRANSLATION, translator_comments=[comment], line=7)
    run = check_texts([entry], names=["numbers", "suppression-expired", "suppression-invalid"])
    assert run.findings == []
    [silenced] = run.suppressed
    assert (silenced.check, silenced.reason) == ("numbers", "the English rounds it")


def test_it_silences_only_the_checks_it_names() -> None:
    comment = f"bitext-ignore: dates -- not this one [{msgid_hash(ORIGINAL)}]"
    entry = Entry(ORIGINAL, TRANSLATION, translator_comments=[comment], line=7)
    run = check_texts([entry], names=["numbers", "dates"])
    assert [f.check for f in run.findings] == ["numbers"] and run.suppressed == []


def test_an_expired_suppression_silences_nothing_and_is_reported() -> None:
    comment = f"bitext-ignore: numbers -- rounded [{msgid_hash('Nüfus 1,47 milyon.')}]"
    entry = Entry(ORIGINAL, TRANSLATION, translator_comments=[comment], line=7)
    run = check_texts([entry], names=["numbers", "suppression-expired"])
    assert [(f.check, f.severity) for f in run.findings] == [
        ("numbers", "error"), ("suppression-expired", "warning")]
    assert run.findings[1].message == (
        "the suppression of numbers (“rounded”) was written for another version of the "
        f"original and no longer applies; check the segment, then set its hash to "
        f"[{msgid_hash(ORIGINAL)}] or delete the comment"
    )


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("bitext-ignore: numbers", SYNTAX),
        ("bitext-ignore: numbers --   ", SYNTAX),
        ("bitext-ignore: numbrs -- typo [00000000]", "unknown check numbrs"),
        ("bitext-ignore: numbers -- rounded", "no hash of the original"),
    ],
)
def test_invalid_suppressions_are_reported_with_the_fix(comment: str, problem: str) -> None:
    parsed = parse(comment)
    assert parsed is not None and parsed.problem == problem
    entry = Entry(ORIGINAL, TRANSLATION, translator_comments=[comment], line=7)
    run = check_texts([entry], names=["numbers", "suppression-invalid"])
    invalid = [f for f in run.findings if f.check == "suppression-invalid"]
    assert len(invalid) == 1 and f"({problem})" in invalid[0].message
    assert [f.check for f in run.findings if f.check == "numbers"] == ["numbers"]
    if problem == "no hash of the original":
        assert invalid[0].message.endswith(
            f"write “# bitext-ignore: numbers -- rounded [{msgid_hash(ORIGINAL)}]”")


def test_several_checks_in_one_comment() -> None:
    parsed = parse(f"bitext-ignore: numbers, dates -- why [{msgid_hash(ORIGINAL)}]")
    assert parsed is not None and parsed.checks == ("numbers", "dates") and not parsed.problem
    assert parse("an ordinary translator comment") is None


def test_project_wide_ignores_are_counted_as_suppressed() -> None:
    ignore = Ignore(("numbers",), "figures are rounded in this edition", text=re.compile("milyon"))
    entries = [Entry(ORIGINAL, TRANSLATION, line=1), Entry("3 kişi", "4 people", line=3)]
    ctx = Context("article", "tr", "en", "x.po", entries, options=CheckOptions(ignores=(ignore,)))
    run = run_checks(ctx, ["numbers"], levels(ctx.options))
    assert [f.line for f in run.findings] == [3]
    assert [(f.line, f.reason) for f in run.suppressed] == [
        (1, "figures are rounded in this edition")]


PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

# bitext-ignore: numbers -- the English rounds it [{hash}]
#. paragraph
#: source/tr/article.md:3
msgid "{msgid}"
msgstr "{msgstr}"
"""
POT = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. paragraph
#: source/tr/article.md:3
msgid "{msgid}"
msgstr ""
"""


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="gettext's msgmerge is not installed")
def test_the_suppression_survives_msgmerge_and_expires_with_the_original(tmp_path: Path) -> None:
    old = tmp_path / "article.po"
    old.write_text(PO.format(hash=msgid_hash(ORIGINAL), msgid=ORIGINAL, msgstr=TRANSLATION),
                   encoding="utf-8")
    run = check_texts(parse_catalog(old.read_text(encoding="utf-8")).entries)
    assert (run.findings, [f.check for f in run.suppressed]) == ([], ["numbers"])

    changed = "Nüfus 1,49 milyon."
    pot = tmp_path / "article.pot"
    pot.write_text(POT.format(msgid=changed), encoding="utf-8")
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(merged), str(old), str(pot)],
                   check=True)
    [entry] = read_catalog(merged, shown="merged.po").entries
    assert entry.msgid == changed and entry.fuzzy
    assert entry.translator_comments == [
        f"bitext-ignore: numbers -- the English rounds it [{msgid_hash(ORIGINAL)}]"]

    run = check_texts([entry])
    assert sorted(f.check for f in run.findings) == ["fuzzy", "suppression-expired"]
    entry.fuzzy = False  # the translator reviews the entry: the numbers finding comes back
    run = check_texts([entry])
    assert sorted(f.check for f in run.findings) == ["numbers", "suppression-expired"]
