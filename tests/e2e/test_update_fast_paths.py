"""`bitext update` writes the same bytes with its fast paths as without them.

A publication of many documents (enough for the worker pool) made from the
sample is updated twice over, once as it runs (the one-pass PO reader, the
rendering memo and the originals' chunk memo, in ``.bitext/memos``) and once by
the reference paths only (validate + polib, every entry rendered, every chunk
parsed); after edits on every side (originals edited and a paragraph inserted,
a PO entry and a translated paragraph edited), after more edits (catalogs with
fuzzy entries read), and after a no-op, every file of the two publications must
be the same.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from pipeline.adapters import chunk_memo, po
from pipeline.adapters.block_memo import FOLDER, load_parts, memo_file
from pipeline.adapters.po_read import read_plain
from pipeline.cli import cli

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks/corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return module


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("locale", "source") for p in sorted((root / folder).rglob("*"))
            if p.is_file()}


def memos_of(root: Path) -> dict[str, object]:
    found = {p.name: load_parts(p) for p in sorted((root / FOLDER).glob("*.json"))}
    assert found and all(found.values())
    return found


def edit(root: Path, make: ModuleType) -> None:
    originals = sorted((root / "source/tr").glob("*.md"))
    make.edit_originals(originals, 12)
    first = originals[0]
    text = first.read_text(encoding="utf-8")
    cut = text.index("\n\n", text.index("\n---\n") + 5)
    first.write_text(text[:cut] + "\n\nYepyeni bir paragraf, araya girdi." + text[cut:],
                     encoding="utf-8")
    po_file = root / "locale/en/LC_MESSAGES/doc-0001.po"
    po_text = po_file.read_text(encoding="utf-8")
    at = po_text.index('msgstr "', po_text.index("#. paragraph")) + len('msgstr "')
    po_file.write_text(po_text[:at] + "Edited in Poedit: " + po_text[at:], encoding="utf-8")
    md = root / "source/en/doc-0002.md"
    lines = md.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("(2) ") and len(line) > 80)
    lines[k] = lines[k].replace(" ", " (edited in the Markdown) ", 1)
    md.write_text("\n".join(lines), encoding="utf-8")


def test_update_with_and_without_fast_paths_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    make = corpus()
    fast, slow = tmp_path / "fast", tmp_path / "slow"
    make.make_publication(fast, 10, layout="files")
    shutil.copytree(fast, slow)
    runner = CliRunner()

    def update(root: Path, *, reference: bool) -> None:
        if reference:
            shutil.rmtree(root / FOLDER, ignore_errors=True)
        monkeypatch.setattr(po, "FAST_READ", not reference)
        result = runner.invoke(cli, ["-C", str(root), "update"])
        assert result.exit_code == 0, result.output

    for step in range(4):
        for root in (fast, slow):
            if step == 1:
                edit(root, make)
            if step == 2:  # the catalogs now hold fuzzy entries (previous msgids) to read
                make.edit_originals(sorted((root / "source/tr").glob("*.md")), 7)
        update(fast, reference=False)
        update(slow, reference=True)
        assert files_of(fast) == files_of(slow), f"after update {step + 1}"
    # The fast paths did run: memos kept, every catalog read in one pass.
    memos = sorted((fast / FOLDER).glob("*.json"))
    assert len(memos) == 10  # one file per document, each with all three parts
    for n in range(10):
        parts = load_parts(memo_file(fast, f"source/tr/doc-{n:04}.md"))
        assert sorted(parts) == [chunk_memo.chunk_part(f"source/tr/doc-{n:04}.md"),
                                 f"po-blocks locale/doc-{n:04}.pot",
                                 f"po-blocks locale/en/LC_MESSAGES/doc-{n:04}.po"]
    for path in (fast / "locale").rglob("*.po*"):
        assert read_plain(path.read_text(encoding="utf-8")) is not None, path


def test_a_no_op_reads_no_settled_file_and_an_edit_is_still_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.adapters import update_digests

    make = corpus()
    root = tmp_path / "pub"
    make.make_publication(root, 3, layout="files")
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(root), "update"]).exit_code == 0
    monkeypatch.setattr(update_digests, "SETTLED_NS", 0)  # as if the files were minutes old
    assert runner.invoke(cli, ["-C", str(root), "update"]).exit_code == 0  # learns the stats
    assert (root / update_digests.STATS).exists()

    def no_reading(path: Path) -> str:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(update_digests, "read_stat", no_reading)
    monkeypatch.setattr(update_digests, "load_state", no_reading)
    result = runner.invoke(cli, ["-C", str(root), "update"])
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.output
    monkeypatch.undo()
    original = root / "source/tr/doc-0001.md"
    original.write_text(original.read_text(encoding="utf-8").replace("(1) ", "(1) Yeni. ", 1),
                        encoding="utf-8")
    result = runner.invoke(cli, ["-C", str(root), "update"])
    assert "wrote locale/doc-0001.pot" in result.output


def test_a_big_document_split_over_two_processes_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.adapters import update_apart, update_document, workers
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    make = corpus()
    one, two = tmp_path / "one", tmp_path / "two"
    make.make_publication(one, 3, layout="one")
    shutil.copytree(one, two)
    children = []
    real = workers.in_child
    monkeypatch.setattr(workers, "in_child",  # update imports it where it forks
                        lambda compute: children.append(1) or real(compute))
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    monkeypatch.setattr(update_apart, "PARSE_APART_FROM", 0)  # and the PO parsed apart
    for step in range(3):
        # a new day each time: the template's date must reach the PO's header from the child
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + step * 86400))
        for root in (one, two):
            if step == 1:
                make.edit_originals(sorted((root / "source/tr").glob("*.md")), 5)
            if step == 2:
                po_file = root / "locale/en/LC_MESSAGES/big.po"
                text = po_file.read_text(encoding="utf-8")
                edited = text.replace('msgstr "(1) ', 'msgstr "(1) Edited: ', 1)
                assert edited != text
                po_file.write_text(edited, encoding="utf-8")
        update_command.update(load_config(one), ["big"], jobs=1)
        update_command.update(load_config(two), ["big"], jobs=2)
        assert files_of(one) == files_of(two), f"after update {step + 1}"
        # and the same memos: the split run lets go of the memos as read once its
        # children have them, and writes their parts from what they used
        assert memos_of(one) == memos_of(two), f"after update {step + 1}"
    # the template and the PO rendered in each of the three updates; the PO read apart in
    # the two that find one
    assert len(children) == 8


def updated_big_document(root: Path) -> None:
    """A publication of one document (3 copies of the sample), updated once."""
    corpus().make_publication(root, 3, layout="one")
    assert CliRunner().invoke(cli, ["-C", str(root), "update"]).exit_code == 0


def test_a_malformed_po_parsed_apart_is_reported_as_at_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PO parsed in a child fails as one parsed here: file, line, nothing written."""
    from pipeline.adapters import update_apart, workers
    from pipeline.commands import update as update_command
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    updated_big_document(tmp_path)
    po_file = tmp_path / "locale/en/LC_MESSAGES/big.po"
    lines = po_file.read_text(encoding="utf-8").split("\n")
    bad = next(n for n, line in enumerate(lines) if line.startswith("msgstr ") and n > 40)
    lines[bad] = 'msgstr "unterminated'
    po_file.write_text("\n".join(lines), encoding="utf-8")
    before = files_of(tmp_path)
    children = []
    real = workers.in_child
    monkeypatch.setattr(workers, "in_child", lambda compute: children.append(1) or real(compute))
    messages = []
    for apart in (0, 10**12):
        monkeypatch.setattr(update_apart, "PARSE_APART_FROM", apart)
        with pytest.raises(BitextError) as raised:
            update_command.update(load_config(tmp_path), ["big"], jobs=2)
        messages.append(str(raised.value))
    assert children == [1]  # the first was parsed apart, the second here
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"locale/en/LC_MESSAGES/big.po:{bad + 1}: "), messages
    assert files_of(tmp_path) == before


