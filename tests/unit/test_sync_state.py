"""`parse_state` checks every field: a damaged state raises `DamagedState`, never trusts."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.errors import DamagedState
from pipeline.keys import SegmentKey
from pipeline.sync import SyncRecord, SyncState, parse_state, render_state

KEY = "a3facbc9cc1e"
DIGEST = "5451293c0df2"
GOOD = SyncState(records=[SyncRecord(SegmentKey(KEY), DIGEST, "unknown"),
                          SyncRecord(SegmentKey("25fb8c458236"), "aligned", DIGEST)],
                 files={"po": DIGEST}, conflicts=2)


def test_what_render_state_writes_is_read_back() -> None:
    assert parse_state(render_state(GOOD), shown="s.json") == GOOD


def with_(**fields: object) -> str:
    data: dict[str, object] = {"bitext-sync": 1, "conflicts": 0, "files": {},
                               "segments": [[KEY, DIGEST, DIGEST]]}
    data.update(fields)
    return json.dumps(data)


DAMAGED = {
    "not json": "{",
    "truncated": render_state(GOOD)[:-20],
    "a list": "[1, 2]",
    "null": "null",
    "deep": "[" * 100_000 + "]" * 100_000,
    "no segments": json.dumps({"bitext-sync": 1}),
    "segments a map": with_(segments={"a": 1}),
    "row a string": with_(segments=["abc"]),
    "row a number": with_(segments=[7]),
    "row too short": with_(segments=[[KEY, DIGEST]]),
    "row too long": with_(segments=[[KEY, DIGEST, DIGEST, DIGEST]]),
    "key a number": with_(segments=[[123456789012, DIGEST, DIGEST]]),
    "key not hex": with_(segments=[["../../etc/pa", DIGEST, DIGEST]]),
    "digest null": with_(segments=[[KEY, None, DIGEST]]),
    "digest a word": with_(segments=[[KEY, DIGEST, "whatever"]]),
    "conflicts huge": with_().replace('"conflicts": 0', '"conflicts": 1e999'),
    "conflicts float": with_(conflicts=1.5),
    "conflicts negative": with_(conflicts=-1),
    "conflicts a string": with_(conflicts="3"),
    "conflicts true": with_(conflicts=True),
    "files a list": with_(files=[1]),
    "files value a number": with_(files={"po": 1}),
    "files unknown name": with_(files={"../x": DIGEST}),
    "version 2": with_(**{"bitext-sync": 2}),
    "unknown field": with_(extra=1),
}


@pytest.mark.parametrize("text", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_state_is_refused_naming_the_file(text: str) -> None:
    with pytest.raises(DamagedState) as info:
        parse_state(text, shown="locale/en/LC_MESSAGES/doc.sync.json")
    assert info.value.path == "locale/en/LC_MESSAGES/doc.sync.json"
    assert info.value.message.startswith("damaged sync state")


def test_a_bad_row_is_located_on_its_line() -> None:
    text = render_state(GOOD).replace(f'"{KEY}"', "17", 1)
    with pytest.raises(DamagedState) as info:
        parse_state(text, shown="s.json")
    assert info.value.line == 5
    assert text.splitlines()[4].startswith("  [17,")


@given(st.lists(st.tuples(st.text(max_size=14), st.text(max_size=14), st.text(max_size=14)),
                min_size=1, max_size=5))
@example([("0123456789ab", "unknown", "aligned")])
@example([("a", 'say "x"', "b")])
@example([("a", "back\\slash", "b")])
@example([("a", "ş", "\x7f")])
def test_rows_are_what_json_writes(rows: list[tuple[str, str, str]]) -> None:
    """`render_state` formats plain rows itself: as json.dumps would, and any other row by it."""
    state = SyncState(records=[SyncRecord(SegmentKey(k), md, po) for k, md, po in rows])
    expected = ",\n".join("  " + json.dumps(list(row)) for row in rows)
    assert f' "segments": [\n{expected}\n ]}}\n' in render_state(state)
