"""Properties of the merge and of PO files: nothing lost, idempotent, exact round trip."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.adapters.po import parse_catalog, render_catalog
from pipeline.catalog import Catalog, Entry, merge_catalog, template_from_segments
from pipeline.markdown.segments import Segment, number_duplicates

WORDS = ["Türkiye", "İdlib", "ışık", "çağ", "göç", "şu", "öykü", "ülke", "rejim", "2021'de",
         "%50", "1,5", "milyon", "“alıntı”", "[^i]", "*vurgu*", "\"tırnak\"", "\\", "a\tb"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=3).map("\n".join)
document = st.lists(paragraph, min_size=0, max_size=12)


def template(texts: list[str]) -> list[Entry]:
    return template_from_segments(
        number_duplicates([Segment(kind="paragraph", text=t, line=i + 1)
                           for i, t in enumerate(texts)]), "s.md"
    )


def translations(catalog: Catalog) -> set[str]:
    return {e.msgstr for e in [*catalog.entries, *catalog.obsolete] if e.msgstr}


@settings(max_examples=150, deadline=None)
@given(st.lists(document, min_size=1, max_size=5), st.data())
def test_no_merge_sequence_loses_a_translation(versions: list[list[str]], data: st.DataObject
                                               ) -> None:
    catalog = Catalog()
    count = 0
    for texts in versions:
        before = translations(catalog)
        catalog, _ = merge_catalog(catalog, template(texts))
        assert before <= translations(catalog), "a translation vanished in the merge"
        assert [e.msgid for e in catalog.entries] == texts
        # A translator translates (or retranslates) some entries between merges.
        for entry in catalog.entries:
            if data.draw(st.booleans()):
                count += 1
                entry.msgstr = f"EN {count}: {entry.msgid}"
                entry.fuzzy = False


@settings(max_examples=100, deadline=None)
@given(document, document)
def test_merge_is_idempotent(old: list[str], new: list[str]) -> None:
    catalog, _ = merge_catalog(Catalog(), template(old))
    for entry in catalog.entries:
        entry.msgstr = "EN " + entry.msgid
    once, _ = merge_catalog(catalog, template(new))
    twice, stats = merge_catalog(once, template(new))
    assert render_catalog(twice) == render_catalog(once)
    assert (stats.fuzzy, stats.new, stats.obsoleted) == (0, 0, 0)


@settings(max_examples=100, deadline=None)
@given(document, document)
def test_po_write_read_identity(old: list[str], new: list[str]) -> None:
    catalog, _ = merge_catalog(Catalog(header={"Language": "en"}), template(old))
    for entry in catalog.entries:
        entry.msgstr = "EN " + entry.msgid
        entry.translator_comments = ["bitext-ignore: numbers -- kept"]
    catalog, _ = merge_catalog(catalog, template(new))
    text = render_catalog(catalog)
    again = parse_catalog(text)
    assert render_catalog(again) == text
    assert [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.previous_msgid) for e in again.entries] == [
        (e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.previous_msgid) for e in catalog.entries]
    assert [(e.msgid, e.msgstr) for e in again.obsolete] == [
        (e.msgid, e.msgstr) for e in catalog.obsolete]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=30))
def test_sequence_opcodes_turn_old_into_new(old: list[int], new: list[int]) -> None:
    from pipeline.catalog import sequence_opcodes

    rebuilt: list[int] = []
    i_end = j_end = 0
    for tag, i1, i2, j1, j2 in sequence_opcodes(old, new):
        assert (i1, j1) == (i_end, j_end), "opcodes must be contiguous"
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        rebuilt.extend(new[j1:j2])
        i_end, j_end = i2, j2
    assert (i_end, j_end, rebuilt) == (len(old), len(new), new)


def _lcs(old: list[int], new: list[int]) -> int:
    row = [0] * (len(new) + 1)
    for x in old:
        prev = row[:]
        for j, y in enumerate(new, start=1):
            row[j] = prev[j - 1] + 1 if x == y else max(prev[j], row[j - 1])
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), unique=True, max_size=12),
       st.lists(st.integers(0, 12), unique=True, max_size=12))
def test_sequence_opcodes_keep_a_longest_common_run_of_unique_items(
    old: list[int], new: list[int]
) -> None:
    # Items that occur once on each side are the patience diff's anchors: the equal
    # stretches are then a longest common subsequence, whatever difflib would do.
    from pipeline.catalog import sequence_opcodes

    equal = sum(i2 - i1 for tag, i1, i2, _, _ in sequence_opcodes(old, new) if tag == "equal")
    assert equal == _lcs(old, new)


STRETCH_WORDS = ["ülke", "göç", "rejim", "çağ", "ışık", "öykü", "sınır", "barış"]
stretch_text = st.lists(st.sampled_from(STRETCH_WORDS), min_size=2, max_size=5).map(" ".join)


def _best_total(sims: dict[tuple[int, int], float], n: int, m: int) -> float:
    """The largest total similarity of an order-preserving pairing (brute force)."""
    from functools import cache

    @cache
    def best(i: int, j: int) -> float:
        if i == n or j == m:
            return 0.0
        options = [best(i + 1, j), best(i, j + 1)]
        if (i, j) in sims:
            options.append(sims[i, j] + best(i + 1, j + 1))
        return max(options)

    return best(0, 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(stretch_text, unique=True, min_size=1, max_size=5),
       st.lists(stretch_text.map(lambda t: t + " değişti"), unique=True, min_size=1, max_size=5))
def test_a_changed_stretch_is_paired_in_order_with_the_most_likeness(
    old_texts: list[str], new_texts: list[str]
) -> None:
    from rapidfuzz.distance import Indel

    from pipeline.catalog import PAIR_THRESHOLD

    old = Catalog(entries=[Entry(msgid=t, msgstr=f"T{i}") for i, t in enumerate(old_texts)])
    merged, stats = merge_catalog(old, template(new_texts))
    pairs = [(int(e.msgstr[1:]), j) for j, e in enumerate(merged.entries) if e.msgstr]
    assert all(merged.entries[j].previous_msgid == old_texts[i] for i, j in pairs)
    assert [i for i, _ in pairs] == sorted({i for i, _ in pairs})  # in order, each once
    sims = {(i, j): s for i, a in enumerate(old_texts) for j, b in enumerate(new_texts)
            if (s := Indel.normalized_similarity(a, b)) >= PAIR_THRESHOLD}
    assert all((i, j) in sims for i, j in pairs)
    total = sum(sims[p] for p in pairs)
    assert abs(total - _best_total(sims, len(old_texts), len(new_texts))) < 1e-9
    assert (stats.fuzzy, stats.new) == (len(pairs), len(new_texts) - len(pairs))
    assert stats.obsoleted == len(old_texts) - len(pairs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 15), max_size=15))
def test_increasing_run_is_a_longest_increasing_subsequence(seconds: list[int]) -> None:
    from pipeline.catalog import _increasing_run

    pairs = list(enumerate(seconds))
    run = _increasing_run(pairs)
    assert all(p in pairs for p in run) and run == sorted(run)
    assert all(a[1] < b[1] for a, b in pairwise(run))
    longest = [1] * len(seconds)  # O(n^2) reference
    for b in range(len(seconds)):
        for a in range(b):
            if seconds[a] < seconds[b]:
                longest[b] = max(longest[b], longest[a] + 1)
    assert len(run) == max(longest, default=0)


def _change_kind_plain(old: str, new: str) -> str:
    """`change_kind` as it was before its shortcuts, for comparison."""
    import re

    def squash(t: str) -> str:
        return re.sub(r"\s+", " ", t).strip()

    if squash(old) == squash(new):
        return "whitespace"
    if re.sub(r"[\W_]+", "", old) == re.sub(r"[\W_]+", "", new):
        return "punctuation"
    digits = re.compile(r"\d+(?:[.,]\d+)*")
    if digits.sub("0", squash(old)) == digits.sub("0", squash(new)):
        return "numbers"
    return "wording"


_KIND_TEXT = st.lists(st.sampled_from(["a", "b", "1", "22", "٣", "1.5", "2,5", " ", "  ", "\n",
                                       ",", ".", "_", "-", "ş", "İ"]), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(_KIND_TEXT, _KIND_TEXT)
def test_change_kind_says_what_the_plain_comparisons_say(old: str, new: str) -> None:
    from pipeline.catalog import change_kind

    assert change_kind.__wrapped__(old, new) == _change_kind_plain(old, new)


# --- the translated Markdown's lang key, set on its pieces -----------------------------------

_FRONT_PIECES = st.lists(st.sampled_from(
    ["---", "--", "-", "\n", "\n---", "\n...", ".", "\ufeff", "lang: tr", "lang: 'tr'", "title: x",
     "metin", "", " ", "\r"]), max_size=14)


@settings(max_examples=500, deadline=None)
@given(_FRONT_PIECES)
@example(["\ufeff", "--", "-\nlang: tr\n-", "--\nmetin"])  # a mark cut across pieces
@example(["---\nlang: tr\n...", "\nmetin"])  # closed by "..." only
def test_the_lang_key_set_on_pieces_is_set_as_on_the_joined_text(pieces: list[str]) -> None:
    from pipeline.translation import _joined_with_lang, set_front_matter_lang

    assert _joined_with_lang(pieces, "en") == set_front_matter_lang("".join(pieces), "en")


def test_the_translation_encoded_a_piece_at_a_time_is_the_text_encoded() -> None:
    """`encoded_translation` is `render_translation`'s text in UTF-8 (the sample's document,
    with its front matter's lang key set)."""
    from pathlib import Path

    from pipeline.markdown.segments import parse_document
    from pipeline.translation import encoded_translation, render_translation

    root = Path(__file__).resolve().parents[2]
    document = parse_document((root / "source/tr/article.md").read_text(encoding="utf-8"))
    catalog = parse_catalog((root / "locale/en/LC_MESSAGES/article.po").read_text(
        encoding="utf-8"))
    data, shown = encoded_translation(document, catalog, "en")
    expected = render_translation(document, catalog, "en")
    assert data == expected.text.encode("utf-8") and shown == expected.shown
    assert b"lang: en" in data and "’".encode() in data  # encoded past ASCII
