"""What the no-op update reads without its stats, read as the slow ways read it.

The lean readers of `update_digests` (one open and read a file; a sync state
checked against `render_state`'s exact shape without `pipeline.sync`), the
folder listings of `retired.find_retired`, and `languages.known_tag` (a
configuration's languages without importing Babel) each answer what the
reference does: `Path.read_bytes`, `parse_state`, the old globs, `language`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.localedata import locale_identifiers
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.adapters import update_digests
from pipeline.adapters.retired import find_retired
from pipeline.config import load_config
from pipeline.errors import DamagedState
from pipeline.keys import SegmentKey
from pipeline.languages import UnknownLanguage, known_tag, language
from pipeline.sync import SyncRecord, SyncState, parse_state, render_state
from tests.property.test_sync_state_fast import states  # rendered states of every shape


@pytest.mark.parametrize("size", [0, 1, 4096, 70_000, 3 * (1 << 20) + 7])
def test_read_gives_the_bytes_of_the_file(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    assert update_digests._read(path) == path.read_bytes()


@pytest.mark.parametrize("seen", [-5, 5])
def test_read_reads_to_the_end_when_the_size_was_wrong(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: int) -> None:
    """The file grew or shrank between the fstat and the read: the bytes are the file's."""
    path = tmp_path / "a.po"
    path.write_bytes(b"0123456789" * 100_000)
    real = os.fstat

    class Stat:
        def __init__(self, fd: int) -> None:
            self.st_size = real(fd).st_size + seen

    monkeypatch.setattr(update_digests.os, "fstat", Stat)
    assert update_digests._read(path) == path.read_bytes()




@settings(max_examples=1000, deadline=None)
@given(states, st.data())
def test_a_state_summary_is_parse_states_or_none(state: SyncState, data: st.DataObject) -> None:
    """What `_summary` accepts, `parse_state` reads alike; anything else is left to it."""
    text = render_state(state)
    if state.records and state.conflicts < 10**9:  # the shape `sync_format.WRITTEN` knows
        assert update_digests._summary(text.encode()) == {"conflicts": state.conflicts,
                                                          "files": state.files}
    at = data.draw(st.integers(0, len(text)) | st.integers(text.index('"segments"'), len(text)))
    junk = data.draw(st.sampled_from(['"', ",", "\n", " ", "]", "}", "g", "z", "0", "x", "\\",
                                      "\xe7", ""]))
    damaged = text[:at] + junk + text[at + data.draw(st.integers(0, 2)):]
    found = update_digests._summary(damaged.encode())
    if found is not None:
        try:
            read = parse_state(damaged, shown="s")
        except DamagedState as exc:
            raise AssertionError(f"the summary trusted a damaged state: {exc.message}") from exc
        assert found == {"conflicts": read.conflicts, "files": read.files}


def test_a_state_that_is_not_utf8_is_left_to_parse_state() -> None:
    text = render_state(SyncState([SyncRecord(SegmentKey("a" * 12), "b" * 12, "c" * 12)]))
    assert update_digests._summary(text.encode()[:-3] + b"\xff]}\n") is None


def test_every_kind_of_left_behind_file_names_a_retired_document(project: object) -> None:
    root = project({  # type: ignore[operator]
        "source/tr/live.md": "# Canlı\n",
        "locale/pot-only.pot": "", "locale/en/LC_MESSAGES/po-only.po": "",
        "locale/en/LC_MESSAGES/state-only.sync.json": "", "source/en/md-only.md": "",
        "output/dir-only/x.html": "", "locale/live.pot": "",
        # not document names bitext makes: left alone
        "locale/.pot": "", "locale/en/LC_MESSAGES/.po": "", "locale/en/LC_MESSAGES/x.PO": "",
        "locale/en/LC_MESSAGES/.hidden.po": "", "source/en/.sync.json": "",
    })
    found = {r.doc: r.files for r in find_retired(load_config(root))}
    assert found == {
        "dir-only": ["output/dir-only"], "md-only": ["source/en/md-only.md"],
        "po-only": ["locale/en/LC_MESSAGES/po-only.po"], "pot-only": ["locale/pot-only.pot"],
        "state-only": ["locale/en/LC_MESSAGES/state-only.sync.json"]}


def test_no_folder_yet_no_retired_document(project: object) -> None:
    root = project({"source/tr/live.md": "# Canlı\n"})  # type: ignore[operator]
    assert find_retired(load_config(root)) == []


def _outcome(function: object, tag: str) -> object:
    try:
        return function(tag)  # type: ignore[operator]
    except UnknownLanguage as exc:
        return ("unknown", exc.message)


TAGS = [*locale_identifiers(), "tr", "EN", "pt_br", "zh-hant", "sr-Latn", "zh-Hant-TW", "es-419",
        "xx", "en-ZZ", "iw", "und", "root", "zz-Latn", "tr-XX", "de-Grek", "en_US_POSIX", "e",
        "english", ""]


def test_a_known_tag_is_the_language_tag() -> None:
    """Babel's every locale, their spellings and tags it does not know: `language`'s answer."""
    differ = {tag: (_outcome(known_tag, tag), _outcome(lambda t: language(t).tag, tag))
              for tag in TAGS}
    assert {tag: pair for tag, pair in differ.items() if pair[0] != pair[1]} == {}
