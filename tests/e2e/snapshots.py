"""A publication's files as bytes, to show a run changed nothing (or what it changed)."""

from __future__ import annotations

from pathlib import Path


def snapshot(root: Path, *, folders: bool = False) -> dict[str, bytes | None]:
    """Every file under ``root`` (``folders``: and every folder, as None), by its path.

    Left out: the lock file, update's memos (`.bitext/memos/`) and the stats it
    remembers (`.bitext/update-stats.json`, with the working folder's ``.gitignore``
    made with it), caches whose writing is no change to the publication.
    """
    memos = root / ".bitext" / "memos"
    caches = {root / ".bitext" / "update-stats.json", root / ".bitext" / ".gitignore"}
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*"))
            if (folders or p.is_file()) and p.name != ".bitext.lock"
            and not p.is_relative_to(memos) and p not in caches}
