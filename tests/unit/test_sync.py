"""The two-way sync (`pipeline.sync`): which side changed, structure edits, the state file."""

from __future__ import annotations

import copy
import json
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import Catalog, Entry
from pipeline.errors import DamagedState
from pipeline.keys import SegmentKey, digest
from pipeline.markdown.segments import Segment, parse_document
from pipeline.sync import (
    CONFLICT_COMMENT,
    SyncRecord,
    SyncState,
    assumed_state,
    changed_in_po,
    keep_obsolete_conflicts,
    parse_state,
    po_fingerprint,
    render_state,
    state_after,
    take_markdown_edits,
)
from pipeline.translation import FUZZY_MARK, UNTRANSLATED_MARK, segment_translation

PATH = "source/en/d.md"
ORIGINALS = ("Birinci paragraf burada.", "İkinci paragraf uzun bir metindir.",
             "Üçüncü paragraf biter.", "Dördüncü paragraf en sondadır.")
ENGLISH = ("First paragraph here.", "The second paragraph is a long text.",
           "The third paragraph ends.", "The fourth paragraph is at the very end.")


def catalog(*pairs: tuple[str, str] | tuple[str, str, bool]) -> Catalog:
    return Catalog(entries=[Entry(msgid=p[0], msgstr=p[1], fuzzy=bool(p[2:] and p[2]))
                            for p in pairs])


def sample() -> Catalog:
    return catalog(*zip(ORIGINALS, ENGLISH, strict=True))


def synced(cat: Catalog, conflicts: int = 0) -> SyncState:
    """The state right after an update wrote the Markdown from ``cat``."""
    return state_after({e.key: segment_translation(e) for e in cat.entries}, cat, conflicts)


def shown(cat: Catalog) -> list[str]:
    return [segment_translation(e) for e in cat.entries]


def markdown(*texts: str) -> list[Segment]:
    """The segments of a translated Markdown file with these paragraphs."""
    return parse_document("\n\n".join(texts) + "\n", path=PATH).segments


def take(cat: Catalog, state: SyncState, *texts: str):  # type: ignore[no-untyped-def]
    return take_markdown_edits(cat, state, markdown(*texts), path=PATH)


def keys(cat: Catalog) -> list[SegmentKey]:
    return [e.key for e in cat.entries]


# -- the four cases ----------------------------------------------------------------------

def test_neither_side_changed_changes_nothing() -> None:
    cat = sample()
    before = copy.deepcopy(cat)
    outcome = take(cat, synced(cat), *ENGLISH)
    assert (outcome.taken, outcome.from_po, outcome.conflicts, outcome.issues) == ([], [], [], [])
    assert cat == before


def test_markdown_changed_only_goes_into_the_po_translated() -> None:
    cat = catalog(*zip(ORIGINALS, ENGLISH, strict=True))
    cat.entries[1].fuzzy = True
    cat.entries[1].previous_msgid = "Eski ikinci paragraf."
    state = synced(cat)
    texts = shown(cat)
    texts[1] = "The second paragraph, edited in the Markdown."
    outcome = take(cat, state, *texts)
    assert outcome.taken == [keys(cat)[1]]
    assert (outcome.from_po, outcome.conflicts, outcome.issues) == ([], [], [])
    entry = cat.entries[1]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "The second paragraph, edited in the Markdown.", False, None)
    assert [e.msgstr for e in cat.entries] == [ENGLISH[0], entry.msgstr, *ENGLISH[2:]]


def test_po_changed_only_is_reported_and_the_po_kept() -> None:
    cat = sample()
    state = synced(cat)
    cat.entries[2].msgstr = "The third paragraph, edited in Poedit."
    before = copy.deepcopy(cat)
    outcome = take(cat, state, *ENGLISH)  # the Markdown as the last sync wrote it
    assert outcome.from_po == [keys(cat)[2]]
    assert (outcome.taken, outcome.conflicts, outcome.issues) == ([], [], [])
    assert cat == before
    assert changed_in_po(cat, state) == [keys(cat)[2]]


