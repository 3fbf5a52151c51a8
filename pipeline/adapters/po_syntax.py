"""PO syntax as gettext reads it: the line-by-line check, the escapes, polib's blind spots.

polib is lenient: it silently drops an unterminated string and accepts any
backslash escape. A translator's typo must not vanish, so every file is first
checked line by line by `validate` (file:line errors), then parsed by polib
(`pipeline.adapters.po`).

The strings follow gettext's own lexer (``po-lex.c``), tested against
``msgfmt -c``: the escapes ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, octal
``\\0``-``\\777`` and hex ``\\x41`` (bytes of the file's UTF-8), and any raw
character but a line feed (U+2028, U+0085, form feed, vertical tab... are
not line ends in a PO file). polib splits its input with `str.splitlines`
and knows fewer escapes, so such a file (`UNSAFE`) is handed to it in a safe
spelling (`polib_safe`) and the strings are restored after it (`restore_all`).
`escape` and `unescape` are also what `pipeline.adapters.po_wrap` writes and
compares strings with.
"""

from __future__ import annotations

import re

import polib

from pipeline.errors import BitextError

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
BLANKS = " \t\r\f\v"
# What makes a text need `polib_safe`: a character `str.splitlines` breaks at, other
# than a line feed, or an escape polib does not know.
UNSAFE = re.compile(r"[\v\f\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)|\\[0-7xa]")
_SAFE_ESCAPE = re.compile(r"\\U([0-9A-F]{8})")
# A string line of any kind: marks, keyword, the quoted string, blanks.
STRING_LINE = re.compile(
    r'^([ \t]*(?:#~[ \t]*)?(?:#?\|[ \t]*)?'
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?)"((?:[^"\\]|\\.)*)"(.*)$',
    re.S,
)


# --- validation ---------------------------------------------------------------------------

def validate(text: str, shown: str) -> list[int]:
    """Check PO syntax line by line; return the 1-based line of each entry's msgid.

    Lines end at a line feed only: gettext reads U+2028, U+0085, ``\\v``, ``\\f``
    as characters like any other.
    """
    msgid_lines: list[int] = []
    in_string_field = False
    awaiting_msgstr: int | None = None  # line of a msgid whose msgstr has not come yet
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(BLANKS)
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


# --- strings as gettext reads and writes them ---------------------------------------------

def unescape(body: str) -> str:
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


ESCAPES_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b",
                "\f": "\\f", "\v": "\\v", "\a": "\\a"}
_TO_ESCAPE = re.compile(r'[\\"\n\t\r\b\f\v\a]')


def escape(text: str) -> str:
    """Text as a PO string's body, escaped as gettext writes it."""
    return _TO_ESCAPE.sub(lambda m: ESCAPES_OUT[m.group(0)], text)


def polib_safe(text: str) -> str:
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
        match = STRING_LINE.match(line.strip(BLANKS))
        if match:
            value = unescape(match.group(2))
            body = "".join(ESCAPES_OUT[c] if c in '"\n\t\r\b\f\v' else safe(c) for c in value)
            line = f'{match.group(1)}"{body}"'
        elif line.lstrip(BLANKS).startswith("#"):
            line = safe(line.strip(BLANKS))
        else:
            line = line.strip(BLANKS)
        lines.append(line)
    return "\n".join(lines)


def _restore(value: str) -> str:
    return _SAFE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "\\U" in value \
        else value


def restore_all(po: polib.POFile) -> None:
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
