"""The blocks of each original's chunks, remembered under ``.bitext/md-chunks/``.

`pipeline.markdown.chunks` parses only the chunks of a text its memo does not
know; this module keeps that memo between runs, one file per original. Like the
PO block memo (`pipeline.adapters.block_memo`) it is a cache, never publication
data: keyed by the digest of each chunk's text and by code identity (the
parser's modules, markdown-it-py's and its plugins' versions), ignored when
damaged or missing, written after the journalled commit, best effort. A
well-formed entry is believed as the working folder is: ``.bitext/`` is
git-ignored and written by bitext only, and a stale entry cannot match (its
key is the digest of the chunk's text). `update`
writes it; the commands that only read (`check`, `status`, `build`) use it as
they find it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.adapters.block_memo import read_memo

if TYPE_CHECKING:  # markdown-it is slow to import: only the commands that parse pay for it
    from pipeline.markdown.chunks import ChunkMemo

FOLDER = Path(".bitext") / "md-chunks"
FORMAT = "bitext-md-chunks 1"


@lru_cache(maxsize=1)
def code_identity() -> str:
    """A digest of what a chunk's blocks depend on besides its text: the parsing code."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.markdown import block_parser, blocks, chunks

    h = hashlib.blake2b(digest_size=16)
    h.update(FORMAT.encode())
    for package in ("markdown-it-py", "mdit-py-plugins"):
        try:
            h.update(f"\x00{package} {version(package)}".encode())
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            h.update(f"\x00{package} ?".encode())
    for module in (block_parser, blocks, chunks):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


def chunk_memo_path(root: Path, relative: str) -> Path:
    """Where the memo of the original ``relative`` (to the publication root) is kept."""
    name = hashlib.sha1(relative.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return root / FOLDER / f"{name}.json"


def load_chunk_memo(path: Path) -> ChunkMemo:
    """The memo kept at ``path``; an empty one when it is missing, damaged or from other code.

    Each entry is checked where it is used (`pipeline.markdown.chunks`): one damaged
    entry costs one chunk's parse, not a wrong block.
    """
    from pipeline.markdown.chunks import ChunkMemo

    chunks = read_memo(path, FORMAT, code_identity(), "chunks")
    return ChunkMemo() if chunks is None else ChunkMemo(known=chunks)


def chunk_memo_text(memo: ChunkMemo) -> str | None:
    """What to save for ``memo`` after a parse; None when it would be the file as loaded."""
    if not memo.parsed and memo.used.keys() == memo.known.keys():
        return None  # every chunk read from it, and none gone: the file as it is
    return json.dumps({"format": FORMAT, "code": code_identity(), "chunks": memo.used},
                      ensure_ascii=False, separators=(",", ":"))