def test_both_changed_differently_is_a_conflict_and_the_po_keeps_its_version() -> None:
    cat = sample()
    state = synced(cat)
    cat.entries[0].msgstr = "First paragraph, PO version."
    texts = list(ENGLISH)
    texts[0] = "First paragraph, Markdown version."
    outcome = take(cat, state, *texts)
    key = keys(cat)[0]
    assert outcome.conflicts == [key]
    assert cat.entries[0].msgstr == "First paragraph, PO version."
    assert cat.entries[0].conflict == "First paragraph, Markdown version."
    assert outcome.taken == []
    [issue] = outcome.issues
    assert (issue.kind, issue.blocking, issue.path, issue.line) == ("conflict", True, PATH, 1)
    assert "'Birinci paragraf burada.'" in issue.message
    assert issue.located.startswith(f"{PATH}:1: conflict:")


def test_both_changed_the_same_way_is_no_conflict() -> None:
    cat = sample()
    state = synced(cat)
    cat.entries[3].msgstr = "Both wrote this."
    texts = [*ENGLISH[:3], "Both wrote this."]
    outcome = take(cat, state, *texts)
    assert (outcome.taken, outcome.conflicts, outcome.issues) == ([], [], [])
    assert cat.entries[3].conflict is None


def test_a_fuzzy_po_change_against_a_reviewed_markdown_edit_is_a_conflict() -> None:
    # Same text on both sides, but the PO made it fuzzy and the Markdown has no mark.
    cat = sample()
    state = synced(cat)
    cat.entries[1].msgstr, cat.entries[1].fuzzy = "Same text.", True
    outcome = take(cat, state, ENGLISH[0], "Same text.", *ENGLISH[2:])
    assert list(outcome.conflicts) == [keys(cat)[1]]


# -- marks -------------------------------------------------------------------------------

def test_a_fuzzy_mark_left_on_unchanged_text_is_not_a_review() -> None:
    cat = catalog((ORIGINALS[0], ENGLISH[0], True), (ORIGINALS[1], ENGLISH[1]))
    state = synced(cat)
    # The line was rewrapped (another digest) but the text after the mark is the same.
    outcome = take(cat, state, f"{FUZZY_MARK}  {ENGLISH[0]}", ENGLISH[1])
    assert outcome.taken == []
    assert cat.entries[0].fuzzy


def test_removing_the_fuzzy_mark_reviews_the_draft() -> None:
    cat = catalog((ORIGINALS[0], ENGLISH[0], True), (ORIGINALS[1], ENGLISH[1]))
    cat.entries[0].previous_msgid = "Eski."
    state = synced(cat)
    assert shown(cat)[0] == f"{FUZZY_MARK} {ENGLISH[0]}"
    outcome = take(cat, state, ENGLISH[0], ENGLISH[1])
    assert outcome.taken == [keys(cat)[0]]
    assert (cat.entries[0].msgstr, cat.entries[0].fuzzy) == (ENGLISH[0], False)
    assert cat.entries[0].previous_msgid is None


def test_editing_after_the_fuzzy_mark_reviews_it_too() -> None:
    cat = catalog((ORIGINALS[0], ENGLISH[0], True), (ORIGINALS[1], ENGLISH[1]))
    state = synced(cat)
    outcome = take(cat, state, f"{FUZZY_MARK} First paragraph, corrected.", ENGLISH[1])
    assert outcome.taken == [keys(cat)[0]]
    assert (cat.entries[0].msgstr, cat.entries[0].fuzzy) == ("First paragraph, corrected.", False)


def test_an_untranslated_segment_is_taken_only_when_its_text_changed() -> None:
    cat = catalog((ORIGINALS[0], ""), (ORIGINALS[1], ""))
    state = synced(cat)
    assert shown(cat) == [f"{UNTRANSLATED_MARK} {o}" for o in ORIGINALS[:2]]
    same = take(cat, state, f"{UNTRANSLATED_MARK}  {ORIGINALS[0]}", shown(cat)[1])
    assert (same.taken, [e.msgstr for e in cat.entries]) == ([], ["", ""])
    edited = take(cat, state, f"{UNTRANSLATED_MARK} {ENGLISH[0]}", shown(cat)[1])
    assert edited.taken == [keys(cat)[0]]
    assert (cat.entries[0].msgstr, cat.entries[0].fuzzy) == (ENGLISH[0], False)
    assert cat.entries[1].msgstr == ""


