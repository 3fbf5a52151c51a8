"""The review page's fast path: pandoc's HTML for the plainest texts, without pandoc. Pure.

Rendering every text of a 9,000-segment page through pandoc costs seconds
(`pipeline.render.fragments`), yet most segments are one line of prose: words,
punctuation, footnote references. For those, `plain_html` writes what pandoc
writes for them (reader `pipeline.adapters.pandoc.READER`, then
`pipeline.render.fragments`, then pandoc's ``html5`` writer), and for anything
else it answers ``None`` and the text goes to pandoc. It accepts only what it
is sure of, and a test compares it with pandoc on the sample, on the shared
corpus and on generated inline Markdown (``tests/property/test_plain_html.py``):

- one line, no leading or trailing space; only letters, digits, spaces, no-break
  spaces and punctuation that pandoc's reader leaves as it is (nothing that
  opens markup: no ``* _ ` < > & \\ $ ~ { } | # "``; ``[`` and ``^`` only as a
  footnote reference ``[^label]``);
- pandoc's ``smart`` extension done as pandoc does it: an ASCII apostrophe
  right after a letter or digit becomes ``’`` (any other is left to pandoc),
  an abbreviation of pandoc's list (``Dr.``, ``e.g.``…) followed by spaces
  and a word keeps a no-break space; ``--`` and ``..`` are left to pandoc;
- block structure: a ``(N) `` at the start is an ordered list (pandoc's
  ``fancy_lists``), any other line that could start a list (``a) ``,
  ``iv. ``, ``2021. ``) or a block is left to pandoc;
- a footnote reference becomes what `fragments` makes of it: a superscript
  label, a link to its definition's row when the caller knows it.

Nothing it writes needs escaping (its characters are never markup in HTML),
and nothing it accepts can become active: it never writes a tag of the text.
"""

from __future__ import annotations

import re

from pipeline.render.fragments import REF_CLASS

# `pandoc --print-default-data-file abbreviations` (pandoc 3.9; a test compares them)
_ABBREVIATION_LIST = """
aet. aetat. al. Apr. Aug. bk. Bros. c. Capt. cf. ch. chap. chs. Co. col. Corp. cp. d. Dec.
Dr. e.g. ed. eds. esp. f. fasc. Feb. ff. fig. fl. fol. fols. Fr. Gen. Gov. Hon. i.e. ill.
Inc. incl. Jan. Jr. Jul. Jun. Ltd. M.A. M.D. Mar. Mr. Mrs. Ms. n. n.b. nn. No. Nov. Oct. p.
Ph.D. pp. Pres. Prof. pt. q.v. Rep. Rev. s.v. s.vv. saec. sec. Sen. Sep. Sept. Sgt. Sr. St.
univ. viz. vol. vs.
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())

# punctuation pandoc's Markdown reader (with our READER) passes through as text
_PUNCT = " \u00a0.,;:?!()/%+-'[]^\u2013\u2014\u2026\u00ab\u00bb\u201c\u201d\u2018\u2019"
_NOTE = re.compile(r"\[\^([A-Za-z0-9-]{1,40})\]")
_LIST = re.compile(r"\((\d{1,9})\) +")
_MARKER = re.compile(r"(?:[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)]")
_TARGET = re.compile(r"#[A-Za-z0-9_-]+")
_SPACES = re.compile(r" {2,}")
_OTHER = re.compile(r"[^\w" + re.escape(_PUNCT) + r"]|_")
_MARKUP = re.compile(r"[\[\]^]")
# The reader reads letters, digits and single dots as one string, and gives one that is an
# abbreviation, followed by spaces and more, a no-break space: a word of the list with no
# letter, digit or dot before it (or it would be a longer string), spaces after it.
# (The longest abbreviation has 6 characters: a short string then, looked up in the set.)
# (Found by hand, not by a regular expression: `re` tries a pattern that starts with a
# look-behind at every character, three times slower on the review page's 18,000 texts.)


def plain_html(text: str, note_targets: dict[str, str] | None = None) -> str | None:
    """pandoc's HTML for ``text`` as the review page shows it, or None if not sure."""
    if not text or text[0] == " " or text[-1] == " " or _OTHER.search(text):
        return None
    if "--" in text or ".." in text:
        return None
    body, start = text, None
    listed = _LIST.match(text)
    if listed is not None:
        body, start = text[listed.end():], int(listed.group(1))
    if not body or not _starts_plain(body):
        return None
    inline = _inline(body, note_targets or {})
    if inline is None:
        return None
    if start is None:
        return f"<p>{inline}</p>"
    opening = '<ol type="1">' if start == 1 else f'<ol start="{start}" type="1">'
    return f"{opening}\n<li>{inline}</li>\n</ol>"


