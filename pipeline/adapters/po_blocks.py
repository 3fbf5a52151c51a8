"""A PO file's old blocks as spans of its bytes: what a rewrite keeps, never decoded whole.

`pipeline.adapters.po` writes a catalog over the file it had (`render_dated`): an
entry the block memo knows takes its block from the old file byte for byte, and an
entry whose content did not change keeps its old bytes (`keep_unchanged`). Done on
the old *text*, that meant decoding the whole file (a 9 MB catalog of Turkish is an
18 MB str), cutting it into a second copy of blocks, hashing each block's encoding
again and joining and encoding the result: a third of the time, and most of the
memory, of the child that renders a big document's PO.

Here the old file stays bytes. `OldBlocks` cuts it where `blocks_of` cuts its text
(the cut, ``\\n[ \\t\\r]*\\n``, is ASCII, and UTF-8 never puts an ASCII byte inside a
character) and hashes each span as `block_digest` hashes the block. A new catalog's
blocks are a list of *rendered* strs and *references* (ints) to old blocks;
`keep_unchanged_spans` and `same_blocks_spans` are `keep_unchanged` and `same_blocks`
for such a list (decoding only the old blocks they must read: those no new block
repeats), and `joined` writes the file, the old blocks' bytes copied as they are.
Equal blocks are told by their digests (128 bits, as the memo tells them). Tests hold
the two ways equal (tests/property/test_po_blocks.py).
"""

from __future__ import annotations

import mmap
import re
from functools import cached_property

from pipeline.adapters.block_memo import bytes_digest as _digest

# po_wrap's comparisons of blocks, on the few old blocks decoded here
from pipeline.adapters.po_wrap import _loose, _same_content, taken_back

Blocks = list[str | int]  # a catalog's blocks: rendered text, or an old block's index

_GAP = re.compile(rb"\n[ \t\r]*\n")  # `blocks_of`'s cut
_VISIBLE = re.compile(rb"[!-~]")  # a byte that makes a block more than white space


Cut = tuple[list[tuple[int, int]], list[str]]  # an `OldBlocks`' spans and digests


class OldBlocks:
    """``blocks_of(data.decode())``, as spans of ``data``: block ``i`` is
    ``data[a:b] + b"\\n"`` for ``(a, b) = spans[i]``. ``errors``: how the text was
    encoded (``surrogatepass`` for a str that may hold lone surrogates). ``cut``: the
    spans and digests of the same bytes, found before (by the child that parsed them)."""

    def __init__(self, data: bytes | mmap.mmap, errors: str = "strict", *,
                 cut: Cut | None = None):
        self.data, self.errors = data, errors
        self._view = memoryview(data)
        self.spans: list[tuple[int, int]] = []
        if cut is not None:
            self.spans, self.__dict__["digests"] = cut  # the cached property, given
            return
        start, end = 0, len(data)
        while start < end and data[start] == 0x0A:  # text.strip("\n")
            start += 1
        while end > start and data[end - 1] == 0x0A:
            end -= 1
        if start == end:
            return
        at = start
        for gap in _GAP.finditer(data, start, end):
            self._add(at, gap.start())
            at = gap.end()
        self._add(at, end)

    def _add(self, a: int, b: int) -> None:
        data = self.data
        while a < b and data[a] == 0x0A:  # block.strip("\n")
            a += 1
        while b > a and data[b - 1] == 0x0A:
            b -= 1
        # `blocks_of` drops a block that is only white space, Unicode's (str.strip()):
        # one with a visible ASCII byte (a PO block's first, mostly) is not; any other is
        # decoded to be sure.
        if a == b or (not 0x21 <= data[a] <= 0x7E and _VISIBLE.search(data, a, b) is None
                      and not data[a:b].decode("utf-8", self.errors).strip()):
            return
        self.spans.append((a, b))

    def __len__(self) -> int:
        return len(self.spans)

    def piece(self, i: int) -> bytes | memoryview:
        """Block ``i``'s bytes, its final line feed included (a view where the file has it)."""
        a, b = self.spans[i]
        # A span ends where a line feed was cut off it (`_add`, or the gap's first byte):
        # within the file, that line feed follows it. Not read to be sure: a mapped file's
        # every page would be brought in (`update_apart.map_again`).
        if b < len(self.data):
            return self._view[a:b + 1]
        return self.data[a:b] + b"\n"

    def text(self, i: int) -> str:
        pread = getattr(self.data, "pread", None)  # a mapped file: read, not faulted in
        if pread is None:
            return bytes(self.piece(i)).decode("utf-8", self.errors)
        a, b = self.spans[i]
        found: bytes = pread(b - a, a) + b"\n"
        return found.decode("utf-8", self.errors)

    @cached_property
    def digests(self) -> list[str]:
        return [_digest(self.piece(i)) for i in range(len(self.spans))]

    @property
    def cut(self) -> Cut:
        """What `OldBlocks(data, cut=...)` takes to make these blocks again without cutting."""
        return self.spans, self.digests

    @cached_property
    def by_digest(self) -> dict[str, int]:
        """Each block's digest -> the block (the last of equal ones, as a dict keeps)."""
        return {d: i for i, d in enumerate(self.digests)}


