"""The old file's blocks as byte spans (`po_blocks`) say what its decoded text's blocks say.

`render_dated` and `render_catalog` keep an old file as bytes, cut into spans, and
refer to its blocks by index; `po_wrap`'s functions on strs (`blocks_of`,
`keep_unchanged`, `same_blocks`) are the reference they are held to here, on texts
with every kind of white space a cut or a strip could read otherwise, and on
catalogs rendered over old files another tool rewrapped or respelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.adapters import po, po_blocks, po_wrap
from pipeline.adapters.block_memo import BlockMemo, block_digest
from pipeline.catalog import Catalog, Entry
from tests.property.test_po_fast_paths import _mangled, catalogs, text

# Pieces of PO text and of what separates blocks: line feeds, CRs, tabs, Unicode white
# space str.strip() takes and bytes.strip() does not (U+3000, U+0085, U+001C), letters
# of two and three bytes.
PIECES = st.sampled_from(["\n", "\n\n", "\n \t\r\n", " ", "\t", "\r", "\u3000", "\x85", "\x1c",
                          "\u2028", 'msgid "a"', 'msgstr "ğ"', "#: x.md:1", "ş", "—", "a"])
texts = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(texts)
@example("\n\n\u3000\n\nmsgid \"a\"\n\n\x85\n")  # blocks of Unicode white space only
@example("a\n \n\u3000b")  # no line feed at the end
def test_spans_cut_where_blocks_of_cuts(found: str) -> None:
    old = po_blocks.OldBlocks(found.encode("utf-8"))
    expected = po_wrap.blocks_of(found)
    assert [old.text(i) for i in range(len(old))] == expected
    assert old.digests == [block_digest(b) for b in expected]
    assert [bytes(old.piece(i)) for i in range(len(old))] == [b.encode() for b in expected]


def _refer(blocks: list[str], old: po_blocks.OldBlocks, pick: list[bool]) -> po_blocks.Blocks:
    """``blocks`` with some of those an old block repeats given as that block's index."""
    index = {old.text(i): i for i in range(len(old))}
    return [index[b] if b in index and take else b
            for b, take in zip(blocks, pick + [True] * len(blocks), strict=False)]


def _as_text(blocks: po_blocks.Blocks, old: po_blocks.OldBlocks) -> list[str]:
    return [old.text(b) if isinstance(b, int) else b for b in blocks]


def _rewritten(catalog: Catalog, data: st.DataObject) -> tuple[str, list[str]]:
    """An old text (rendered, at another width, mangled as another tool might) and the
    blocks of the catalog rendered again after some of its translations are edited."""
    before = po.render_catalog(catalog, wrap=data.draw(st.sampled_from([0, 79, 30, 12])))
    previous = _mangled(before, data.draw(st.integers(0, 4)))  # 6 can make a bad escape
    for entry in catalog.entries + catalog.obsolete:
        if data.draw(st.booleans()):
            entry.msgstr = data.draw(text)
    return previous, po_wrap.blocks_of(po.render_catalog(catalog, wrap=79))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.data())
def test_keep_unchanged_spans_keeps_what_keep_unchanged_keeps(
        case: tuple[Catalog, int], data: st.DataObject) -> None:
    previous, blocks = _rewritten(case[0], data)
    old = po_blocks.OldBlocks(previous.encode("utf-8"))
    referred = _refer(blocks, old, data.draw(st.lists(st.booleans())))
    kept = po_blocks.keep_unchanged_spans(referred, old)
    assert _as_text(kept, old) == po_wrap.keep_unchanged(blocks, previous)
    assert po_blocks.joined(kept, old) == "\n".join(
        po_wrap.keep_unchanged(blocks, previous)).encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.data())
def test_same_blocks_spans_says_what_same_blocks_says(
        case: tuple[Catalog, int], data: st.DataObject) -> None:
    previous, blocks = _rewritten(case[0], data)
    old = po_blocks.OldBlocks(previous.encode("utf-8"))
    kept = po_wrap.keep_unchanged(blocks, previous)
    pick = data.draw(st.lists(st.booleans()))
    # kept: as `render_dated` asks; blocks: rewrapped ones too, same content in other bytes
    for these in (kept, blocks):
        assert po_blocks.same_blocks_spans(_refer(these, old, pick), old) == po_wrap.same_blocks(
            these, po_wrap.blocks_of(previous))


