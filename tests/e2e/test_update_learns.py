"""The no-op right after an update that wrote hashes nothing, and still sees any edit.

`bitext update` remembers the stats of what it writes (`update_digests.FileStats.learn`)
and of what it read unchanged since before it took the lock (`FileStats.fence`), so the
next run trusts them at once instead of hashing every file (the stats of files written
moments ago used to wait 2 s). An edit made right after the update, even of the same
size, must still be seen.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters import update_digests
from pipeline.cli import cli
from tests.e2e.test_update_fast_paths import corpus  # benchmarks/corpus.py, loaded

pytestmark = pytest.mark.e2e

A_TICK = 0.05  # s: longer than a tick of any kernel's coarse clock (1/HZ: 10 ms at most)


@pytest.fixture
def updated(tmp_path: Path) -> Path:
    """Three documents, updated once: every catalog, Markdown and sync state just written."""
    root = tmp_path / "pub"
    corpus().make_publication(root, 3, layout="files")
    time.sleep(A_TICK)  # the originals' last change before the lock's tick
    result = CliRunner().invoke(cli, ["-C", str(root), "update"])
    assert result.exit_code == 0 and "wrote locale/en/LC_MESSAGES/doc-0002.po" in result.output
    return root


def test_the_no_op_right_after_an_update_reads_no_file(updated: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    real = update_digests.read_stat

    def counted(path: Path):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(path)

    monkeypatch.setattr(update_digests, "read_stat", counted)
    monkeypatch.setattr(update_digests, "load_state", counted)
    result = CliRunner().invoke(cli, ["-C", str(updated), "update"])
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.output and "nothing changed" in result.output
    assert read == []


@pytest.mark.parametrize("edited", ["locale/en/LC_MESSAGES/doc-0001.po", "source/en/doc-0001.md",
                                    "source/tr/doc-0001.md"])
def test_an_edit_of_the_same_size_right_after_an_update_is_seen(updated: Path,
                                                                edited: str) -> None:
    path = updated / edited
    data = path.read_bytes()
    at = data.rindex(b"e")  # a letter of the last paragraph (a translation's, or the original's)
    with path.open("r+b") as handle:  # in place, no wait: same inode, same size
        handle.seek(at)
        handle.write(b"a")
    result = CliRunner().invoke(cli, ["-C", str(updated), "update"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output, f"the edit of {edited} was not seen"


def test_an_original_saved_while_the_update_runs_is_not_taken_for_what_it_read(
        updated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.commands import update as update_command

    original = updated / "source/tr/doc-0001.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nBir paragraf daha.\n",
                        encoding="utf-8")
    real = update_command.commit

    def saved_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        original.write_text(original.read_text(encoding="utf-8") + "\nVe bir tane daha.\n",
                            encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(update_command, "commit", saved_meanwhile)
    assert CliRunner().invoke(cli, ["-C", str(updated), "update"]).exit_code == 0
    monkeypatch.undo()
    result = CliRunner().invoke(cli, ["-C", str(updated), "update"])
    assert result.exit_code == 0, result.output
    assert "wrote locale/doc-0001.pot" in result.output  # the paragraph saved meanwhile
    assert "Ve bir tane daha." in (updated / "locale/doc-0001.pot").read_text(encoding="utf-8")
