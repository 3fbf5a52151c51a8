"""PO files through polib, to and from the plain `Catalog` model.

Reading (`read_catalog`, `parse_catalog`): the text is first checked line by line
and handed to polib in a spelling it reads right (`pipeline.adapters.po_syntax`),
then each polib entry becomes an `Entry`: bitext's segment line (``#. footnote
xiv``) gives its kind and label, and a duplicate key among active entries is
malformed input. Writing (`render_catalog`): each `Entry` becomes a polib entry
again, the header's fields in gettext's order, strings wrapped as gettext wraps
them and unchanged entries kept as the file had them (`pipeline.adapters.po_wrap`).

The names of `po_syntax` and `po_wrap` that other modules use are re-exported
here, where they have always been imported from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import operator
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import polib

from pipeline.adapters.block_memo import BlockMemo, block_digest
from pipeline.adapters.fs import read_text
from pipeline.adapters.po_blocks import (
    Blocks,
    OldBlocks,
    joined,
    keep_unchanged_spans,
    pieces,
    same_blocks_spans,
)
from pipeline.adapters.po_read import read_plain
from pipeline.adapters.po_syntax import UNSAFE, polib_safe, restore_all, validate
from pipeline.adapters.po_wrap import (
    GETTEXT_WRAP,
    GettextEntry,
    detect_wrap,
    same_entries,
    wrap_for,
)
from pipeline.catalog import Catalog, Entry, change_comment
from pipeline.clock import po_stamp
from pipeline.errors import BitextError
from pipeline.keys import SEGMENT_KINDS, SegmentKey

__all__ = [
    "GETTEXT_WRAP", "HEADER_FIELDS", "detect_wrap", "parse_catalog", "read_catalog",
    "render_catalog", "same_entries", "wrap_for",
]

# Written in this order; anything else found in a header is kept after them.
HEADER_FIELDS = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms",
)


def read_catalog(path: Path, *, shown: str) -> Catalog:
    """Parse a PO/POT file into a `Catalog`; malformed input raises `BitextError`."""
    text = read_text(path, shown=shown)
    return parse_catalog(text, shown=shown)


# Off: every file is read by the reference path (validate, then polib); tests compare both.
FAST_READ = True


def parse_catalog(text: str, *, shown: str = "<po>") -> Catalog:
    """Parse PO text (already decoded) into a `Catalog`."""
    plain = read_plain(text) if FAST_READ else None
    if plain is None:
        return parse_catalog_polib(text, shown=shown)
    catalog = Catalog(header=_metadata(plain.header) if plain.header is not None else {},
                      header_comment=plain.header_comment)
    _add_entries(catalog, plain.entries, shown)
    return catalog


# An entry as a tuple of its fields, in `Entry`'s order: what a child that parsed a catalog
# sends back (unpickling tuples is a third of unpickling dataclasses: issue 16).
_ENTRY_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Entry)))

CatalogRows = tuple[dict[str, str], str, list[tuple[Any, ...]], list[tuple[Any, ...]]]


def catalog_rows(catalog: Catalog) -> CatalogRows:
    """``catalog`` as plain tuples (`catalog_from_rows` makes it again)."""
    return (catalog.header, catalog.header_comment, list(map(_ENTRY_FIELDS, catalog.entries)),
            list(map(_ENTRY_FIELDS, catalog.obsolete)))


def catalog_from_rows(rows: CatalogRows) -> Catalog:
    header, header_comment, entries, obsolete = rows
    return Catalog(header=header, header_comment=header_comment,
                   entries=[Entry(*row) for row in entries],
                   obsolete=[Entry(*row) for row in obsolete])


def parse_catalog_polib(text: str, *, shown: str = "<po>") -> Catalog:
    """`parse_catalog` by the reference path: validate, then polib (any PO file)."""
    msgid_lines = validate(text, shown)
    safe = bool(UNSAFE.search(text))
    try:
        po = polib.pofile(polib_safe(text) if safe else text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise BitextError(
            f"malformed PO: {exc}", path=shown, line=int(found.group(1)) if found else None
        ) from exc
    if safe:
        restore_all(po)
    catalog = Catalog(header=dict(po.metadata), header_comment=po.header)
    if len(msgid_lines) == len(po) + 1:
        msgid_lines = msgid_lines[1:]  # the header entry, which polib keeps apart
    _add_entries(catalog, [_from_polib(entry, line) for entry, line in
                           zip(po, msgid_lines, strict=False)], shown)
    return catalog


def _add_entries(catalog: Catalog, entries: list[Entry], shown: str) -> None:
    seen: dict[SegmentKey, int] = {}
    for model in entries:
        target = catalog.obsolete if model.obsolete else catalog.entries
        if not model.obsolete:
            key = model.key
            if key in seen:
                raise BitextError(
                    f"duplicate message (first at line {seen[key]}); msgfmt refuses it",
                    path=shown, line=model.line,
                )
            seen[key] = model.line
        target.append(model)


def _metadata(msgstr: str) -> dict[str, str]:
    """The header's fields, as polib reads them from the header entry's msgstr."""
    metadata: dict[str, str] = {}
    key = None
    for msg in msgstr.splitlines():
        try:
            key, val = msg.split(":", 1)
            metadata[key] = val.strip()
        except ValueError:
            if key is not None:
                metadata[key] += "\n" + msg.strip()
    return metadata


def render_catalog(catalog: Catalog, *, wrap: int = 0, previous: str | None = None,
                   header_fuzzy: bool = False, memo: BlockMemo | None = None) -> str:
    """The PO text of a catalog, deterministic (same catalog and ``previous``, same bytes).

    ``wrap``: the width strings are wrapped at (0: not wrapped). ``previous``: the
    file's text before; an entry (or the header) whose content is unchanged keeps
    the bytes it had there. ``header_fuzzy``: ``#, fuzzy`` on the header, as on
    gettext's templates. ``memo``: what each entry rendered to last time
    (`pipeline.adapters.block_memo`); an entry it knows whose block ``previous``
    still holds byte for byte is not rendered again (same bytes, less time).
    """
    # The text as bytes, the way `render_dated` has a file (a str may hold lone surrogates).
    old = OldBlocks(previous.encode("utf-8", "surrogatepass"), "surrogatepass") \
        if previous is not None else None
    blocks = _render_blocks(catalog, wrap=wrap, old=old, header_fuzzy=header_fuzzy, memo=memo)
    return joined(blocks, old, "surrogatepass").decode("utf-8", "surrogatepass")


# From this many entries, a catalog rendered ``apart`` has its second half rendered in a
# forked child meanwhile (a big document's PO: its child is the last to finish, while the
# update's process waits).
ENTRIES_APART_FROM = 2000


def _render_blocks(catalog: Catalog, *, wrap: int, old: OldBlocks | None, header_fuzzy: bool,
                   memo: BlockMemo | None, apart: bool = False) -> Blocks:
    """`render_catalog`'s blocks: each rendered, or (``old``: the file's old blocks, whose
    unchanged entries keep their bytes) the index of an old block kept as it is.
    ``apart``: a big catalog's second half is rendered in a child (`ENTRIES_APART_FROM`)."""
    po = polib.POFile(wrapwidth=wrap, check_for_duplicates=False)
    po.header = catalog.header_comment
    po.metadata = _ordered_header(catalog.header)
    po.metadata_is_fuzzy = header_fuzzy
    header = _render_header(po, wrap)
    by_digest = old.by_digest if old is not None and memo is not None and memo.known else {}
    entries = [*catalog.entries, *catalog.obsolete]
    known = memo.known if memo is not None else None
    if apart and len(entries) >= ENTRIES_APART_FROM:
        from pipeline.adapters.workers import in_child

        half = len(entries) // 2
        second = in_child(partial(_entry_blocks, entries[half:], wrap, by_digest, known))
        parts = [_entry_blocks(entries[:half], wrap, by_digest, known), second()]
    else:
        parts = [_entry_blocks(entries, wrap, by_digest, known)]
    blocks: Blocks = [header]
    for found, used in parts:
        blocks += found
        if memo is not None:
            memo.used.update(used)  # in the entries' order, as one loop would have put them
    if old is not None:
        blocks = keep_unchanged_spans(blocks, old)
    return blocks


