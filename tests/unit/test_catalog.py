"""The order-aware merge: kept, fuzzy with previous msgid, new, obsolete, revived."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from pipeline.catalog import (
    Catalog,
    Entry,
    MergeStats,
    catalog_from_template,
    change_comment,
    change_kind,
    forget_keys,
    merge_catalog,
    remember_keys,
    template_from_segments,
)
from pipeline.markdown.segments import Segment, number_duplicates


def template(*texts: str) -> list[Entry]:
    return template_from_segments(
        number_duplicates([Segment(kind="paragraph", text=t, line=i * 2 + 1)
                           for i, t in enumerate(texts)]),
        "source/tr/a.md",
    )


def translated(*pairs: tuple[str, str]) -> Catalog:
    return Catalog(entries=[Entry(msgid=a, msgstr=b) for a, b in pairs])


OLD = translated(
    ("Birinci paragraf burada.", "First paragraph here."),
    ("İkinci paragraf 2021'de yazıldı.", "Second paragraph written in 2021."),
    ("Üçüncü paragraf biter.", "Third paragraph ends."),
)


def test_unchanged_entries_are_kept_with_new_references() -> None:
    new, stats = merge_catalog(OLD, template(*(e.msgid for e in OLD.entries)))
    assert [e.msgstr for e in new.entries] == [e.msgstr for e in OLD.entries]
    assert [e.references for e in new.entries] == [
        [("source/tr/a.md", 1)], [("source/tr/a.md", 3)], [("source/tr/a.md", 5)]
    ]
    assert not any(e.fuzzy for e in new.entries)
    assert stats.kept == 3
    assert new.obsolete == []


def test_edited_original_keeps_translation_as_fuzzy_with_previous_msgid() -> None:
    edited = "İkinci paragraf 2021 yılında yeniden yazıldı."
    new, stats = merge_catalog(OLD, template("Birinci paragraf burada.", edited,
                                             "Üçüncü paragraf biter."))
    entry = new.entries[1]
    assert entry.msgid == edited
    assert entry.msgstr == "Second paragraph written in 2021."
    assert entry.fuzzy
    assert entry.previous_msgid == "İkinci paragraf 2021'de yazıldı."
    assert change_comment(entry) == "changed: wording"
    assert (stats.kept, stats.fuzzy, stats.new, stats.obsoleted) == (2, 1, 0, 0)


def test_rewrapped_original_stays_translated() -> None:
    rewrapped = "İkinci paragraf\n2021'de yazıldı."
    new, stats = merge_catalog(OLD, template("Birinci paragraf burada.", rewrapped,
                                             "Üçüncü paragraf biter."))
    assert new.entries[1].translated
    assert new.entries[1].msgid == rewrapped
    assert new.entries[1].previous_msgid is None
    assert stats.rewrapped == 1


def test_deleted_segment_becomes_obsolete_and_inserted_is_untranslated() -> None:
    new, stats = merge_catalog(
        OLD, template("Birinci paragraf burada.", "Tamamen yeni bir cümle eklendi.",
                      "Üçüncü paragraf biter.")
    )
    assert new.entries[1].msgstr == ""
    assert not new.entries[1].fuzzy
    assert [(e.msgid, e.msgstr, e.obsolete) for e in new.obsolete] == [
        ("İkinci paragraf 2021'de yazıldı.", "Second paragraph written in 2021.", True)
    ]
    assert (stats.new, stats.obsoleted) == (1, 1)


def test_obsolete_entry_is_revived_when_its_text_returns() -> None:
    removed, _ = merge_catalog(OLD, template("Birinci paragraf burada.", "Üçüncü paragraf biter."))
    back, stats = merge_catalog(removed, template(*(e.msgid for e in OLD.entries)))
    assert [e.msgstr for e in back.entries] == [e.msgstr for e in OLD.entries]
    assert back.obsolete == []
    assert stats.revived == 1


def test_identical_paragraphs_get_distinct_contexts() -> None:
    entries = template("Aynı.", "Başka.", "Aynı.", "Aynı.")
    assert [e.msgctxt for e in entries] == [None, None, "duplicate 2", "duplicate 3"]
    assert len({e.key for e in entries}) == 4


def test_merge_pairs_in_order_not_by_global_similarity() -> None:
    # Two near-identical paragraphs swapped with an edit: the order decides the pairing.
    old = translated(("Ankara'da toplantı yapıldı.", "A meeting was held in Ankara."),
                     ("Başka bir konu.", "Another subject."),
                     ("Ankara'da toplantı yapılacak.", "A meeting will be held in Ankara."))
    new, _ = merge_catalog(old, template("Ankara'da toplantı yapıldı!", "Başka bir konu.",
                                         "Ankara'da toplantı yapılacak!"))
    assert [e.msgstr for e in new.entries] == [
        "A meeting was held in Ankara.", "Another subject.", "A meeting will be held in Ankara."
    ]
    assert [change_comment(e) for e in new.entries] == [
        "changed: punctuation", None, "changed: punctuation"
    ]


def test_a_second_edit_keeps_the_first_previous_msgid() -> None:
    first, _ = merge_catalog(OLD, template("Birinci paragraf burada!", "İkinci paragraf 2021'de "
                                           "yazıldı.", "Üçüncü paragraf biter."))
    second, _ = merge_catalog(first, template("Birinci paragraf şurada!", "İkinci paragraf "
                                              "2021'de yazıldı.", "Üçüncü paragraf biter."))
    assert second.entries[0].previous_msgid == "Birinci paragraf burada."


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("Bir iki üç.", "Bir  iki\nüç.", "whitespace"),
        ("Bir, iki üç.", "Bir iki üç!", "punctuation"),
        ("Nüfus 1,5 milyon.", "Nüfus 4 milyon.", "numbers"),
        ("Nüfus arttı.", "Nüfus azaldı.", "wording"),
    ],
)
def test_change_kind(old: str, new: str, kind: str) -> None:
    assert change_kind(old, new) == kind


def test_large_changed_stretch_is_paired_near_the_diagonal() -> None:
    old = translated(*((f"Paragraf {i} metni burada duruyor.", f"Paragraph {i}.")
                       for i in range(300)))
    edited = template(*(f"Paragraf {i} metni burada duruyor!" for i in range(300)))
    new, stats = merge_catalog(old, edited)
    assert stats.fuzzy == 300
    assert [e.msgstr for e in new.entries] == [f"Paragraph {i}." for i in range(300)]


def test_a_moved_paragraph_keeps_its_translation() -> None:
    new, stats = merge_catalog(OLD, template("Üçüncü paragraf biter.", "Birinci paragraf burada.",
                                             "İkinci paragraf 2021'de yazıldı."))
    assert [e.msgstr for e in new.entries] == [
        "Third paragraph ends.", "First paragraph here.", "Second paragraph written in 2021."]
    assert not any(e.fuzzy for e in new.entries)
    assert (stats.kept, stats.new, stats.obsoleted, new.obsolete) == (3, 0, 0, [])


def test_an_older_obsolete_translation_of_the_same_text_is_not_overwritten() -> None:
    old = Catalog(
        entries=[Entry(msgid="Aynı metin.", msgstr="The newer translation.")],
        obsolete=[Entry(msgid="Aynı metin.", msgstr="The older translation.", obsolete=True)],
    )
    new, stats = merge_catalog(old, template("Bambaşka bir şey."))
    assert {(e.msgctxt, e.msgstr) for e in new.obsolete} == {
        (None, "The newer translation."), ("superseded 2", "The older translation.")}
    assert stats.obsoleted == 1


def test_a_large_stretch_off_the_diagonal_pairs_each_edit_once() -> None:
    # 210 x 210 is past the full pairing limit: the banded pass pairs old i with new 30 + i;
    # the 30 new paragraphs at the start and the 30 old ones at the end match nothing.
    old = translated(*((f"Paragraf {i} metni burada duruyor.", f"Paragraph {i}.")
                       for i in range(210)))
    added = [f"QXW {k} zzv" for k in range(30)]
    edited = template(*added, *(f"Paragraf {i} metni burada duruyor!" for i in range(180)))
    new, stats = merge_catalog(old, edited)
    assert [e.msgstr for e in new.entries] == [""] * 30 + [f"Paragraph {i}." for i in range(180)]
    assert (stats.fuzzy, stats.new, stats.obsoleted) == (180, 30, 30)
    assert sorted(e.msgstr for e in new.obsolete) == sorted(
        f"Paragraph {i}." for i in range(180, 210))


def test_an_unmatched_old_paragraph_inside_a_large_stretch_takes_no_slot() -> None:
    old = translated(*((f"Paragraf {i} metni burada duruyor.", f"Paragraph {i}.")
                       for i in range(100)), ("QXW zzv kkq.", "Deleted."),
                     *((f"Paragraf {i} metni burada duruyor.", f"Paragraph {i}.")
                       for i in range(100, 210)))
    new, _ = merge_catalog(old, template(*(f"Paragraf {i} metni burada duruyor!"
                                               for i in range(210))))
    assert [e.msgstr for e in new.entries] == [f"Paragraph {i}." for i in range(210)]
    assert [e.msgstr for e in new.obsolete] == ["Deleted."]


def test_translated_and_machine_draft() -> None:
    mark = ["bitext-mt: libre, 2026-01-01"]
    assert Entry("a", "b").translated
    assert not Entry("a", "b", fuzzy=True).translated
    assert not Entry("a", "").translated
    assert not Entry("a", "b", obsolete=True).translated
    assert Entry("a", "b", fuzzy=True, translator_comments=mark).machine_draft
    assert not Entry("a", "b", translator_comments=mark).machine_draft
    assert not Entry("a", "b", fuzzy=True, translator_comments=["a reviewer's note"]).machine_draft


def test_defaults_of_a_new_entry_and_of_merge_stats() -> None:
    entry = Entry("a")
    assert (entry.line, entry.conflict, entry.msgstr, entry.fuzzy) == (0, None, "", False)
    assert MergeStats() == MergeStats(kept=0, rewrapped=0, fuzzy=0, new=0, revived=0, obsoleted=0)
    with pytest.raises(FrozenInstanceError):
        MergeStats().kept = 1  # type: ignore[misc]


def test_change_comment_only_for_fuzzy_entries_with_a_previous_msgid() -> None:
    assert change_comment(Entry("Bir iki.", "x", fuzzy=True, previous_msgid="Bir, iki.")) == (
        "changed: punctuation")
    assert change_comment(Entry("Bir iki.", "x", previous_msgid="Bir, iki.")) is None
    assert change_comment(Entry("Bir iki.", "x", fuzzy=True)) is None


def test_catalog_from_template_is_untranslated_with_the_header() -> None:
    header = {"Language": "en"}
    entries = [Entry("Bir.", "stale", fuzzy=True, previous_msgid="Eski.", line=7)]
    catalog = catalog_from_template(entries, header)
    assert [(e.msgid, e.msgstr, e.fuzzy, e.previous_msgid, e.line) for e in catalog.entries] == [
        ("Bir.", "", False, None, 0)]
    assert catalog.header == header and catalog.header is not header


def test_an_edited_untranslated_entry_stays_untranslated_not_fuzzy() -> None:
    old = translated(("Birinci paragraf burada.", ""), ("Üçüncü paragraf biter.", "Third."))
    new, _ = merge_catalog(old, template("Birinci paragraf şurada.", "Üçüncü paragraf biter."))
    assert (new.entries[0].msgstr, new.entries[0].fuzzy, new.entries[0].previous_msgid) == (
        "", False, None)


def test_a_fuzzy_entry_without_previous_msgid_gets_its_own_msgid_as_previous() -> None:
    old = Catalog(entries=[Entry("Birinci paragraf burada.", "First.", fuzzy=True)])
    new, _ = merge_catalog(old, template("Birinci paragraf şurada."))
    assert new.entries[0].previous_msgid == "Birinci paragraf burada."
    # And a stale previous msgid on a reviewed entry is not carried over.
    old = Catalog(entries=[Entry("Birinci paragraf burada.", "First.", previous_msgid="Eski.")])
    new, _ = merge_catalog(old, template("Birinci paragraf şurada."))
    assert new.entries[0].previous_msgid == "Birinci paragraf burada."


def test_a_third_generation_of_obsolete_translations_is_superseded_3() -> None:
    old = Catalog(
        entries=[Entry(msgid="Aynı metin.", msgstr="The newest translation.")],
        obsolete=[Entry(msgid="Aynı metin.", msgstr="The older translation.", obsolete=True),
                  Entry(msgid="Aynı metin.", msgctxt="superseded 2", obsolete=True,
                        msgstr="The oldest translation.")],
    )
    new, _ = merge_catalog(old, template("Bambaşka bir şey."))
    assert {(e.msgctxt, e.msgstr) for e in new.obsolete} == {
        (None, "The newest translation."), ("superseded 2", "The oldest translation."),
        ("superseded 3", "The older translation.")}


def test_remembered_keys_keep_the_template_msgids_not_a_later_equal_one() -> None:
    """So a catalog read after the template is freed whole once merged (update's memory)."""
    import sys

    def kept_by_the_cache(entry: Entry) -> int:
        """How many references asking ``entry``'s key added to its msgid (no assert here:
        pytest's rewritten asserts hold values of their own)."""
        before = sys.getrefcount(entry.msgid)
        entry.key  # noqa: B018
        return sys.getrefcount(entry.msgid) - before

    text = "".join(["Bir ", "paragraf ", str(len(sys.argv)), "."])  # made at run time
    forget_keys()
    made = template(text)
    remember_keys(made)
    read = Entry(msgid="".join(["Bir ", "paragraf ", str(len(sys.argv)), "."]))
    assert read.msgid == made[0].msgid and read.msgid is not made[0].msgid
    assert kept_by_the_cache(read) == 0
    assert read.key == made[0].key
    forget_keys()
    assert kept_by_the_cache(read) == 1  # the probe sees a string the cache keeps


def test_carry_is_replace_spelt_out() -> None:
    """`_carry` builds the entry field by field; a field it forgot would fail here."""
    from dataclasses import fields, replace

    from pipeline.catalog import _carry

    old = Entry(msgid="eski", msgstr="old", msgctxt="duplicate 2", fuzzy=True,
                previous_msgid="önceki", obsolete=True, references=[("a.md", 3)],
                kind="footnote", label="iv", comments=["c"], translator_comments=["t"],
                flags=["f"], line=7, msgid_plural="p", msgstr_plural={0: "z"},
                conflict="md")
    template = Entry(msgid="yeni", msgctxt=None, references=[("b.md", 9)],
                     kind="paragraph", comments=["d"])
    for f in fields(Entry):  # every field set away from its default, or the test is blind
        assert getattr(old, f.name) != getattr(Entry(msgid=""), f.name), f.name
    carried = _carry(old, template)
    assert carried == replace(old, msgid=template.msgid, msgctxt=template.msgctxt,
                              references=list(template.references),
                              comments=list(template.comments), obsolete=False)
    assert carried.references is not template.references


def test_an_old_catalog_shares_its_templates_msgids() -> None:
    """One string per text: an old catalog read from disk holds no copy of its template's."""
    from pipeline.catalog import share_msgids

    template = [Entry(msgid="".join(["Birinci ", "paragraf."])), Entry(msgid="İkinci.")]
    old = [Entry(msgid="".join(["Birinci ", "paragraf."]), msgstr="First."),
           Entry(msgid="Silinen.", msgstr="Gone.")]
    assert old[0].msgid is not template[0].msgid  # equal, two strings
    share_msgids(old, template)
    assert old[0].msgid is template[0].msgid and old[0].msgstr == "First."
    assert old[1].msgid == "Silinen."  # in no template: kept as it was
