"""The review page's fast path writes exactly what pandoc writes, or leaves the text to pandoc.

`pipeline.render.plain_html` renders one line of plain prose without pandoc. Each
test renders texts both ways, with the real pandoc through the same pipeline the
page used before the fast path (`fragment_source`, one parse, `fragment_asts`,
one write), and requires equal HTML for every text the fast path accepts; and,
so that a fast path that accepts nothing cannot pass, that it accepts most of
the sample's and the corpus's prose.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.adapters.pandoc import pandoc_binary, parse_markdown, write_fragments
from pipeline.markdown.segments import parse_document
from pipeline.render.fragments import fragment_asts, fragment_source
from pipeline.render.plain_html import ABBREVIATIONS, plain_html
from tests.conftest import CORPUS

REPO = Path(__file__).resolve().parent.parent.parent
TARGETS = {"a": "#0123456789ab", "b-1": "#ba9876543210", "vii-0": "#38debd14b99a"}


def pandoc_html(texts: list[str], targets: dict[str, str]) -> list[str]:
    source = fragment_source(texts)
    fragments = fragment_asts(parse_markdown(source.markdown, shown="test"), source, texts,
                              targets)
    return write_fragments(fragments.asts, "html", shown="test")


def compare(texts: list[str], targets: dict[str, str]) -> int:
    """Assert the fast path equals pandoc wherever it answers; return how often it did."""
    texts = [t for t in texts if t.strip()]
    if not texts:
        return 0
    accepted = 0
    for text, expected in zip(texts, pandoc_html(texts, targets), strict=True):
        fast = plain_html(text, targets)
        if fast is not None:
            accepted += 1
            assert fast == expected, text
    return accepted


def segment_texts(path: Path) -> list[str]:
    return [s.text for s in parse_document(path.read_text(encoding="utf-8")).segments]


def test_abbreviations_are_pandocs() -> None:
    listed = subprocess.run([pandoc_binary(), "--print-default-data-file", "abbreviations"],
                            capture_output=True, check=True, text=True).stdout
    assert frozenset(listed.split()) == ABBREVIATIONS


def test_the_sample_as_pandoc_renders_it() -> None:
    texts = [t for lang in ("tr", "en") for t in segment_texts(REPO / "source" / lang /
                                                                "article.md")]
    # the benchmark corpus's "(k) " list prefix and footnote labels of the page
    texts += [f"({k}) {t}" for k, t in enumerate(texts[:40])]
    texts += [t + "[^vii-0] and more" for t in texts[:20] if "[" not in t]
    accepted = compare(texts, TARGETS)
    assert accepted >= 0.8 * len(texts)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the clone")
def test_the_shared_corpus_as_pandoc_renders_it() -> None:
    texts = [t for path in sorted(CORPUS.glob("*/*.md")) for t in segment_texts(path)]
    accepted = compare(texts, {})
    assert accepted >= 0.3 * len(texts)


PLAIN = [
    # prose
    "Esad", "Türkiye", "İdlib", "ağ", "x", "Al-Assad", "2021", "15.03.2021", "s.22", "ﻗﺼﻲ",
    # punctuation
    ".", ",", ";", ":", "?", "!", "(", ")", "-", "/", "%", "+", "’", "“", "”", "‘", "–", "…",
    "'s", " ", " ", "  ", "\u00a0",
    # abbreviations and look-alikes
    "Dr.", "Dr. ", "e.g. ", "p. ", "Ph.D. ", "vs. ", "No. ", "Mr.", "D. ", "xDr. ", ".Dr. ",
    # footnote references
    "[^a]", "[^b-1]", "[^zz]", "[^vii-0]",
]
MARKUP = [
    "'", "'90", '"', "--", "---", "...", "..", "\t", "\n", "\n\n", "[^a](x)", "[^a][b]",
    # markup, and markup that must stay inert
    "*", "**", "_", "`", "[x](http://e.com)", "[x]", "![i](p.png)", "<b>",
    "<script>alert(1)</script>",
    "&amp;", "&", "\\*", "\\", "^", "~", "$", "@x", "#", "|", "{.c}", "[", "]", "<http://e.com>",
    "javascript:alert(1)", "[x](javascript:alert(1))", "=",
]
STARTS = ["", "", "", "(1) ", "(0) ", "(12) ", "(007) ", "a) ", "iv. ", "2021. ", "B. ", "- ",
          "> ", "# ", "    ", "(@) ", "(a) ", "1. ", "* ", ": ", "| ", "(1)  ", "(1) (2) ",
          "Dr. ", "A) ", "#. ", " ", "'"]

# mostly prose, so that many texts reach the fast path; some markup, so that many do not
piece = st.one_of(*[st.sampled_from(PLAIN)] * 12, st.sampled_from(MARKUP))
WORDS = ["Esad", "Türkiye", "İdlib", "x", "Bashar", "“Dr.", "‘Suriye’", "Mr."]
starts = st.one_of(st.just(""), st.just(""), st.just("(1) "), st.sampled_from(STARTS))
inline = st.builds(lambda start, first, parts, last: start + first + "".join(parts) + last,
                   starts, st.sampled_from(WORDS), st.lists(piece, max_size=12),
                   st.sampled_from(["", *WORDS]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(inline, min_size=20, max_size=40))
def test_generated_inline_markdown_as_pandoc_renders_it(texts: list[str]) -> None:
    compare(texts, TARGETS)


def test_generated_set_is_not_all_left_to_pandoc() -> None:
    """The generated texts do reach the fast path (or the test above proves nothing)."""
    texts = ["(1) Esad’ın Dr. Bashar ile[^a] görüşmesi, 15.03.2021; e.g. x[^zz].",
             "Türkiye'nin p. 22 Ph.D. vs. x", "Al-Assad (SNA) … “x” ‘y’ – z\u00a0w?"]
    assert compare(texts, TARGETS) == len(texts)


def test_quotes_pandoc_pairs_are_left_to_it() -> None:
    """An ASCII ' that is no apostrophe (not right after a letter or digit) may open a
    quotation pandoc pairs (‘…’): the fast path must leave those texts to pandoc."""
    texts = ["Bir 'alıntı' burada.", "'Tırnak' başta.", "x ('y') z", "Esad'ın 'sözü'."]
    assert compare(texts, TARGETS) == 0
    assert compare(["Esad'ın sözü.", "Ekim 2021'de x."], TARGETS) == 2  # apostrophes: its own
