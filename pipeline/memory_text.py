"""What the translation memory compares: texts normalised and abstracted. Pure.

`normalise` is what an exact lookup compares (NFC, straight quotes, single
spaces); `abstract` what a fuzzy lookup scores (Markdown codes as ``{}``,
numbers as ``0``). `pipeline.memory.Memory` applies both to every unit at once
(`normalise_all`, `keys_all`: a few passes over all the texts joined, the same
result as one text at a time, which a test checks). `remap` puts a new
original's codes and numbers into the translation a lookup found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from pipeline.placeholders import protect, restore

QUOTES_FROM = "“”„‟«»″‘’‚‛′"
QUOTES = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
})
SPACE = re.compile(r"\s+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Each alternative starts with a literal or a class, so `re` skips to where one can start.
DIGITS = re.compile(r"\d\d*(?:[.,]\d+)*")
PLACEHOLDER = re.compile(r"(\{\d+\})")
CURLY = re.compile("[" + "".join(QUOTES_FROM) + "]")
MARKUP = re.compile(r"[`<\[\]*_~\\{]|://")  # what every code in CODE starts with
CODE = re.compile(  # every alternative starts with a literal: `re` skips to the next one
    r"\[\^[^\]\s]+\]|`(`*).+?`\1|\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
    r"|<[^<>\n]*>|https?://[^\s<>()]+|ftp://[^\s<>()]+|\{[^{}\n]*\}"
    r"|\\.|\*[*_~]*|_[*_~]*|~[*_~]*|\[|\]")


def normalise(text: str) -> str:
    """The text as the exact lookup compares it: NFC, straight quotes, single spaces."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if CURLY.search(text):  # str.translate is slow; most texts need none
        text = text.translate(QUOTES)
    return " ".join(text.split())


def abstract(text: str) -> str:
    """The text as the fuzzy lookup compares it: Markdown codes as ``{}``, numbers as ``0``.

    A fast stand-in for `pipeline.translate.protect` (which `remap` then uses on the
    few texts compared): footnote references, code, link targets and brackets, URLs,
    e-mail addresses, HTML tags, attributes, escapes and emphasis markers.
    """
    return key_of(normalise(text))


def key_of(normal: str) -> str:
    if MARKUP.search(normal):
        normal = CODE.sub("{}", normal)
        if "@" in normal:
            normal = EMAIL.sub("{}", normal)
    return DIGITS.sub("0", normal)


def normalise_all(texts: Sequence[str]) -> list[str]:
    """`normalise` of each text, in a few passes over all of them joined."""
    # A printable text has no whitespace but U+0020 (the others are controls or separators):
    # its spaces are collapsed on the whole, the rest one by one.
    plain = list(texts)
    for n in [n for n, ok in enumerate(map(str.isprintable, plain)) if not ok]:
        plain[n] = " ".join(plain[n].split())
    joined = "\x00".join(plain)
    if joined.count("\x00") != max(len(texts) - 1, 0) or not unicodedata.is_normalized(
            "NFC", joined):
        return [normalise(t) for t in texts]
    while "  " in joined:
        joined = joined.replace("    ", " ").replace("  ", " ")
    for spaced in (" \x00", "\x00 "):
        if spaced in joined:
            joined = joined.replace(spaced, "\x00")
    joined = joined.strip(" ")
    for curly, straight in QUOTES.items():
        if chr(curly) in joined:
            joined = joined.replace(chr(curly), straight)
    return joined.split("\x00") if texts else []


def keys_all(normals: Sequence[str]) -> tuple[list[str], str]:
    """`_key` of each normalised text (one line each), in passes over all of them joined;
    and the keys joined by newlines."""
    joined = DIGITS.sub("0", CODE.sub("{}", "\n".join(normals)))
    keys = joined.split("\n") if normals else []
    mail = [n for n, normal in enumerate(normals) if "@" in normal]
    for n in mail:  # e-mail addresses only where there is markup: as `_key` does
        keys[n] = key_of(normals[n])
    return keys, "\n".join(keys) if mail else joined


def remap(memory_source: str, memory_target: str, source: str) -> str | None:
    """The memory's translation with the codes and numbers of ``source`` put back.

    Codes (footnote labels, links, code…) are paired by position; None when
    the two originals do not have the same kinds of codes in the same order
    (the memory's translation would carry a footnote or link the text has not),
    or when the translation's codes cannot be put back. Numbers are paired by
    position when both originals have as many; otherwise left as they are.
    """
    if memory_source == source:
        return memory_target
    old, new = protect(memory_source), protect(source)
    if [t.kind for t in old.tokens] != [t.kind for t in new.tokens]:
        return None
    codes: dict[str, str] = {}
    for a, b in zip(old.tokens, new.tokens, strict=True):
        if codes.setdefault(a.text, b.text) != b.text:
            return None
    numbers: dict[str, str] = {}
    old_numbers, new_numbers = _numbers(old.text), _numbers(new.text)
    if len(old_numbers) == len(new_numbers):
        for was, now in zip(old_numbers, new_numbers, strict=True):
            if numbers.setdefault(was, now) != now:
                numbers = {}
                break
    codes = {k: v for k, v in codes.items() if k != v}
    numbers = {k: v for k, v in numbers.items() if k != v}
    if not codes and not numbers:
        return memory_target
    target = protect(memory_target)
    text = "".join(
        piece if PLACEHOLDER.fullmatch(piece)
        else DIGITS.sub(lambda m: numbers.get(m.group(), m.group()), piece)
        for piece in PLACEHOLDER.split(target.text))
    tokens = tuple(replace(t, text=codes.get(t.text, t.text)) for t in target.tokens)
    draft = restore(replace(target, tokens=tokens), text)
    return draft.text or None


def _numbers(protected_text: str) -> list[str]:
    return [m.group() for piece in PLACEHOLDER.split(protected_text)
            if not PLACEHOLDER.fullmatch(piece) for m in DIGITS.finditer(piece)]
