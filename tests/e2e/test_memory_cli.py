"""The translation memory through the CLI: `update` and `translate --provider memory`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.catalog import Entry
from pipeline.cli import cli

pytestmark = pytest.mark.e2e

A_TR = """\
# Birinci yazı

Suriye rejimiyle doğrudan görüşme tartışmaları Türkiye'de yeniden başladı.

Rusya Eylül ayında Afrin ve İdlib'de Suriye Milli Ordusu'nu hedef aldı[^i].

Bu analistler Suriye ile Afganistan arasındaki “derin farkı” gözden kaçırıyor.

[^i]: Haber ajansının 3 Ekim tarihli raporu.
"""
A_EN = """\
# The first article

Discussions on direct talks with the Syrian regime have restarted in Turkey.

In September Russia targeted the Syrian National Army in Afrin and Idlib[^i].

These analysts overlook the “deep difference” between Syria and Afghanistan.

[^i]: The news agency's report of 3 October.
"""
# Repeats two paragraphs of the first (one with other spaces and quotes), one differs
# only by its footnote label, one by a few words, one is new.
B_TR = """\
# İkinci yazı

Suriye rejimiyle doğrudan görüşme tartışmaları Türkiye'de yeniden başladı.

Bu analistler  Suriye ile Afganistan arasındaki "derin farkı" gözden kaçırıyor.

Rusya Eylül ayında Afrin ve İdlib'de Suriye Milli Ordusu'nu hedef aldı[^ii].

Bu analistler Suriye ile Afganistan arasındaki “derin farkı” hiç görmüyor.

Yepyeni bir paragraf, bellekte hiç olmayan bir şey anlatıyor.

