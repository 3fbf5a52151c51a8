"""Property tests: Markdown -> segments -> Markdown is exact, and translations keep the structure.

Documents come from a grammar of blocks (front matter, headings, wrapped paragraphs with
inline markup and Turkish letters, bullet/ordered/nested lists, quotes with lazy lines, code
fences, tables, footnote references and definitions, rules, comments), with arbitrary
trailing spaces, blank lines holding whitespace, CRLF, a BOM and no final newline. The
grammar knows which segments each block must give, so the parse is checked exactly.

The grammar stays inside what CommonMark and pandoc's Markdown read alike (blank lines
between blocks, no multi-line setext headings, nested lists only under bullets), so
`tests/unit/test_segments_pandoc.py` reuses `documents` for its pandoc comparison.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import BitextError
from pipeline.markdown.segments import Segment, parse_document

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("BITEXT_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = [REPO / "source" / "tr" / "article.md", REPO / "source" / "en" / "article.md"]

Expected = list[tuple[str, str]]  # (kind, text) of each segment
Block = tuple[str, Expected]

WORDS = st.sampled_from(
    ["ağaç", "Işık", "çiçek", "gönül", "şehir", "İstanbul", "ödev", "ürün", "ılık", "Öğün",
     "kitap", "ve", "dağ", "Şam'a", "2021'de", "%50", "1,5", "milyon", "“tırnak”", "—"]
)  # fmt: skip
MARKUP = st.sampled_from(
    ["*vurgu*", "**güçlü**", "_eğik_", "`kod [^x]`", "[bağ](https://example.com/ş)",
     "<https://örnek.com>", "H~2~O"]
)  # fmt: skip
TRAILING = st.sampled_from(["", "", "", " ", "  ", "\t"])
BLANK = st.sampled_from(["\n\n", "\n\n", "\n  \n", "\n\n\n", "\n\t\n"])


@st.composite
def text_line(draw: st.DrawFn, labels: tuple[str, ...]) -> str:
    """A line of words, markup and footnote references to ``labels``."""
    parts = [draw(WORDS)]
    for _ in range(draw(st.integers(0, 7))):
        choice = draw(st.integers(0, 9))
        if choice < 6:
            parts.append(draw(WORDS))
        elif choice < 8:
            parts.append(draw(MARKUP))
        elif labels:
            parts[-1] += f"[^{draw(st.sampled_from(labels))}]"
    return " ".join(parts)


@st.composite
def lines_block(draw: st.DrawFn, labels: tuple[str, ...], first: str, indents: list[str]) -> Block:
    """Lines after ``first`` (the first line's structure) with one of ``indents`` each.

    Returns the source and the expected text: inner lines keep their trailing spaces, the
    last one's go to the skeleton.
    """
    lines = draw(st.lists(text_line(labels), min_size=1, max_size=4))
    trails = [draw(TRAILING) for _ in lines]
    source = first + "\n".join(
        (draw(st.sampled_from(indents)) if i else "") + line + trail
        for i, (line, trail) in enumerate(zip(lines, trails, strict=True))
    )
    text = "\n".join(line + trail for line, trail in zip(lines[:-1], trails[:-1], strict=True))
    return source, [(text + "\n" if text else "") + lines[-1]]


@st.composite
def heading(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    level = draw(st.integers(1, 6))
    line = draw(text_line(labels))
    attrs = draw(st.sampled_from(["", "", " {#kimlik}", " {.sinif #k}", " {-}"]))
    if level <= 2 and draw(st.booleans()):  # setext: one line of text (pandoc allows no more)
        underline = ("=" if level == 1 else "-") * draw(st.integers(3, 9))
        return f"{line}{attrs}\n{underline}", [("heading", line)]
    closing = draw(st.sampled_from(["", " " + "#" * level])) if not attrs else ""
    return f"{'#' * level} {line}{attrs}{closing}{draw(TRAILING)}", [("heading", line)]


@st.composite
def paragraph(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    source, (text,) = draw(lines_block(labels, "", ["", "", " ", "  ", "    ", "\t"]))
    return source, [("paragraph", text)]


@st.composite
def bullet_list(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    marker = draw(st.sampled_from("-*+"))
    items, expected = [], []
    for _ in range(draw(st.integers(1, 3))):
        source, (text,) = draw(lines_block(labels, f"{marker} ", ["  ", "  ", ""]))
        items.append(source)
        expected.append(("list-item", text))
        if draw(st.integers(0, 3)) == 0:  # a nested list
            nested, nested_expected = draw(bullet_list(labels))
            items.append("\n".join("  " + line for line in nested.split("\n")))
            expected += nested_expected
    return "\n".join(items), expected


@st.composite
def ordered_list(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    delimiter = draw(st.sampled_from(".)"))
    items, expected = [], []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        first = f"{number}{delimiter} "
        source, (text,) = draw(lines_block(labels, first, [" " * len(first)]))
        items.append(source)
        expected.append(("list-item", text))
    return "\n".join(items), expected


@st.composite
def quote(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    source, (text,) = draw(lines_block(labels, "> ", ["> ", "> ", ">", ""]))
    return source, [("quote", text)]


@st.composite
def code_fence(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    body = draw(
        st.lists(st.sampled_from(["# değil", "- değil", "> değil", "x = 1", ""]), max_size=3)
    )
    return "\n".join(["```python", *body, "```"]), []


@st.composite
def table(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    columns = draw(st.integers(1, 3))
    cell = st.one_of(st.just(""), text_line(labels).map(lambda s: s.replace("|", "/")))
    rows = [[draw(text_line(labels)) for _ in range(columns)]]
    rows += draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), max_size=3))
    source = [f"| {' | '.join(row)} |" for row in rows]
    source.insert(
        1, "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:"])) for _ in rows[0]) + "|"
    )
    return "\n".join(source), [("table-cell", c) for row in rows for c in row if c]


@st.composite
def other(draw: st.DrawFn, labels: tuple[str, ...]) -> Block:
    """Skeleton-only blocks."""
    return draw(st.sampled_from(["***", "- - -", "<!-- yorum -->", "https://example.com/x"])), []


@st.composite
def footnote(draw: st.DrawFn, label: str) -> Block:
    source, (text,) = draw(lines_block((), f"[^{label}]: ", ["    ", ""]))
    if draw(st.booleans()):
        more, (more_text,) = draw(lines_block((), "    ", ["    "]))
        blank = draw(st.sampled_from(["", "  "]))
        source, text = f"{source}\n{blank}\n{more}", f"{text}\n\n{more_text}"
    return source, [("footnote", text)]


@st.composite
def front_matter(draw: st.DrawFn) -> Block:
    safe = WORDS.filter(lambda word: word != "%50")  # "%" cannot start a plain YAML scalar
    title = " ".join(draw(st.lists(safe, min_size=1, max_size=4)))
    raw = draw(st.sampled_from([title, f'"{title}"', "'" + title.replace("'", "''") + "'"]))
    return f"---\ntitle: {raw}\nlang: tr\ntags: [a, b]\n---", [("meta", title)]


BLOCKS = [heading, paragraph, bullet_list, ordered_list, quote, code_fence, table, other]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Expected]:
    """A Markdown document (LF line endings) and the segments it must give."""
    labels = tuple(
        draw(st.lists(st.sampled_from(["1", "a", "iv", "not-2"]), unique=True, max_size=3))
    )
    blocks = [draw(front_matter())] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 6))):
        blocks.append(draw(draw(st.sampled_from(BLOCKS))(labels)))
    blocks += [draw(footnote(label)) for label in labels]
    text = ""
    for i, (source, _) in enumerate(blocks):
        text += (draw(BLANK) if i else "") + source
    text += draw(st.sampled_from(["", "\n", "\n", "\n\n", "\n  "]))
    return text, [pair for _, expected in blocks for pair in expected]


def variants(text: str) -> list[str]:
    """The same document with CRLF endings, with a BOM, and without its final newline."""
    return [text, text.replace("\n", "\r\n"), "\ufeff" + text, text.rstrip("\n")]


@given(documents())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_documents_round_trip_and_give_the_expected_segments(
    document: tuple[str, Expected],
) -> None:
    text, expected = document
    for variant in variants(text):
        doc = parse_document(variant)
        assert doc.render(lambda s: s.text) == variant
        assert [(s.kind, s.text) for s in doc] == expected


def rewrap(segment: Segment, width: int) -> str:
    """The segment's text re-split: ``width`` words a line, paragraphs kept apart.

    Lines never start with a word that could read as structure (only with a letter).
    """
    if segment.kind in ("heading", "table-cell"):
        return "Çeviri " + segment.text
    if segment.kind == "meta":
        return segment.text + ': "çeviri" \\ #1'
    paragraphs = []
    for paragraph in segment.text.split("\n\n"):
        lines: list[list[str]] = [[]]
        for word in paragraph.split():
            if len(lines[-1]) >= width and word[0].isalpha():
                lines.append([])
            lines[-1].append(word)
        paragraphs.append("\n".join(" ".join(line) for line in lines))
    return "\n\n".join(paragraphs)


@given(documents(), st.integers(1, 5), st.booleans())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(document=("ağaç ağaç", [("paragraph", "ağaç ağaç")]), width=1, crlf=True)
@example(document=("ağaç ağaç\n\nbir iki\n", [("paragraph", "ağaç ağaç"),
                                               ("paragraph", "bir iki")]), width=1, crlf=True)
def test_rewrapped_translation_parses_back_to_itself(
    document: tuple[str, Expected], width: int, crlf: bool
) -> None:
    text = document[0].replace("\n", "\r\n") if crlf else document[0]
    doc = parse_document(text)
    translations = [rewrap(s, width) for s in doc]
    by_segment = dict(zip(map(id, doc.segments), translations, strict=True))
    rendered = doc.render(lambda s: by_segment[id(s)])
    again = parse_document(rendered)
    assert [(s.kind, s.label, s.text) for s in again] == [
        (s.kind, s.label, t) for s, t in zip(doc, translations, strict=True)
    ]
    if crlf and "\r\n" in text:  # (a text of one line has no ending to follow)
        assert "\n" not in rendered.replace("\r\n", "")


MARKDOWNISH = st.lists(
    st.sampled_from([*"ab ç\t\n\r#>-*+1.):|[]^`~{}=_!()<\\$\0", "---\n", "[^a]: ", "    ", ":::"]),
    max_size=60,
).map("".join)


@given(MARKDOWNISH)
@settings(max_examples=500, deadline=None)
def test_any_text_round_trips_or_is_refused_with_a_line(text: str) -> None:
    try:
        doc = parse_document(text)
    except BitextError as error:
        refused: BitextError | None = error
    else:
        refused = None
    if refused is not None:
        assert refused.line is not None
        assert 1 <= refused.line <= text.count("\n") + text.count("\r") + 1
        return
    assert doc.render(lambda s: s.text) == text
    assert all("\r" not in s.text for s in doc)
    assert all(len(s.prefixes) == s.text.count("\n") for s in doc)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*.md")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not corpus_files(), reason=f"no corpus at {CORPUS} (not shipped with the repo)")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_round_trip(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    doc = parse_document(text, path=str(path))
    assert doc.render(lambda s: s.text) == text
    assert doc.segments


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.parent.name)
def test_sample_round_trip(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} is not written yet")
    text = path.read_bytes().decode("utf-8")
    doc = parse_document(text, path=str(path))
    assert doc.render(lambda s: s.text) == text
    assert any(s.kind == "paragraph" for s in doc)