def test_only_the_old_blocks_no_new_block_repeats_are_decoded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the old file is read only where the edited entry was."""
    catalog = Catalog(header={"Language": "en", "PO-Revision-Date": "2026-01-01 10:00+0000"},
                      entries=[Entry(msgid=f"cümle {n}", msgstr=f"sentence {n}")
                               for n in range(50)])
    memo = BlockMemo({})
    previous = po.render_catalog(catalog, wrap=79, memo=memo)
    catalog.entries[7].msgstr = "edited"
    decoded: list[int] = []
    real = po_blocks.OldBlocks.text
    monkeypatch.setattr(po_blocks.OldBlocks, "text",
                        lambda self, i: decoded.append(i) or real(self, i))
    again = po.render_dated(catalog, previous.encode(), "PO-Revision-Date", 79,
                            memo=BlockMemo(memo.used))
    assert b'msgstr "edited"' in again and b"2026-01-01" not in again  # a new date
    assert set(decoded) == {8}  # the header is block 0


def _reference_render(catalog: Catalog, wrap: int, previous: str | None,
                      memo: BlockMemo | None) -> str:
    """`render_catalog` as it was written on strs: the old text's blocks decoded, the
    memo's blocks found among them, then `keep_unchanged`."""
    old = po_wrap.blocks_of(previous) if previous is not None else []
    by_digest = {block_digest(b): b for b in old} if memo is not None and memo.known else {}
    first: Any = po._render_blocks(catalog, wrap=wrap, old=None, header_fuzzy=False, memo=None)
    blocks = [first[0]]
    for entry in [*catalog.entries, *catalog.obsolete]:
        inputs = po._render_inputs(entry)
        key = po._inputs_digest(inputs, wrap)
        known = memo.known.get(key) if memo is not None else None
        block = by_digest.get(known) if known is not None else None
        if block is None:
            block = po._rendered(inputs, wrap)
        if memo is not None:
            memo.used[key] = block_digest(block)
        blocks.append(block)
    if previous is not None:
        blocks = po_wrap.keep_unchanged(blocks, previous, old)
    return "\n".join(blocks)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.data())
def test_render_catalog_over_an_old_file_writes_what_the_str_way_wrote(
        case: tuple[Catalog, int], data: st.DataObject) -> None:
    catalog, wrap = case
    first = BlockMemo({})
    po.render_catalog(catalog, wrap=79, memo=first)  # what the last update rendered
    previous, _ = _rewritten(catalog, data)
    memo, reference = BlockMemo(dict(first.used)), BlockMemo(dict(first.used))
    assert po.render_catalog(catalog, wrap=wrap, previous=previous, memo=memo) == \
        _reference_render(catalog, wrap, previous, reference)
    assert memo.used == reference.used


def _big_catalog(n: int) -> Catalog:
    return Catalog(header={"Language": "en", "PO-Revision-Date": "2026-01-01 10:00+0000"},
                   entries=[Entry(msgid=f"cümle {k} " * (k % 7 + 1), msgstr=f"sentence {k}")
                            for k in range(n)],
                   obsolete=[Entry(msgid="eski", msgstr="old", obsolete=True)])


