"""The aligner: the sample pairs i with i; deliberate edits are paired right and flagged."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.align import (
    DEFAULT_THRESHOLD,
    STRUCTURAL_CAP,
    Pair,
    align_segments,
    aligner,
    anchors,
    fold,
    kind_of,
    unbold,
    visible_length,
)
from pipeline.markdown.segments import Segment, parse_document

REPO = Path(__file__).resolve().parents[2]
TR_TEXT = (REPO / "source" / "tr" / "article.md").read_text(encoding="utf-8")
EN_TEXT = (REPO / "source" / "en" / "article.md").read_text(encoding="utf-8")
TR = parse_document(TR_TEXT).segments
NOTE = "*Translator’s note: the Sochi meeting above took place on 29 September 2021.*"

# A block of the English text and the Turkish segments it translates (() for none).
Block = tuple[str, tuple[int, ...]]


def english_blocks() -> tuple[str, list[Block], list[Block]]:
    """The English sample as front matter, body blocks and footnote definitions.

    Each block carries the index of the Turkish segment it translates: the
    sample is parallel, so body block k is Turkish segment 2 + k (after the
    two front-matter fields), and so on for the footnotes.
    """
    end = EN_TEXT.index("\n---\n", 4) + 5
    head, rest = EN_TEXT[:end], EN_TEXT[end:]
    cut = rest.index("\n[^i]:")
    body = rest[:cut].strip("\n").split("\n\n")
    notes = re.split(r"\n\n(?=\[\^)", rest[cut:].strip("\n"))
    blocks = [(text, (2 + k,)) for k, text in enumerate(body)]
    start = 2 + len(body)
    return head, blocks, [(text, (start + k,)) for k, text in enumerate(notes)]


HEAD, BODY, NOTES = english_blocks()
HEADINGS = [k for k, (text, _) in enumerate(BODY) if text.startswith("## ")]


def expected(body: Sequence[Block], notes: Sequence[Block]) -> set[tuple[tuple[int, ...],
                                                                         tuple[int, ...]]]:
    """The right pairs for an English text made of these blocks (1:0 and 0:1 included)."""
    by_source: dict[tuple[int, ...], list[int]] = {}
    pairs = {((0,), (0,)), ((1,), (1,))}  # the front-matter fields
    for j, (_, source) in enumerate([*body, *notes], start=2):
        if source:
            by_source.setdefault(source, []).append(j)
        else:
            pairs.add(((), (j,)))
    pairs |= {(s, tuple(t)) for s, t in by_source.items()}
    covered = {i for s in by_source for i in s} | {0, 1}
    pairs |= {((i,), ()) for i in range(len(TR)) if i not in covered}
    return pairs


def align_blocks(body: Sequence[Block], notes: Sequence[Block]) -> list[Pair]:
    text = HEAD + "\n" + "\n\n".join(t for t, _ in body) + "\n\n"
    text += "\n\n".join(t for t, _ in notes) + "\n"
    return align_segments(TR, parse_document(text).segments, source_lang="tr",
                          target_lang="en")


def split(k: int) -> list[Block]:
    text, source = BODY[k]
    cut = text.index(". ", len(text) // 2) + 1
    return [(text[:cut], source), (text[cut + 1:], source)]


def test_sample_pairs_segment_i_with_segment_i_confidently() -> None:
    en = parse_document(EN_TEXT).segments
    pairs = align_segments(TR, en, source_lang="tr", target_lang="en")
    assert [(p.source, p.target) for p in pairs] == [((i,), (i,)) for i in range(len(TR))]
    assert len(TR) == 45
    assert min(p.confidence for p in pairs) >= DEFAULT_THRESHOLD


def merged(k: int) -> Block:
    return BODY[k][0] + " " + BODY[k + 1][0], BODY[k][1] + BODY[k + 1][1]


def bold(k: int) -> Block:
    return "**" + BODY[k][0].removeprefix("## ") + "**", BODY[k][1]


H1, H3 = HEADINGS[1], HEADINGS[3]
CASES: dict[str, tuple[list[Block], list[Block]]] = {
    "split paragraph": ([*BODY[:3], *split(3), *BODY[4:]], NOTES),
    "merged paragraphs": ([*BODY[:8], merged(8), *BODY[10:]], NOTES),
    "deleted paragraph": ([*BODY[:12], *BODY[13:]], NOTES),
    "translator's note": ([*BODY[:10], (NOTE, ()), *BODY[10:]], NOTES),
    "heading made bold": ([*BODY[:H1], bold(H1), *BODY[H1 + 1:]], NOTES),
    "footnotes reordered": (BODY, random.Random(6).sample(NOTES, len(NOTES))),
    "all at once": (
        [*BODY[:3], *split(3), *BODY[4:8], merged(8), *BODY[10:H3], bold(H3), *BODY[H3 + 1:17],
         *BODY[18:20], (NOTE, ()), *BODY[20:]],
        random.Random(7).sample(NOTES, len(NOTES)),
    ),
}


ORIGINAL = {source: text for text, source in BODY + NOTES}


def edits(body: Sequence[Block], notes: Sequence[Block]) -> tuple[set[int], set[int]]:
    """Source and target indices touched by an edit (split, merge, deletion, note, bold)."""
    blocks = [*body, *notes]
    counts: dict[tuple[int, ...], int] = {}
    for _, source in blocks:
        counts[source] = counts.get(source, 0) + 1
    sources, targets = set(), set()
    for j, (text, source) in enumerate(blocks, start=2):
        if not source or counts[source] > 1 or ORIGINAL.get(source) != text:
            sources.update(source)
            targets.add(j)
    kept = {i for _, s in blocks for i in s}
    sources |= {i for i in range(2, len(TR)) if i not in kept}
    return sources, targets


@pytest.mark.parametrize("case", list(CASES))
def test_edited_translation_pairs_right_and_flags_every_edit(case: str) -> None:
    body, notes = CASES[case]
    pairs = align_blocks(body, notes)
    assert {(p.source, p.target) for p in pairs} == expected(body, notes)
    sources, targets = edits(body, notes)
    edited = [p for p in pairs if set(p.source) & sources or set(p.target) & targets]
    assert bool(edited) == (case != "footnotes reordered")
    for pair in edited:
        # A person looks at every edit: below the threshold, or no pair at all.
        assert pair.confidence < DEFAULT_THRESHOLD or pair.shape in ("1:0", "0:1"), pair
    # Away from the edits (not next to one), the pairs are sure.
    near = {i + d for i in sources for d in (-1, 0, 1)}
    near_t = {j + d for j in targets for d in (-1, 0, 1)}
    far = [p for p in pairs if not set(p.source) & near and not set(p.target) & near_t]
    assert [p for p in far if p.confidence < DEFAULT_THRESHOLD] == []


def test_split_and_merge_are_capped_below_the_default_threshold() -> None:
    pairs = align_blocks(*CASES["all at once"])
    shapes = {p.shape: p.confidence for p in pairs if p.shape in ("1:2", "2:1")}
    assert set(shapes) == {"1:2", "2:1"}
    assert all(c <= STRUCTURAL_CAP for c in shapes.values())


def test_heading_made_bold_is_noted() -> None:
    pairs = align_blocks(*CASES["heading made bold"])
    noted = [p for p in pairs if p.note]
    assert [(p.source, p.note) for p in noted if p.note != "front-matter key"
            and p.note != "footnote label"] == [((2 + H1,), "heading ↔ bold paragraph")]


def test_renumbered_footnotes_pair_through_the_references_of_aligned_paragraphs() -> None:
    # The translator numbered the notes 1, 2, ... and listed them in reverse.
    labels = {m.group(1): str(k + 1) for k, m in
              enumerate(re.finditer(r"^\[\^([^\]]+)\]:", EN_TEXT, re.MULTILINE))}

    def renumber(text: str) -> str:
        return re.sub(r"\[\^([^\]]+)\]", lambda m: f"[^{labels[m.group(1)]}]", text)

    body = [(renumber(t), s) for t, s in BODY]
    notes = [(renumber(t), s) for t, s in reversed(NOTES)]
    pairs = align_blocks(body, notes)
    assert {(p.source, p.target) for p in pairs} == expected(body, notes)
    assert all(p.note == "footnote label" for p in pairs if TR[p.source[0]].kind == "footnote")


def paragraphs(*texts: str, kind: str = "paragraph") -> list[Segment]:
    return [Segment(kind=kind, text=t, line=1 + 2 * k) for k, t in enumerate(texts)]


@pytest.mark.parametrize("dropped", range(4))
def test_numbers_and_dates_tell_which_of_similar_items_was_dropped(dropped: int) -> None:
    # The items differ only in their numbers and dates, each the same length, so
    # nothing but the values agreeing says which one the translation lost.
    days, counts = (1, 5, 7, 8), (3, 4, 9, 2)
    pairs_in = list(zip(days, counts, strict=True))
    source = paragraphs(*(f"{d} Mart 2020: {n} proje başladı." for d, n in pairs_in),
                        kind="list-item")
    english = [f"{d} March 2020: {n} projects began." for d, n in pairs_in]
    del english[dropped]
    target = paragraphs(*english, kind="list-item")
    pairs = align_segments(source, target, source_lang="tr", target_lang="en")
    want = [((i,), (i - (i > dropped),)) if i != dropped else ((i,), ()) for i in range(4)]
    assert [(p.source, p.target) for p in pairs] == want
    # The items kept are paired with confidence: their values agree.
    assert min(p.confidence for p in pairs if p.shape == "1:1") >= DEFAULT_THRESHOLD


def test_glossary_terms_are_anchors() -> None:
    source = paragraphs("Elma ağacı bu yıl erken çiçek açtı.", "Armut ağacı bu yıl geç çiçek açtı.")
    target = paragraphs("The pear tree flowered late this year.")
    without = align_segments(source, target, source_lang="tr", target_lang="en")
    assert max(p.confidence for p in without if p.shape == "1:1") < DEFAULT_THRESHOLD
    glossary = {"armut": "pear", "elma": "apple"}
    pairs = align_segments(source, target, source_lang="tr", target_lang="en", glossary=glossary)
    assert [(p.source, p.target) for p in pairs] == [((0,), ()), ((1,), (0,))]
    assert anchors("ARMUT ağacı", "tr", glossary=glossary, values=False)["gloss", "armut"] == 1
    assert anchors("The Pear", "en", glossary=glossary, column=1, values=False)[
        "gloss", "armut"] == 1


def test_a_path_far_from_the_diagonal_widens_the_band(monkeypatch: pytest.MonkeyPatch) -> None:
    # 30 paragraphs added at the start and 30 dropped at the end: the same counts, but
    # the right path runs 30 cells off the diagonal, beyond the first band.
    monkeypatch.setattr(aligner, "BAND", 4)
    originals = [f"Paragraf {k} burada[^n{k}] biraz {'uzun ' * (k % 7)}metin." for k in range(90)]
    source = paragraphs(*originals)
    added = [f"Added paragraph {k} {'with more words ' * (k % 5)}here." for k in range(30)]
    target = paragraphs(*added, *(t.replace("Paragraf", "Paragraph") for t in originals[:60]))
    pairs = align_segments(source, target, source_lang="tr", target_lang="en")
    got = {(p.source, p.target) for p in pairs}
    assert {((k,), (30 + k,)) for k in range(60)} <= got
    assert {((), (k,)) for k in range(30)} <= got
    assert {((k,), ()) for k in range(60, 90)} <= got


@pytest.mark.parametrize(("source", "target", "shapes"), [
    (["Bir.", "İki."], [], ["1:0", "1:0"]),
    ([], ["One."], ["0:1"]),
    ([], [], []),
])
def test_one_side_empty(source: list[str], target: list[str], shapes: list[str]) -> None:
    pairs = align_segments(paragraphs(*source), paragraphs(*target))
    assert [p.shape for p in pairs] == shapes


def test_every_segment_is_in_exactly_one_pair() -> None:
    body, notes = CASES["all at once"]
    pairs = align_blocks(body, notes)
    sources = sorted(i for p in pairs for i in p.source)
    targets = sorted(j for p in pairs for j in p.target)
    assert sources == list(range(len(TR)))
    assert targets == list(range(len(body) + len(notes) + 2))
    # Source order, and each 0:1 right after the pair of the segment it follows.
    firsts = [p.source[0] for p in pairs if p.source]
    assert firsts == sorted(firsts)
    note = next(k for k, p in enumerate(pairs) if not p.source)
    assert pairs[note - 1].target[-1] + 1 == pairs[note].target[0]


@pytest.mark.parametrize(("text", "length"), [
    ("Bir *vurgulu* söz[^iv] ve [bağlantı](https://example.org/a).", 28),
    ("**Kalın**", 5),
    ("Satır  bir\n  satır iki", 19),
    ("<span>x</span>", 1),
])
def test_visible_length(text: str, length: int) -> None:
    assert visible_length(text) == length


@pytest.mark.parametrize(("text", "kind"), [
    ("**Türkiye’nin Sınır Güvenliği**", "bold"),
    ("__Başlık__", "bold"),
    ("*Çevirmenin notu: bu bir nottur.*", "emphasis"),
    ("*bir* ve *iki*", "paragraph"),
    ("**Kalın** ve düz", "paragraph"),
])
def test_kind_of_paragraphs(text: str, kind: str) -> None:
    assert kind_of(Segment(kind="paragraph", text=text, line=1)) == kind


def test_unbold_and_fold() -> None:
    assert unbold("**Turkey’s Border Security**") == "Turkey’s Border Security"
    assert unbold("plain") == "plain"
    assert fold("İSTANBUL IRMAK", "tr") == "istanbul ırmak"
    assert fold("ISTANBUL", "en") == "istanbul"


def test_anchors_are_normalised_per_locale() -> None:
    tr = anchors("Nüfus 1,5 milyon[^x], 29 Eylül 2021; bkz. https://Example.org/a.", "tr")
    en = anchors("Population 1.5 million,[^x] 29 September 2021; see https://example.org/a", "en")
    assert tr == en
    assert tr["ref", "x"] == 1 and tr["ref", ""] == 1
    assert tr["number", "1500000"] == 1
    assert [k for k in tr if k[0] == "date"] == [("date", "Date(year=2021, month=9, day=29)")]
    assert "number" not in {k[0] for k in anchors("1,5 milyon", "tr", values=False)}


_KIND = st.sampled_from(["paragraph", "paragraph", "heading", "list-item", "footnote", "meta"])
_TEXT = st.text(alphabet="abc çİı 12.,*[^]", min_size=1, max_size=60)


@st.composite
def documents(draw: st.DrawFn) -> list[Segment]:
    out = []
    for k, (kind, text) in enumerate(draw(st.lists(st.tuples(_KIND, _TEXT), max_size=25))):
        key = {"heading": str(draw(st.integers(1, 3))), "footnote": f"n{draw(st.integers(0, 9))}",
               "meta": draw(st.sampled_from(["title", "abstract"]))}.get(kind, "")
        out.append(Segment(kind=kind, text=text, line=k + 1, label=key))
    return out


@settings(max_examples=60, deadline=None)
@given(documents(), documents())
def test_any_two_documents_give_a_partition_in_order(source: list[Segment],
                                                     target: list[Segment]) -> None:
    pairs = align_segments(source, target, source_lang="tr", target_lang="en")
    assert sorted(i for p in pairs for i in p.source) == list(range(len(source)))
    assert sorted(j for p in pairs for j in p.target) == list(range(len(target)))
    assert all(p.shape in ("1:1", "1:2", "2:1", "1:0", "0:1") for p in pairs)
    assert all(0.0 <= p.confidence <= 1.0 for p in pairs)
    body = [p for p in pairs if all(source[i].kind not in ("meta", "footnote") for i in p.source)
            and all(target[j].kind not in ("meta", "footnote") for j in p.target)]
    last_s = last_t = -1
    for pair in body:  # the body alignment never crosses itself
        assert min(pair.source, default=last_s + 1) > last_s
        assert min(pair.target, default=last_t + 1) > last_t
        last_s, last_t = max(pair.source, default=last_s), max(pair.target, default=last_t)
