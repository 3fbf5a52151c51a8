"""`journal.holds`: is a file exactly these bytes? Read a MiB at a time, not at all when
its size differs (a big document's old PO is never held whole beside the new one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.adapters import journal
from pipeline.adapters.journal import MISSING, holds, stamp


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), where=st.floats(0, 1), flip=st.booleans())
def test_holds_is_byte_equality(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                where: float, flip: bool) -> None:
    path = tmp_path_factory.mktemp("h") / "f"
    path.write_bytes(data)
    cut = int(where * len(data))
    if flip and cut < len(data):  # one byte changed
        other = data[:cut] + bytes([data[cut] ^ 1]) + data[cut + 1:]
    else:  # cut short (or the same, when the cut is past the end)
        other = data[:cut]
    assert holds(path, data) == (True, stamp(path))
    assert holds(path, bytearray(data))[0]
    assert holds(path, other)[0] == (other == data)


def test_a_long_file_is_compared_chunk_by_chunk(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "_CHUNK", 16)
    path = tmp_path / "f"
    data = bytes(range(256)) * 3
    path.write_bytes(data)
    assert holds(path, data)[0]
    for at in (0, 6, 7, 500, len(data) - 1):
        changed = bytearray(data)
        changed[at] ^= 0xFF
        assert not holds(path, bytes(changed))[0], at


def test_a_file_of_another_size_is_not_read(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"bir iki")
    read: list[int] = []
    real = os.read
    monkeypatch.setattr(journal.os, "read", lambda fd, n: read.append(n) or real(fd, n))
    assert holds(path, "bir iki üç".encode()) == (False, stamp(path))
    assert read == []
    assert holds(path, b"bir iki")[0] and read


def test_a_missing_file_holds_nothing(tmp_path: Path) -> None:
    assert holds(tmp_path / "gone", b"") == (False, MISSING)


def test_a_file_cut_short_after_its_stat_does_not_hold(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stat said the new size; its bytes end early (saved meanwhile): not the same."""
    path = tmp_path / "f"
    path.write_bytes(b"bir")
    real = os.fstat

    def longer(fd: int) -> os.stat_result:
        found = list(real(fd))
        found[6] = len(b"bir iki")  # st_size
        return os.stat_result(found)

    monkeypatch.setattr(journal.os, "fstat", longer)
    assert not holds(path, b"bir iki")[0]
