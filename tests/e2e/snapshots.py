"""A publication's files as bytes, to show a run changed nothing (or what it changed)."""

from __future__ import annotations

from pathlib import Path


def snapshot(root: Path, *, folders: bool = False) -> dict[str, bytes | None]:
    """Every file under ``root`` (``folders``: and every folder, as None), by its path.

    Left out: the lock file and update's memos (`.bitext/memos/`), caches whose writing
    is no change to the publication.
    """
    memos = root / ".bitext" / "memos"
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*"))
            if (folders or p.is_file()) and p.name != ".bitext.lock"
            and not p.is_relative_to(memos)}
