"""Which PO block each entry rendered to last time, remembered under ``.bitext/po-blocks/``.

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

The memo files are a cache, not publication data: written after the journalled
commit (a crash loses at most the memo), never read for anything but speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.adapters.fs import working_folder, write_atomic
from pipeline.errors import BitextError

FOLDER = Path(".bitext") / "po-blocks"
FORMAT = "bitext-po-blocks 1"


def block_digest(block: str) -> str:
    return hashlib.blake2b(block.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_identity() -> str:
    """A digest of everything an entry's bytes depend on besides its inputs: the code."""
    import polib

    from pipeline import catalog
    from pipeline.adapters import po, po_syntax, po_wrap

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}\x00{getattr(polib, '__version__', '')}".encode())
    for module in (po, po_wrap, po_syntax, catalog):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


class BlockMemo:
    """Inputs digest -> block digest: what was known (``known``) and what this run used."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known = known or {}
        self.used: dict[str, str] = {}

    def text(self) -> str:
        return json.dumps({"format": FORMAT, "code": code_identity(), "blocks": self.used},
                          separators=(",", ":"))


def memo_path(root: Path, relative: str) -> Path:
    """Where the memo of the file ``relative`` (to the publication root) is kept."""
    name = hashlib.sha1(relative.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return root / FOLDER / f"{name}.json"


def load_memo(path: Path) -> BlockMemo:
    """The memo kept at ``path``; an empty one when it is missing, damaged or from other code."""
    blocks = read_memo(path, FORMAT, code_identity(), "blocks")
    if blocks is None or not all(isinstance(k, str) and isinstance(v, str)
                                 for k, v in blocks.items()):
        return BlockMemo()
    return BlockMemo(blocks)


def read_memo(path: Path, format_: str, code: str, field: str) -> dict[str, Any] | None:
    """The ``field`` mapping of a memo file of ``format_`` written by ``code``; None when
    the file is missing, damaged, of another format or from other code."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and data.get("format") == format_
            and data.get("code") == code and isinstance(data.get(field), dict)):
        return None
    found: dict[str, Any] = data[field]
    return found


def save_memos(root: Path, memos: dict[Path, str]) -> None:
    """Write the memos (best effort: a memo that cannot be written is only a slower next run)."""
    if not memos:
        return
    with contextlib.suppress(OSError, BitextError):
        working_folder(root / FOLDER.parent)
        for path, text in memos.items():
            path.parent.mkdir(exist_ok=True)  # po-blocks/, md-chunks/ (chunk_memo)
            write_atomic(path, text)
