"""The originals' chunk memo on disk (`pipeline.adapters.chunk_memo`, a part of the
document's memo file): kept, reused, checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.adapters import chunk_memo
from pipeline.adapters.block_memo import load_parts, memo_file, parts_text, save_memos
from pipeline.markdown import chunks
from pipeline.markdown.segments import parse_document

REPO = Path(__file__).resolve().parents[2]
SAMPLE = (REPO / "source" / "tr" / "article.md").read_text(encoding="utf-8")
ORIGINAL = "source/tr/article.md"
PART = chunk_memo.chunk_part(ORIGINAL)


def _saved(tmp_path: Path, text: str) -> Path:
    memo = chunk_memo.load_chunk_memo({}, ORIGINAL)
    parse_document(text, memo=memo)
    saved = chunk_memo.chunk_memo_part(memo)
    assert saved is not None
    path = memo_file(tmp_path, ORIGINAL)
    save_memos(tmp_path, {path: parts_text({PART: saved})})
    return path


def _load(path: Path) -> chunks.ChunkMemo:
    return chunk_memo.load_chunk_memo(load_parts(path), ORIGINAL)


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
    assert path.parent == tmp_path / ".bitext" / "memos"
    edited = SAMPLE.replace("Süreç, ", "Süreç (düzeltildi), ", 1)
    memo = _load(path)
    assert _parses(edited, memo, monkeypatch) == 1
    assert chunk_memo.chunk_memo_part(memo) is not None  # one chunk new, one gone
    memo = _load(path)
    assert _parses(SAMPLE, memo, monkeypatch) == 0
    assert chunk_memo.chunk_memo_part(memo) is None  # nothing to write again
    assert chunk_memo.load_chunk_memo(load_parts(path), "source/tr/other.md").known == {}


def _damaged(path: Path, damage: object) -> None:
    data = json.loads(path.read_bytes())
    data["parts"][PART] = damage(data["parts"][PART])  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("damage", [
    lambda data: "{not json",
    lambda data: {**data, "code": "other code"},
    lambda data: {**data, "format": "bitext-md-chunks 0"},
    lambda data: {**data, "chunks": []},
    lambda data: {**data, "chunks": {k: [[], [], 7] for k in data["chunks"]}},
    lambda data: {**data, "chunks": {k: [[["heading", "1", 0, 0, 99, 3, [], ""]], [], None]
                                     for k in data["chunks"]}},
])
def test_a_damaged_or_foreign_memo_changes_nothing(tmp_path: Path, damage: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _saved(tmp_path, SAMPLE)
    _damaged(path, damage)
    memo = _load(path)
    assert parse_document(SAMPLE, memo=memo) == parse_document(SAMPLE)


@pytest.mark.parametrize("damage", [
    b"{not json", b"[]", b'{"format": "bitext-memos 0", "parts": {}}',
    b'{"format": "bitext-memos 1", "parts": []}', b"[" * 100_000,
])
def test_a_damaged_memo_file_is_no_memo(tmp_path: Path, damage: bytes) -> None:
    path = _saved(tmp_path, SAMPLE)
    assert load_parts(path) != {}
    path.write_bytes(damage)
    assert load_parts(path) == {}
    assert _load(path).known == {}


def test_a_damaged_entry_is_mended_on_the_next_save(tmp_path: Path) -> None:
    """Parsed again once, the chunk's blocks are written back (not parsed on every run)."""
    path = _saved(tmp_path, SAMPLE)
    data = json.loads(path.read_bytes())
    first = next(iter(data["parts"][PART]["chunks"]))
    data["parts"][PART]["chunks"][first] = [[], [], 10**6]
    path.write_text(json.dumps(data), encoding="utf-8")
    memo = _load(path)
    assert parse_document(SAMPLE, memo=memo) == parse_document(SAMPLE)
    saved = chunk_memo.chunk_memo_part(memo)
    assert saved is not None
    assert saved["chunks"][first] != [[], [], 10**6]


def test_the_earlier_memo_folders_go_and_a_link_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.json").write_text("{}", encoding="utf-8")
    root = tmp_path / "pub"
    for name, file in (("po-blocks", "a.json"), ("md-chunks", "b.json")):
        (root / ".bitext" / name).mkdir(parents=True)
        (root / ".bitext" / name / file).write_text("{}", encoding="utf-8")
    _saved(root, SAMPLE)
    assert sorted(p.name for p in (root / ".bitext").iterdir()) == [".gitignore", "memos"]
    (root / ".bitext" / "po-blocks").symlink_to(outside, target_is_directory=True)
    _saved(root, SAMPLE.replace("Süreç, ", "Süreç (düzeltildi), ", 1))
    assert (outside / "keep.json").exists()


@pytest.mark.parametrize("package", ["markdown_it", "mdit_py_plugins"])
def test_another_parser_version_is_another_code(package: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A memo made by another markdown-it (or plugins) release is not believed."""
    import importlib

    chunk_memo.code_identity.cache_clear()
    first = chunk_memo.code_identity()
    monkeypatch.setattr(importlib.import_module(package), "__version__", "0.0.0-other")
    chunk_memo.code_identity.cache_clear()
    try:
        assert chunk_memo.code_identity() != first
    finally:
        monkeypatch.undo()
        chunk_memo.code_identity.cache_clear()
