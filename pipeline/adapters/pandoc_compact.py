"""A writer's JSON input made smaller without changing what the writer writes.

pandoc's JSON for prose is mostly ``{"t":"Str","c":"word"},{"t":"Space"}``, one pair
per word: a document's HTML request is ~490 KB of it, and reading it is a third of
the write. `compact` joins each run ``Str, Space, Str, ...`` into fewer ``Str`` nodes
holding the spaces: the HTML writer (``--wrap=none``) writes a Space as " ", exactly
as it writes the space inside a Str, so the HTML is the same bytes from a quarter of
the JSON and in a third of the time. The typst writer is the same on such runs too,
with two limits that ``limit`` keeps: it escapes the start of a Str by the node before
it (``(`` after a Str, not after a Space), so only whole ``Str Space Str`` triples are
joined, never a Space into a Str (every boundary left is a Space, as before), and a
numbered list's marker (``1.``) is never joined to the word after it (the writer escapes
it at the start of a line only when it is the whole Str); and its
time grows faster than linearly with a Str's length (a 1,250-character Str costs 12 ms,
the same words as nodes 3 ms), so its Strs are joined up to ``limit`` bytes only.

Works on the JSON text, before pandoc reads it, in one regular expression: a match
starts at ``{"t":"Str","c":"``, whose quote after a brace cannot stand inside a JSON
string (a string's quotes are escaped), so it is always a real Str node; and the
separator between two joined words contains such a quote too, so splitting a match on
it never cuts inside a word. A node written another way (keys in another order) is
only left as it is. `tests/e2e/test_pandoc_session.py` holds the session (which
compacts) to the command line (which does not) on the sample, the corpus and every
construct pandoc's reader knows.
"""

from __future__ import annotations

import re

_PREFIX = b'{"t":"Str","c":"'
_SUFFIX = b'"}'
# between two words of a run: the end of one Str, a Space, the start of the next Str
_BETWEEN = b'"},{"t":"Space"},{"t":"Str","c":"'
_STRING = rb'[^"\\]*(?:\\.[^"\\]*)*'  # a JSON string's content (escapes included)
_RUN = re.compile(re.escape(_PREFIX) + _STRING + rb'"\}(?:,\{"t":"Space"\},'
                  + re.escape(_PREFIX) + _STRING + rb'"\})+')


# A Str the typst writer escapes when it starts a line, as a numbered list's marker would
# ("1." -> "\1."), only when it is all the Str: "1. (" joined would start a list.
_ENUM_MARKER = re.compile(rb"[0-9]+\.")


def compact(data: bytes, limit: int | None = None) -> bytes:
    """``data`` (pandoc JSON) with its ``Str Space Str`` runs joined, each Str at most
    about ``limit`` bytes (None: a run becomes one Str)."""

    def join(match: re.Match[bytes]) -> bytes:
        words = match.group(0)[len(_PREFIX):-len(_SUFFIX)].split(_BETWEEN)
        if limit is None:
            return _PREFIX + b" ".join(words) + _SUFFIX
        chunks = [words[0]]
        for word in words[1:]:
            if len(chunks[-1]) < limit and not _ENUM_MARKER.fullmatch(chunks[-1]):
                chunks[-1] += b" " + word
            else:
                chunks.append(word)
        return _PREFIX + _BETWEEN.join(chunks) + _SUFFIX

    return _RUN.sub(join, data)
