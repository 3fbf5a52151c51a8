"""PO files through polib, to and from the plain `Catalog` model.

polib is lenient: it silently drops an unterminated string and accepts any
backslash escape. A translator's typo must not vanish, so every file is first
checked line by line by `_validate` (file:line errors), then parsed by polib.

The strings follow gettext's own lexer (``po-lex.c``), tested against
``msgfmt -c``: the escapes ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, octal
``\\0``-``\\777`` and hex ``\\x41`` (bytes of the file's UTF-8), and any raw
character but a line feed (U+2028, U+0085, form feed, vertical tab... are
not line ends in a PO file). polib splits its input with `str.splitlines`
and knows fewer escapes, so such a file is handed to it in a safe spelling
(`_polib_safe`) and the strings are restored after it.

Writing: strings are wrapped as gettext wraps them (``wrap`` columns, 79 for
gettext, Poedit, Weblate; 0 for none) by `_GettextEntry`; given the text the
file had before, every entry whose content is unchanged is written back with
the bytes it had (its wrapping, whoever made it), so re-saving a file in
another tool and running bitext changes nothing (`render_catalog`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
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
# gettext's default width (msgcat, msgmerge, xgettext; Poedit and Weblate too).
GETTEXT_WRAP = 79
# A keyword line, possibly obsolete (#~) and/or a previous value (#|); group 1 tells which.
_KEYWORD = re.compile(
    r"^((?:#~\s*)?(?:#?\|\s*)?)(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(.*)$", re.S
)
_MARKS = re.compile(r"^(?:#~\s*)?(?:#?\|\s*)?")
_STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"[ \t\f\v]*$', re.S)
# "Unrolled loop" form: runs of plain characters between escapes, fast on long lines.
_VALID_STRING = re.compile(r'"[^"\\]*(?:\\(?:[ntbrfva"\\0-7]|x[0-9A-Fa-f])[^"\\]*)*"[ \t\f\v]*',
                           re.S)
# One escape as gettext reads it: octal (1-3 digits), hex (all the digits), or one character.
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
           "\\": "\\", '"': '"'}
# Blanks around the tokens of a line (what gettext's lexer skips; no Unicode line ends).
_BLANKS = " \t\r\f\v"
# What makes a text need `_polib_safe`: a character `str.splitlines` breaks at, other
# than a line feed, or an escape polib does not know.
_UNSAFE = re.compile(r"[\v\f\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)|\\[0-7xa]")
_SAFE_ESCAPE = re.compile(r"\\U([0-9A-F]{8})")
# A string line of any kind: marks, keyword, the quoted string, blanks.
_STRING_LINE = re.compile(
    r'^([ \t]*(?:#~[ \t]*)?(?:#?\|[ \t]*)?'
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?)"((?:[^"\\]|\\.)*)"(.*)$',
    re.S,
)


def read_catalog(path: Path, *, shown: str) -> Catalog:
    """Parse a PO/POT file into a `Catalog`; malformed input raises `BitextError`."""
    text = read_text(path, shown=shown)
    return parse_catalog(text, shown=shown)


def parse_catalog(text: str, *, shown: str = "<po>") -> Catalog:
    """Parse PO text (already decoded) into a `Catalog`."""
    msgid_lines = _validate(text, shown)
    safe = bool(_UNSAFE.search(text))
    try:
        po = polib.pofile(_polib_safe(text) if safe else text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise BitextError(
            f"malformed PO: {exc}", path=shown, line=int(found.group(1)) if found else None
        ) from exc
    if safe:
        _restore_all(po)
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


def render_catalog(catalog: Catalog, *, wrap: int = 0, previous: str | None = None,
                   header_fuzzy: bool = False) -> str:
    """The PO text of a catalog, deterministic (same catalog and ``previous``, same bytes).

    ``wrap``: the width strings are wrapped at (0: not wrapped). ``previous``: the
    file's text before; an entry (or the header) whose content is unchanged keeps
    the bytes it had there. ``header_fuzzy``: ``#, fuzzy`` on the header, as on
    gettext's templates.
    """
    po = polib.POFile(wrapwidth=wrap, check_for_duplicates=False)
    po.header = catalog.header_comment
    po.metadata = _ordered_header(catalog.header)
    po.metadata_is_fuzzy = header_fuzzy
    header = _render_header(po, wrap)
    blocks = [header, *(str(_to_polib(entry, wrap)) for entry in
                        [*catalog.entries, *catalog.obsolete])]
    if previous is not None:
        old = _blocks(previous)
        verbatim = set(blocks)
        # Only the old blocks no new one repeats byte for byte can hold a rewrapped entry.
        kept: dict[str, str] = {}
        for block in old:
            if block not in verbatim:
                kept.setdefault(_content(block), block)
        if kept:
            same = set(old)
            blocks = [block if block in same else kept.get(_content(block), block)
                      for block in blocks]
    return "\n".join(blocks)


def detect_wrap(text: str | None) -> int:
    """The width a PO text's strings are wrapped at: 79 (gettext's) or 0 (not wrapped).

    A string cut into lines elsewhere than after a ``\\n`` is wrapped; a string line
    longer than gettext's width with no such cut anywhere is not. A file with neither
    (every string short) says nothing: gettext's width.
    """
    if not text:
        return GETTEXT_WRAP
    long_line = False
    previous_string: str | None = None  # the last string line of the current field
    for raw in text.split("\n"):
        match = _STRING_LINE.match(raw.rstrip(_BLANKS))
        if not match:
            previous_string = None
            continue
        keyword_line = bool(match.group(1).strip(" \t#~|"))
        body = match.group(2)
        if not keyword_line and previous_string and not previous_string.endswith("\\n"):
            return GETTEXT_WRAP
        if len(raw) > GETTEXT_WRAP:
            long_line = True
        previous_string = body
    return 0 if long_line else GETTEXT_WRAP


def _render_header(po: polib.POFile, wrap: int) -> str:
    head = po.header
    comment = "".join("#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
                      for line in head.split("\n")) if head else ""
    found = po.metadata_as_entry()
    entry = _GettextEntry(msgid="", msgstr=found.msgstr, flags=found.flags, wrap=wrap)
    return comment + str(entry)


def _content(block: str) -> str:
    """What an entry's text says, whatever its wrapping: its lines, strings joined."""
    out: list[str] = []
    for raw in block.split("\n"):
        line = raw.rstrip(_BLANKS)
        match = _STRING_LINE.match(line)
        if match and not match.group(1).strip(" \t#~|") and out and out[-1].endswith('"'):
            out[-1] = out[-1][:-1] + match.group(2) + '"'  # a continuation line
        elif match:
            out.append(f'{match.group(1).strip()} "{match.group(2)}"')
        elif line.startswith("#:"):
            refs = " ".join(line[2:].split())
            if out and out[-1].startswith("#: "):
                out[-1] += " " + refs
            else:
                out.append("#: " + refs)
        elif line:
            out.append(line)
    return "\n".join(_normal_strings(line) for line in out)