[^ii]: Haber ajansının 5 Ekim tarihli raporu.
"""
PO_B = "locale/en/LC_MESSAGES/ikinci.po"


def run(runner: CliRunner, root: Path, *args: str) -> Result:
    result = runner.invoke(cli, ["-C", str(root), *args])
    assert result.exit_code == 0, result.output
    return result


def entries(root: Path, po: str = PO_B) -> dict[str, Entry]:
    return {e.msgid: e for e in read_catalog(root / po, shown=po).entries}


@pytest.fixture
def root(project: Callable[[dict[str, str]], Path], runner: CliRunner) -> Path:
    """Document ``birinci`` translated and reviewed; ``ikinci`` not updated yet."""
    made = project({"source/tr/birinci.md": A_TR, "source/en/birinci.md": A_EN})
    run(runner, made, "update")
    (made / "source/tr/ikinci.md").write_text(B_TR, encoding="utf-8")
    return made


def test_repeated_paragraphs_come_from_memory_on_the_first_update(
    runner: CliRunner, root: Path
) -> None:
    result = run(runner, root, "update")
    assert "ikinci [en] (new catalog)" in result.output
    assert "2 from the translation memory (fuzzy)" in result.output
    found = entries(root)
    same = found["Suriye rejimiyle doğrudan görüşme tartışmaları Türkiye'de yeniden başladı."]
    assert same.msgstr == ("Discussions on direct talks with the Syrian regime have restarted "
                           "in Turkey.")
    assert same.fuzzy
    assert same.translator_comments == ["bitext-tm: birinci:3 100%"]
    spaced = found['Bu analistler  Suriye ile Afganistan arasındaki "derin farkı" gözden '
                   "kaçırıyor."]
    assert spaced.fuzzy
    assert spaced.msgstr.startswith("These analysts overlook")
    assert spaced.translator_comments == ["bitext-tm: birinci:7 100%"]
    # Neither a fuzzy match nor a label-only difference is taken by update: exact only.
    assert not any(e.msgstr for e in found.values() if not e.translator_comments)
    assert sum(1 for e in found.values() if e.msgstr) == 2
    # The first document is untouched, and a second update changes nothing.
    assert "nothing changed" in run(runner, root, "update").output
    po = (root / PO_B).read_text(encoding="utf-8")
    assert "# bitext-tm: birinci:3 100%\n" in po
    checked = runner.invoke(cli, ["-C", str(root), "check", "ikinci"]).output
    assert "needs review: from the translation memory (birinci:3 100%)" in checked


def test_a_paragraph_with_another_footnote_label_comes_from_translate_memory(
    runner: CliRunner, root: Path
) -> None:
    run(runner, root, "update")
    result = run(runner, root, "translate", "--provider", "memory")
    assert "ikinci [en]: 3 drafted" in result.output  # the heading has no match
    found = entries(root)
    label = found["Rusya Eylül ayında Afrin ve İdlib'de Suriye Milli Ordusu'nu hedef aldı[^ii]."]
    assert label.fuzzy
    assert label.msgstr == ("In September Russia targeted the Syrian National Army in Afrin "
                            "and Idlib[^ii].")
    assert label.translator_comments == [
        "bitext-tm: birinci:5 100% \"Rusya Eylül ayında Afrin ve İdlib'de Suriye Milli "
        "Ordusu'nu hedef aldı[^i].\""]
    note = found["Haber ajansının 5 Ekim tarihli raporu."]
    assert note.msgstr == "The news agency's report of 5 October."  # the number re-mapped
    wording = found["Bu analistler Suriye ile Afganistan arasındaki “derin farkı” hiç görmüyor."]
    assert wording.fuzzy
    (comment,) = wording.translator_comments
    assert comment.startswith("bitext-tm: birinci:7 ")
    score = int(comment.split()[2].rstrip("%"))
    assert 75 <= score < 100
    assert not found["Yepyeni bir paragraf, bellekte hiç olmayan bir şey anlatıyor."].msgstr
    # The translated Markdown shows the drafts.
    assert "Idlib[^ii]" in (root / "source/en/ikinci.md").read_text(encoding="utf-8")


def test_threshold_setting_and_the_label_dropped_after_review(
    runner: CliRunner, root: Path
) -> None:
    config = root / "bitext.toml"
    config.write_text(config.read_text() + "\n[translate]\nmemory_threshold = 99\n")
    run(runner, root, "update")
    run(runner, root, "translate", "--provider", "memory")
    found = entries(root)
    assert not found["Bu analistler Suriye ile Afganistan arasındaki “derin farkı” hiç "
                     "görmüyor."].msgstr  # below 99 %
    # A translator reviews one: the fuzzy flag goes, and the next run drops the label.
    catalog = read_catalog(root / PO_B, shown=PO_B)
    for entry in catalog.entries:
        if entry.msgstr.startswith("Discussions"):
            entry.fuzzy = False
    (root / PO_B).write_text(render_catalog(catalog), encoding="utf-8")
    run(runner, root, "update")
    reviewed = entries(root)["Suriye rejimiyle doğrudan görüşme tartışmaları Türkiye'de "
                             "yeniden başladı."]
    assert not reviewed.fuzzy
    assert reviewed.translator_comments == []


def test_memory_from_a_tmx_file_and_another_publication(
    runner: CliRunner, project: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    other = tmp_path.parent / f"{tmp_path.name}-other"  # another publication, beside this one
    (other / "locale/en/LC_MESSAGES").mkdir(parents=True)
    (other / "locale/en/LC_MESSAGES/eski.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#: source/tr/eski.md:12\n"
        'msgid "Eski yayından bir cümle."\nmsgstr "A sentence from the old publication."\n',
        encoding="utf-8")
    root = project({
        "bitext.toml": 'source_lang = "tr"\ntarget_langs = ["en"]\n'
                       f'memory = ["../{other.name}/locale", "tm/*.tmx"]\n',
        "tm/eski.tmx": '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">'
                       '<header srclang="tr-TR" segtype="paragraph" datatype="plaintext" '
                       'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>'
                       '<body><tu><tuv xml:lang="tr-TR"><seg>TMX’ten gelen başlık</seg></tuv>'
                       '<tuv xml:lang="en-GB"><seg>A heading from the TMX</seg></tuv></tu>'
                       "</body></tmx>\n",
        "source/tr/yeni.md": "# TMX’ten gelen başlık\n\nEski yayından bir cümle.\n",
    })
    result = run(runner, root, "update")
    assert "2 from the translation memory" in result.output
    found = entries(root, "locale/en/LC_MESSAGES/yeni.po")
    assert found["TMX’ten gelen başlık"].translator_comments == ["bitext-tm: eski.tmx:1 100%"]
    assert found["Eski yayından bir cümle."].translator_comments == ["bitext-tm: eski:12 100%"]
    # update keeps the units it read (by each file's hash), not the fuzzy index it never uses
    assert (root / ".bitext/memory-cache.json").exists()
    assert not (root / ".bitext/memory-index-tr-en.npz").exists()
    import pipeline.adapters.memory_store as store

    parse_po = store._from_po

    def no_parsing(*_: object, **__: object) -> list[object]:
        raise AssertionError("an unchanged memory file parsed again")

    def only_changed_po(text: str, shown: str, path: Path, *args: object,
                        **kwargs: object) -> object:
        assert path.name == "yeni.po", f"{shown} unchanged but parsed again"  # update wrote it
        return parse_po(text, shown, path, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "_from_tmx", no_parsing)
        patch.setattr(store, "_from_po", only_changed_po)
        (root / "source/tr/yeni.md").write_text(
            "# TMX’ten gelen başlık\n\nEski yayından bir cümle.\n\nYeni bir paragraf.\n",
            encoding="utf-8")
        run(runner, root, "update")  # a new segment: the memory is read, from the cache
    (root / "source/tr/yeni.md").write_text("# TMX’ten gelen başlık\n\nEski yayından bir "
                                            "cümle!\n", encoding="utf-8")
    run(runner, root, "translate", "--provider", "memory")
    assert (root / ".bitext/memory-cache.json").exists()
    assert (root / ".bitext/memory-index-tr-en.npz").exists()  # the index, for the next run
    assert entries(root, "locale/en/LC_MESSAGES/yeni.po")[
        "Eski yayından bir cümle!"].msgstr == "A sentence from the old publication."


@pytest.mark.parametrize("sentences", [True, False])
def test_sentence_level_memory_is_an_option(
    runner: CliRunner, project: Callable[[dict[str, str]], Path], sentences: bool
) -> None:
    root = project({
        "bitext.toml": 'source_lang = "tr"\ntarget_langs = ["en"]\n'
                       f"memory_sentences = {str(sentences).lower()}\n",
        "source/tr/a.md": "Dr. Ayşe 3. kez geldi. Toplantı başladı.\n\nHava güzeldi. Herkes "
                          "dışarı çıktı.\n",
        "source/en/a.md": "Dr Ayşe came for the third time. The meeting began.\n\nThe weather "
                          "was fine. Everybody went out.\n",
    })
    run(runner, root, "update")
    (root / "source/tr/b.md").write_text("Toplantı başladı. Herkes dışarı çıktı.\n",
                                         encoding="utf-8")
    run(runner, root, "update")
    (entry,) = entries(root, "locale/en/LC_MESSAGES/b.po").values()
    if sentences:
        assert entry.msgstr == "The meeting began. Everybody went out."
        assert entry.fuzzy
        assert entry.translator_comments == ["bitext-tm: a:1, a:3 100%"]
    else:
        assert not entry.msgstr
