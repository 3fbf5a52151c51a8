"""Properties of the merge and of PO files: nothing lost, idempotent, exact round trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.adapters.po import parse_catalog, render_catalog
from pipeline.catalog import Catalog, Entry, merge_catalog, template_from_segments
from pipeline.markdown.segments import Segment, number_duplicates

WORDS = ["Türkiye", "İdlib", "ışık", "çağ", "göç", "şu", "öykü", "ülke", "rejim", "2021'de",
         "%50", "1,5", "milyon", "“alıntı”", "[^i]", "*vurgu*", "\"tırnak\"", "\\", "a\tb"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=3).map("\n".join)
document = st.lists(paragraph, min_size=0, max_size=12)


def template(texts: list[str]) -> list[Entry]:
    return template_from_segments(
        number_duplicates([Segment(kind="paragraph", text=t, line=i + 1)
                           for i, t in enumerate(texts)]), "s.md"
    )


def translations(catalog: Catalog) -> set[str]:
    return {e.msgstr for e in [*catalog.entries, *catalog.obsolete] if e.msgstr}


@settings(max_examples=150, deadline=None)
@given(st.lists(document, min_size=1, max_size=5), st.data())
def test_no_merge_sequence_loses_a_translation(versions: list[list[str]], data: st.DataObject
                                               ) -> None:
    catalog = Catalog()
    count = 0
    for texts in versions:
        before = translations(catalog)
        catalog, _ = merge_catalog(catalog, template(texts))
        assert before <= translations(catalog), "a translation vanished in the merge"
        assert [e.msgid for e in catalog.entries] == texts
        # A translator translates (or retranslates) some entries between merges.
        for entry in catalog.entries:
            if data.draw(st.booleans()):
                count += 1
                entry.msgstr = f"EN {count}: {entry.msgid}"
                entry.fuzzy = False


@settings(max_examples=100, deadline=None)
@given(document, document)
def test_merge_is_idempotent(old: list[str], new: list[str]) -> None:
    catalog, _ = merge_catalog(Catalog(), template(old))
    for entry in catalog.entries:
        entry.msgstr = "EN " + entry.msgid
    once, _ = merge_catalog(catalog, template(new))
    twice, stats = merge_catalog(once, template(new))
    assert render_catalog(twice) == render_catalog(once)
    assert (stats.fuzzy, stats.new, stats.obsoleted) == (0, 0, 0)


@settings(max_examples=100, deadline=None)
@given(document, document)
def test_po_write_read_identity(old: list[str], new: list[str]) -> None:
    catalog, _ = merge_catalog(Catalog(header={"Language": "en"}), template(old))
    for entry in catalog.entries:
        entry.msgstr = "EN " + entry.msgid
        entry.translator_comments = ["bitext-ignore: numbers -- kept"]
    catalog, _ = merge_catalog(catalog, template(new))
    text = render_catalog(catalog)
    again = parse_catalog(text)
    assert render_catalog(again) == text
    assert [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.previous_msgid) for e in again.entries] == [
        (e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.previous_msgid) for e in catalog.entries]
    assert [(e.msgid, e.msgstr) for e in again.obsolete] == [
        (e.msgid, e.msgstr) for e in catalog.obsolete]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=30))
def test_sequence_opcodes_turn_old_into_new(old: list[int], new: list[int]) -> None:
    from pipeline.catalog import sequence_opcodes

    rebuilt: list[int] = []
    i_end = j_end = 0
    for tag, i1, i2, j1, j2 in sequence_opcodes(old, new):
        assert (i1, j1) == (i_end, j_end), "opcodes must be contiguous"
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        rebuilt.extend(new[j1:j2])
        i_end, j_end = i2, j2
    assert (i_end, j_end, rebuilt) == (len(old), len(new), new)