def _normal_strings(line: str) -> str:
    """A string line with its escapes spelled one way (``\\x41`` and ``A`` are the same)."""
    match = _STRING_LINE.match(line)
    if not match:
        return line
    return f'{match.group(1)}"{_escape(_unescape(match.group(2)))}"'


def _blocks(text: str) -> list[str]:
    """The entry (and header) blocks of a PO text, each with its final line feed."""
    return [block.strip("\n") + "\n" for block in re.split(r"\n[ \t\r]*\n", text.strip("\n"))
            if block.strip()]


# --- strings as gettext reads and writes them ---------------------------------------------

def _unescape(body: str) -> str:
    """A string's body (between the quotes) as text: escapes give bytes of the UTF-8."""
    if "\\" not in body:
        return body
    out = bytearray()
    position = 0
    for escape in _ESCAPE.finditer(body):
        out += body[position:escape.start()].encode("utf-8", "surrogatepass")
        octal, hexa, char = escape.groups()
        if octal is not None:
            out.append(int(octal, 8) & 0xFF)
        elif hexa is not None:
            out.append(int(hexa, 16) & 0xFF)
        else:
            out += _SIMPLE[char].encode()
        position = escape.end()
    out += body[position:].encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "replace")


_ESCAPES_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b",
                "\f": "\\f", "\v": "\\v", "\a": "\\a"}
_TO_ESCAPE = re.compile(r'[\\"\n\t\r\b\f\v\a]')


def _escape(text: str) -> str:
    """Text as a PO string's body, escaped as gettext writes it."""
    return _TO_ESCAPE.sub(lambda m: _ESCAPES_OUT[m.group(0)], text)


def _polib_safe(text: str) -> str:
    """The same PO text spelled so polib reads it right (`_restore` undoes the spelling).

    Every string is decoded, then written with the escapes polib knows, and with
    ``\\UXXXXXXXX`` for a backslash and for what polib would take for a line end;
    comments get the same for those characters.
    """
    def safe(chars: str) -> str:
        return "".join(f"\\U{ord(c):08X}" if c == "\\" or len(f"a{c}b".splitlines()) > 1
                       else c for c in chars)

    lines = []
    for raw in text.split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        match = _STRING_LINE.match(line.strip(_BLANKS))
        if match:
            value = _unescape(match.group(2))
            body = "".join(_ESCAPES_OUT[c] if c in '"\n\t\r\b\f\v' else safe(c) for c in value)
            line = f'{match.group(1)}"{body}"'
        elif line.lstrip(_BLANKS).startswith("#"):
            line = safe(line.strip(_BLANKS))
        else:
            line = line.strip(_BLANKS)
        lines.append(line)
    return "\n".join(lines)


