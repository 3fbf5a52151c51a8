"""The tests' publication snapshot (`tests.e2e.snapshots`) sees what it must, so the
"nothing changed" assertions built on it can fail."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.snapshots import snapshot


def test_a_snapshot_holds_files_and_folders_but_not_the_lock_or_the_caches(
        tmp_path: Path) -> None:
    for name, data in (("locale/en/LC_MESSAGES/d.po", b"po"), (".bitext.lock", b""),
                       (".bitext/memos/x.json", b"{}"), (".bitext/update-stats.json", b"{}"),
                       (".bitext/.gitignore", b"*\n"), (".bitext/journal.json", b"{}")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / "source").mkdir()
    assert snapshot(tmp_path) == {".bitext/journal.json": b"{}",
                                  "locale/en/LC_MESSAGES/d.po": b"po"}
    assert snapshot(tmp_path, folders=True) == {
        ".bitext": None, ".bitext/journal.json": b"{}", "locale": None,
        "locale/en": None, "locale/en/LC_MESSAGES": None,
        "locale/en/LC_MESSAGES/d.po": b"po", "source": None}