def test_a_po_parsed_apart_is_not_read_by_the_update_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big PO is read by the child that parses it and the child that renders it: the
    update's own process never holds its text (twice its size, at update's peak)."""
    from pipeline.adapters import fs, update_apart, update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the two runs' dates agree
    base = tmp_path / "base"
    updated_big_document(base)
    corpus().edit_originals([base / "source/tr/big.md"], 5)
    read_here: list[Path] = []  # a child's reads are appended to the child's copy
    real = fs.read_bytes
    monkeypatch.setattr(fs, "read_bytes",
                        lambda path, **kw: read_here.append(path) or real(path, **kw))
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    written = []
    for apart in (10**12, 0):
        root = tmp_path / str(apart)
        shutil.copytree(base, root)
        po_file = root / "locale/en/LC_MESSAGES/big.po"
        read_here.clear()
        monkeypatch.setattr(update_apart, "PARSE_APART_FROM", apart)
        update_command.update(load_config(root), ["big"], jobs=2)
        assert (po_file in read_here) == (apart != 0), apart  # the probe sees a read here
        written.append(po_file.read_bytes())
    assert written[0] == written[1] != (base / "locale/en/LC_MESSAGES/big.po").read_bytes()


def test_the_template_is_let_go_before_a_big_pos_bytes_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the peak of a big document's update (its POs' bytes back from their child),
    its template's entries (and the segments and remembered keys that hold their msgids)
    are gone."""
    import gc
    import weakref

    from pipeline import catalog
    from pipeline.adapters import update_apart, update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    updated_big_document(tmp_path)
    corpus().edit_originals([tmp_path / "source/tr/big.md"], 5)
    made: list[weakref.ref[catalog.Entry]] = []
    real_template = catalog.template_from_segments

    def template(*args: object, **kw: object) -> list[catalog.Entry]:
        entries = real_template(*args, **kw)  # type: ignore[arg-type]
        made.extend(weakref.ref(e) for e in entries[:50])
        return entries

    alive: list[int] = []
    real_take = update_apart.PendingPO.__call__

    def take(self: object) -> bytes:
        gc.collect()
        alive.append(sum(ref() is not None for ref in made))
        alive.append(catalog._entry_key.cache_info().currsize)  # the msgids it would hold
        return real_take(self)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "template_from_segments", template)
    monkeypatch.setattr(update_apart.PendingPO, "__call__", take)
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert len(made) == 50 and alive == [0, 0]


