"""Markdown a machine translator must not touch, as placeholders: `protect`, `restore`. Pure.

The Markdown a translator must not lose is replaced by placeholders ``{1}``,
``{2}``, ... before the text goes to an engine (or a translation memory, or a
CAT tool's inline codes: `code_spans`), and put back afterwards: footnote
references, inline code, URLs and e-mail addresses, autolinks and HTML tags,
link and image targets (and the brackets around the link text), pandoc
attributes, backslash escapes, emphasis markers (``*``, ``_``, ``~~``) and line
breaks inside a footnote. A draft that lost, doubled or invented a
placeholder, swapped an emphasis or link pair, reordered footnote references
or would start a new Markdown block is rejected (`Draft.problem`), never
written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{\s*(\d+)\s*\}")
_INNER = r"(?:[^\[\]\n]|\[\^[^\]\s]+\]|\n(?![ \t]*\n))*"
_TOKEN = re.compile(
    r"(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks)(?!`))"
    r"|(?P<angle><(?:https?://|mailto:)[^>\s]*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s[^<>]*)?/?>)"
    r"|(?P<fn>\[\^[^\]\s]+\])"
    r"|(?P<brk>[ \t]*\n(?:[ \t]*\n)+[ \t]*| {2,}\n[ \t]*|\\\n[ \t]*)"
    r"|(?P<soft>[ \t]*\n[ \t]*)"
    r"|(?P<esc>\\[!-/:-@\[-`{-~])"
    r"|(?P<lit>\{\s*\d+\s*\})"
    r"|(?P<attr>\{(?:[#.][^{}\n]*|[A-Za-z-]+=[^{}\n]*)\})"
    rf"|(?P<link>(?P<open>!?\[)(?P<inner>{_INNER})"
    r"(?P<close>\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)|\]\[[^\]\n]*\]"
    r"|\]\{[^{}\n]*\}))"
    r"|(?P<url>(?:https?|ftp)://(?:[^\s<>()\[\]{}]|\([^\s<>()]*\))*"
    r"(?:[^\s<>()\[\]{}.,;:!?'\"”’»]|\([^\s<>()]*\))"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<emph>\*+|_+|~~)",
    re.DOTALL,
)
# What a paragraph must not start with, or it becomes another kind of block.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|\||:\s|~~~|```)")


@dataclass(frozen=True)
class Token:
    """A protected piece of Markdown, shown to the engine as ``{n}``.

    ``role``: "open"/"close" for the two halves of emphasis or a link;
    ``glue_before``/``glue_after``: whitespace the engine puts on that side
    is removed on restore (``**`` must touch its word, a reference its word).
    """

    text: str
    kind: str
    role: str = ""
    glue_before: bool = False
    glue_after: bool = False


@dataclass(frozen=True)
class Protected:
    """A segment as the engine sees it: ``text`` with placeholders, and what they stand for."""

    source: str
    text: str
    tokens: tuple[Token, ...]
    pairs: tuple[tuple[int, int], ...] = ()  # 0-based token indexes: (opener, closer)

    @property
    def needs_engine(self) -> bool:
        """False when nothing but placeholders, digits and punctuation remains."""
        return any(c.isalpha() for c in _PLACEHOLDER.sub("", self.text))


@dataclass(frozen=True)
class Draft:
    """The outcome of restoring an engine's output: ``text``, or why it was rejected."""

    text: str = ""
    problem: str = ""


def protect(text: str) -> Protected:
    """Replace the Markdown the engine must not see by ``{n}`` placeholders."""
    tokens: list[Token] = []
    out = _scan(text, tokens)
    return Protected(source=text, text=out.strip(), tokens=tuple(tokens),
                     pairs=tuple(_pairs(tokens)))


def restore(protected: Protected, translated: str) -> Draft:
    """Put the protected Markdown back into the engine's output, or say why it cannot."""
    tokens = protected.tokens
    pieces = _PLACEHOLDER.split(translated.strip())
    texts, numbers = pieces[0::2], [int(n) for n in pieces[1::2]]
    expected = range(1, len(tokens) + 1)
    problem = _placeholder_problem(tokens, numbers, expected)
    if not problem:
        position = {n: i for i, n in enumerate(numbers)}
        for opener, closer in protected.pairs:
            if position[opener + 1] > position[closer + 1]:
                problem = (f"the engine swapped {tokens[opener].text!r} and "
                           f"{tokens[closer].text!r} around {{{opener + 1}}}…{{{closer + 1}}}")
                break
        refs = [n for n in numbers if tokens[n - 1].kind == "fn"]
        if not problem and refs != sorted(refs):
            problem = "the engine reordered the footnote references " + " ".join(
                tokens[n - 1].text for n in refs)
    if problem:
        return Draft(problem=problem)
    for i, number in enumerate(numbers):
        token = tokens[number - 1]
        if token.glue_before:
            texts[i] = texts[i].rstrip()
        if token.glue_after:
            texts[i + 1] = texts[i + 1].lstrip()
    result = texts[0] + "".join(
        tokens[n - 1].text + after for n, after in zip(numbers, texts[1:], strict=True)
    )
    result = result.strip()
    if not result:
        return Draft(problem="the engine returned nothing")
    if _BLOCK_START.match(result) and not _BLOCK_START.match(protected.source):
        return Draft(problem=f"the draft would start a new Markdown block: {result[:20]!r}")
    return Draft(text=result)


