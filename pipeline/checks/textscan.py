"""Shared scanning for the extractors: where a text's digits are, and what holds none.

`hidden_spans` finds the spans whose digits and words are no numbers or dates of
the prose (code spans, URLs, e-mail addresses, footnote references, link targets,
HTML tags and entities, printf and brace placeholders); `mask` blanks them.
`digit_positions` and `digit_runs` find the digits with substring searches, so that
the patterns of `pipeline.checks.numberfind` and `pipeline.checks.datefind` only run
at or near them (9,000 segments in about a second). `URL`, `EMAIL` and `CODE_SPAN`
are also what `pipeline.checks.urlfind` finds URLs with. Pure, no I/O.
"""

from __future__ import annotations

import re

URL = r"""(?:(?:https?|ftp)://|www\.)[^\s<>"“”‘’`\\]+"""
EMAIL = r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# (trigger substrings, pattern): a pattern runs only when a trigger occurs in the text.
_HIDDEN: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("`",), CODE_SPAN),
    (("://", "www."), re.compile(URL)),
    (("@",), re.compile(EMAIL)),
    (("[^",), re.compile(r"\[\^[^\]\s]+\]")),  # footnote reference
    (("](",), re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")),  # link target
    (("<",), re.compile(r"</?[A-Za-z][^<>]*>")),  # HTML tag
    (("&",), re.compile(r"&#?\w+;")),  # HTML entity
    (("%",), re.compile(  # printf placeholders: %(name)s %s %1$s %5.2f
        r"%\(\w+\)[#0 +-]?\d*(?:\.\d+)?[sdifgexXr]|%\d+\$[sdif]|%[-+ 0#]*\d*(?:\.\d+)?[sdifgexX]"
    )),
    (("{",), re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|\{#[^}]*\}")),  # {0} {#id}
)


_RARE = {"://": ":", "[^": "^", "](": "]"}


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """Spans of code, URLs, e-mails, footnote refs, link targets, tags and placeholders."""
    spans: list[tuple[int, int]] = []
    for triggers, pattern in _HIDDEN:
        for trigger in triggers:
            # A rare character of the trigger before the whole of it: one character is
            # found many times faster than a string, and most texts lack it.
            if _RARE.get(trigger, trigger) in text and trigger in text:
                spans.extend(m.span() for m in pattern.finditer(text))
                break
    spans.sort()
    return spans


def mask(text: str) -> str:
    """``text`` with its `hidden_spans` turned into spaces (same length, positions kept)."""
    for start, end in reversed(hidden_spans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def digit_positions(text: str) -> list[int]:
    """Positions of the ASCII digits of ``text``, sorted (ten substring searches, no regex)."""
    found: list[int] = []
    find = text.find
    for digit in "0123456789":
        at = find(digit)
        while at >= 0:
            found.append(at)
            at = find(digit, at + 1)
    found.sort()
    return found


def has_digit(text: str) -> bool:
    """Whether ``text`` holds an ASCII digit."""
    return any(d in text for d in "0123456789")


def digit_runs(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """Maximal ``[0-9]+([.,][0-9]+)*`` runs, from sorted digit positions."""
    runs = []
    start = prev = positions[0]
    for at in positions[1:]:
        if at == prev + 1 or (at == prev + 2 and text[prev + 1] in ".,"):
            prev = at
            continue
        runs.append((start, prev + 1))
        start = prev = at
    runs.append((start, prev + 1))
    return runs