def _entry_blocks(entries: list[Entry], wrap: int, by_digest: dict[str, int],
                  known: dict[str, str] | None) -> tuple[Blocks, dict[str, str]]:
    """The blocks of ``entries`` and what the memo used for them (``known``: the memo's
    map, None without one; ``by_digest``: the old blocks it may name)."""
    blocks: Blocks = []
    used: dict[str, str] = {}
    for entry in entries:
        inputs = _render_inputs(entry)
        if known is None:
            blocks.append(_rendered(inputs, wrap))
            continue
        key = _inputs_digest(inputs, wrap)
        found = known.get(key)
        kept = by_digest.get(found) if found is not None else None
        if kept is not None and found is not None:
            used[key] = found
            blocks.append(kept)
            continue
        block = _rendered(inputs, wrap)
        used[key] = block_digest(block)
        blocks.append(block)
    return blocks, used


def _inputs_digest(inputs: tuple[Any, ...], wrap: int) -> str:
    """A digest of everything an entry's block is rendered from (the code aside).

    marshal's version 2 spells equal values the same (no references to objects seen
    before, which later versions write by identity); twice as fast as hashing a repr.
    """
    data = marshal.dumps((wrap, *inputs), 2)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _render_header(po: polib.POFile, wrap: int) -> str:
    head = po.header
    comment = "".join("#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
                      for line in head.split("\n")) if head else ""
    found = po.metadata_as_entry()
    entry = GettextEntry(msgid="", msgstr=found.msgstr, flags=found.flags, wrap=wrap)
    return comment + str(entry)


