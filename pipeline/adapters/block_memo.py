"""Which PO block each entry rendered to last time: update's rendering memo.

Rendering an entry (escaping, gettext's wrapping, polib's layout) is most of
what writing a catalog costs, and after an edit almost every entry renders
exactly as it did in the last update. So for each file `update` writes, this
keeps a map from a digest of an entry's rendering inputs (`pipeline.adapters.po`
computes it) to a digest of the block it rendered to. At the next update, an
entry whose inputs digest is known takes its bytes from the file's old text,
where a block with that digest must still be found: a block edited (or the file
replaced) since is simply not found, and the entry is rendered as usual. So the
memo can be stale, damaged, or deleted without changing a byte of the output;
it is keyed by code identity (the source of the modules that render, polib's
version), so a change to the renderer drops it.

**One memo file per document** (``.bitext/memos/<digest of the original's
path>.json``): its *parts* are this memo for the template and for each PO, and
the original's chunk memo (`pipeline.adapters.chunk_memo`), each with its own
format and code identity. One file, read once and written once, rather than
one per part: creating a file is what writing a memo costs (issue 16).

The memo files are a cache, not publication data: damaged or missing, they cost
time only; never read for anything but speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.adapters.fs import working_folder, write_cache
from pipeline.errors import BitextError

FOLDER = Path(".bitext") / "memos"
FILE_FORMAT = "bitext-memos 1"
FORMAT = "bitext-po-blocks 1"


def block_digest(block: str) -> str:
    return bytes_digest(block.encode("utf-8", "surrogatepass"))


def bytes_digest(data: bytes | memoryview) -> str:
    """`block_digest` of the block whose UTF-8 is ``data`` (an old file's span)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_identity() -> str:
    """A digest of everything an entry's bytes depend on besides its inputs: the code."""
    import polib

    from pipeline import catalog
    from pipeline.adapters import po, po_blocks, po_syntax, po_wrap

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}\x00{getattr(polib, '__version__', '')}".encode())
    for module in (po, po_wrap, po_syntax, po_blocks, catalog):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


class BlockMemo:
    """Inputs digest -> block digest: what was known (``known``) and what this run used."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known = known or {}
        self.used: dict[str, str] = {}

    def part(self) -> dict[str, Any]:
        """What to keep of this memo (its part of the document's memo file)."""
        return {"format": FORMAT, "code": code_identity(), "blocks": self.used}


def memo_file(root: Path, original: str) -> Path:
    """Where the memos of the document whose original is ``original`` (relative to the
    publication root) are kept."""
    name = hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return root / FOLDER / f"{name}.json"


def load_parts(path: Path) -> dict[str, Any]:
    """The parts of the memo file at ``path``; none when it is missing or damaged."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not (isinstance(data, dict) and data.get("format") == FILE_FORMAT
            and isinstance(data.get("parts"), dict)):
        return {}
    parts: dict[str, Any] = data["parts"]
    return parts


def parts_text(parts: dict[str, Any]) -> str:
    return json.dumps({"format": FILE_FORMAT, "parts": parts}, ensure_ascii=False,
                      separators=(",", ":"))


def block_part(relative: str) -> str:
    """The name of the block memo's part for the catalog ``relative`` (to the root)."""
    return f"po-blocks {relative}"


def load_memo(parts: dict[str, Any], relative: str) -> BlockMemo:
    """The block memo of the catalog ``relative``; an empty one when it is missing,
    damaged or from other code."""
    blocks = read_part(parts.get(block_part(relative)), FORMAT, code_identity(), "blocks")
    if blocks is None or not all(isinstance(k, str) and isinstance(v, str)
                                 for k, v in blocks.items()):
        return BlockMemo()
    return BlockMemo(blocks)


def let_go_of_memo(parts: dict[str, Any], memo: BlockMemo, relative: str) -> None:
    """Drop here the memo of the catalog ``relative``, which a child renders with its own
    copy (by the fork): its part is written anew from what the child used (`used`), and a
    big document's two memos are 4 MiB of this process's peak."""
    parts.pop(block_part(relative), None)
    memo.known = {}


def read_part(data: Any, format_: str, code: str, field: str) -> dict[str, Any] | None:
    """The ``field`` mapping of a memo part of ``format_`` written by ``code``; None when
    it is missing, damaged, of another format or from other code."""
    if not (isinstance(data, dict) and data.get("format") == format_
            and data.get("code") == code and isinstance(data.get(field), dict)):
        return None
    found: dict[str, Any] = data[field]
    return found


# Where earlier builds of bitext kept these memos, one file per part (no longer read).
LEGACY = ("po-blocks", "md-chunks")


def save_memos(root: Path, memos: dict[Path, str]) -> None:
    """Write the memos (best effort: a memo that cannot be written is only a slower next run).

    The folders of the earlier layout go: caches of bitext's own that nothing reads now.
    """
    if not memos:
        return
    with contextlib.suppress(OSError, BitextError):
        working_folder(root / FOLDER.parent)
        for path, text in memos.items():
            path.parent.mkdir(exist_ok=True)
            write_cache(path, text)  # in place: a torn memo is a damaged one, ignored
    for name in LEGACY:
        legacy = root / FOLDER.parent / name
        if legacy.is_dir() and not legacy.is_symlink():
            shutil.rmtree(legacy, ignore_errors=True)
