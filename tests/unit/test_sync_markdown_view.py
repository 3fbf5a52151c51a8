"""`markdown_view`: what `bitext check` reads when the translated Markdown was edited."""

from __future__ import annotations

from pipeline.catalog import Catalog, template_from_segments
from pipeline.markdown.segments import parse_document
from pipeline.sync import SyncState, markdown_view, state_after
from pipeline.translation import FUZZY_MARK, render_translation

ORIGINAL = "# Başlık\n\nBirinci 3 paragraf.\n\nİkinci paragraf.\n\nÜçüncü paragraf.\n"


def synced() -> tuple[Catalog, tuple[str, SyncState]]:
    document = parse_document(ORIGINAL)
    entries = template_from_segments(document.segments, "source/tr/doc.md")
    for entry, text in zip(entries, ["Title", "First 3 paragraph.", "Second paragraph.",
                                     "Third paragraph."], strict=True):
        entry.msgstr = text
    entries[3].fuzzy = True
    catalog = Catalog(entries=entries)
    shown = render_translation(document, catalog, "en")
    return catalog, (shown.text, state_after(shown.shown, catalog, 0))


def test_an_edited_segment_is_read_from_the_markdown() -> None:
    catalog, (text, state) = synced()
    edited = text.replace("First 3 paragraph.", "First 30 paragraph.").replace(
        f"{FUZZY_MARK} Third paragraph.", "Third paragraph, reviewed.")
    view = markdown_view(catalog, state, parse_document(edited).segments)
    assert view is not None
    entries, lines = view
    assert [e.msgstr for e in entries] == ["Title", "First 30 paragraph.", "Second paragraph.",
                                          "Third paragraph, reviewed."]
    assert [e.fuzzy for e in entries] == [False, False, False, False]  # the mark removed
    assert [e.key for e in entries] == [e.key for e in catalog.entries]
    assert lines == {catalog.entries[1].key: 3, catalog.entries[3].key: 7}
    assert catalog.entries[1].msgstr == "First 3 paragraph."  # the catalog itself untouched


def test_the_po_is_read_where_the_markdown_did_not_change_or_both_did() -> None:
    catalog, (text, state) = synced()
    catalog.entries[1].msgstr = "First 3 paragraphs."  # edited in the PO: update rewrites the md
    catalog.entries[2].msgstr = "Second one."  # edited in the PO and in the Markdown: a conflict
    edited = text.replace("Second paragraph.", "Second paragraph!")
    view = markdown_view(catalog, state, parse_document(edited).segments)
    assert view is not None
    assert [e.msgstr for e in view[0]][1:3] == ["First 3 paragraphs.", "Second one."]
    assert view[1] == {}


def test_another_shape_falls_back_to_the_po() -> None:
    catalog, (text, state) = synced()
    merged = text.replace("First 3 paragraph.\n\nSecond", "First 30 paragraph. Second")
    assert markdown_view(catalog, state, parse_document(merged).segments) is None
    as_list = text.replace("First 3 paragraph.", "- First 30 paragraph.")
    assert markdown_view(catalog, state, parse_document(as_list).segments) is None