def keep_unchanged_spans(blocks: Blocks, old: OldBlocks) -> Blocks:
    """`keep_unchanged(blocks, previous)` for ``blocks`` that refer to ``old``'s blocks.

    Its steps, with "equal blocks" read as equal digests: only old blocks no new block
    repeats can hold an entry another tool rewrapped; of those, the ones whose loose
    form a new block has (or any, where a form cannot be said) are compared by content.
    """
    rendered = {b: _digest(b.encode("utf-8", old.errors)) for b in blocks if isinstance(b, str)}
    digests = old.digests
    repeated = {digests[b] for b in blocks if isinstance(b, int)} | set(rendered.values())
    gone = [i for i, d in enumerate(digests) if d not in repeated]
    if not gone:
        return blocks
    same = old.by_digest
    gone_loose: dict[str, str | None] = {}
    for i in gone:
        text = old.text(i)
        if text not in gone_loose:
            gone_loose[text] = _loose(text)
    take = taken_back({b: _loose(b) for b, d in rendered.items() if d not in same}, gone_loose)
    if take is None:
        return blocks
    return [b if isinstance(b, int) or rendered[b] in same else take(b) for b in blocks]


def same_blocks_spans(blocks: Blocks, old: OldBlocks) -> bool:
    """`same_blocks(blocks, blocks_of(old text))`: the same entries (headers aside)?"""
    if len(blocks) != len(old):
        return False
    digests = old.digests
    for i in range(1, len(blocks)):
        block = blocks[i]
        if isinstance(block, int):
            if digests[block] == digests[i]:
                continue
            block = old.text(block)
        else:
            if not block.endswith("\n"):
                block += "\n"
            if _digest(block.encode("utf-8", old.errors)) == digests[i]:
                continue
        if not _same_content(block, old.text(i)):
            return False
    return True


def joined(blocks: Blocks, old: OldBlocks | None, errors: str = "strict") -> bytes:
    """The file's bytes: ``"\\n".join(blocks)``, encoded, with each old block's bytes
    copied from the old file."""
    return b"".join(pieces(blocks, old, errors))


def pieces(blocks: Blocks, old: OldBlocks | None, errors: str = "strict"
           ) -> list[bytes | memoryview]:
    """`joined`'s bytes, not joined: each block's (an old one's a view of the old file)
    and the line feeds between them."""
    out: list[bytes | memoryview] = []
    for n, block in enumerate(blocks):
        if n:
            out.append(b"\n")
        if isinstance(block, int):
            if old is None:
                raise ValueError("an old block's index without the old file")
            out.append(old.piece(block))
        else:
            out.append(block.encode("utf-8", errors))
    return out
