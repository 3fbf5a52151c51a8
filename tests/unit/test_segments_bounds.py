"""Bad input the parser refuses fast, with the file and line: surrogates, aliases, depth."""

from __future__ import annotations

import time

import pytest

from pipeline.errors import BitextError
from pipeline.markdown.blocks import MAX_NESTING
from pipeline.markdown.segments import MAX_FRONT_MATTER, parse_document


def refused(text: str) -> BitextError:
    with pytest.raises(BitextError) as info:
        parse_document(text, path="doc.md")
    assert info.value.path == "doc.md"
    return info.value


@pytest.mark.parametrize("escape", ["\\uD800", "\\udfff", "\\U0000DC00"])
def test_a_lone_surrogate_from_a_yaml_escape_is_refused_on_its_line(escape: str) -> None:
    error = refused(f'---\nlang: tr\ntitle: "{escape}x"\n---\n\nMetin.\n')
    assert error.line == 3
    assert "surrogate" in error.message


def test_a_surrogate_pair_escape_is_a_character() -> None:
    document = parse_document('---\ntitle: "\\U0001F600"\n---\n\nMetin.\n')
    assert document.segments[0].text == "\U0001f600"


BOMB = """\
---
title: Kahkahalar
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---

Metin.
"""


def test_a_yaml_alias_bomb_is_refused_at_its_first_anchor() -> None:
    start = time.perf_counter()
    error = refused(BOMB)
    assert time.perf_counter() - start < 1
    assert error.line == 3
    assert "aliases" in error.message


@pytest.mark.parametrize(("text", "line"), [
    ("---\nx: *a\n---\n\nMetin.\n", 2),
    ("---\ntitle: !!str &t Bir\n---\n\nMetin.\n", 2),
])
def test_an_alias_or_anchor_alone_is_refused(text: str, line: int) -> None:
    assert refused(text).line == line


def test_front_matter_is_capped() -> None:
    long_line = "a" * 1000
    body = "".join(f"k{i}: {long_line}\n" for i in range(MAX_FRONT_MATTER // 1000 + 1))
    error = refused(f"---\n{body}---\n\nMetin.\n")
    assert "KiB" in error.message
    assert error.line == MAX_FRONT_MATTER // 1008 + 2


def test_front_matter_below_the_cap_is_read() -> None:
    body = "".join(f"k{i}: {'a' * 1000}\n" for i in range(MAX_FRONT_MATTER // 1008 - 1))
    assert parse_document(f"---\ntitle: Bir\n{body}---\n\nMetin.\n").segments[0].text == "Bir"


@pytest.mark.parametrize("marker", ["> ", ">", "- ", "1. ", "* > ", "[^a]: "])
def test_containers_nested_too_deep_are_refused_fast(marker: str) -> None:
    refs = "[^a]" if marker == "[^a]: " else ""
    start = time.perf_counter()
    error = refused(f"Giriş{refs}.\n\n" + marker * 10_000 + "derin\n")
    assert time.perf_counter() - start < 2
    assert error.line == 3
    assert "nested more than" in error.message


def test_nesting_is_refused_on_the_line_that_passes_the_limit() -> None:
    text = "".join("  " * i + "- x\n" for i in range(MAX_NESTING + 20))
    assert refused(text).line == MAX_NESTING + 1


def test_nesting_up_to_the_limit_is_segmented_to_the_bottom() -> None:
    text = "".join("  " * i + f"- madde {i}\n" for i in range(MAX_NESTING))
    segments = parse_document(text).segments
    assert len(segments) == MAX_NESTING
    assert segments[-1].text == f"madde {MAX_NESTING - 1}"
    quotes = "> " * MAX_NESTING + "en dipte\n"
    assert parse_document(quotes).segments[0].text == "en dipte"


@pytest.mark.parametrize(("value", "line"), [
    ("[" * 20_000 + "]" * 20_000, 3),
    ("{a: " * 5_000 + "1" + "}" * 5_000, 3),
    ("\n" + "".join(" " * i + "a:\n" for i in range(1, 300)), 53),
])
def test_yaml_nested_too_deep_is_refused(value: str, line: int) -> None:
    error = refused(f"---\ntitle: Bir\nx: {value}\n---\n\nMetin.\n")
    assert "nested more than" in error.message
    assert error.line == line