def _restore(value: str) -> str:
    return _SAFE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "\\U" in value \
        else value


def _restore_all(po: polib.POFile) -> None:
    po.header = _restore(po.header)
    po.metadata = {_restore(k): _restore(v) for k, v in po.metadata.items()}
    for entry in po:
        for name in ("msgid", "msgstr", "msgctxt", "msgid_plural", "previous_msgid",
                     "previous_msgid_plural", "previous_msgctxt", "comment", "tcomment"):
            value = getattr(entry, name)
            if isinstance(value, str):
                setattr(entry, name, _restore(value))
        entry.msgstr_plural = {k: _restore(v) for k, v in entry.msgstr_plural.items()}
        entry.flags = [_restore(f) for f in entry.flags]
        entry.occurrences = [(_restore(f), n) for f, n in entry.occurrences]


# --- wrapping as gettext does -------------------------------------------------------------

# Where gettext may start a new line: the Unicode line-breaking rules (UAX #14) as its
# libunistring applies them, for the classes prose and Markdown use (measured against
# msgcat 0.21; every other character counts as a letter).
_CLASSES = {
    **dict.fromkeys(" ", "SP"), **dict.fromkeys("–|", "BA"), "-": "HY", "—": "B2",
    "…": "IN", **dict.fromkeys("([{", "OP"), "}": "CL", **dict.fromkeys(")]", "CP"),
    **dict.fromkeys("\"'“”‘’«»", "QU"), **dict.fromkeys(".,;:", "IS"),
    **dict.fromkeys("!?", "EX"), "/": "SY",
}


def _class(char: str) -> str:
    return "NU" if char.isdigit() else _CLASSES.get(char, "AL")


# The characters of a class other than letters and digits (which never break between them).
_SPECIAL = frozenset(_CLASSES) | {"\n"}


def _is_break(text: str, i: int) -> bool:
    """May gettext start a new line at ``text[i]`` (0 < i < len(text))?"""
    if text[i - 1] not in _SPECIAL and text[i] not in _SPECIAL:
        return False  # letters, digits and symbols hold together
    before, after = _class(text[i - 1]), _class(text[i])
    if after == "SP" or after in ("CL", "CP", "EX", "IS", "SY") or text[i] == "\n":
        return False
    k = i - 1
    while k > 0 and text[k] == " ":
        k -= 1
    last = _class(text[k])  # the last character that is not a space
    if last == "OP" or (last == "QU" and after == "OP") or (last == after == "B2"):
        return False
    if before == "SP" or (before in ("HY", "IS", "SY") and text[i] == '"'):  # as measured
        return True
    if "QU" in (before, after) or after in ("BA", "HY", "IN"):
        return False
    return not ((before in ("HY", "IS", "SY") and after == "NU") or (
        before in ("AL", "NU") and after in ("AL", "NU", "OP")) or (
        before == "CP" and after in ("AL", "NU")))


class _Widths(dict[str, int]):
    """Columns a character takes in a PO string: escaped ones two, wide two, combining none."""

    def __missing__(self, char: str) -> int:
        width = (2 if char in _ESCAPES_OUT or unicodedata.east_asian_width(char) in "WF"
                 else 0 if unicodedata.combining(char) else 1)
        self[char] = width
        return width


_WIDTHS = _Widths()


def _width(text: str) -> int:
    return sum(map(_WIDTHS.__getitem__, text))


# Characters whose width is not one column: escaped, East Asian wide, combining, zero-width.
_ODD_WIDTH = re.compile(
    '[\\\\"\n\t\r\b\f\v\a\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a'
    "\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0dff\u1100-\u115f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u200b-\u200f\u20d0-\u20ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe00-\ufe0f"
    "\ufe20-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001faff\U00020000-\U0003fffd]")