def test_a_catalog_rendered_apart_is_the_catalog_rendered_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Its second half rendered in a child: the same bytes, the same memo, in order."""
    monkeypatch.setattr(po, "ENTRIES_APART_FROM", 10)
    children = []
    from pipeline.adapters import workers
    real = workers.in_child
    monkeypatch.setattr(workers, "in_child", lambda compute: children.append(1) or real(compute))
    catalog = _big_catalog(60)
    first = BlockMemo({})
    previous = po.render_catalog(catalog, wrap=79, memo=first)
    for k in (3, 40, 59):  # edits in both halves
        catalog.entries[k].msgstr += " (edited)"
    out = {}
    for apart in (False, True):
        memo = BlockMemo(dict(first.used))
        out[apart] = (po.render_dated(catalog, previous.encode(), "PO-Revision-Date", 79,
                                      memo=memo, apart=apart), list(memo.used.items()))
    assert children == [1]
    assert out[True] == out[False]
    assert out[True][0].count(b"(edited)") == 3


def test_an_error_in_the_half_rendered_apart_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.errors import BitextError

    monkeypatch.setattr(po, "ENTRIES_APART_FROM", 10)
    real = po._rendered

    def failing(inputs: tuple[Any, ...], wrap: int) -> str:
        if inputs[0].startswith("cümle 50 "):
            raise BitextError("cannot render", path="x.po", line=50)
        return real(inputs, wrap)

    monkeypatch.setattr(po, "_rendered", failing)
    with pytest.raises(BitextError, match="cannot render") as raised:
        po.render_dated(_big_catalog(60), None, "PO-Revision-Date", 79, apart=True)
    assert raised.value.line == 50


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs, st.data())
def test_a_catalog_rendered_over_its_mapped_file_is_rendered_over_its_bytes(
        tmp_path_factory: pytest.TempPathFactory, case: tuple[Catalog, int],
        data: st.DataObject) -> None:
    """The renderer of a big PO in its child maps the old file (`update_apart.map_again`):
    the same bytes, and the same blocks decoded (read with `pread`, not faulted in)."""
    from pipeline.adapters.update_apart import MappedFile, map_again
    from pipeline.keys import digest_bytes

    catalog, wrap = case
    first = BlockMemo({})
    po.render_catalog(catalog, wrap=79, memo=first)
    previous, _ = _rewritten(catalog, data)
    old = previous.encode("utf-8")
    path = tmp_path_factory.mktemp("mapped") / "old.po"
    path.write_bytes(old)
    mapped = map_again(path, "old.po", digest_bytes(old))
    assert isinstance(mapped, MappedFile) or not old
    cut = po_blocks.OldBlocks(old).cut
    here, there = BlockMemo(dict(first.used)), BlockMemo(dict(first.used))

    def fresh() -> Catalog:  # each render sets its date in the header
        return Catalog(header=dict(catalog.header), entries=list(catalog.entries),
                       obsolete=list(catalog.obsolete), header_comment=catalog.header_comment)

    in_bytes = po.render_dated_pieces(fresh(), po_blocks.OldBlocks(old, cut=cut),
                                      "PO-Revision-Date", wrap, memo=here)
    in_map = po.render_dated_pieces(fresh(), po_blocks.OldBlocks(mapped, cut=cut),
                                    "PO-Revision-Date", wrap, memo=there)
    assert b"".join(in_map) == b"".join(in_bytes) and here.used == there.used
    blocks = po_blocks.OldBlocks(mapped, cut=cut)
    assert [blocks.text(i) for i in range(len(blocks))] == \
        [po_blocks.OldBlocks(old, cut=cut).text(i) for i in range(len(blocks))]


def test_a_file_changed_before_it_is_mapped_again_stops_the_update(tmp_path: Path) -> None:
    from pipeline.adapters.update_apart import map_again
    from pipeline.errors import BitextError
    from pipeline.keys import digest_bytes

    path = tmp_path / "old.po"
    path.write_bytes(b'msgid "a"\nmsgstr "b"\n')
    expected = digest_bytes(path.read_bytes())
    path.write_bytes(b'msgid "a"\nmsgstr "c"\n')
    with pytest.raises(BitextError, match="changed while bitext was updating it"):
        map_again(path, "old.po", expected)
    assert map_again(path, "old.po", digest_bytes(path.read_bytes()))[:5] == b"msgid"
    empty = tmp_path / "empty.po"
    empty.write_bytes(b"")
    fds = Path("/proc/self/fd")
    open_before = len(list(fds.iterdir())) if fds.is_dir() else 0
    assert map_again(empty, "empty.po", digest_bytes(b"")) == b""
    if fds.is_dir():  # Linux: the empty file's descriptor is closed (nothing maps it)
        assert len(list(fds.iterdir())) == open_before
