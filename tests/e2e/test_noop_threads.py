"""`update_digests.untouched_each`: without usable stats, the no-op's hashing is shared with
a second thread; the answers, and the error raised, are those of one thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.adapters import update_digests
from pipeline.adapters.update_digests import STATS, FileStats, untouched, untouched_each
from pipeline.commands.update import update
from pipeline.config import Config, load_config
from pipeline.errors import BitextError
from tests.e2e.test_update_cli import TR

pytestmark = pytest.mark.e2e

DOCS = 6


def _updated(project: Callable[[dict[str, str]], Path]) -> Config:
    root = project({f"source/tr/d{i}.md": TR.replace("kısa", f"kısa {i}")
                    for i in range(DOCS)})
    config = load_config(root)
    update(config, config.list_documents(), jobs=1)
    return load_config(root)


def _threads_seen(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    seen: set[str] = set()
    real = update_digests.untouched

    def recording(config: Config, doc: str, stats: FileStats | None = None) -> bool:
        seen.add(threading.current_thread().name)
        return real(config, doc, stats)

    monkeypatch.setattr(update_digests, "untouched", recording)
    return seen


def test_without_stats_two_threads_hash_and_agree_with_one(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _updated(project)
    changed = config.source_path("en", "d3")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEk.\n", encoding="utf-8")
    (config.root / STATS).unlink(missing_ok=True)
    docs = config.list_documents()
    alone = [untouched(config, doc, None) for doc in docs]
    assert alone == [True, True, True, False, True, True]
    seen = _threads_seen(monkeypatch)
    assert untouched_each(config, docs, FileStats(config.root)) == alone
    assert seen == {"MainThread", "bitext-hash"}


def test_with_settled_stats_one_thread_does_it(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _updated(project)
    stats = FileStats(config.root, now=2**62)  # every file's change time old enough
    docs = config.list_documents()
    assert all(untouched(config, doc, stats) for doc in docs)
    seen = _threads_seen(monkeypatch)
    assert untouched_each(config, docs, stats) == [True] * DOCS
    assert seen == {"MainThread"}


def test_the_first_documents_error_is_raised(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _updated(project)
    real = update_digests.untouched

    def failing(config: Config, doc: str, stats: FileStats | None = None) -> bool:
        if doc in ("d1", "d4"):
            if doc == "d1":
                time.sleep(0.3)  # d4's error comes first
            raise BitextError(f"{doc} refused", path=f"source/tr/{doc}.md")
        return real(config, doc, stats)

    monkeypatch.setattr(update_digests, "untouched", failing)
    for _ in range(2):
        with pytest.raises(BitextError, match="d1 refused"):
            untouched_each(config, config.list_documents(), FileStats(config.root))
