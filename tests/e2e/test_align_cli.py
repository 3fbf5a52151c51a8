"""`bitext align` through the CLI: the sample, an edited translation, files outside one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.po import read_catalog
from pipeline.align import align_segments
from pipeline.cli import cli
from pipeline.commands.align import MERGED_NOTE
from pipeline.markdown.segments import Segment, parse_document
from tests.conftest import CORPUS

pytestmark = pytest.mark.e2e

PO = "locale/en/LC_MESSAGES/article.po"
EN = "source/en/article.md"


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def align_to_x(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    """Align the sample's document into x.po at the root, with more options."""
    return run(runner, root, "align", "--doc", "article", "-o", str(root / "x.po"), *args)


def segments(root: Path, path: str) -> list[Segment]:
    return parse_document((root / path).read_text(encoding="utf-8")).segments


def test_sample_reproduces_the_pairs_of_the_catalog(sample: Path, runner: CliRunner) -> None:
    committed = sample / PO
    # -o, SRC and TGT are paths from the current folder, as usual; shown from the root.
    code, out = run(runner, sample, "align", "--doc", "article", "-o", str(sample / "aligned.po"))
    assert code == 0, out
    assert out.splitlines()[0] == (
        "wrote aligned.po: 45 1:1, 0 1:2, 0 2:1, 0 1:0, 0 0:1; 0 marked fuzzy (threshold 0.9)")
    aligned = read_catalog(sample / "aligned.po", shown="aligned.po")
    pairs = [(e.msgid, e.msgstr) for e in aligned.entries]
    if committed.exists():  # the catalog `bitext update` made from the parallel sample
        assert pairs == [(e.msgid, e.msgstr) for e in read_catalog(committed, shown=PO).entries]
    tr, en = segments(sample, "source/tr/article.md"), segments(sample, EN)
    assert pairs == [(a.text, b.text) for a, b in zip(tr, en, strict=True)]
    assert not any(e.fuzzy for e in aligned.entries)
    assert all(any(c.startswith("alignment: 1:1 confidence ") for c in e.comments)
               for e in aligned.entries)


def test_aligned_catalog_is_what_update_keeps(sample: Path, runner: CliRunner) -> None:
    shutil.rmtree(sample / "locale", ignore_errors=True)
    english = (sample / EN).read_bytes()
    code, out = run(runner, sample, "align", "--doc", "article")
    assert (code, out.split(":")[0]) == (0, f"wrote {PO}"), out
    code, out = run(runner, sample, "update")
    assert code == 0, out
    assert "45 kept, 0 newly fuzzy, 0 new, 0 obsolete" in out
    assert (sample / EN).read_bytes() == english


def test_existing_catalog_is_kept_unless_forced(sample: Path, runner: CliRunner) -> None:
    (sample / PO).parent.mkdir(parents=True, exist_ok=True)
    (sample / PO).write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    code, out = run(runner, sample, "align", "--doc", "article")
    assert code == 2
    assert out.strip() == (f"Error: {PO}: exists already; align again with --force to replace "
                           "it (its translations would be lost), or use `bitext update`")
    assert (sample / PO).read_text(encoding="utf-8") == 'msgid ""\nmsgstr ""\n'
    code, out = run(runner, sample, "align", "--doc", "article", "--force")
    assert code == 0, out
    assert len(read_catalog(sample / PO, shown=PO).entries) == 45


