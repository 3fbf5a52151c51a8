"""Inline codes: the Markdown a CAT tool must keep, as XLIFF shows it. Pure.

A segment's text is cut into plain text and `Code`s: the pieces
`pipeline.translate.protect` hides from a machine translator (footnote
references, inline code, URLs, link brackets and targets, emphasis
delimiters, escapes, HTML, line breaks in a footnote). A code is numbered
like protect's placeholder (``id`` "1", "2"… in the original); the two
halves of an emphasis or a link are a pair, named by the opener's id.

A translation is cut the same way and its pieces are matched, by text, to
the original's codes (a pair only as a whole), so the target carries the
same ids. Reading a target back, `check_codes` says what a CAT tool broke:
a code lost, repeated or unknown, a pair closed before it opens, footnote
references in another order (what `pipeline.translate.restore` refuses of a
machine's draft too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from pipeline.placeholders import code_spans, protect


@dataclass(frozen=True)
class Code:
    """An inline code: its id, the Markdown it stands for, its kind and role in a pair."""

    id: str
    text: str
    kind: str  # the protect token kind: fn, code, url, angle, esc, lit, attr, link, emph, break
    role: str = ""  # "open" or "close" for the halves of a pair; "" for a standalone code
    pair: str = ""  # the opener's id, for both halves of a pair


Part = str | Code


def source_parts(text: str) -> list[Part]:
    """``text`` as plain runs and codes; ``join`` gives it back exactly."""
    spans = code_spans(text)
    pairs = protect(text).pairs if spans else ()
    partner: dict[int, tuple[str, int]] = {}
    for opener, closer in pairs:
        partner[opener] = ("open", opener)
        partner[closer] = ("close", opener)
    codes: list[tuple[int, int, Code]] = []
    for n, (start, end, token) in enumerate(spans):
        role, opener = partner.get(n, ("", -1))
        codes.append((start, end, Code(str(n + 1), token.text, token.kind, role,
                                       str(opener + 1) if role else "")))
    return _cut(text, codes)


def target_parts(text: str, source: list[Part]) -> list[Part]:
    """A translation as plain runs and the original's codes it keeps (matched by text).

    A piece with no match in the original, or half a pair, stays plain text.
    """
    available = [p for p in source if isinstance(p, Code)]
    used: set[str] = set()
    found: list[tuple[int, int, Code]] = []
    for start, end, token in code_spans(text):
        match = next((c for c in available if c.id not in used and c.text == token.text
                      and (c.role == "" or token.role in (c.role, ""))), None)
        if match is not None:
            used.add(match.id)
            found.append((start, end, match))
    # A pair counts only whole and in order; otherwise both halves are plain text.
    opened: dict[str, int] = {}
    broken: set[str] = set()
    for i, (_, _, code) in enumerate(found):
        if code.role == "open":
            opened[code.pair] = i
        elif code.role == "close" and code.pair not in opened:
            broken.add(code.pair)
    closed = {c.pair for _, _, c in found if c.role == "close"}
    broken |= {pair for pair in opened if pair not in closed}
    return _cut(text, [(s, e, c) for s, e, c in found if not (c.role and c.pair in broken)])


def _cut(text: str, codes: list[tuple[int, int, Code]]) -> list[Part]:
    parts: list[Part] = []
    pos = 0
    for start, end, code in codes:
        if start > pos:
            parts.append(text[pos:start])
        parts.append(code)
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
    return parts


# The type of a standalone code / of a pair, by protect's token kind: XLIFF 1.2's ``ctype``
# and TMX 1.4b's ``type`` share these names (``bold``, ``italic``, ``link``, ``lb``; ``x-``
# for the rest, which both allow).
_STANDALONE_TYPE = {"fn": "x-footnote-ref", "code": "x-code", "url": "x-url",
                    "angle": "x-html", "esc": "x-escape", "lit": "x-placeholder",
                    "attr": "x-attributes", "break": "lb", "link": "x-link",
                    "emph": "x-emphasis"}
_PAIR_TYPE = {"**": "bold", "__": "bold", "*": "italic", "_": "italic", "~~": "x-strike"}


def code_type(code: Code) -> str:
    """The code's type as XLIFF 1.2 (``ctype``) and TMX (``type``) name it."""
    if code.role:
        return "link" if code.kind == "link" else _PAIR_TYPE.get(code.text, "x-emphasis")
    return _STANDALONE_TYPE.get(code.kind, "x-markdown")


def join(parts: list[Part]) -> str:
    """The text of a list of parts (a code gives its Markdown)."""
    return "".join(p if isinstance(p, str) else p.text for p in parts)


def codes_of(parts: list[Part]) -> dict[str, Code]:
    return {p.id: p for p in parts if isinstance(p, Code)}


def shown(code_id: str) -> str:
    """A code's id as a message names it: ``3``, ``1 (opening)``, ``1 (closing)``."""
    role, _, number = code_id.rpartition(":")
    return {"open": f"{number} (opening)", "close": f"{number} (closing)"}.get(role, number)


def check_codes(source: list[Part], target: list[Part]) -> str:
    """What a CAT tool broke in a target's codes ("" when nothing)."""
    expected = [p for p in source if isinstance(p, Code)]
    seen: dict[str, int] = {}
    for n, part in enumerate(p for p in target if isinstance(p, Code)):
        if part.id in seen:
            return f"the inline code {shown(part.id)} ({part.text!r}) appears twice"
        seen[part.id] = n
    lost = [c for c in expected if c.id not in seen]
    if lost:
        return "lost the inline code" + ("s " if len(lost) > 1 else " ") + ", ".join(
            f"{shown(c.id)} ({c.text!r})" for c in lost)
    for code in expected:
        if code.role == "close" and seen[code.id] < seen[code.pair]:
            return (f"the inline codes {shown(code.pair)} and {shown(code.id)} ({code.text!r}) "
                    "are reordered: the pair closes before it opens")
    refs = [c.id for c in sorted((c for c in expected if c.kind == "fn"),
                                 key=lambda c: seen[c.id])]
    if refs != [c.id for c in expected if c.kind == "fn"]:
        return "the footnote references are reordered: " + " ".join(
            next(c.text for c in expected if c.id == i) for i in refs)
    return ""


def write_flat(element: etree._Element, parts: list[Part],
               code_element: Callable[[etree._Element, Code], etree._Element]) -> None:
    """Fill ``element`` with the parts' text and one child per code, none nested (XLIFF
    1.2's ``bpt``/``ept``/``ph``, TMX's): ``code_element`` makes the child for a code,
    which holds the code's Markdown; text goes into the element or the last child's tail."""
    last: etree._Element | None = None
    for part in parts:
        if isinstance(part, str):
            if last is None:
                element.text = (element.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        last = code_element(element, part)
        last.text = part.text
