"""`update_workers`: a parallel update stages each chunk as it finishes, gives the workers
their configuration by the fork, and fails as a serial run would."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.adapters import journal, update_document, update_workers
from pipeline.commands.update import update
from pipeline.config import Config, load_config
from pipeline.errors import BitextError
from tests.e2e.snapshots import snapshot
from tests.e2e.test_update_cli import TR

pytestmark = pytest.mark.e2e

DOCS = 12  # three chunks of four


def _publication(project: Callable[[dict[str, str]], Path]) -> Path:
    return project({f"source/tr/d{i:02d}.md": TR.replace("kısa", f"kısa {i}")
                    for i in range(DOCS)})


def _slow(monkeypatch: pytest.MonkeyPatch, slow: str, *, fail: str | None = None,
          fail_too: str | None = None) -> None:
    """The workers (forked after this) take 1.5 s over ``slow``; ``fail`` and ``fail_too``
    get an original with a footnote reference nowhere defined."""
    real = update_document.update_document

    def patched(config: Config, doc: str, *args: Any, **kwargs: Any) -> Any:
        if doc == slow:
            time.sleep(1.5)
        if doc in (fail, fail_too):
            raise BitextError(f"{doc} is broken", path=f"source/tr/{doc}.md")
        return real(config, doc, *args, **kwargs)

    monkeypatch.setattr(update_document, "update_document", patched)


def test_chunks_are_staged_as_they_finish_not_in_order(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _publication(project)
    _slow(monkeypatch, "d00")  # the first chunk finishes last
    order: list[str] = []
    real = journal.stage

    def stage(where: Path, group: journal.Group) -> journal.Staged | None:
        order.append(next(p.stem for p in group.files if p.suffix == ".pot"))
        return real(where, group)

    monkeypatch.setattr(update_workers, "stage", stage)
    result = update(load_config(root), load_config(root).list_documents(), jobs=2)
    assert order[-4:] == ["d00", "d01", "d02", "d03"]  # staged once it came, in its order
    assert sorted(order) == [f"d{i:02d}" for i in range(DOCS)]
    assert [r.doc for r in result.languages] == [f"d{i:02d}" for i in range(DOCS)]
    assert (root / "locale/d00.pot").exists() and list(root.rglob("*.bitext-tmp")) == []


def test_the_workers_get_the_configuration_by_the_fork_not_pickled(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _publication(project)

    def refuse(self: Config, protocol: int) -> Any:
        raise AssertionError("the configuration was pickled")

    monkeypatch.setattr(Config, "__reduce_ex__", refuse, raising=False)
    if os.name != "posix":
        pytest.skip("no fork: the configuration goes pickled to the initializer")
    result = update(load_config(root), load_config(root).list_documents(), jobs=2)
    assert len(result.written) == 4 * DOCS  # template, PO, Markdown, state


def test_the_first_failing_document_in_order_is_reported(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """d01 fails late (its chunk is slow), d09 early: the error is d01's, as in a serial
    run, and nothing is written, no temporary file left."""
    root = _publication(project)
    _slow(monkeypatch, "d00", fail="d01", fail_too="d09")
    with pytest.raises(BitextError, match="d01 is broken"):
        update(load_config(root), load_config(root).list_documents(), jobs=2)
    assert not (root / "locale").exists()
    assert list(root.rglob("*.bitext-tmp")) == []


def test_a_dry_run_in_workers_lists_what_it_would_write_and_writes_nothing(
    project: Callable[[dict[str, str]], Path]
) -> None:
    root = _publication(project)
    update(load_config(root), load_config(root).list_documents(), jobs=2)
    for i in range(DOCS):  # every document edited: its folders exist, all would be staged
        original = root / f"source/tr/d{i:02d}.md"
        original.write_text(original.read_text(encoding="utf-8").replace("İlk", "Ilk"),
                            encoding="utf-8")
    before = snapshot(root)
    result = update(load_config(root), load_config(root).list_documents(), jobs=2,
                    dry_run=True)
    assert len(result.written) == 4 * DOCS
    assert snapshot(root) == before and list(root.rglob("*.bitext-tmp")) == []