def edit_translation(root: Path) -> dict[str, str]:
    """Split, merge, delete, add a note and make a heading bold in the English sample."""
    blocks = (root / EN).read_text(encoding="utf-8").split("\n\n")
    split, merge, heading, drop, note = 2, 9, 12, 14, 18
    assert blocks[heading].startswith("## ") and blocks[merge + 1].startswith("The US does")
    first = blocks[split]
    cut = first.index(". ", len(first) // 2) + 1
    what = {
        "split": first, "merged": blocks[merge], "dropped": blocks[drop],
        "heading": blocks[heading][3:], "after note": blocks[note],
    }
    blocks[split] = first[:cut] + "\n\n" + first[cut + 1:]
    blocks[merge] = blocks[merge] + " " + blocks[merge + 1]
    blocks[merge + 1] = ""
    blocks[drop] = ""
    blocks[note] = "*Translator’s note: figures as of 2021.*\n\n" + blocks[note]
    blocks[heading] = "**" + blocks[heading][3:] + "**"
    (root / EN).write_text("\n\n".join(b for b in blocks if b), encoding="utf-8")
    return what


def test_edited_translation_gives_a_catalog_with_every_case_marked(
    sample: Path, runner: CliRunner
) -> None:
    shutil.rmtree(sample / "locale", ignore_errors=True)
    what = edit_translation(sample)
    code, out = run(runner, sample, "align", "--doc", "article")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == (f"wrote {PO}: 41 1:1, 1 1:2, 1 2:1, 1 1:0, 1 0:1; "
                        "6 marked fuzzy (threshold 0.9)")
    assert re.fullmatch(r"source/tr/article\.md:\d+-\d+: 2 original segments share one "
                        r"translation segment \(source/en/article\.md:\d+\); it is on the first "
                        r"entry", lines[1])
    assert re.fullmatch(r"source/tr/article\.md:\d+: no translation found; the entry is left "
                        r"untranslated", lines[2])
    assert re.fullmatch(r"source/en/article\.md:\d+: translation text with no original; kept "
                        r"as a translator comment in the PO", lines[3])
    catalog = read_catalog(sample / PO, shown=PO)
    by_text = {e.msgstr.split("\n\n")[0][:60]: e for e in catalog.entries if e.msgstr}
    split = by_text[what["split"][:60]]
    assert "\n\n" in split.msgstr and split.msgstr.replace("\n\n", " ") == what["split"]
    assert split.fuzzy and "alignment: 1:2 confidence 0.85" in split.comments
    merged = catalog.entries[catalog.entries.index(by_text[what["merged"][:60]]) + 1]
    assert (merged.msgstr, merged.fuzzy, merged.translator_comments) == ("", True, [MERGED_NOTE])
    heading = next(e for e in catalog.entries if e.msgstr == what["heading"])
    assert heading.fuzzy and any("heading ↔ bold paragraph" in c for c in heading.comments)
    dropped = [e for e in catalog.entries if not e.msgstr and MERGED_NOTE not in
               e.translator_comments]
    assert len(dropped) == 1 and not dropped[0].fuzzy
    assert any(c.endswith("no translation found") for c in dropped[0].comments)
    noted = [e for e in catalog.entries if any("bitext-align" in c and "no original" in c
                                                for c in e.translator_comments)]
    assert len(noted) == 1 and noted[0].fuzzy
    assert "*Translator’s note: figures as of 2021.*" in noted[0].translator_comments
    # The PO is valid for gettext too, and `update` takes it as it is.
    if shutil.which("msgfmt"):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(sample / PO)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    # The next update rewrites the Markdown from the PO (the aligned text is all in it),
    # keeps the translator comments, and the one after it has nothing to do.
    code, out = run(runner, sample, "update")
    assert code == 0, out
    assert "0 conflicts" in out
    assert "# *Translator’s note: figures as of 2021.*\n" in (sample / PO).read_text("utf-8")
    assert "<!-- bitext: fuzzy --> " + what["heading"] in (sample / EN).read_text("utf-8")
    code, out = run(runner, sample, "update")
    assert (code, out.splitlines()[-1]) == (0, "nothing changed")


def test_json_gives_line_ranges_and_scores(sample: Path, runner: CliRunner) -> None:
    edit_translation(sample)
    code, out = align_to_x(runner, sample, "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["summary"] == {"1:1": 41, "1:2": 1, "2:1": 1, "1:0": 1, "0:1": 1, "fuzzy": 6}
    assert (report["source"], report["target"], report["po"]) == (
        "source/tr/article.md", EN, "x.po")
    first = report["pairs"][0]
    assert first == {"type": "1:1", "source": [2, 2], "target": [2, 2], "confidence": 1.0,
                     "fuzzy": False, "note": "front-matter key"}
    split = next(p for p in report["pairs"] if p["type"] == "1:2")
    start, end = split["target"]
    lines = (sample / EN).read_text(encoding="utf-8").split("\n")
    assert lines[start - 1] and lines[end - 1] and lines[start] == "" and end == start + 2
    gap = next(p for p in report["pairs"] if p["type"] == "0:1")
    assert gap["source"] is None
    assert lines[gap["target"][0] - 1].startswith("*Translator’s note")


def test_report_shows_low_confidence_pairs_side_by_side(sample: Path, runner: CliRunner) -> None:
    edit_translation(sample)
    code, out = align_to_x(runner, sample, "--report")
    assert code == 0, out
    report = out.split("\n\n", 1)[1]
    assert report.startswith("6 pairs to check (fuzzy, or confidence below 0.9):")
    assert re.search(r"^1:2 confidence 0\.85: source/tr/article\.md:\d+ ↔ "
                     r"source/en/article\.md:\d+-\d+$", report, re.MULTILINE)
    assert re.search(r"^1:1 confidence 0\.\d\d, heading ↔ bold paragraph: ", report, re.MULTILINE)
    rows = [line for line in report.splitlines() if " │ " in line]
    assert rows and all(line.index(" │ ") == 48 for line in rows)


def test_files_outside_a_publication(tmp_path: Path, runner: CliRunner) -> None:
    repo = Path(__file__).resolve().parents[2]
    src, tgt = tmp_path / "orijinal.md", tmp_path / "ceviri.md"
    shutil.copy(repo / "source/en/article.md", src)  # any pair works: en -> tr here
    shutil.copy(repo / "source/tr/article.md", tgt)
    result = runner.invoke(cli, ["-C", str(tmp_path), "align", str(src), str(tgt), "-o",
                                 str(tmp_path / "out.po")])
    assert (result.exit_code, result.output) == (
        2, "Error: outside a publication, give --source-lang and --target-lang\n")
    result = runner.invoke(cli, ["-C", str(tmp_path), "align", str(src), str(tgt),
                                 "--source-lang", "en", "--target-lang", "tr"])
    assert (result.exit_code, result.output) == (
        2, "Error: name the PO file to write with -o (or -o - to print it)\n")
    result = runner.invoke(cli, ["-C", str(tmp_path), "align", str(src), str(tgt),
                                 "--source-lang", "en", "--target-lang", "tr", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert 'msgid "Direct Talks with Al-Assad Have Nothing to Offer Turkey"\n' \
           'msgstr "Esad\'la Doğrudan Görüşmenin Türkiye\'ye Kazandıracağı Bir Şey Yok"\n' \
        in result.output
    assert '"Language: tr\\n"' in result.output
    assert not list(tmp_path.glob("*.po"))


def test_bad_glossary_and_threshold_are_refused(sample: Path, runner: CliRunner) -> None:
    (sample / "terms.tsv").write_text("# terms\nEsad\tAl-Assad\nSuriye Syria\n", encoding="utf-8")
    code, out = align_to_x(runner, sample, "--glossary", str(sample / "terms.tsv"))
    assert code == 2 and out.startswith("Error: terms.tsv:2: unknown glossary column 'esad'"), out
    code, out = align_to_x(runner, sample, "--target-lang", "de")
    assert (code, out) == (2, "Error: --doc aligns the publication's languages: source tr, "
                              "target one of en (got tr -> de)\n")
    code, out = align_to_x(runner, sample, "--threshold", "2")
    assert (code, out) == (2, "Error: --threshold must be between 0 and 1, got 2.0\n")
    assert not (sample / "x.po").exists()


def _sections(segments: list[Segment]) -> list[int]:
    out, k = [], 0
    for s in segments:
        k += s.kind == "heading"
        out.append(k)
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize("folder", ["12factor", "opensource.guide"])
def test_corpus_pairs_stay_in_their_sections(folder: str) -> None:
    # English originals, Turkish translations written by others. Gold: the k-th heading
    # of each side opens section k; both sides of a pair must be in the same section.
    right = wrong = 0
    for en in sorted((CORPUS / folder).glob("*.en.md")):
        a = parse_document(en.read_text(encoding="utf-8")).segments
        b = parse_document(en.with_name(en.name.replace(".en.", ".tr."))
                           .read_text(encoding="utf-8")).segments
        pairs = align_segments(a, b, source_lang="en", target_lang="tr")
        sa, sb = _sections(a), _sections(b)
        for p in pairs:
            if p.source and p.target:
                same = {sa[i] for i in p.source} | {sb[j] for j in p.target} == {sa[p.source[0]]}
                right, wrong = right + same, wrong + (not same)
        if [s.kind for s in a] == [s.kind for s in b]:  # a parallel pair: i with i
            assert [(p.source, p.target) for p in pairs] == [((i,), (i,)) for i in range(len(a))]
    assert right / (right + wrong) >= 0.99
