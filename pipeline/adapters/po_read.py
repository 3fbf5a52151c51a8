"""PO text to `Entry`s in one pass, for the files bitext and gettext write; polib for the rest.

Reading a catalog used to take three passes over its lines: `po_syntax.validate`,
polib's parser, then polib's entries turned into `Entry`s. `read_plain` does all
three at once for a file in the plain spelling gettext, Poedit, Weblate and bitext
write (each line exactly one of: a comment ``#``/``#.``/``#:``/``#,``, a previous
string ``#|``, a keyword with its string, a continuation string, all of them
possibly obsolete ``#~``; the header first; strings in the escapes polib knows).
Anything else, and every error, it leaves to the reference path (validate, then
polib) by returning None, so a file it reads gives exactly what polib gives (a
test compares the two on the sample, the corpus and generated catalogs), and a
file it does not read still gets polib's reading and bitext's file:line messages.
"""

from __future__ import annotations

import re

from pipeline.catalog import Entry
from pipeline.keys import SEGMENT_KINDS

# A whole string as validate accepts it, with only the escapes polib knows (no octal,
# hex or \a: those make a file `UNSAFE` and it never comes here).
_PLAIN_STRING = re.compile(r'"[^"\\]*(?:\\[ntbrfv"\\][^"\\]*)*"')
_ESCAPED = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\",
             '"': '"'}
_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")

# States of the reader (what the last line was).
_START, _COMMENT, _CTXT, _ID, _PLURAL, _STR, _STRX, _PREV = range(8)


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], body)


class _Raw:
    """An entry as read, before it becomes an `Entry` (polib's fields, no polib object)."""

    __slots__ = ("comment", "ctxt", "flags", "line", "msgid", "msgstr", "obsolete",
                 "occurrences", "plural", "plurals", "previous_msgid", "tcomment")

    def __init__(self) -> None:
        # polib joins comment lines with a line feed only after a non-empty text: same here
        self.comment = self.tcomment = ""
        self.occurrences: list[tuple[str, int]] = []
        self.flags: list[str] = []
        self.ctxt: str | None = None
        self.msgid = self.msgstr = self.plural = ""
        self.previous_msgid: str | None = None
        self.plurals: dict[int, str] = {}
        self.obsolete: bool | None = None  # of its keyword lines, which must all agree
        self.line = 0


def _joined(text: str, line: str) -> str:
    return f"{text}\n{line}" if text else line


class Plain:
    """A file `read_plain` read: header comment, header entry's msgstr, entries."""

    def __init__(self, header_comment: str, header: str | None, entries: list[Entry]):
        self.header_comment, self.header, self.entries = header_comment, header, entries