def _starts_plain(body: str) -> bool:
    """Whether ``body`` cannot start a block other than a paragraph (or a list item)."""
    first = body[0]
    if not (first.isalpha() or first in "\u201c\u2018"):
        return False
    word = body.split(" ", 1)[0]
    # "a)", "iv.", "B." open a list (fancy_lists); so might anything with a digit
    return not (_MARKER.fullmatch(word) or (word.endswith((".", ")"))
                                           and any(c.isdigit() for c in word)))


def _inline(body: str, targets: dict[str, str]) -> str | None:
    out: list[str] = []
    pos = 0
    for note in _NOTE.finditer(body):
        piece = _words(body[pos:note.start()])
        if piece is None:
            return None
        after = body[note.end():note.end() + 1]
        if after in ("(", "[", "{"):
            return None
        label = note.group(1)
        target = targets.get(label)
        if target is None:
            out.append(f"{piece}<sup>{label}</sup>")
        elif _TARGET.fullmatch(target):
            out.append(f'{piece}<sup><a href="{target}" class="{REF_CLASS}">{label}</a></sup>')
        else:
            return None  # a target that would need escaping: pandoc writes it
        pos = note.end()
    rest = _words(body[pos:])
    if rest is None:
        return None
    out.append(rest)
    return "".join(out)


def _words(piece: str) -> str | None:
    """Plain text between footnote references: smart apostrophes, abbreviations, spaces."""
    if _MARKUP.search(piece):
        return None
    if "'" in piece:
        if _lone_quote(piece):
            return None  # a quote, not an apostrophe: pandoc pairs them
        piece = piece.replace("'", "\u2019")
    if ". " in piece:
        if piece[-1] == " " and _abbreviation_before(piece, len(piece.rstrip(" ")) - 1):
            return None  # followed by a footnote reference: pandoc decides
        piece = _no_breaks(piece)
    return _SPACES.sub(" ", piece) if "  " in piece else piece


def _lone_quote(piece: str) -> bool:
    """Whether an ASCII ' of ``piece`` is not right after a letter or digit (a quote)."""
    at = piece.find("'")
    while at != -1:
        if at == 0 or not piece[at - 1].isalnum():
            return True
        at = piece.find("'", at + 1)
    return False


def _in_word(char: str) -> bool:
    return char.isalnum() or char in "._"  # `re`'s \w (alphanumeric or _) and the dot


def _abbreviation_before(piece: str, dot: int) -> bool:
    """Whether the string of letters, digits and dots ending with the dot at ``dot`` is a
    word of the list (it starts after a character that is none of those)."""
    start = dot
    while start > 0 and _in_word(piece[start - 1]):
        start -= 1
        if dot - start >= 7:  # longer than any abbreviation
            return False
    return piece[start:dot + 1] in ABBREVIATIONS


def _no_breaks(piece: str) -> str:
    """Each abbreviation followed by spaces and more: the spaces as one no-break space."""
    out: list[str] = []
    done = 0
    at = piece.find(". ")
    while at != -1:
        after = at + 1
        while after < len(piece) and piece[after] == " ":
            after += 1
        if after < len(piece) and _abbreviation_before(piece, at):
            out += [piece[done:at + 1], "\u00a0"]
            done = after
        at = piece.find(". ", after)
    return "".join(out) + piece[done:] if out else piece
