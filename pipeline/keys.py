"""The one identity of a segment: its `SegmentKey`.

Every layer names a segment by this key: the merge (obsolete entries), the
two-way sync (``*.sync.json``), the checks, the renderer's markers, and the
exchange formats built on them (review rows, XLIFF ``id``, TMX ``tuid``).

A key is a digest of what gettext itself uses to tell messages apart, the
context and the msgid, so the PO file needs no extra field and a key is the
same in every run for the same text. Identical paragraphs in one document
get the contexts ``duplicate 2``, ``duplicate 3``… in document order
(`duplicate_context`), so every key in a document is distinct.

Pure; no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NewType

SEGMENT_KINDS = ("meta", "heading", "paragraph", "list-item", "quote", "table-cell", "footnote")
"""What a segment can be (`pipeline.markdown.segments`); a PO entry's first ``#.`` line."""

SegmentKey = NewType("SegmentKey", str)
"""12 hex digits of SHA-1 over ``context \\x04 text`` (UTF-8)."""


def segment_key(context: str | None, text: str) -> SegmentKey:
    """The key of the segment (or PO entry) with this msgctxt and msgid."""
    return SegmentKey(digest(f"{context or ''}\x04{text}"))


def duplicate_context(occurrence: int) -> str | None:
    """The msgctxt of the ``occurrence``-th (1-based) segment with the same text."""
    return None if occurrence == 1 else f"duplicate {occurrence}"


def digest(text: str) -> str:
    """A short, stable digest of a text (12 hex digits of SHA-1 of its UTF-8)."""
    return digest_bytes(text.encode("utf-8"))


def digest_bytes(data: bytes | bytearray) -> str:
    return digest_chunks([data])


def digest_chunks(chunks: Iterable[bytes | bytearray]) -> str:
    """`digest_bytes` of the chunks joined (a file read a MiB at a time)."""
    found = hashlib.sha1()
    for chunk in chunks:
        found.update(chunk)
    return found.hexdigest()[:12]