def read_plain(text: str) -> Plain | None:
    """The file's header and entries, as polib reads them; None when it is not plain."""
    if not text or text.startswith("\ufeff") or "\r" in text:
        return None
    header_comment = ""
    raws: list[_Raw] = []
    raw = _Raw()
    state = _START
    field = ""  # the string a continuation line extends
    skipped = False  # the last line was one polib skips (an obsolete entry's previous msgid)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            field = ""  # a blank line ends a string: no continuation after it (validate)
            continue
        if line[0] == '"' and line[-1] == '"' and len(line) > 1:
            # most lines of a wrapped file: a continuation, taken first (same checks as below)
            if not field or state in (_START, _COMMENT, _PREV) or raw.obsolete:
                return None
            value = line[1:-1]
            if "\\" in value or '"' in value:  # else a plain string: nothing to check or undo
                if not _PLAIN_STRING.fullmatch(line):
                    return None
                value = _unescape(value)
            if field == "msgstr_plural":
                raw.plurals[len(raw.plurals) - 1] += value
            else:
                setattr(raw, field, getattr(raw, field) + value)
            skipped = False
            continue
        if line[-1] in " \t":  # polib strips the blanks a line ends with ("# " is bitext's)
            line = line.rstrip(" \t")
        if line != line.strip():
            return None
        if line.startswith("#~| "):  # polib drops these lines: so do we, once checked
            rest = line[4:]
            string = rest if rest.startswith('"') else rest.partition(" ")[2]
            if not _PLAIN_STRING.fullmatch(string) or not (
                    rest.startswith(('"', 'msgid "', 'msgctxt "', 'msgid_plural "'))):
                return None
            skipped = True
            continue
        skipped = False
        obsolete = line.startswith("#~ ")
        body = line[3:] if obsolete else line
        head = body[:2]
        if not obsolete and (head in ("# ", "#.", "#:", "#,", "#|") or body == "#"):
            if state in (_CTXT, _ID, _PLURAL):
                return None  # a comment inside an entry
            if state in (_STR, _STRX):
                raws.append(raw)
                raw = _Raw()
                state = _COMMENT
            if head == "#|":
                rest = body[3:] if body.startswith("#| ") else ""
                if rest.startswith('"'):
                    if state != _PREV or raw.previous_msgid is None:
                        return None
                    keyword, string = "", rest
                else:
                    keyword, _, string = rest.partition(" ")
                    if keyword != "msgid":
                        return None  # bitext writes previous msgids only
                if not _PLAIN_STRING.fullmatch(string):
                    return None
                value = _unescape(string[1:-1])
                raw.previous_msgid = value if keyword else f"{raw.previous_msgid}{value}"
                state = _PREV
                continue
            if state == _PREV:
                return None  # bitext and gettext write the previous strings last
            if body == "#" or head == "# ":
                if state == _START:
                    header_comment = _joined(header_comment, body[2:])
                    continue
                raw.tcomment = _joined(raw.tcomment, body[2:])
            elif body[2:3] != " " or len(body) < 4 or body[3] in " \t":
                return None
            elif head == "#.":
                raw.comment = _joined(raw.comment, body[3:])
            elif head == "#:":
                for occurrence in body[3:].split():
                    place, colon, ref_line = occurrence.rpartition(":")
                    if colon and ref_line.isdigit():
                        if not ref_line.isascii():
                            return None
                        raw.occurrences.append((place, int(ref_line)))
                    else:
                        raw.occurrences.append((occurrence, 0))
            else:
                raw.flags.extend(c.strip() for c in body[3:].split(","))
            state = _COMMENT
            continue
        if body.startswith('"'):
            if not _PLAIN_STRING.fullmatch(body) or not field or state in (
                    _START, _COMMENT, _PREV) or raw.obsolete != obsolete:
                return None
            value = _unescape(body[1:-1])
            if field == "msgstr_plural":
                raw.plurals[len(raw.plurals) - 1] += value
            else:
                setattr(raw, field, getattr(raw, field) + value)
            continue
        keyword, _, rest = body.partition(" ")
        index = None
        if keyword.startswith("msgstr[") and len(keyword) == 9 and keyword[7].isdigit() \
                and keyword[7].isascii() and keyword[8] == "]":
            index, keyword = int(keyword[7]), "msgstr_plural"
        elif keyword not in _KEYWORDS:
            return None
        value = rest[1:-1]
        if len(rest) < 2 or rest[0] != '"' or rest[-1] != '"' or "\\" in value or '"' in value:
            if not _PLAIN_STRING.fullmatch(rest):
                return None
            value = _unescape(value)
        if state in (_STR, _STRX) and keyword in ("msgctxt", "msgid"):
            raws.append(raw)
            raw = _Raw()
            state = _COMMENT
        if raw.obsolete is not None and raw.obsolete != obsolete:
            return None
        raw.obsolete = obsolete
        if keyword == "msgctxt" and state in (_START, _COMMENT, _PREV):
            raw.ctxt, field, state = value, "ctxt", _CTXT
        elif keyword == "msgid" and state in (_START, _COMMENT, _PREV, _CTXT):
            raw.msgid, raw.line, field, state = value, number, "msgid", _ID
        elif keyword == "msgid_plural" and state == _ID:
            raw.plural, field, state = value, "plural", _PLURAL
        elif keyword == "msgstr" and state == _ID:
            raw.msgstr, field, state = value, "msgstr", _STR
        elif index is not None and state in (_PLURAL, _STRX) and index == len(raw.plurals):
            raw.plurals[index] = value
            field, state = "msgstr_plural", _STRX
        else:
            return None
    if state not in (_STR, _STRX) or skipped:
        return None  # cut short, trailing comments, or no entry at all
    raws.append(raw)
    return _plain(header_comment, raws)


def _plain(header_comment: str, raws: list[_Raw]) -> Plain | None:
    header: str | None = None
    first = raws[0]
    if first.msgid == "" and not first.obsolete:
        if first.ctxt is not None or first.plurals or first.previous_msgid is not None:
            return None
        header = first.msgstr
        raws = raws[1:]
    entries = []
    for raw in raws:
        if raw.msgid == "" and not raw.obsolete:
            return None  # a second header: polib's reading of it is the reference
        entries.append(_entry(raw))
    return Plain(header_comment, header, entries)


def _entry(raw: _Raw) -> Entry:
    # Derived comments are recomputed on every write; do not carry them twice.
    comments = [c for c in raw.comment.split("\n") if not c.startswith("changed: ")] \
        if raw.comment else []
    kind = label = ""
    for n, comment in enumerate(comments):
        word, _, rest = comment.partition(" ")
        if word in SEGMENT_KINDS:
            del comments[n]
            kind, label = word, rest.strip()
            break
    return Entry(
        msgid=raw.msgid, msgstr=raw.msgstr, msgctxt=raw.ctxt, fuzzy="fuzzy" in raw.flags,
        previous_msgid=raw.previous_msgid, obsolete=bool(raw.obsolete),
        references=raw.occurrences, kind=kind, label=label, comments=comments,
        translator_comments=raw.tcomment.split("\n") if raw.tcomment else [],
        flags=[f for f in raw.flags if f != "fuzzy"],
        line=raw.line, msgid_plural=raw.plural, msgstr_plural=raw.plurals,
    )
