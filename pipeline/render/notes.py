"""Footnotes: numbered as the publication numbers them, labels carried explicitly.

pandoc forgets a footnote's label as soon as it parses it, and every writer
numbers notes 1, 2, 3. So `collect_notes` takes each Note out of the AST,
replaces it with a *reference* placeholder, ``Span ("", ["bitext-noteref"],
[("note", n)]) []``, and keeps the note's blocks in a `Note` with its number
(order of first reference) and its label, formatted by the config's
``footnote_style``: arabic (1), lower-roman (i), upper-roman (I),
lower-alpha (a), upper-alpha (A), or label (the ``[^label]`` as written).
Each format then turns placeholders into its own reference (see
`pipeline.render.formats`). A note referenced twice is one note with two
references.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.render.ast import Node, attr, find, map_lists, span
from pipeline.render.source import first_tag

REF_CLASS = "bitext-noteref"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass
class Note:
    """One footnote of one language: its number, shown label, segment and blocks."""

    number: int
    label: str
    segment: int | None
    blocks: list[Node]
    references: int = 1


def roman(n: int) -> str:
    """Lower-case roman numeral; arabic beyond 3999, where roman numerals stop."""
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def alpha(n: int) -> str:
    """a … z, aa, ab … (bijective base 26, as list markers count)."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def format_label(number: int, style: str, label: str) -> str:
    """A note's label in ``style`` (a config ``footnote_style``)."""
    if style == "lower-roman":
        return roman(number)
    if style == "upper-roman":
        return roman(number).upper()
    if style == "lower-alpha":
        return alpha(number)
    if style == "upper-alpha":
        return alpha(number).upper()
    if style == "label" and label:
        return label
    return str(number)


def collect_notes(
    value: Any, *, style: str, keys: dict[int, str]
) -> tuple[Any, list[Note]]:
    """Take the notes out of ``value``; return it with reference placeholders, and the notes.

    ``keys`` maps a footnote segment's index to its ``[^label]``: a note is
    the same note wherever it is referenced when its blocks carry the same
    segment tag (pandoc copies the definition into every reference).
    """
    notes: list[Note] = []
    by_key: dict[str, Note] = {}

    def inlines(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node["t"] != "Note":
                out.append(node)
                continue
            segment = first_tag(node["c"])
            key = keys.get(segment, "") if segment is not None else ""
            note = by_key.get(key) if key else None
            if note is None:
                number = len(notes) + 1
                note = Note(number=number, label=format_label(number, style, key),
                            segment=segment, blocks=node["c"], references=0)
                notes.append(note)
                if key:
                    by_key[key] = note
            note.references += 1
            out.append(reference(note.number, note.references))
        return out

    return map_lists(value, inlines=inlines), notes


def reference(number: int, occurrence: int) -> Node:
    return span(attr("", [REF_CLASS], [("note", str(number)), ("occurrence", str(occurrence))]),
                [])


def reference_of(node: Node) -> tuple[int, int] | None:
    """(note number, occurrence) of a reference placeholder, else None."""
    if node.get("t") != "Span" or REF_CLASS not in node["c"][0][1]:
        return None
    pairs = dict(node["c"][0][2])
    return int(pairs["note"]), int(pairs["occurrence"])


def references_in(value: Any) -> list[int]:
    """Note numbers referenced under ``value``, first occurrences first, without repeats."""
    return list(dict.fromkeys(number for number, _ in find(value, reference_of)))