def test_an_empty_markdown_text_after_the_untranslated_mark_takes_nothing() -> None:
    cat = catalog((ORIGINALS[0], ""), (ORIGINALS[1], ENGLISH[1]))
    state = synced(cat)
    outcome = take(cat, state, ORIGINALS[0], ENGLISH[1])  # mark removed: the original, reviewed
    assert outcome.taken == [keys(cat)[0]]
    assert cat.entries[0].msgstr == ORIGINALS[0]


# -- structure edits ---------------------------------------------------------------------

def test_a_split_paragraph_goes_into_one_msgstr_with_a_blank_line() -> None:
    cat = sample()
    state = synced(cat)
    outcome = take(cat, state, ENGLISH[0], "The second paragraph", "is a long text.",
                   *ENGLISH[2:])
    assert outcome.taken == [keys(cat)[1]]
    assert outcome.issues == []
    assert cat.entries[1].msgstr == "The second paragraph\n\nis a long text."
    assert [e.msgstr for e in cat.entries[2:]] == list(ENGLISH[2:])


def test_split_and_edited_neighbours_each_get_their_own_paragraphs() -> None:
    # Two adjacent records changed, one of them split in three: matched by likeness.
    cat = sample()
    state = synced(cat)
    texts = [ENGLISH[0], "The second paragraph,", "is a long", "text.",
             "The third paragraph ends here.", ENGLISH[3]]
    outcome = take(cat, state, *texts)
    assert outcome.taken == keys(cat)[1:3]
    assert cat.entries[1].msgstr == "The second paragraph,\n\nis a long\n\ntext."
    assert cat.entries[2].msgstr == "The third paragraph ends here."

    cat = sample()
    texts = [ENGLISH[0], "The second paragraph is a long text, edited.",
             "The third paragraph", "ends.", ENGLISH[3]]
    take(cat, state, *texts)
    assert cat.entries[1].msgstr == "The second paragraph is a long text, edited."
    assert cat.entries[2].msgstr == "The third paragraph\n\nends."


def test_a_split_in_more_than_six_parts_is_reported_not_a_crash() -> None:
    cat = sample()
    before = copy.deepcopy(cat)
    state = synced(cat)
    # One record, seven paragraphs: no grouping of one to six paragraphs fits.
    outcome = take(cat, state, *ENGLISH[:3], *(f"Part {k}." for k in range(7)))
    [issue] = outcome.issues
    assert (issue.kind, issue.blocking, issue.line) == ("inserted", True, 7)
    assert "1 segment(s) became 7 paragraphs" in issue.message
    assert cat == before
    # Six parts still fit, as one msgstr.
    outcome = take(cat, state, *ENGLISH[:3], *(f"Part {k}." for k in range(6)))
    assert outcome.issues == []
    assert cat.entries[3].msgstr == "\n\n".join(f"Part {k}." for k in range(6))


def neighbours(*records: str, shown: tuple[str, ...]) -> list[str]:
    """The msgstrs of adjacent records once the Markdown shows ``shown`` in their place."""
    cat = catalog(("Önce.", "Before."), *((f"K{k}.", r) for k, r in enumerate(records)),
                  ("Sonra.", "After."))
    state = synced(cat)
    take_markdown_edits(cat, state, as_segments(["Before.", *shown, "After."]), path=PATH)
    return [e.msgstr for e in cat.entries[1:-1]]


def test_each_record_is_scored_against_its_own_last_text() -> None:
    alpha, beta = "Alpha alpha alpha alpha.", "Beta beta."
    assert neighbours(alpha, beta, shown=("Alpha alpha", "alpha alpha.", "Beta beta, edited.")) == [
        "Alpha alpha\n\nalpha alpha.", "Beta beta, edited."]
    assert neighbours(beta, alpha, shown=("Beta beta, edited.", "Alpha alpha", "alpha alpha.")) == [
        "Beta beta, edited.", "Alpha alpha\n\nalpha alpha."]


