"""PO strings wrapped as gettext wraps them, and a file's own wrapping kept.

Writing: strings are wrapped as gettext wraps them (``wrap`` columns, 79 for
gettext, Poedit, Weblate; 0 for none) by `GettextEntry`, the polib entry
`pipeline.adapters.po` writes with. Given the text the file had before, every
entry whose content is unchanged is written back with the bytes it had (its
wrapping, whoever made it: `keep_unchanged`), so re-saving a file in another
tool and running bitext changes nothing. `detect_wrap` and `wrap_for` decide the
width a file is written at (the ``po_wrap`` setting); `same_entries` compares two
files' entries however wrapped.
"""

from __future__ import annotations

import mmap
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from typing import TypeVar

import polib

from pipeline.adapters.po_syntax import BLANKS, ESCAPES_OUT, STRING_LINE, escape, unescape

# gettext's default width (msgcat, msgmerge, xgettext; Poedit and Weblate too).
GETTEXT_WRAP = 79


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
        width = (2 if char in ESCAPES_OUT or unicodedata.east_asian_width(char) in "WF"
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


# What `wrapped` found, by its arguments: a msgid is written twice in one run (template,
# then catalog), and `update` hands what a child wrapped for the template to the child that
# writes the catalog (`wrapped_since`, `remember_wrapped`).
_WRAPPED: dict[tuple[str, str, int], tuple[str, ...]] = {}
_WRAPPED_MAX = 32768


def wrapped(keyword: str, value: str, wrap: int) -> tuple[str, ...]:
    """The lines of ``keyword "value"`` as gettext writes them at ``wrap`` columns
    (remembered: the same arguments give the same lines)."""
    key = (keyword, value, wrap)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= _WRAPPED_MAX:
            _WRAPPED.clear()
        found = _WRAPPED[key] = _wrapped(keyword, value, wrap)
    return found


def wrapped_since(count: int) -> dict[tuple[str, str, int], tuple[str, ...]]:
    """What `wrapped` found after it held ``count`` results (`wrapped_found`)."""
    return dict(list(_WRAPPED.items())[count:])


def wrapped_found() -> int:
    """How many results `wrapped` holds (for `wrapped_since`)."""
    return len(_WRAPPED)


def remember_wrapped(found: dict[tuple[str, str, int], tuple[str, ...]]) -> None:
    """Take in what `wrapped` found in another process (`wrapped_since`)."""
    if len(_WRAPPED) + len(found) < _WRAPPED_MAX:
        _WRAPPED.update(found)


def _wrapped(keyword: str, value: str, wrap: int) -> tuple[str, ...]:
    """The lines of ``keyword "value"`` as gettext writes them at ``wrap`` columns.

    Greedy, as gettext: each line takes the most text up to a break opportunity
    that fits in ``wrap`` columns with its quotes; a word longer than that
    overflows. A ``\\n`` always ends a line.
    """
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    first = f'{keyword} "{escape(portions[0])}"'
    if len(portions) == 1 and (wrap <= 0 or len(keyword) + 3 + _width(portions[0]) <= wrap):
        return (first,)
    lines = [f'{keyword} ""']
    room = wrap - 2  # the quotes
    for portion in portions:
        if wrap <= 0:
            lines.append(f'"{escape(portion)}"')
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
            lines.append(f'"{escape(portion[start:cut])}"')
            start = cut
        lines.append(f'"{escape(portion[start:])}"')
    return tuple(lines)


class GettextEntry(polib.POEntry):
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
        lines = wrapped(f"{fieldname}{plural_index}", field, self.wrap - len(delflag))
        return [delflag + line for line in lines]


# --- a file's own wrapping --------------------------------------------------------------

def detect_wrap(text: str | bytes | mmap.mmap | None) -> int:
    """The width a PO text's strings are wrapped at: 79 (gettext's) or 0 (not wrapped).

    A string cut into lines elsewhere than after a ``\\n`` is wrapped; a string line
    longer than gettext's width with no such cut anywhere is not. A file with neither
    (every string short) says nothing: gettext's width.
    """
    if not text:
        return GETTEXT_WRAP
    long_line = False
    previous_string: str | None = None  # the last string line of the current field
    for raw in _lines(text):
        match = STRING_LINE.match(raw.rstrip(BLANKS))
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


def _lines(text: str | bytes | mmap.mmap) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time: `detect_wrap` mostly stops in the first
    entry, and splitting a whole 9 MB catalog first took 20 ms. A file's bytes are
    decoded a line at a time (a line feed is never inside a UTF-8 character); an `mmap`
    of them too (`update_apart.map_again`)."""
    if not isinstance(text, str):
        yield from (line.decode("utf-8", "surrogatepass") for line in _lines_of(text))
        return
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _lines_of(data: bytes | mmap.mmap) -> Iterator[bytes]:
    start = 0
    while (end := data.find(b"\n", start)) >= 0:
        yield data[start:end]
        start = end + 1
    yield data[start:]


Old = TypeVar("Old", bound=str | bytes | mmap.mmap)  # a file's old text, or its bytes (mapped)


def wrap_for(setting: int | str, previous: Old | None) -> tuple[int, Old | None]:
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
    return same_blocks(blocks_of(text), blocks_of(other))


def same_blocks(these: list[str], those: list[str]) -> bool:
    """`same_entries` of two texts' `blocks_of`; ``these`` may be rendered blocks, whose
    final line feed is put on here, one block at a time (a list of copies would be the
    catalog's size again, at the peak of update's memory)."""
    if len(these) != len(those):
        return False
    ended = (a if a.endswith("\n") else a + "\n" for a in these[1:])  # [0]: the headers
    return all(a == b or _same_content(a, b) for a, b in zip(ended, those[1:], strict=True))


def _same_content(a: str, b: str) -> bool:
    loose_a, loose_b = _loose(a), _loose(b)
    if loose_a is not None and loose_b is not None and loose_a != loose_b:
        return False  # cheaper than `_content` (see `_loose`)
    return _content(a) == _content(b)


def keep_unchanged(blocks: list[str], previous: str,
                   old: list[str] | None = None) -> list[str]:
    """The entry (and header) ``blocks`` to write, each unchanged one as ``previous`` had it.

    An entry whose content (`_content`) is unchanged but whose bytes differ (another
    tool wrapped it otherwise) takes its old bytes back. ``old``: ``blocks_of(previous)``
    when the caller has it already.
    """
    if old is None:
        old = blocks_of(previous)
    verbatim = set(blocks)
    # Only the old blocks no new one repeats byte for byte can hold a rewrapped entry.
    gone = [block for block in old if block not in verbatim]
    if not gone:
        return blocks
    same = set(old)
    take = taken_back({block: _loose(block) for block in blocks if block not in same},
                      {block: _loose(block) for block in gone})
    if take is None:
        return blocks
    return [block if block in same else take(block) for block in blocks]


def taken_back(new_loose: dict[str, str | None],
               gone_loose: dict[str, str | None]) -> Callable[[str], str] | None:
    """What each new block is written as: the old block of the same content, or itself.

    ``new_loose``: the new blocks no old block repeats byte for byte, with their `_loose`
    forms; ``gone_loose``: the old blocks no new block repeats. None: no new block takes
    an old one's bytes. (`_content` is costly; two blocks can only say the same if their
    loose forms are equal, so it is computed only for blocks whose loose form the other
    side has.)
    """
    new_forms, gone_forms = set(new_loose.values()), set(gone_loose.values())
    kept: dict[str, str] = {}
    for block, loose in gone_loose.items():
        if loose is None or loose in new_forms or None in new_forms:
            kept.setdefault(_content(block), block)
    if not kept:
        return None

    def take(block: str) -> str:
        if None in gone_forms or new_loose[block] in gone_forms:
            return kept.get(_content(block), block)
        return block

    return take


# What `_loose` drops: every character `_content` may add, drop or move (spaces and line
# breaks, the quotes and marks of continuation lines, the "#:" of reference lines it
# joins), whatever the text around them.
_LOOSE = re.compile(r'[\s"#~|:]+')


def _loose(block: str) -> str | None:
    """``block`` without what `_content` may change; None when that cannot be said cheaply.

    Equal contents give equal loose forms, so unequal loose forms need no `_content`.
    What `_content` respells or drops makes it None, and the block is always compared
    whole: an escape gettext writes otherwise (``\\x41`` is ``A``), a character it would
    escape (a tab: ``\\t``), text after a string's closing quote. The escapes gettext
    writes (``\\n``, ``\\"`` …) are spelled one way already.
    """
    if _RESPELLED.search(block) or _AFTER_STRING.search(block):
        return None
    # `_LOOSE.sub("", block)`, three times faster: ``str.split()`` cuts at exactly the
    # characters ``\s`` matches (both ask Unicode's White_Space; a test in
    # tests/property/test_po_fast_paths.py holds it for every character).
    # (`str.replace` five times is faster than one `str.translate` on non-ASCII text.)
    spaced = block.replace('"', " ").replace("#", " ").replace("~", " ").replace(
        "|", " ").replace(":", " ")
    return "".join(spaced.split())


_RESPELLED = re.compile(r'\\[^\\"ntrbfva]|[\t\r\b\f\v\a]')


# Text after a line's last quote (a string's closing quote is followed by blanks only).
_AFTER_STRING = re.compile(r'"[ \t\f\v\r]*[^"\s][^"\n]*$', re.MULTILINE)


def _content(block: str) -> str:
    """What an entry's text says, whatever its wrapping: its lines, strings joined."""
    out: list[str] = []
    for raw in block.split("\n"):
        line = raw.rstrip(BLANKS)
        match = STRING_LINE.match(line)
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
    match = STRING_LINE.match(line)
    if not match:
        return line
    return f'{match.group(1)}"{escape(unescape(match.group(2)))}"'


def blocks_of(text: str) -> list[str]:
    """The entry (and header) blocks of a PO text, each with its final line feed.

    Blocks as `pipeline.adapters.po` renders them (each ending in one line feed, no
    blank line inside) are their own `blocks_of` once joined with line feeds.
    """
    return [block.strip("\n") + "\n" for block in re.split(r"\n[ \t\r]*\n", text.strip("\n"))
            if block.strip()]