def test_a_big_update_holds_each_unchanged_text_once_and_reads_no_sync_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit of the original alone: the PO read apart shares its template's
    msgids (`share_msgids`), the sync state's records are never built (`LastSync`), nor
    is the unchanged Markdown decoded; the old PO is mapped, not read, to render it."""
    from pipeline import catalog, sync
    from pipeline.adapters import fs, update_apart, update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    updated_big_document(tmp_path)
    corpus().edit_originals([tmp_path / "source/tr/big.md"], 5)
    shared: list[float] = []
    real_merge = catalog.merge_catalog

    def merge(old: catalog.Catalog, template: list[catalog.Entry]):  # type: ignore[no-untyped-def]
        texts = {id(e.msgid) for e in template}
        shared.append(sum(id(e.msgid) in texts for e in old.entries) / len(old.entries))
        return real_merge(old, template)

    def no_records(*args: object, **kw: object) -> None:
        raise AssertionError("the sync state's records were read")

    decoded: list[str] = []
    real_decode, real_parse = fs.decode, sync.parse_state
    monkeypatch.setattr(catalog, "merge_catalog", merge)
    monkeypatch.setattr(sync, "parse_state", no_records)
    # and the PO's renderer maps the old file, not reads it (`update_apart.map_again`)
    monkeypatch.setattr(update_document, "read_again", no_records)
    monkeypatch.setattr(fs, "decode", lambda data, shown: decoded.append(shown)
                        or real_decode(data, shown=shown))
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    monkeypatch.setattr(update_apart, "PARSE_APART_FROM", 0)
    update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert len(shared) == 1 and shared[0] > 0.9  # 5 of 45 paragraphs edited
    assert "source/en/big.md" not in decoded
    translation = tmp_path / "source/en/big.md"  # edited: now it is decoded (and parsed)
    translation.write_bytes(translation.read_bytes().replace(b"(1) ", b"(1) Yes. ", 1))
    monkeypatch.setattr(sync, "parse_state", real_parse)
    update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert "source/en/big.md" in decoded


def test_a_po_saved_while_it_is_updated_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved between its parse and its rendering (both in children): nothing is written."""
    from pipeline import catalog
    from pipeline.adapters import update_apart, update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    updated_big_document(tmp_path)
    corpus().edit_originals([tmp_path / "source/tr/big.md"], 5)
    po_file = tmp_path / "locale/en/LC_MESSAGES/big.po"
    saved = po_file.read_text(encoding="utf-8") + "\n# a translator's note\n"
    real = catalog.merge_catalog

    def merge_while_saved(*args: object, **kwargs: object) -> object:
        po_file.write_text(saved, encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "merge_catalog", merge_while_saved)
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    monkeypatch.setattr(update_apart, "PARSE_APART_FROM", 0)
    before = {k: v for k, v in files_of(tmp_path).items() if not k.endswith("big.po")}
    with pytest.raises(BitextError, match="changed while bitext was updating it"):
        update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert po_file.read_text(encoding="utf-8") == saved
    assert {k: v for k, v in files_of(tmp_path).items() if not k.endswith("big.po")} == before