def test_a_wholly_rewritten_neighbour_still_gets_a_paragraph() -> None:
    # "four" has nothing of B's last text, and would make C's parts more alike C:
    # still every record takes at least one paragraph.
    got = neighbours("alpha beta gamma delta", "ZZZZ", "four five",
                     shown=("alpha beta", "gamma delta", "four", "five"))
    assert got == ["alpha beta\n\ngamma delta", "four", "five"]


def test_a_record_takes_at_most_six_paragraphs_of_a_stretch() -> None:
    parts = [f"Part {k}." for k in range(7)]
    got = neighbours(" ".join(parts), "Other text here.",
                     shown=(*parts, "Other text here, edited."))
    assert got == ["\n\n".join(parts[:6]), "Part 6.\n\nOther text here, edited."]


def test_merged_paragraphs_are_reported_and_the_po_left_alone() -> None:
    cat = sample()
    before = copy.deepcopy(cat)
    state = synced(cat)
    texts = [ENGLISH[0], f"{ENGLISH[1]} {ENGLISH[2]}", ENGLISH[3]]
    outcome = take(cat, state, *texts)
    [issue] = outcome.issues
    assert (issue.kind, issue.blocking, issue.line) == ("merged", True, 3)
    assert issue.message.startswith("2 segments were merged into 1 paragraph(s)")
    assert outcome.taken == []
    assert cat == before


def test_an_inserted_paragraph_is_reported_where_it_is() -> None:
    cat = sample()
    before = copy.deepcopy(cat)
    state = synced(cat)
    outcome = take(cat, state, *ENGLISH[:2], "A translator's note.", *ENGLISH[2:])
    [issue] = outcome.issues
    assert (issue.kind, issue.blocking, issue.line) == ("inserted", True, 5)
    assert "no original segment" in issue.message
    assert cat == before


def test_a_deleted_paragraph_is_restored_from_the_po_and_reported() -> None:
    cat = sample()
    before = copy.deepcopy(cat)
    state = synced(cat)
    outcome = take(cat, state, ENGLISH[0], *ENGLISH[3:])
    [issue] = outcome.issues
    assert (issue.kind, issue.blocking, issue.line) == ("deleted", False, None)
    assert issue.message.startswith("2 translated segment(s) deleted")
    assert issue.located.startswith(f"{PATH}: 2 translated")
    assert cat == before


def test_an_edit_to_a_segment_gone_from_the_po_is_reported() -> None:
    cat = sample()
    state = synced(cat)
    del cat.entries[1]  # the original changed so much that the entry was replaced
    texts = list(ENGLISH)
    texts[1] = "Edited, but its entry is gone."
    outcome = take(cat, state, *texts)
    [issue] = outcome.issues
    assert (issue.kind, issue.line) == ("inserted", 3)
    assert "no longer exists in the PO" in issue.message
    assert outcome.taken == []


def test_lines_of_issues_are_those_of_the_markdown() -> None:
    cat = sample()
    state = synced(cat)
    cat.entries[3].msgstr = "PO side."
    outcome = take(cat, state, *ENGLISH[:3], "Markdown side.")
    assert [i.line for i in outcome.issues] == [7]


# -- states ------------------------------------------------------------------------------

def test_records_and_issues_are_values() -> None:
    record = SyncRecord(SegmentKey("k"), "m", "p")
    assert {record, SyncRecord(SegmentKey("k"), "m", "p")} == {record}
    with pytest.raises(FrozenInstanceError):
        record.md = "other"  # type: ignore[misc]
    cat = sample()
    issue = take(cat, synced(cat), ENGLISH[0], *ENGLISH[3:]).issues[0]
    with pytest.raises(FrozenInstanceError):
        issue.blocking = True  # type: ignore[misc]