def _placeholder_problem(tokens: tuple[Token, ...], numbers: list[int],
                         expected: Iterable[int]) -> str:
    seen: set[int] = set()
    for n in numbers:
        if not 1 <= n <= len(tokens):
            return f"the engine invented the placeholder {{{n}}}"
        if n in seen:
            return f"the engine repeated {{{n}}} ({tokens[n - 1].text!r})"
        seen.add(n)
    lost = [n for n in expected if n not in seen]
    if lost:
        return "the engine lost " + ", ".join(f"{{{n}}} ({tokens[n - 1].text!r})" for n in lost)
    return ""


def code_spans(text: str) -> list[tuple[int, int, Token]]:
    """Where each protected piece of ``text`` is: (start, end, token), in order.

    The same pieces `protect` replaces by placeholders, found by the same scan; the
    exchange formats (`pipeline.exchange`) show them to a CAT tool as inline codes.
    """
    tokens: list[Token] = []
    spans: list[tuple[int, int]] = []
    _scan(text, tokens, spans)
    return [(start, end, token) for (start, end), token in zip(spans, tokens, strict=True)]


def _scan(text: str, tokens: list[Token], spans: list[tuple[int, int]] | None = None,
          offset: int = 0) -> str:
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(text[pos:match.start()])
        pos = match.end()
        kind = match.lastgroup or ""  # the outermost group: it closes last
        piece = match.group()
        before = len(tokens)
        if kind == "soft":
            out.append(" ")
        elif kind == "link":
            if spans is not None:
                spans.append((offset + match.start("open"), offset + match.end("open")))
            out.append(_add(tokens, Token(match.group("open"), "link", "open", glue_after=True)))
            out.append(_scan(match.group("inner"), tokens, spans, offset + match.start("inner")))
            if spans is not None:
                spans.append((offset + match.start("close"), offset + match.end("close")))
            out.append(_add(tokens, Token(match.group("close"), "link", "close",
                                          glue_before=True)))
        elif kind == "emph":
            role = _emphasis_role(piece, text[match.start() - 1: match.start()],
                                  text[match.end(): match.end() + 1])
            if role is None:
                out.append(piece)  # a lone * or an intraword _: plain text
            else:
                out.append(_add(tokens, Token(piece, "emph", role, glue_before=role == "close",
                                              glue_after=role == "open")))
        elif kind == "fn":
            glued = match.start() > 0 and not text[match.start() - 1].isspace()
            out.append(_add(tokens, Token(piece, "fn", glue_before=glued)))
        elif kind == "brk":
            out.append(_add(tokens, Token(piece, "break", glue_before=True, glue_after=True)))
        else:
            out.append(_add(tokens, Token(piece, kind)))
        if spans is not None and kind != "link" and len(tokens) > before:
            spans.append((offset + match.start(), offset + match.end()))
    out.append(text[pos:])
    return "".join(out)


def _add(tokens: list[Token], token: Token) -> str:
    tokens.append(token)
    return f"{{{len(tokens)}}}"


def _emphasis_role(run: str, before: str, after: str) -> str | None:
    """CommonMark's flanking rules: "open", "close", "" (could be either) or None (no marker)."""
    before, after = before or " ", after or " "
    left = not after.isspace() and (
        not _punct(after) or before.isspace() or _punct(before))
    right = not before.isspace() and (
        not _punct(before) or after.isspace() or _punct(after))
    if run.startswith("_"):
        opens = left and (not right or _punct(before))
        closes = right and (not left or _punct(after))
    else:
        opens, closes = left, right
    if opens and closes:
        return ""
    if opens:
        return "open"
    if closes:
        return "close"
    return None


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _pairs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Openers matched to their closers (same marker, innermost first)."""
    pairs: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        key = token.kind if token.kind == "link" else token.text
        if token.role == "open":
            stacks.setdefault(key, []).append(i)
        elif token.role == "close" and stacks.get(key):
            pairs.append((stacks[key].pop(), i))
    return sorted(pairs)


# --- which entries, and how they are marked -------------------------------------------------