@lru_cache(maxsize=32768)  # a msgid is written twice in one run (template, then catalog)
def _wrapped(keyword: str, value: str, wrap: int) -> tuple[str, ...]:
    """The lines of ``keyword "value"`` as gettext writes them at ``wrap`` columns.

    Greedy, as gettext: each line takes the most text up to a break opportunity
    that fits in ``wrap`` columns with its quotes; a word longer than that
    overflows. A ``\\n`` always ends a line.
    """
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    first = f'{keyword} "{_escape(portions[0])}"'
    if len(portions) == 1 and (wrap <= 0 or len(keyword) + 3 + _width(portions[0]) <= wrap):
        return (first,)
    lines = [f'{keyword} ""']
    room = wrap - 2  # the quotes
    for portion in portions:
        if wrap <= 0:
            lines.append(f'"{_escape(portion)}"')
            continue
        body = portion[:-1] if portion.endswith("\n") else portion
        columns: Sequence[int]
        if _ODD_WIDTH.search(body):
            columns = [0, *accumulate(map(_WIDTHS.__getitem__, portion))]
        elif body is portion:  # one column a character
            columns = range(len(portion) + 1)
        else:  # and the final \n, written as two
            columns = [*range(len(portion)), len(portion) + 1]
        start, end = 0, len(portion)
        while columns[end] - columns[start] > room:
            cut = bisect_right(columns, columns[start] + room) - 1
            while cut > start and not _is_break(portion, cut):
                cut -= 1
            if cut == start:  # nothing fits: the first break after
                cut = bisect_right(columns, columns[start] + room)
                while cut < end and not _is_break(portion, cut):
                    cut += 1
                if cut >= end:
                    break
            lines.append(f'"{_escape(portion[start:cut])}"')
            start = cut
        lines.append(f'"{_escape(portion[start:])}"')
    return tuple(lines)


class _GettextEntry(polib.POEntry):
    """A polib entry whose strings are escaped and wrapped (at ``wrap``) as gettext does.

    Comments are never wrapped (gettext does not; a wrapped comment would read back
    as several). polib calls `_str_field` for every string of an entry.
    """

    def __init__(self, *, wrap: int = 0, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.wrap = wrap

    def __unicode__(self, wrapwidth: int = 0) -> str:
        return str(super().__unicode__(0))

    def _str_field(self, fieldname: str, delflag: str, plural_index: str, field: str,
                   wrapwidth: int = 0) -> list[str]:
        if fieldname.startswith("previous_"):
            fieldname = fieldname[len("previous_"):]
        lines = _wrapped(f"{fieldname}{plural_index}", field, self.wrap - len(delflag))
        return [delflag + line for line in lines]


# --- the model ----------------------------------------------------------------------------

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


def _to_polib(entry: Entry, wrap: int = 0) -> polib.POEntry:
    comments = list(entry.comments)
    if entry.kind:
        comments.insert(0, f"{entry.kind} {entry.label}" if entry.label else entry.kind)
    derived = change_comment(entry)
    if derived:
        comments.append(derived)
    flags = (["fuzzy"] if entry.fuzzy else []) + entry.flags
    return _GettextEntry(
        wrap=wrap,
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


# --- validation ---------------------------------------------------------------------------

def _validate(text: str, shown: str) -> list[int]:
    """Check PO syntax line by line; return the 1-based line of each entry's msgid.

    Lines end at a line feed only: gettext reads U+2028, U+0085, ``\\v``, ``\\f``
    as characters like any other.
    """
    msgid_lines: list[int] = []
    in_string_field = False
    awaiting_msgstr: int | None = None  # line of a msgid whose msgstr has not come yet
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(_BLANKS)
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
        for escape in _ESCAPE.finditer(string.group(1)):
            char = escape.group(3)
            if char == "x":
                raise BitextError("malformed PO: escape '\\x' without hex digits",
                                  path=shown, line=number)
            if char is not None and char not in _SIMPLE:
                raise BitextError(
                    f"malformed PO: unknown escape '\\{char}'", path=shown, line=number
                )
    if awaiting_msgstr is not None:
        raise _no_msgstr(shown, awaiting_msgstr)
    return msgid_lines


def _no_msgstr(shown: str, line: int) -> BitextError:
    return BitextError("malformed PO: this entry has no msgstr (was the file cut short?)",
                       path=shown, line=line)


# --- how a file is written again ----------------------------------------------------------

def wrap_for(setting: int | str, previous: str | None) -> tuple[int, str | None]:
    """The width to write a file at, and the old text whose unchanged entries keep their bytes.

    ``setting`` is ``po_wrap``: ``"keep"`` writes at the width the old text has
    (`detect_wrap`; a new file at gettext's 79); a width is that width, and the old
    bytes are kept only where the old text has it already.
    """
    found = detect_wrap(previous) if previous else None
    if setting == "keep":
        return (GETTEXT_WRAP if found is None else found), previous
    width = int(setting)
    return width, previous if found is not None and width == found else None


def same_entries(text: str, other: str) -> bool:
    """Whether two PO texts hold the same entries (header aside), however wrapped."""
    these, those = _blocks(text)[1:], _blocks(other)[1:]
    return len(these) == len(those) and all(
        a == b or _content(a) == _content(b) for a, b in zip(these, those, strict=True))
