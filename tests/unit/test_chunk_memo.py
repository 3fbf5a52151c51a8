"""The originals' chunk memo on disk (`pipeline.adapters.chunk_memo`): kept, reused, checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.adapters import chunk_memo
from pipeline.adapters.block_memo import save_memos
from pipeline.markdown import chunks
from pipeline.markdown.segments import parse_document

REPO = Path(__file__).resolve().parents[2]
SAMPLE = (REPO / "source" / "tr" / "article.md").read_text(encoding="utf-8")


def _saved(tmp_path: Path, text: str) -> Path:
    memo = chunk_memo.load_chunk_memo(tmp_path / "missing.json")
    parse_document(text, memo=memo)
    saved = chunk_memo.chunk_memo_text(memo)
    assert saved is not None
    path = chunk_memo.chunk_memo_path(tmp_path, "source/tr/article.md")
    save_memos(tmp_path, {path: saved})
    return path


def _parses(text: str, memo: chunks.ChunkMemo, monkeypatch: pytest.MonkeyPatch) -> int:
    reference = parse_document(text)
    runs: list[str] = []
    real = chunks.parse_blocks
    monkeypatch.setattr(chunks, "parse_blocks", lambda src: runs.append(src) or real(src))
    assert parse_document(text, memo=memo) == reference
    monkeypatch.setattr(chunks, "parse_blocks", real)
    return len(runs)


def test_an_edit_parses_only_its_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _saved(tmp_path, SAMPLE)
    assert path.parent == tmp_path / ".bitext" / "md-chunks"
    edited = SAMPLE.replace("Süreç, ", "Süreç (düzeltildi), ", 1)
    memo = chunk_memo.load_chunk_memo(path)
    assert _parses(edited, memo, monkeypatch) == 1
    assert chunk_memo.chunk_memo_text(memo) is not None  # one chunk new, one gone
    memo = chunk_memo.load_chunk_memo(path)
    assert _parses(SAMPLE, memo, monkeypatch) == 0
    assert chunk_memo.chunk_memo_text(memo) is None  # nothing to write again


@pytest.mark.parametrize("damage", [
    lambda data: b"{not json",
    lambda data: json.dumps({**data, "code": "other code"}).encode(),
    lambda data: json.dumps({**data, "format": "bitext-md-chunks 0"}).encode(),
    lambda data: json.dumps({**data, "chunks": []}).encode(),
    lambda data: json.dumps({**data, "chunks": {k: [[], [], 7] for k in data["chunks"]}}).encode(),
    lambda data: json.dumps({**data, "chunks": {k: [[["heading", "1", 0, 0, 99, 3, [], ""]], [],
                                                    None] for k in data["chunks"]}}).encode(),
])
def test_a_damaged_or_foreign_memo_changes_nothing(tmp_path: Path, damage: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _saved(tmp_path, SAMPLE)
    data = json.loads(path.read_bytes())
    path.write_bytes(damage(data))  # type: ignore[operator]
    memo = chunk_memo.load_chunk_memo(path)
    assert parse_document(SAMPLE, memo=memo) == parse_document(SAMPLE)


def test_a_damaged_entry_is_mended_on_the_next_save(tmp_path: Path) -> None:
    """Parsed again once, the chunk's blocks are written back (not parsed on every run)."""
    path = _saved(tmp_path, SAMPLE)
    data = json.loads(path.read_bytes())
    first = next(iter(data["chunks"]))
    data["chunks"][first] = [[], [], 10**6]
    path.write_text(json.dumps(data), encoding="utf-8")
    memo = chunk_memo.load_chunk_memo(path)
    assert parse_document(SAMPLE, memo=memo) == parse_document(SAMPLE)
    saved = chunk_memo.chunk_memo_text(memo)
    assert saved is not None
    assert json.loads(saved)["chunks"][first] != [[], [], 10**6]
