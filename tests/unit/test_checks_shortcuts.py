"""The checks' shortcuts give what the full work gives (issue 16: speed changes no finding).

Each shortcut skips work a text cannot need; each test holds it to the full work on
generated texts (and, for the gates, to the condition the skipped pattern needs),
so a shortcut that skipped too much fails here. `benchmarks/bench_check.py
--same-as REV` compares whole reports with an older revision's.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks import typography
from pipeline.checks.datefind import _date_pattern, _to_date, find_dates, inside
from pipeline.checks.extract import extract_numbers, hidden_spans
from pipeline.checks.lexicon import langs_for, months
from pipeline.checks.numberfind import may_hold_time, times_of_day
from pipeline.checks.textscan import digit_positions, digit_runs

# What a time of day needs: minutes after the hour's digit, or am/pm after it.
TIME_NEEDS = re.compile(r"\d(?::[0-5]\d|[ \u00a0]?[apAP]\.?[ \u00a0]?[mM]\b)")
CLOCKISH = st.text(alphabet="0129٣٤:apmAPM. \u00a0x-", max_size=14)


@settings(max_examples=1500)
@given(CLOCKISH)
def test_the_time_probe_misses_no_time(text: str) -> None:
    assert may_hold_time(text) == bool(TIME_NEEDS.search(text))
    if times_of_day(text, []):
        assert may_hold_time(text)


@pytest.mark.parametrize("text", ["at 4 PM", "at 4 P.M.", "4 p. m", "at 16:30",
                                  "٣:30'da", "9 am", "4\u00a0pm", "4 p.\u00a0m.", "(4PM)"])
def test_the_time_probe_sees_each_spelling(text: str) -> None:
    assert times_of_day(text, []) and may_hold_time(text)


def test_a_percent_sign_beside_a_number_is_read() -> None:
    """The shortcut for a number with nothing beside it leaves these to the regexes."""
    found = extract_numbers("%50, % 12 ve 7% ile 8 % (9%)", "tr")
    assert [(n.text, n.percent) for n in found] == [
        ("%50", True), ("% 12", True), ("7%", True), ("8 %", True), ("9%", True)]
    assert [(n.text, n.percent) for n in extract_numbers("(12) and 3", "en")] == [
        ("12", False), ("3", False)]


WORD_START = re.compile(r"\b[^\W\d_]")


def reference_find_dates(text: str, lang: str, langs: tuple[str, ...],
                         hidden: list[tuple[int, int]]) -> list[tuple[int, int, object]]:
    """`find_dates` as it was: the pattern tried at every word whose first letter can
    start a month name (not only at month names)."""
    names, _ = months(langs)
    initials = {c for name in names for c in (name[0], name[0].upper())}
    pattern = _date_pattern(langs)
    runs = [r for r in digit_runs(text, digit_positions(text)) if not inside(hidden, r[0])] \
        if digit_positions(text) else []
    out: list[tuple[int, int, object]] = []
    covered = 0
    for start, _ in runs:
        if start < covered:
            continue
        lo = max(covered, start - 24)
        candidates = [m.start() for m in WORD_START.finditer(text, lo, start)
                      if m.group() in initials] + [start]
        for at in candidates:
            match = pattern.match(text, at)
            if match is None or match.end() <= start or inside(hidden, at):
                continue
            date = _to_date(match, lang, langs)
            if date is not None:
                out.append((match.start(), match.end(), date))
                covered = match.end()
                break
    return out


WORDS = ["Ekim", "ekim", "EKİM", "Eylül'de", "Mart", "Mayıs'ın", "October", "Sept.", "Oct",
         "May", "Mars", "Ekmek", "of", "the", "in", "3", "29", "2021", "12.", "1st", "29.09.2021",
         "2021-09-29", "09/29/21", "`3`", "[^3]", ",", "'", "’", "ve", "and"]
SENTENCES = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join) | st.lists(
    st.sampled_from(WORDS), max_size=10).map("".join)


@settings(max_examples=1500)
@given(SENTENCES, st.sampled_from([("tr", ("en",)), ("en", ("tr",))]))
def test_dates_are_tried_at_month_names_only(text: str, langs: tuple[str, tuple[str]]) -> None:
    lang, also = langs
    all_langs = langs_for(lang, also)
    hidden = hidden_spans(text)
    runs = [r for r in digit_runs(text, digit_positions(text)) if not inside(hidden, r[0])] \
        if digit_positions(text) else []
    assert find_dates(text, runs, lang, all_langs, hidden) == \
        reference_find_dates(text, lang, all_langs, hidden)


def reference_quote_marks(text: str) -> Iterator[tuple[int, str, bool]]:
    """`typography._quote_marks` as it was: every mark, with its role."""
    low = "„" in text or "‚" in text
    marks = [(m.start(), m.group()) for m in re.finditer('[“”‘’„‚«»‹›"]', text)]
    both: set[str] = {'"'}
    reversed_pairs: set[str] = set()
    for opening, closing in (("“", "”"), ("«", "»"), ("‹", "›")):
        if low and opening == "“":
            continue
        seen = {c for _, c in marks if c in (opening, closing)}
        if len(seen) == 1:
            both.update(seen)
        elif seen and typography._looks_reversed(text, opening, closing):
            reversed_pairs.update((opening, closing))
    counts = dict.fromkeys(both, 0)
    straight_known = '"' not in text or typography._straight_quotes_pair(text)
    for i, c in marks:
        if c in both:
            if text.count(c) % 2 or (c == '"' and not straight_known):
                if c != '"':
                    yield i, c, c in "“«‹"
                continue
            counts[c] += 1
            yield i, c, counts[c] % 2 == 1
        elif c in reversed_pairs:
            yield i, c, c in "”»›"
        elif c in "“‘":
            yield i, c, not low
        else:
            yield i, c, c in "„‚«‹"


QUOTED = st.lists(st.sampled_from([*"“”‘’„‚«»‹›\"  \u00a0\u202f\tab1.,", "[^a]"]),
                  max_size=16).map("".join)


@settings(max_examples=1500)
@given(QUOTED, QUOTED, st.booleans())
def test_only_marks_that_can_be_spaced_are_looked_at(t: str, s: str, french: bool) -> None:
    fast = list(typography._quote_marks(t))
    assert set(fast) <= set(reference_quote_marks(t))  # the same roles
    mp = pytest.MonkeyPatch()
    try:
        expected = list(typography._gaps(t, s, french))
        mp.setattr(typography, "_quote_marks", reference_quote_marks)
        assert list(typography._gaps(t, s, french)) == expected
    finally:
        mp.undo()


def test_the_collector_runs_again_after_a_check(sample: Path) -> None:
    from pipeline.commands.check import check
    from pipeline.config import load_config
    from pipeline.errors import BitextError

    config = load_config(sample)
    assert gc.isenabled()
    check(config, ["article"], [], slim=True)
    assert gc.isenabled()
    (sample / "locale/en/LC_MESSAGES/article.po").write_text('msgid "x\n', encoding="utf-8")
    with pytest.raises(BitextError):
        check(config, ["article"], [], slim=True)
    assert gc.isenabled()


def test_checking_what_update_left_does_not_load_the_markdown_parser(
        sample: Path, tmp_path: Path) -> None:
    """markdown-it is a third of check's imports; only segmenting an original needs it."""
    from tests.unit.test_startup import modules_after

    loaded = modules_after(["-C", str(sample), "check"], tmp_path)
    assert "pipeline.checks.footnotes" in loaded and "markdown_it" not in loaded
    (sample / "source/en/article.md").write_text(
        (sample / "source/en/article.md").read_text(encoding="utf-8") + "\nMore.\n",
        encoding="utf-8")
    assert "markdown_it" in modules_after(["-C", str(sample), "check"], tmp_path)  # seen
