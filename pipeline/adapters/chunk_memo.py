"""The blocks of each original's chunks, remembered between runs.

`pipeline.markdown.chunks` parses only the chunks of a text its memo does not
know; this module keeps that memo between runs, as a part of the document's
memo file (`pipeline.adapters.block_memo.memo_file`). Like the
PO block memo (`pipeline.adapters.block_memo`) it is a cache, never publication
data: keyed by the digest of each chunk's text and by code identity (the
parser's modules, markdown-it-py's and its plugins' versions), ignored when
damaged or missing, written best effort. A
well-formed entry is believed as the working folder is: ``.bitext/`` is
git-ignored and written by bitext only, and a stale entry cannot match (its
key is the digest of the chunk's text). `update`
writes it; the commands that only read (`check`, `status`, `build`) use it as
they find it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.adapters.block_memo import read_part

if TYPE_CHECKING:  # markdown-it is slow to import: only the commands that parse pay for it
    from pipeline.markdown.chunks import ChunkMemo

FORMAT = "bitext-md-chunks 1"


@lru_cache(maxsize=1)
def code_identity() -> str:
    """A digest of what a chunk's blocks depend on besides its text: the parsing code."""
    import markdown_it
    import mdit_py_plugins

    from pipeline.markdown import block_parser, blocks, chunks

    h = hashlib.blake2b(digest_size=16)
    h.update(FORMAT.encode())
    # The packages' own version strings: imported already, where importlib.metadata
    # would search the installed distributions (10 ms of every update that parses).
    for package in (markdown_it, mdit_py_plugins):
        h.update(f"\x00{package.__name__} {package.__version__}".encode())
    for module in (block_parser, blocks, chunks):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


def chunk_part(relative: str) -> str:
    """The name of the chunk memo's part for the original ``relative`` (to the root)."""
    return f"md-chunks {relative}"


def load_chunk_memo(parts: dict[str, Any], relative: str) -> ChunkMemo:
    """The chunk memo of the original ``relative`` among a memo file's ``parts``; an
    empty one when it is missing, damaged or from other code.

    Each entry is checked where it is used (`pipeline.markdown.chunks`): one damaged
    entry costs one chunk's parse, not a wrong block.
    """
    from pipeline.markdown.chunks import ChunkMemo

    chunks = read_part(parts.get(chunk_part(relative)), FORMAT, code_identity(), "chunks")
    return ChunkMemo() if chunks is None else ChunkMemo(known=chunks)


def chunk_memo_part(memo: ChunkMemo) -> dict[str, Any] | None:
    """What to keep of ``memo`` after a parse; None when it would be the part as loaded."""
    if not memo.parsed and memo.used.keys() == memo.known.keys():
        return None  # every chunk read from it, and none gone: the part as it is
    return {"format": FORMAT, "code": code_identity(), "chunks": memo.used}
