"""The writers' JSON made smaller (`pipeline.adapters.pandoc_compact`) writes the same bytes.

What is joined: only ``Str Space Str`` runs, never a Str to a Str or a Space to a Str
(the typst writer escapes a Str's first character by the node before it), never text
that merely looks like nodes inside a string. And pandoc writes, from the compacted
JSON, what it writes from the JSON as it was, in HTML and typst, on generated inline
runs of the characters both writers treat specially.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.adapters import pandoc
from pipeline.adapters.pandoc_compact import compact

pytestmark = pytest.mark.e2e

API = [1, 23, 1]


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def s(text: str) -> dict[str, Any]:
    return {"t": "Str", "c": text}


SPACE = {"t": "Space"}


def test_a_run_becomes_one_str_or_strs_of_about_limit_bytes() -> None:
    run = [s("Bir"), SPACE, s("iki"), SPACE, s("üç"), SPACE, s("dört")]
    assert json.loads(compact(dumps(run))) == [s("Bir iki üç dört")]
    # up to the limit, then a new Str after a Space: every boundary stays a Space
    assert json.loads(compact(dumps(run), 6)) == [s("Bir iki"), SPACE, s("üç dört")]


@pytest.mark.parametrize("inlines", [
    [s("a"), s("(b")],  # Str Str: the writer escapes "(" by what stands before it
    [s("a"), SPACE, SPACE, s("b")],  # a Space next to a Space
    [SPACE, s("a")],
    [s("a"), {"t": "SoftBreak"}, s("b")],
    [s("a"), SPACE, {"t": "Emph", "c": [s("b")]}],
    # text that reads like the separator, inside a string
    [s('x"},{"t":"Space"},{"t":"Str","c":"y')],
    [{"t": "Code", "c": [["", [], []], 'a"},{"t":"Space"},{"t":"Str","c":"b']}],
])
def test_nothing_else_is_joined(inlines: list[dict[str, Any]]) -> None:
    data = dumps([{"t": "Para", "c": inlines}])
    assert compact(data) == data


def test_escapes_in_words_are_kept() -> None:
    run = [s('a\\'), SPACE, s('"b"'), SPACE, s("c\n\u0001")]
    assert json.loads(compact(dumps(run))) == [s('a\\ "b" c\n\u0001')]


# the characters the two writers escape or read as markup, words that start with them
WORD_LIST = [
    "(", ")", "a", "b(", "(c", "#x", "=", "-", "+", "1.", "*", "_", "`", "$", "@h", "<p>",
    "&", "\\", '"', "'", "’", "//", "/*", "[", "]", "~", "...", "--", "Ç", "ş", "\u00a0",
    "سلام", "x\u200f"
]
WORDS = st.sampled_from(WORD_LIST)
INLINE = st.one_of(WORDS.map(s), st.just(SPACE), st.just(SPACE), st.just(SPACE),
                   st.just({"t": "SoftBreak"}),
                   st.lists(WORDS.map(s), min_size=1, max_size=3).map(
                       lambda xs: {"t": "Emph", "c": xs}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(INLINE, min_size=1, max_size=24), min_size=1,
                           max_size=4))
@example(paragraphs=[[s("1."), SPACE, s("(")]])  # found by this test: "1. (" began a list
def test_the_writers_write_the_same_from_the_compacted_json(
        paragraphs: list[list[dict[str, Any]]]) -> None:
    ast = {"pandoc-api-version": API, "meta": {},
           "blocks": [{"t": "Para", "c": p} for p in paragraphs]}
    for to in ("html", "typst"):
        # the session's requests are compacted, the command line's (the reference) are not
        assert pandoc.write_fragments([ast], to, shown="t") == \
            pandoc.write_fragments_cli([ast], to, shown="t"), to


@pytest.mark.parametrize("first", ["1.", "12.", "0.", "1)", "a.", "i.", "1.5", "(1)", "=", "+",
                                   "-", "/", "١."])
def test_a_word_that_starts_a_line_is_escaped_as_if_alone(first: str) -> None:
    """typst escapes a numbered list's marker ("1.") at a line's start only when it is a
    whole Str: joined to the next word it would start a list (a paragraph's start, after
    a hard line break)."""
    for inlines in ([s(first), SPACE, s("x")],
                    [s("a"), {"t": "LineBreak"}, s(first), SPACE, s("(")]):
        ast = {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": inlines}]}
        assert pandoc.write_fragments([ast], "typst", shown="t") == \
            pandoc.write_fragments_cli([ast], "typst", shown="t"), inlines


def test_long_runs_split_at_the_limit_write_the_same() -> None:
    # a run longer than typst's limit, every tricky word at some boundary of its pieces
    words = WORD_LIST
    run: list[dict[str, Any]] = []
    for k in range(400):
        run.extend(([SPACE] if run else []) + [s(words[k % len(words)] * (1 + k % 5))])
    ast = {"pandoc-api-version": API, "meta": {}, "blocks": [{"t": "Para", "c": run}]}
    for to in ("html", "typst"):
        assert pandoc.write_fragments([ast], to, shown="t") == \
            pandoc.write_fragments_cli([ast], to, shown="t"), to
