"""`bitext export` / `bitext import`: XLIFF 1.2 and 2.0 with a CAT tool, TMX, translate-toolkit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.adapters.po import read_catalog
from pipeline.cli import cli
from pipeline.exchange.xliff import NS12, NS20, read_xliff

pytestmark = pytest.mark.e2e

PO = Path("locale/en/LC_MESSAGES/article.po")
X = {"x": NS12}
X2 = {"x": NS20}
BIN = Path(sys.executable).parent


def _run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["-C", str(root), *args])
    return result.exit_code, result.output


def _export(runner: CliRunner, root: Path, *args: str, name: str = "out.xlf") -> Path:
    code, output = _run(runner, root, "export", "-o", str(root / name), *args)
    assert code == 0, output
    return root / name


def _entries(root: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / PO)) if e.msgid}


def _unit_with(tree: etree._ElementTree, text: str) -> etree._Element:
    """The first trans-unit whose source contains ``text`` and a footnote reference."""
    for tu in tree.iterfind(".//x:trans-unit", X):
        source = tu.find("x:source", X)
        if text in "".join(source.itertext()) and source.find("x:ph", X) is not None:
            return tu
    raise AssertionError(text)


def test_cat_tool_edit_is_imported_and_check_passes(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample)
    tree = etree.parse(str(xlf))
    tu = _unit_with(tree, "Yine 3 Ekim'de")
    target = tu.find("x:target", X)
    # as a CAT tool edits: the text changes, the codes stay where they are
    assert target.text.startswith("Again, on October 3,")
    target.text = target.text.replace("Again, on October 3,", "On 3 October, again,")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (sample / PO).read_text(encoding="utf-8")

    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 0, output
    assert "imported 1 units" in output
    entry = next(e for m, e in _entries(sample).items() if m.startswith("Yine 3 Ekim'de"))
    assert entry.msgstr.startswith("On 3 October, again, Assad and the Jordanian King")
    assert "[^vii]" in entry.msgstr and "[^viii]" in entry.msgstr
    assert "fuzzy" not in entry.flags
    after = (sample / PO).read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())  # nothing else moved
    assert "On 3 October, again," in (sample / "source/en/article.md").read_text("utf-8")
    code, output = _run(runner, sample, "check")
    assert code == 0, output
    # a second import of the same file changes nothing
    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 0 and "imported 0 units" in output
    assert (sample / PO).read_text(encoding="utf-8") == after


def test_a_dropped_code_refuses_that_unit_only(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample)
    tree = etree.parse(str(xlf))
    broken = _unit_with(tree, "Yine 3 Ekim'de")
    target = broken.find("x:target", X)
    ph = target.find("x:ph", X)
    ph.getparent().remove(ph)  # lost [^vii] (its tail text goes with it, as a careless edit)
    target.text = "Edited: " + target.text
    good = _unit_with(tree, "Suriye'de mayıs ayında")
    good_target = good.find("x:target", X)
    good_target.text = "Edited well: " + good_target.text
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    line = etree.parse(str(xlf)).find(
        f".//x:trans-unit[@id='{broken.get('id')}']", X).sourceline

    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 1
    assert (f"{xlf}:{line}: unit '{broken.get('id')}': lost the inline code 1 ('[^vii]'); "
            "not imported") in output
    entries = _entries(sample)
    refused = next(e for m, e in entries.items() if m.startswith("Yine 3 Ekim'de"))
    assert not refused.msgstr.startswith("Edited")  # nothing written for it
    assert next(e for m, e in entries.items()
                if m.startswith("Suriye'de mayıs ayında")).msgstr.startswith("Edited well")


def test_every_sample_unit_reads_back_as_its_entry(runner: CliRunner, sample: Path) -> None:
    catalog = read_catalog(sample / PO, shown="po")
    wanted = {e.key: (e.msgid, e.msgstr) for e in catalog.entries if e.msgid}
    for fmt in ("xliff", "xliff2"):
        xlf = _export(runner, sample, "--format", fmt, name=f"{fmt}.xlf")
        version, files = read_xliff(xlf.read_bytes(), shown=str(xlf))
        assert version == ("1.2" if fmt == "xliff" else "2.0")
        units = files[0].units
        assert {u.id: (u.source, u.target) for u in units} == wanted
        assert [u.problem for u in units if u.problem] == []
        assert files[0].original == "source/tr/article.md"
        assert (files[0].source_lang, files[0].target_lang) == ("tr", "en")


def test_inline_codes_are_xliff_elements(runner: CliRunner, sample: Path) -> None:
    tree = etree.parse(str(_export(runner, sample)))
    footnote_refs = tree.xpath("//x:source/x:ph[@ctype='x-footnote-ref']/text()", namespaces=X)
    assert "[^i]" in footnote_refs and "[^xii]" in footnote_refs
    # every bpt has its ept, after it, in the same element (what CAT tools rely on)
    for element in tree.xpath("//x:source | //x:target", namespaces=X):
        opened: list[str] = []
        for child in element:
            name = etree.QName(child).localname
            if name == "bpt":
                opened.append(child.get("id"))
            elif name == "ept":
                assert child.get("id") in opened
                opened.remove(child.get("id"))
        assert opened == []


def test_xliff2_reviewed_segment_is_imported(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample, "--format", "xliff2")
    tree = etree.parse(str(xlf))
    root = tree.getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "tr", "en")
    unit = next(u for u in tree.iterfind(".//x:unit", X2)
                if u.find(".//x:target/x:ph", X2) is not None)
    segment = unit.find("x:segment", X2)
    assert segment.get("state") == "reviewed"
    target = segment.find("x:target", X2)
    target.text = "Reworded: " + (target.text or "")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 0, output
    assert any(e.msgstr.startswith("Reworded: ") and "fuzzy" not in e.flags
               for e in _entries(sample).values())


def test_a_unit_whose_original_changed_comes_in_fuzzy(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample)
    tree = etree.parse(str(xlf))
    tu = _unit_with(tree, "Yine 3 Ekim'de")
    target = tu.find("x:target", X)
    target.text = "New wording: " + target.text
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    original = sample / "source/tr/article.md"
    original.write_text(original.read_text("utf-8").replace("Yine 3 Ekim'de", "Yine 4 Ekim'de"),
                        encoding="utf-8")
    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 0, output
    assert "its source is no longer the current original; imported as fuzzy" in output
    entry = next(e for m, e in _entries(sample).items() if m.startswith("Yine 4 Ekim'de"))
    assert entry.msgstr.startswith("New wording: ")
    assert "fuzzy" in entry.flags


def test_an_unknown_unit_is_reported(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample)
    tree = etree.parse(str(xlf))
    tu = tree.find(".//x:trans-unit", X)
    tu.set("id", "000000000000")
    tu.find("x:source", X).text = "Bu cümle hiçbir yerde yok."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (sample / PO).read_bytes()
    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 1
    assert f"{xlf}:{tu.sourceline}: unit '000000000000': unknown id" in output
    assert (sample / PO).read_bytes() == before


def test_xml_with_entities_is_refused(runner: CliRunner, sample: Path) -> None:
    bomb = sample / "bomb.xlf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
                    f'<xliff xmlns="{NS12}" version="1.2"><file original="source/tr/article.md"'
                    ' source-language="tr" target-language="en" datatype="plaintext"><body>'
                    '<trans-unit id="x"><source>&b;</source></trans-unit></body></file></xliff>',
                    encoding="utf-8")
    code, output = _run(runner, sample, "import", str(bomb))
    assert code == 2
    assert "DTD" in output


def test_tmx_holds_the_reviewed_pairs(runner: CliRunner, sample: Path) -> None:
    tmx = _export(runner, sample, "--format", "tmx", name="memory.tmx")
    tree = etree.parse(str(tmx))
    assert tree.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    header = tree.find("header")
    assert header.get("segtype") == "paragraph" and header.get("srclang") == "tr"
    catalog = read_catalog(sample / PO, shown="po")
    revised = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)\+0000",
                           catalog.header["PO-Revision-Date"])
    assert revised is not None
    assert header.get("creationdate") == "{}{}{}T{}{}00Z".format(*revised.groups())
    for name in ("creationtool", "creationtoolversion", "o-tmf", "adminlang", "datatype"):
        assert header.get(name), name
    translated = {e.key: e for e in catalog.entries if e.msgid and e.translated}
    units = tree.findall("body/tu")
    assert {tu.get("tuid") for tu in units} == set(translated)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in units:
        assert tu.find("prop[@type='x-document']").text == "article"
        # the text of a seg with its inline elements' (their native code) is the Markdown
        segs = {tuv.get(lang): "".join(tuv.find("seg").itertext()) for tuv in tu.iter("tuv")}
        entry = translated[tu.get("tuid")]
        assert segs == {"tr": entry.msgid, "en": entry.msgstr}
    # the sample's footnote references are protected codes, in both languages
    refs = tree.findall(".//seg/ph[@type='x-footnote-ref']")
    assert len(refs) >= 2 * 18 and all(r.text.startswith("[^") for r in refs)
    from translate.storage.tmx import tmxfile  # translate-toolkit, as a second reader

    theirs = {(u.getid(), u.source, u.target) for u in tmxfile(tmx.read_bytes()).units}
    assert theirs == {(k, e.msgid, e.msgstr) for k, e in translated.items()}


@pytest.mark.skipif(shutil.which("xliff2po", path=str(BIN)) is None,
                    reason="translate-toolkit (the test extra) is not installed")
def test_translate_toolkit_reads_the_same_pairs(runner: CliRunner, sample: Path) -> None:
    xlf = _export(runner, sample)
    out = sample / "tt.po"
    subprocess.run([str(BIN / "xliff2po"), str(xlf), str(out)], check=True,
                   capture_output=True)
    theirs = {(e.msgid, e.msgstr) for e in polib.pofile(str(out)) if e.msgid}
    ours = {(e.msgid, e.msgstr) for e in polib.pofile(str(sample / PO)) if e.msgid}
    assert theirs == ours


@pytest.mark.skipif(shutil.which("po2xliff", path=str(BIN)) is None,
                    reason="translate-toolkit (the test extra) is not installed")
def test_po2xliff_output_is_imported(runner: CliRunner, sample: Path) -> None:
    xlf = sample / "tt.xlf"
    subprocess.run([str(BIN / "po2xliff"), str(sample / PO), str(xlf)], check=True,
                   capture_output=True)
    text = xlf.read_text("utf-8").replace("Turkey’s Border Security", "Turkey’s Own Borders")
    xlf.write_text(text, encoding="utf-8")
    code, output = _run(runner, sample, "import", "--lang", "en", str(xlf))
    # po2xliff names the file after the PO (article.po) and numbers its units
    assert code == 0, output
    assert "imported 1 units" in output
    assert _entries(sample)["Türkiye'nin Sınır Güvenliği"].msgstr == "Turkey’s Own Borders"


def test_a_fuzzy_entry_is_exported_for_review_and_left_out_of_the_memory(
        runner: CliRunner, sample: Path) -> None:
    original = sample / "source/tr/article.md"
    original.write_text(original.read_text("utf-8").replace("Yine 3 Ekim'de", "Yine 4 Ekim'de"),
                        encoding="utf-8")
    code, output = _run(runner, sample, "update")
    assert code == 0, output
    entry = next(e for e in read_catalog(sample / PO, shown="po").entries
                 if e.msgid.startswith("Yine 4 Ekim'de"))
    assert entry.fuzzy
    tree = etree.parse(str(_export(runner, sample)))
    tu = tree.find(f".//x:trans-unit[@id='{entry.key}']", X)
    assert tu.get("approved") == "no"
    assert tu.find("x:target", X).get("state") == "needs-review-translation"
    alt = tu.find("x:alt-trans[@origin='previous']/x:source", X)
    assert "".join(alt.itertext()).startswith("Yine 3 Ekim'de")
    tmx = etree.parse(str(_export(runner, sample, "--format", "tmx", name="m.tmx")))
    tuids = {tu.get("tuid") for tu in tmx.iterfind("body/tu")}
    assert entry.key not in tuids and len(tuids) == 44
    # reviewing it in the CAT tool (approved, same text) makes it translated
    tu.set("approved", "yes")
    tu.find("x:target", X).set("state", "translated")
    tree.write(str(sample / "out.xlf"), xml_declaration=True, encoding="UTF-8")
    code, output = _run(runner, sample, "import", str(sample / "out.xlf"))
    assert code == 0, output
    assert not next(e for e in read_catalog(sample / PO, shown="po").entries
                    if e.key == entry.key).fuzzy


def test_a_po_saved_during_import_is_left_as_saved(
        runner: CliRunner, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.commands.import_ as module

    xlf = _export(runner, sample)
    tree = etree.parse(str(xlf))
    target = _unit_with(tree, "Yine 3 Ekim'de").find("x:target", X)
    target.text = "From the CAT tool: " + target.text
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    real_commit = module.commit

    def commit_after_a_save(root, groups):  # type: ignore[no-untyped-def]
        po = sample / PO
        po.write_text(po.read_text("utf-8").replace("Turkey’s Border Security",
                                                    "Saved meanwhile"), encoding="utf-8")
        return real_commit(root, groups)

    monkeypatch.setattr(module, "commit", commit_after_a_save)
    code, output = _run(runner, sample, "import", str(xlf))
    assert code == 1
    assert "changed while bitext import ran" in output
    text = (sample / PO).read_text("utf-8")
    assert "Saved meanwhile" in text and "From the CAT tool" not in text
