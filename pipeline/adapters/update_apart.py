"""A big document's update, partly done apart: in forked children beside this process.

`pipeline.adapters.update_document` hands pieces of a big document's update to
children (`pipeline.adapters.workers.in_child`), each running the same code on the
same data: a big PO is read and parsed beside the original's segmenting
(`parsed_early`), its template and PO rendered while this process goes on
(`started`), each result a `workers.Waited`; `PendingPO` is a PO still rendering,
taken once the rest of its document is let go.
"""

from __future__ import annotations

import contextlib
import mmap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline.config import Config

if TYPE_CHECKING:
    from pipeline.adapters.block_memo import BlockMemo
    from pipeline.adapters.journal import Prestaged
    from pipeline.adapters.po import CatalogRows
    from pipeline.adapters.po_blocks import Cut
    from pipeline.adapters.workers import Pieces, Waited
    from pipeline.catalog import Catalog

T = TypeVar("T")


# From this size, a PO is parsed in a child beside the original (parsing a 2 MB PO takes
# ~40 ms; a fork and the rows' way back ~10 ms).
PARSE_APART_FROM = 2 * 2**20


Parsed = tuple[str, "Catalog", "Cut"]  # a PO's digest, its catalog, its blocks' cut


def parsed_early(config: Config, po_path: Path) -> Waited[Parsed] | None:
    """A big PO's parse started in a child: waited for, the digest of the text it parsed,
    the catalog and where its blocks are (`po_blocks.OldBlocks.cut`, for its renderer).
    None for a small or missing PO.

    The child reads the file itself: this process never holds the text (twice the file's
    size as a str of Turkish, through every later fork and at the peak of update's
    memory). Its renderer reads it again, and checks it is the same (`read_again`).
    """
    from pipeline.adapters.fs import decode, read_bytes
    from pipeline.adapters.po import catalog_from_rows, catalog_rows, parse_catalog
    from pipeline.adapters.po_blocks import OldBlocks
    from pipeline.adapters.workers import Waited
    from pipeline.keys import digest_bytes

    try:
        if po_path.stat().st_size < PARSE_APART_FROM:
            return None
    except OSError:
        return None
    shown = config.relative(po_path)

    def parse() -> tuple[str, CatalogRows, Cut]:
        data = read_bytes(po_path, shown=shown)
        rows = catalog_rows(parse_catalog(decode(data, shown=shown), shown=shown))
        return digest_bytes(data), rows, OldBlocks(data).cut

    rows = started(parse, True)

    def parsed() -> Parsed:
        found, catalog, cut = rows()
        return found, catalog_from_rows(catalog), cut

    return Waited(parsed)


def read_again(path: Path, shown: str, expected: str) -> bytes:
    """The bytes of a file read before, whose digest was ``expected``; raises if it changed
    since (the update is then not written: its merge was made from the text read first)."""
    from pipeline.adapters.fs import read_bytes
    from pipeline.errors import BitextError
    from pipeline.keys import digest_bytes

    data = read_bytes(path, shown=shown)
    if digest_bytes(data) != expected:
        raise BitextError(CHANGED, path=shown)
    return data


CHANGED = "changed while bitext was updating it; nothing was written: run `bitext update` again"


def map_again(path: Path, shown: str, expected: str) -> bytes | mmap.mmap:
    """`read_again`, the file mapped rather than read (a 9 MB PO, in its renderer's child):
    its digest is taken a MiB at a time, and its pages are resident only while they are
    copied (`workers.Pieces`' ``release``). A file written over in place meanwhile fails
    the commit (its stamp); one cut short while mapped would end the child (SIGBUS),
    and the update stops there, nothing written ("a worker process died")."""
    import os

    from pipeline.adapters.fs import CLOEXEC
    from pipeline.errors import BitextError
    from pipeline.keys import digest_chunks

    try:
        fd = os.open(path, os.O_RDONLY | CLOEXEC)
    except OSError:
        return read_again(path, shown, expected)  # its message names the file
    try:
        if digest_chunks(iter(lambda: os.read(fd, 1 << 20), b"")) != expected:
            raise BitextError(CHANGED, path=shown)
        size = os.fstat(fd).st_size
        if size:
            return MappedFile(fd, size)  # it keeps the descriptor, for `pread`
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return b""  # empty (an empty file cannot be mapped)


class MappedFile(mmap.mmap):
    """A file mapped to be copied from (`workers.Pieces`), with `pread` for the few
    pieces read here and there (`po_blocks.OldBlocks.text`): a fault on the mapping
    brings in 64 KiB around it, and 400 decoded blocks brought in the whole file."""

    fd: int

    def __new__(cls, fd: int, size: int) -> MappedFile:
        mapped = super().__new__(cls, fd, size, access=mmap.ACCESS_READ)
        mapped.fd = fd
        return mapped

    def pread(self, size: int, offset: int) -> bytes:
        import os

        return os.pread(self.fd, size, offset)

    def __del__(self) -> None:
        import os

        with contextlib.suppress(OSError):
            os.close(self.fd)


def started(compute: Callable[[], T], split: bool) -> Callable[[], T]:
    """``compute`` started in a child when ``split``, else done now; call for its result."""
    if split:
        from pipeline.adapters.workers import in_child

        return in_child(compute)
    value = compute()
    return lambda: value


class PendingPO:
    """A PO being rendered (in a child, when split): its bytes, once waited for, and what
    its block memo used, recorded then."""

    def __init__(self, rendering: Waited[tuple[bytes | Pieces, dict[str, str] | None]],
                 memo: BlockMemo | None):
        self.rendering, self.memo = rendering, memo

    def __call__(self) -> bytes:
        data, used = self.rendering()
        if self.memo is not None and used is not None:
            self.memo.used = used
        # a child's `Pieces` come back as bytes (`workers.in_child`)
        return data if isinstance(data, bytes) else data.joined()


def drain_pending(computed: dict[Path, bytes | bytearray | Prestaged | PendingPO]) -> None:
    """Wait for the children of POs not waited for yet (an error came first)."""
    for value in computed.values():
        if isinstance(value, PendingPO):
            value.rendering.drain()
