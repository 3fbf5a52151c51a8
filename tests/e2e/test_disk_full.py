"""A full disk (ENOSPC) while update or build writes: one message naming the file, exit 2,
no traceback, nothing changed (update) or every file whole (build)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.e2e.snapshots import snapshot

pytestmark = pytest.mark.e2e

TR = "---\ntitle: Bir yazı\n---\n\n## Giriş\n\nİlk paragraf.\n\nİkinci paragraf.\n"




def full_after(monkeypatch: pytest.MonkeyPatch, good: int) -> None:
    """Let ``good`` files be written through ``os.fdopen``, then fail every write with ENOSPC."""
    real = os.fdopen
    opened = 0

    class Full:
        def __init__(self, handle: Any):
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        handle = real(fd, *args, **kwargs)
        opened += 1
        return handle if opened <= good else Full(handle)

    monkeypatch.setattr(os, "fdopen", fdopen)


@pytest.fixture
def pub(project: Callable[[dict[str, str]], Path], runner: CliRunner) -> Path:
    root = project({"source/tr/doc.md": TR})
    assert runner.invoke(cli, ["-C", str(root), "update"]).exit_code == 0
    # an edit to the original: the next update rewrites POT, PO, Markdown and state
    (root / "source/tr/doc.md").write_text(TR + "\nÜçüncü paragraf.\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("good", "failed"), [
    (0, "locale/doc.pot"),
    (1, "locale/en/LC_MESSAGES/doc.po"),
    (2, "source/en/doc.md"),
    (4, ".bitext/journal.json"),  # all four temporary files written; then the journal
])
def test_update_on_a_full_disk_says_so_and_changes_nothing(
    pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, good: int, failed: str
) -> None:
    before = snapshot(pub)
    full_after(monkeypatch, good)
    result = runner.invoke(cli, ["-C", str(pub), "update"])
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, OSError)
    assert "Traceback" not in result.output
    assert result.output == f"Error: disk full while writing {failed}; nothing changed\n"
    assert snapshot(pub) == before  # no temporary file left behind either


def test_build_on_a_full_disk_names_the_file_and_leaves_it_whole(
    pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert runner.invoke(cli, ["-C", str(pub), "update"]).exit_code == 0
    before = snapshot(pub)
    full_after(monkeypatch, 1)
    result = runner.invoke(cli, ["-C", str(pub), "build", "--to", "html", "--edition", "tr"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith(
        "Error: disk full while writing output/doc/.bitext-build.json; it was left as it was")
    assert result.output.count("\n") == 1
    after = snapshot(pub)
    assert {k: v for k, v in after.items() if not k.startswith("output/")} == before
    assert not [k for k in after if k.endswith(".bitext-tmp")]