def test_po_fingerprint_is_the_translation_and_its_fuzziness_only() -> None:
    entry = Entry(msgid="a", msgstr="b")
    base = po_fingerprint(entry)
    assert base == digest("0\x00b")
    assert po_fingerprint(Entry(msgid="other", msgstr="b", translator_comments=["x"])) == base
    assert po_fingerprint(Entry(msgid="a", msgstr="b", fuzzy=True)) != base
    assert po_fingerprint(Entry(msgid="a", msgstr="c")) != base


def test_state_after_records_what_the_markdown_shows_and_the_po_entry() -> None:
    cat = catalog((ORIGINALS[0], ENGLISH[0]), (ORIGINALS[1], ENGLISH[1], True))
    texts = {cat.entries[0].key: "zero", cat.entries[1].key: "one"}
    state = state_after(texts, cat, 3)
    assert state.conflicts == 3
    assert state.files == {}
    assert state.records == [
        SyncRecord(cat.entries[0].key, digest("zero"), po_fingerprint(cat.entries[0])),
        SyncRecord(cat.entries[1].key, digest("one"), po_fingerprint(cat.entries[1])),
    ]


def test_assumed_state_makes_every_difference_a_conflict() -> None:
    cat = sample()
    state = assumed_state(cat)
    assert [r.key for r in state.records] == keys(cat)
    assert [r.md for r in state.records] == [digest(t) for t in shown(cat)]
    assert {r.po for r in state.records} == {"unknown"}
    assert state.conflicts == 0
    texts = list(ENGLISH)
    texts[2] = "A Markdown text nobody synced."
    outcome = take(cat, state, *texts)
    assert list(outcome.conflicts) == [keys(cat)[2]]
    assert cat.entries[2].msgstr == ENGLISH[2]
    # An unknown PO fingerprint is a change: every entry "changed in the PO".
    assert changed_in_po(cat, state) == keys(cat)


def test_changed_in_po_sees_text_and_fuzziness_and_ignores_new_entries() -> None:
    cat = sample()
    state = synced(cat)
    assert changed_in_po(cat, state) == []
    cat.entries[0].fuzzy = True
    cat.entries[3].msgstr = "Changed."
    cat.entries.append(Entry(msgid="Yeni.", msgstr="New."))  # not in the state
    assert changed_in_po(cat, state) == [keys(cat)[0], keys(cat)[3]]


def test_keep_obsolete_conflicts_moves_the_markdown_text_into_a_comment() -> None:
    gone = Entry(msgid="Silindi.", msgstr="Deleted.", obsolete=True,
                 translator_comments=["earlier"], conflict="Line one\nLine two")
    plain = Entry(msgid="Eski.", msgstr="Old.", obsolete=True)
    active = Entry(msgid="Etkin.", msgstr="Active.", conflict="Markdown")
    cat = Catalog(entries=[active], obsolete=[gone, plain])
    keep_obsolete_conflicts(cat)
    assert gone.translator_comments == ["earlier", CONFLICT_COMMENT, "| Line one", "| Line two"]
    assert gone.conflict is None
    assert (plain.translator_comments, plain.conflict) == ([], None)
    assert active.conflict == "Markdown"  # active conflicts are shown in the Markdown instead
    keep_obsolete_conflicts(cat)
    assert len(gone.translator_comments) == 4  # once only


def test_render_state_is_json_with_one_segment_per_line() -> None:
    k1, k2, m1, m2, p1 = "a" * 12, "b" * 12, "c" * 12, "d" * 12, "e" * 12
    state = SyncState([SyncRecord(SegmentKey(k1), m1, p1),
                       SyncRecord(SegmentKey(k2), m2, "aligned")],
                      files={"po": "2" * 12, "markdown": "1" * 12}, conflicts=2)
    text = render_state(state)
    assert text == ('{"bitext-sync": 1,\n "conflicts": 2,\n '
                    f'"files": {{"markdown": "{"1" * 12}", "po": "{"2" * 12}"}},\n'
                    f' "segments": [\n  ["{k1}", "{m1}", "{p1}"],\n'
                    f'  ["{k2}", "{m2}", "aligned"]\n ]}}\n')
    assert json.loads(text)["bitext-sync"] == 1
    assert parse_state(text, shown="x") == state


def test_an_empty_state_round_trips() -> None:
    assert parse_state(render_state(SyncState()), shown="x") == SyncState()