# --- the model ----------------------------------------------------------------------------

def _from_polib(entry: polib.POEntry, line: int) -> Entry:
    references = []
    for ref_file, ref_line in entry.occurrences:
        # polib keeps any Unicode digit ("x:²"); int() takes ASCII and other decimals only
        if ref_line.isdigit() and not ref_line.isdecimal():
            references.append((f"{ref_file}:{ref_line}", 0))
        else:
            references.append((ref_file, int(ref_line) if ref_line else 0))
    comments = entry.comment.split("\n") if entry.comment else []
    # Derived comments are recomputed on every write; do not carry them twice.
    comments = [c for c in comments if not c.startswith("changed: ")]
    kind, label = _segment_comment(comments)
    return Entry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        fuzzy="fuzzy" in entry.flags,
        previous_msgid=entry.previous_msgid,
        obsolete=bool(entry.obsolete),
        references=references,
        kind=kind,
        label=label,
        comments=comments,
        translator_comments=entry.tcomment.split("\n") if entry.tcomment else [],
        flags=[f for f in entry.flags if f != "fuzzy"],
        line=line,
        msgid_plural=entry.msgid_plural,
        msgstr_plural={int(k): v for k, v in entry.msgstr_plural.items()},
    )


def _segment_comment(comments: list[str]) -> tuple[str, str]:
    """Take bitext's segment line (``#. footnote xiv``) out of ``comments``: (kind, label)."""
    for n, comment in enumerate(comments):
        word, _, rest = comment.partition(" ")
        if word in SEGMENT_KINDS:
            del comments[n]
            return word, rest.strip()
    return "", ""


# The polib entry's fields, in the order of `_render_inputs`'s values.
_POLIB_FIELDS = ("msgid", "msgstr", "msgctxt", "flags", "previous_msgid", "obsolete",
                 "occurrences", "comment", "tcomment", "msgid_plural", "msgstr_plural")


