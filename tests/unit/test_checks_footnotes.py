"""Footnote references per segment, and footnote definitions per document."""

from __future__ import annotations

import pytest

from pipeline.catalog import Entry
from pipeline.checks.footnotes import compare_refs, refs
from pipeline.checks.runner import check_texts


def test_refs_are_read_in_order_outside_code() -> None:
    assert refs("a[^ii] b [^i]. `[^x]` c[^iii]") == ["ii", "i", "iii"]
    assert refs("no notes") == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("yakmasıyla[^i] başladı", "greenlighting[^i] Syria’s return"),
        # placement around punctuation may differ
        ("kapsıyor[^iv]; söz konusu", "to Lebanon,[^iv] which only"),
        ("başladı[^v].", "countries.[^v]"),
        ("girişimleriyle[^ii] [^iii] devam", "attempts[^ii] [^iii] to restore"),
    ],
)
def test_same_references_in_any_placement_are_quiet(source: str, target: str) -> None:
    assert check_texts([(source, target)], names=["footnote-refs"]).findings == []


@pytest.mark.parametrize(
    ("source", "target", "messages"),
    [
        (["v"], [], ["footnote [^v] is in the original but not in the translation"]),
        ([], ["x"], ["footnote [^x] is in the translation but not in the original"]),
        (["ix", "x"], ["x", "ix"],
         ["footnotes [^ix] and [^x] are swapped: the original has [^ix] first, "
          "the translation [^x]"]),
        (["i", "ii", "iii"], ["ii", "iii", "i"],
         ["footnotes are in another order: the original has [^i] [^ii] [^iii], "
          "the translation [^ii] [^iii] [^i]"]),
        (["i", "i"], ["i"], ["footnote [^i] is referenced 2 times in the original, 1 in the "
                             "translation"]),
        # Missing, extra and order are reported separately.
        (["i", "ii", "iii"], ["iii", "ii", "iv"],
         ["footnote [^i] is in the original but not in the translation",
          "footnote [^iv] is in the translation but not in the original",
          "footnotes [^ii] and [^iii] are swapped: the original has [^ii] first, "
          "the translation [^iii]"]),
    ],
)
def test_differences(source: list[str], target: list[str], messages: list[str]) -> None:
    assert compare_refs(source, target) == messages


def test_the_finding_points_at_the_po_line_and_the_original() -> None:
    entry = Entry("Süreç başladı[^i] ve sürdü[^ii].", "It started and went on.[^ii]",
                  references=[("source/tr/article.md", 7)], kind="paragraph", line=120)
    [finding] = check_texts([entry], names=["footnote-refs"]).findings
    assert finding.as_dict() == {
        "check": "footnote-refs", "severity": "error", "document": "text", "lang": "en",
        "file": "<text>", "line": 120, "source_file": "source/tr/article.md", "source_line": 7,
        "message": "footnote [^i] is in the original but not in the translation",
    }


def _defs(*pairs: tuple[str, str, str]) -> list[Entry]:
    """Entries as bitext writes them: ("kind label", msgid, msgstr)."""
    return [Entry(msgid, msgstr, kind=segment.partition(" ")[0],
                  label=segment.partition(" ")[2], line=10 * (n + 1))
            for n, (segment, msgid, msgstr) in enumerate(pairs)]


def test_definitions_referenced_and_defined_once_are_quiet() -> None:
    entries = _defs(("paragraph", "Bir[^i] iki[^ii].", "One[^i] two.[^ii]"),
                    ("footnote i", "Kaynak bir.", "Source one."),
                    ("footnote ii", "Kaynak iki.", "Source two."))
    assert check_texts(entries, names=["footnote-defs"]).findings == []


