"""`parse_state`'s one-regex path reads a state as the field-by-field check does, or not at all.

Every state `render_state` writes, and the same text damaged anywhere (a character
replaced, removed or added), must give the same `SyncState` or the same error.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import DamagedState
from pipeline.keys import SegmentKey
from pipeline.sync import (
    SyncRecord,
    SyncState,
    _parse_state_checked,
    parse_state,
    render_state,
)
from pipeline.sync_format import WRITTEN

HEX = st.text("0123456789abcdef", min_size=12, max_size=12)
MARK = HEX | st.sampled_from(["unknown", "aligned"])
states = st.builds(
    SyncState,
    records=st.lists(st.builds(SyncRecord, HEX.map(SegmentKey), MARK, MARK), max_size=6),
    files=st.dictionaries(st.sampled_from(["source", "pot", "po", "markdown", "settings"]),
                          HEX, max_size=5),
    conflicts=st.integers(0, 10**9),
)


def outcome(parse: object, text: str) -> object:
    try:
        return parse(text, shown="s.sync.json")  # type: ignore[operator]
    except DamagedState as exc:
        return ("damaged", exc.message, exc.line)


@settings(max_examples=1000, deadline=None)
@given(states, st.data())
def test_written_and_damaged_states_read_alike(state: SyncState, data: st.DataObject) -> None:
    text = render_state(state)
    if state.records and state.conflicts < 10**9:
        assert WRITTEN.fullmatch(text)  # the fast path is the one taken
    assert parse_state(text, shown="s") == state
    rows = text.index('"segments"')  # most damage where most of the text is
    at = data.draw(st.integers(0, len(text)) | st.integers(rows, len(text)))
    junk = data.draw(st.sampled_from(['"', ",", "\n", " ", "]", "}", "g", "z", "0", "x", "\\", ""]))
    cut = data.draw(st.integers(0, 2))
    damaged = text[:at] + junk + text[at + cut:]
    assert outcome(parse_state, damaged) == outcome(_parse_state_checked, damaged)