def _children() -> list[int]:
    """This process's child processes (Linux: from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{os.getpid()}\n" in text:
            found.append(int(status.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_child_parsing_apart_is_waited_for_when_the_original_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PO's parse started, then the original turns out malformed: no child is left."""
    from pipeline.adapters import update_apart
    from pipeline.commands import update as update_command
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    updated_big_document(tmp_path)
    original = tmp_path / "source/tr/big.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nYeni [^nowhere].\n",
                        encoding="utf-8")
    monkeypatch.setattr(update_apart, "PARSE_APART_FROM", 0)
    others = set(_children())  # the test run's own (a pandoc session…)
    with pytest.raises(BitextError, match="no definition"):
        update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert set(_children()) - others == set()  # neither running nor a zombie


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_runaway_translation_found_while_the_po_renders_leaves_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard reads the merged catalog while a child renders it: its error still
    names the entry's line, and the child is waited for."""
    from pipeline.adapters import update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    updated_big_document(tmp_path)
    po_file = tmp_path / "locale/en/LC_MESSAGES/big.po"
    text = po_file.read_text(encoding="utf-8")
    at = text.index('msgstr "', text.index("#. paragraph")) + len('msgstr "')
    po_file.write_text(text[:at] + "> " * 10_000 + text[at:], encoding="utf-8")
    line = text[:text.index("msgid", text.index("#. paragraph"))].count("\n") + 1  # its msgid
    before = files_of(tmp_path)
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    others = set(_children())
    with pytest.raises(BitextError) as raised:
        update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert (raised.value.path, raised.value.line) == ("locale/en/LC_MESSAGES/big.po", line)
    assert set(_children()) - others == set()  # neither running nor a zombie
    assert files_of(tmp_path) == before


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("where", ["forget_keys", "state_after"])
def test_a_failure_while_a_po_renders_apart_leaves_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A failure after the PO's child started and before its bytes are taken (in letting
    the template go, or right after the translation was staged): the child is waited
    for, not left a zombie, and what was staged (the template, the translation) goes."""
    from pipeline import catalog, sync
    from pipeline.adapters import update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    updated_big_document(tmp_path)
    corpus().edit_originals([tmp_path / "source/tr/big.md"], 5)

    def failing(*args: object) -> None:
        raise RuntimeError("while the PO renders")

    monkeypatch.setattr(catalog if where == "forget_keys" else sync, where, failing)
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    others = set(_children())
    with pytest.raises(RuntimeError, match="while the PO renders"):
        update_command.update(load_config(tmp_path), ["big"], jobs=2)
    assert set(_children()) - others == set()
    assert list(tmp_path.rglob("*.bitext-tmp")) == []  # nor what was staged


def test_a_big_templates_child_stages_it_and_a_blocked_document_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered apart, the template is written to its temporary file by its child: its
    bytes never come back (`journal.prestage`); a document that cannot be written (a
    conflict block left in its Markdown) takes that file away again."""
    from pipeline.adapters import journal, update_document
    from pipeline.commands import update as update_command
    from pipeline.config import load_config

    root = tmp_path / "pub"
    root.mkdir()
    updated_big_document(root)
    corpus().edit_originals([root / "source/tr/big.md"], 5)
    parent, log = os.getpid(), tmp_path / "staged.log"  # a child's record, beside the root
    real = journal.prestage

    def prestage(path: Path, data: bytes) -> journal.Prestaged:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{path.name} {'child' if os.getpid() != parent else 'parent'}\n")
        return real(path, data)

    monkeypatch.setattr(journal, "prestage", prestage)
    monkeypatch.setattr(update_document, "prestage", prestage)
    monkeypatch.setattr(update_document, "SPLIT_FROM", 10)
    translation = root / "source/en/big.md"
    kept = translation.read_text(encoding="utf-8")
    translation.write_text(kept + "\n<!-- bitext conflict: your Markdown edit; keep one "
                           "-->\n", encoding="utf-8")
    before = files_of(root)
    result = update_command.update(load_config(root), ["big"], jobs=2)
    assert not result.written and files_of(root) == before
    assert list(root.rglob("*.bitext-tmp")) == []
    translation.write_text(kept, encoding="utf-8")
    result = update_command.update(load_config(root), ["big"], jobs=2)
    assert "locale/big.pot" in result.written and list(root.rglob("*.bitext-tmp")) == []
    # staged in the template's child each time, never in this process
    assert log.read_text(encoding="utf-8") == "big.pot child\n" * 2


def test_a_parallel_update_that_fails_late_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents computed before the failing one were staged: their temporaries go too."""
    from pipeline.adapters import journal, update_workers
    from pipeline.commands import update as update_command
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    make = corpus()
    originals = make.make_publication(tmp_path, 12)
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "update"]).exit_code == 0
    make.edit_originals([tmp_path / "source/tr" / f.name for f in originals], 24)
    last = tmp_path / "source/tr" / sorted(f.name for f in originals)[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\nYeni [^nowhere].\n",
                    encoding="utf-8")
    before = files_of(tmp_path)
    staged = []
    real = journal.stage
    monkeypatch.setattr(update_workers, "stage",
                        lambda root, group: staged.append(1) or real(root, group))
    with pytest.raises(BitextError, match="no definition"):
        update_command.update(load_config(tmp_path), load_config(tmp_path).resolve_documents(()),
                              jobs=2)
    # The failing chunk (the last) is taken once another is done, and that one is staged
    # first: it was staged before the failure was known.
    assert len(staged) >= update_workers.CHUNK
    assert files_of(tmp_path) == before
    assert list(tmp_path.rglob("*.bitext-tmp")) == []