def test_a_definition_nothing_refers_to_and_a_reference_to_nothing() -> None:
    entries = _defs(("paragraph", "Bir[^i] iki.", "One[^i] two.[^iii]"),
                    ("footnote i", "Kaynak bir.", "Source one."),
                    ("footnote ii", "Kaynak iki.", "Source two."),
                    ("footnote i", "Kaynak bir, yine.", "Source one, again."))
    found = [(f.line, f.message) for f in check_texts(entries, names=["footnote-defs"]).findings]
    assert found == [
        (40, "footnote [^i] is defined twice (first at PO line 20)"),
        (10, "footnote [^iii] is referenced in the translation but defined nowhere"),
        (30, "footnote [^ii] is defined, but nothing refers to it (pandoc would drop it)"),
    ]


def test_a_lost_reference_is_one_finding_of_footnote_refs() -> None:
    entries = _defs(("paragraph", "Bir[^i] iki[^ii].", "One[^i] two."),
                    ("footnote i", "Kaynak bir.", "Source one."),
                    ("footnote ii", "Kaynak iki.", "Source two."))
    run = check_texts(entries, names=["footnote-refs", "footnote-defs"])
    assert [(f.check, f.message) for f in run.findings] == [
        ("footnote-refs", "footnote [^ii] is in the original but not in the translation")]


def test_numbers_in_a_footnote_definition_name_the_footnote() -> None:
    entries = _defs(("footnote xiv", "Jusoor, Mart 2021, s.4.", "Jusoor, March 2021, p.5."))
    [finding] = check_texts(entries, names=["numbers"]).findings
    assert finding.message == ("footnote [^xiv]: numbers differ: the original has “4”, "
                               "the translation “5”")


def test_a_line_that_looks_like_a_definition_is_no_reference() -> None:
    # A paragraph line starting "[^i]:" is a definition's syntax, not a reference to [^i].
    assert refs("Birinci satır[^ii]\n[^i]: ikinci satır") == ["ii"]
    assert refs("[^i]: bir tanım") == []
    assert refs("bir [^i]: iki") == ["i"]  # not at the start of a line: a reference


def test_a_translation_that_lost_every_reference_is_reported() -> None:
    findings = check_texts([("Bir[^i] iki[^ii].", "One two."), ("Düz.", "Plain[^x].")],
                           names=["footnote-refs"]).findings
    assert [f.message for f in findings] == [
        "footnote [^i] is in the original but not in the translation",
        "footnote [^ii] is in the original but not in the translation",
        "footnote [^x] is in the translation but not in the original",
    ]


def test_a_repeated_label_counts_in_the_order_too() -> None:
    assert compare_refs(["i", "ii", "i"], ["i", "i", "ii"]) == [
        "footnotes [^ii] and [^i] are swapped: the original has [^ii] first, "
        "the translation [^i]"]


def test_without_definitions_the_document_check_says_nothing() -> None:
    # A foreign catalog (no "#. footnote" lines) does not know its definitions.
    entries = _defs(("paragraph", "Bir[^i] iki.", "One[^i] two.[^iii]"))
    assert check_texts(entries, names=["footnote-defs"]).findings == []


def test_only_footnote_entries_with_a_label_are_definitions() -> None:
    entries = _defs(("heading 2", "Başlık", "Heading"),  # a heading's label is its level
                    ("footnote", "Etiketsiz.", "No label."),
                    ("paragraph", "Bir[^i].", "One[^i]."),
                    ("footnote i", "Kaynak.", "Source."))
    assert check_texts(entries, names=["footnote-defs"]).findings == []


def test_a_label_defined_three_times_names_the_first_each_time() -> None:
    entries = _defs(("paragraph", "Bir[^i].", "One[^i]."),
                    *[("footnote i", f"Kaynak {k}.", f"Source {k}.") for k in range(3)])
    found = [f.message for f in check_texts(entries, names=["footnote-defs"]).findings]
    assert found == ["footnote [^i] is defined twice (first at PO line 20)"] * 2


def test_a_definition_referred_to_by_the_translation_only_is_referenced() -> None:
    # The lost or added reference is footnote-refs' finding; the definition is in use.
    entries = _defs(("paragraph", "Bir iki.", "One[^i] two."),
                    ("footnote i", "Kaynak.", "Source."))
    assert check_texts(entries, names=["footnote-defs"]).findings == []
