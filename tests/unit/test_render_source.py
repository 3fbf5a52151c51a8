"""Each language's text with segment markers; states; draft marks never leak."""

from __future__ import annotations

from pipeline.catalog import Catalog, Entry
from pipeline.markdown.segments import parse_document
from pipeline.render.ast import para, text
from pipeline.render.source import (
    original_text,
    strip_draft_marks,
    tag_index,
    tag_segments,
    translated_text,
)
from pipeline.translation import FUZZY_MARK, UNTRANSLATED_MARK

SOURCE = """---
title: "Başlık"
---

Birinci paragraf[^i].

## Bölüm

İkinci paragraf.

[^i]: Not.
"""


def catalog(*msgstrs: tuple[str, bool]) -> Catalog:
    document = parse_document(SOURCE)
    return Catalog(header={}, entries=[
        Entry(msgid=s.text, msgstr=m, fuzzy=f)
        for s, (m, f) in zip(document.segments, msgstrs, strict=True)])


def test_original_marks_each_block_segment_but_not_the_front_matter() -> None:
    source = original_text(parse_document(SOURCE), "tr")
    n = source.nonce
    assert source.markdown == SOURCE.replace(
        "Birinci", f"[]{{#bitext-{n}-1}}Birinci").replace(
        "## Bölüm", f"## []{{#bitext-{n}-2}}Bölüm").replace(
        "İkinci", f"[]{{#bitext-{n}-3}}İkinci").replace(
        "[^i]: Not", f"[^i]: []{{#bitext-{n}-4}}Not")
    assert source.states == ("original",) * 5
    assert source.percent == 100.0


def test_translation_states_and_fallbacks() -> None:
    document = parse_document(SOURCE)
    cat = catalog(("Title", False), ("First paragraph[^i].", False), ("Section", True),
                  ("", False), (f"{FUZZY_MARK} Note.", False))
    source = translated_text(document, cat, "en")
    assert source.states == ("translated", "translated", "fuzzy", "untranslated", "translated")
    assert source.texts == ("Title", "First paragraph[^i].", "Section", "İkinci paragraf.",
                            "Note.")
    assert source.meta_states == {"title": "translated"}
    assert source.translated == 3
    assert round(source.percent, 1) == 60.0
    assert "bitext:" not in source.markdown.replace(f"bitext-{source.nonce}", "")


def test_strip_draft_marks() -> None:
    assert strip_draft_marks(f"{UNTRANSLATED_MARK} {FUZZY_MARK} Metin") == "Metin"
    assert strip_draft_marks("Metin <!-- bitext: fuzzy -->") == "Metin <!-- bitext: fuzzy -->"


def test_the_nonce_changes_with_the_text() -> None:
    a = original_text(parse_document(SOURCE), "tr").nonce
    b = original_text(parse_document(SOURCE.replace("Not.", "Not!")), "tr").nonce
    assert a != b


def test_markers_become_tags_and_literal_leftovers_are_scrubbed() -> None:
    n = "abc123"
    marker = {"t": "Span", "c": [[f"bitext-{n}-2", [], []], []]}
    out = tag_segments([para([marker, text(f"x[]{{#bitext-{n}-7}}y")]),
                        {"t": "CodeBlock", "c": [["", [], []], f"[]{{#bitext-{n}-1}}code"]}],
                       n, count=5)
    assert tag_index(out[0]["c"][0]) == 2
    assert out[0]["c"][1] == text("xy")
    assert out[1]["c"][1] == "code"


def test_a_marker_of_another_nonce_is_an_ordinary_span() -> None:
    forged = {"t": "Span", "c": [["bitext-000000000000-1", [], []], []]}
    out = tag_segments([para([forged])], "abc123", count=5)
    assert tag_index(out[0]["c"][0]) is None