def test_a_state_without_files_or_conflicts_reads_with_defaults() -> None:
    key, md, po = "0123456789ab", "a" * 12, "unknown"
    state = parse_state(f'{{"segments": [["{key}", "{md}", "{po}"]]}}', shown="x")
    assert state == SyncState([SyncRecord(SegmentKey(key), md, po)], {}, 0)


@pytest.mark.parametrize("text", [
    "", "not json", "{}", '{"segments": 3}', '{"segments": [["k", "m"]]}',
    '{"segments": [], "conflicts": "many"}', '{"segments": [], "files": 5}',
    '{"segments": [["k", "m", "p", "x"]]}', "[]", '{"segments": [["k", "m", "p"]]}',
])
def test_an_unreadable_state_is_a_bitext_error_naming_the_file(text: str) -> None:
    with pytest.raises(DamagedState) as info:
        parse_state(text, shown="locale/en/d.sync.json")
    assert info.value.path == "locale/en/d.sync.json"
    assert info.value.message.startswith("damaged sync state: ")


# -- properties --------------------------------------------------------------------------

_WORDS = st.text(alphabet="abcçğıİöşü .,", min_size=0, max_size=20)
_DIGESTS = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)
_RECORD = st.builds(SyncRecord, _DIGESTS.map(SegmentKey), _DIGESTS | st.just("aligned"),
                    _DIGESTS | st.sampled_from(["aligned", "unknown"]))


@given(st.lists(_RECORD, max_size=8),
       st.dictionaries(st.sampled_from(["source", "pot", "po", "markdown", "settings"]),
                       _DIGESTS, max_size=3),
       st.integers(0, 10_000))
def test_rendering_a_state_then_parsing_it_gives_it_back(
    records: list[SyncRecord], files: dict[str, str], conflicts: int
) -> None:
    state = SyncState(records, files, conflicts)
    text = render_state(state)
    assert parse_state(text, shown="x") == state
    assert text.count("\n") == 5 + max(len(records), 1)  # one line per segment


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    n = draw(st.integers(1, 6))
    entries = []
    for k in range(n):
        msgstr = draw(st.sampled_from(["", f"Translation {k}.", f"Text {k}\n\nin two."]))
        fuzzy = bool(msgstr) and draw(st.booleans())
        entries.append(Entry(msgid=f"Özgün {k}.", msgstr=msgstr, fuzzy=fuzzy))
    return Catalog(entries=entries)


def as_segments(texts: list[str]) -> list[Segment]:
    return [Segment(kind="paragraph", text=t, line=1 + 2 * k) for k, t in enumerate(texts)]


@settings(max_examples=80, deadline=None)
@given(catalogs(), st.booleans())
def test_taking_the_markdown_the_po_renders_changes_nothing(cat: Catalog, assumed: bool) -> None:
    state = assumed_state(cat) if assumed else synced(cat)
    before = copy.deepcopy(cat)
    outcome = take_markdown_edits(cat, state, as_segments(shown(cat)), path=PATH)
    assert (outcome.taken, outcome.conflicts, outcome.issues) == ([], [], [])
    assert cat == before


@settings(max_examples=80, deadline=None)
@given(catalogs(), st.data())
def test_edits_made_in_the_markdown_only_are_all_taken(cat: Catalog, data: st.DataObject) -> None:
    state = synced(cat)
    before = copy.deepcopy(cat)
    edited = data.draw(st.sets(st.integers(0, len(cat.entries) - 1)))
    texts = [f"Edited {k}: {data.draw(_WORDS)}!" if k in edited else t
             for k, t in enumerate(shown(cat))]
    outcome = take_markdown_edits(cat, state, as_segments(texts), path=PATH)
    assert outcome.taken == [keys(cat)[k] for k in sorted(edited)]
    assert (outcome.conflicts, outcome.issues, outcome.from_po) == ([], [], [])
    for k, entry in enumerate(cat.entries):
        if k in edited:
            assert (entry.msgstr, entry.fuzzy) == (texts[k], False)
        else:
            assert entry == before.entries[k]