def _render_inputs(entry: Entry) -> tuple[Any, ...]:
    """The polib entry's field values for ``entry`` (`_POLIB_FIELDS`): all its block is
    rendered from (`_inputs_digest` hashes them)."""
    comments = list(entry.comments)
    if entry.kind:
        comments.insert(0, f"{entry.kind} {entry.label}" if entry.label else entry.kind)
    derived = change_comment(entry)
    if derived:
        comments.append(derived)
    return (
        entry.msgid, entry.msgstr, entry.msgctxt,
        (["fuzzy"] if entry.fuzzy else []) + entry.flags,
        entry.previous_msgid if entry.fuzzy else None,
        entry.obsolete,
        [(f, str(n)) for f, n in entry.references],
        "\n".join(comments),
        "\n".join(entry.translator_comments),
        entry.msgid_plural,
        dict(sorted(entry.msgstr_plural.items())),
    )


def _rendered(inputs: tuple[Any, ...], wrap: int) -> str:
    """The block of an entry whose `_render_inputs` are ``inputs``."""
    return str(GettextEntry(wrap=wrap, **dict(zip(_POLIB_FIELDS, inputs, strict=True))))


def _ordered_header(header: dict[str, str]) -> dict[str, str]:
    ordered = {k: header[k] for k in HEADER_FIELDS if k in header}
    ordered.update((k, v) for k, v in header.items() if k not in ordered)
    return ordered


def header_of(po_text: str | None, shown: str) -> dict[str, str] | None:
    """The header fields of a PO text, without parsing its entries."""
    if po_text is None:
        return None
    first_entry = po_text.split("\n\n", 1)[0]
    return parse_catalog(first_entry, shown=shown).header


def render_dated(catalog: Catalog, old_file: bytes | OldBlocks | None, date_field: str,
                 wrap: int | str, *, header_fuzzy: bool = False,
                 memo: BlockMemo | None = None, apart: bool = False) -> bytes:
    """`render_dated_pieces`, joined: the file's bytes."""
    return b"".join(render_dated_pieces(catalog, old_file, date_field, wrap,
                                        header_fuzzy=header_fuzzy, memo=memo, apart=apart))


def render_dated_pieces(catalog: Catalog, old_file: bytes | OldBlocks | None, date_field: str,
                        wrap: int | str, *, header_fuzzy: bool = False,
                        memo: BlockMemo | None = None,
                        apart: bool = False) -> list[bytes | memoryview]:
    """The bytes of ``catalog`` written over ``old_file`` (the file's bytes, or its blocks
    cut already; None for a new file; ``wrap``: ``po_wrap``); its date changes only when
    an entry does.

    Entries whose content did not change keep the bytes they had in ``old_file``
    (a file re-saved by msgcat, Poedit or Weblate stays as they wrapped it). The old
    file is never decoded whole (`pipeline.adapters.po_blocks`). ``apart``: a big
    catalog's entries are rendered by two processes (`ENTRIES_APART_FROM`).
    """
    old = OldBlocks(old_file) if isinstance(old_file, bytes) else old_file
    data = old.data if old is not None else None  # bytes, or the file mapped
    width, previous = wrap_for(wrap, data)
    found = _date_field(date_field).search(data or b"")
    catalog.header[date_field] = found.group(1).decode() if found else po_stamp()
    blocks = _render_blocks(catalog, wrap=width, old=old if previous is not None else None,
                            header_fuzzy=header_fuzzy, memo=memo, apart=apart)
    # Entries that say something new get a new date; a file only rewrapped keeps its own.
    if found and old is not None and not same_blocks_spans(blocks, old):
        stamp = po_stamp()
        catalog.header[date_field] = stamp
        # The header (the first block) holds the field, rendered from the old date just
        # above: the text's first match, which the whole text's replace would have found.
        header = blocks[0] if isinstance(blocks[0], str) else old.text(blocks[0])
        blocks[0] = header.replace(found.group(0).decode(), f'"{date_field}: {stamp}\\n"', 1)
    return pieces(blocks, old)


@lru_cache(maxsize=8)
def _date_field(name: str) -> re.Pattern[bytes]:
    """A header's date line (``"PO-Revision-Date: …\\n"``), on a file's bytes."""
    return re.compile(rf'^"{re.escape(name)}: ([^"\\]*)\\n"$'.encode(), re.MULTILINE)
