"""PO files through polib, to and from the plain `Catalog` model.

polib is lenient: it silently drops an unterminated string and accepts any
backslash escape. A translator's typo must not vanish, so every file is first
checked line by line by `_validate` (file:line errors), then parsed by polib.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from pipeline.adapters.fs import read_text
from pipeline.catalog import Catalog, Entry, change_comment
from pipeline.errors import BitextError
from pipeline.keys import SEGMENT_KINDS, SegmentKey

# Written in this order; anything else found in a header is kept after them.
HEADER_FIELDS = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms",
)
# A keyword line, possibly obsolete (#~) and/or a previous value (#|); group 1 tells which.
_KEYWORD = re.compile(
    r"^((?:#~\s*)?(?:#?\|\s*)?)(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(.*)$"
)
_MARKS = re.compile(r"^(?:#~\s*)?(?:#?\|\s*)?")
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
# "Unrolled loop" form: runs of plain characters between escapes, fast on long lines.
_VALID_STRING = re.compile(r'"[^"\\]*(?:\\[ntr"\\abfv][^"\\]*)*"\s*')
_ESCAPES = set('ntr"\\abfv')


def read_catalog(path: Path, *, shown: str) -> Catalog:
    """Parse a PO/POT file into a `Catalog`; malformed input raises `BitextError`."""
    text = read_text(path, shown=shown)
    return parse_catalog(text, shown=shown)


def parse_catalog(text: str, *, shown: str = "<po>") -> Catalog:
    """Parse PO text (already decoded) into a `Catalog`."""
    msgid_lines = _validate(text, shown)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise BitextError(
            f"malformed PO: {exc}", path=shown, line=int(found.group(1)) if found else None
        ) from exc
    catalog = Catalog(header=dict(po.metadata), header_comment=po.header)
    if len(msgid_lines) == len(po) + 1:
        msgid_lines = msgid_lines[1:]  # the header entry, which polib keeps apart
    seen: dict[SegmentKey, int] = {}
    for entry, line in zip(po, msgid_lines, strict=False):
        model = _from_polib(entry, line)
        target = catalog.obsolete if model.obsolete else catalog.entries
        if not model.obsolete:
            if model.key in seen:
                raise BitextError(
                    f"duplicate message (first at line {seen[model.key]}); msgfmt refuses it",
                    path=shown, line=line,
                )
            seen[model.key] = line
        target.append(model)
    return catalog


def render_catalog(catalog: Catalog) -> str:
    """The PO text of a catalog, deterministic (same catalog, same bytes)."""
    po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    po.header = catalog.header_comment
    po.metadata = _ordered_header(catalog.header)
    for entry in [*catalog.entries, *catalog.obsolete]:
        po.append(_to_polib(entry))
    return str(po)


def _from_polib(entry: polib.POEntry, line: int) -> Entry:
    references = []
    for ref_file, ref_line in entry.occurrences:
        references.append((ref_file, int(ref_line) if ref_line.isdigit() else 0))
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


def _to_polib(entry: Entry) -> polib.POEntry:
    comments = list(entry.comments)
    if entry.kind:
        comments.insert(0, f"{entry.kind} {entry.label}" if entry.label else entry.kind)
    derived = change_comment(entry)
    if derived:
        comments.append(derived)
    flags = (["fuzzy"] if entry.fuzzy else []) + entry.flags
    return polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        flags=flags,
        previous_msgid=entry.previous_msgid if entry.fuzzy else None,
        obsolete=entry.obsolete,
        occurrences=[(f, str(n)) for f, n in entry.references],
        comment="\n".join(comments),
        tcomment="\n".join(entry.translator_comments),
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
    )


def _ordered_header(header: dict[str, str]) -> dict[str, str]:
    ordered = {k: header[k] for k in HEADER_FIELDS if k in header}
    ordered.update((k, v) for k, v in header.items() if k not in ordered)
    return ordered


def _validate(text: str, shown: str) -> list[int]:
    """Check PO syntax line by line; return the 1-based line of each entry's msgid."""
    msgid_lines: list[int] = []
    in_string_field = False
    awaiting_msgstr: int | None = None  # line of a msgid whose msgstr has not come yet
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            in_string_field = False
            continue
        bare = _MARKS.sub("", line) if line.startswith("#") else line
        match = _KEYWORD.match(line)
        if line.startswith("#") and not match and not (
            line.startswith(("#~", "#|")) and bare.startswith('"')
        ):
            continue  # an ordinary comment
        if match:
            marks, keyword, rest = match.groups()
            if keyword == "msgid" and "|" not in marks:
                if awaiting_msgstr is not None:
                    raise _no_msgstr(shown, awaiting_msgstr)
                msgid_lines.append(number)
                awaiting_msgstr = number
            elif keyword.startswith("msgstr") and "|" not in marks:
                awaiting_msgstr = None
            in_string_field = True
        elif bare.startswith('"') and in_string_field:
            rest = bare
        else:
            raise BitextError(
                f"malformed PO: unexpected text {line[:40]!r}", path=shown, line=number
            )
        if _VALID_STRING.fullmatch(rest):
            continue  # the common case; the checks below only explain a failure
        string = _STRING.match(rest)
        if not string:
            raise BitextError(
                "malformed PO: unterminated or badly quoted string", path=shown, line=number
            )
        body = string.group(1)
        for escape in re.finditer(r"\\(.)", body):
            if escape.group(1) not in _ESCAPES:
                raise BitextError(
                    f"malformed PO: unknown escape '\\{escape.group(1)}'", path=shown, line=number
                )
    if awaiting_msgstr is not None:
        raise _no_msgstr(shown, awaiting_msgstr)
    return msgid_lines


def _no_msgstr(shown: str, line: int) -> BitextError:
    return BitextError("malformed PO: this entry has no msgstr (was the file cut short?)",
                       path=shown, line=line)
