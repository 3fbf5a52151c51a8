"""pipeline.translate: protection placeholders, restoring, draft marks, settings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.catalog import Catalog, Entry
from pipeline.commands.status import count
from pipeline.errors import BitextError
from pipeline.markdown.segments import parse_document
from pipeline.translate import (
    MACHINE_MARK,
    add_proposal,
    drop_stale_marks,
    mark_draft,
    proposal,
    protect,
    read_settings,
    restore,
    wants_draft,
)
from tests.conftest import CORPUS

PROVIDERS = ("libre", "google", "deepl", "mymemory")


def test_a_labelled_fuzzy_draft_is_what_status_counts() -> None:
    from pipeline.catalog import Catalog, Entry
    from pipeline.commands.status import count

    draft = Entry(msgid="Bir.", msgstr="One.", fuzzy=True,
                  translator_comments=[f"{MACHINE_MARK} libre, 2026-11-26"])
    reviewed = Entry(msgid="İki.", msgstr="Two.",
                     translator_comments=[f"{MACHINE_MARK} libre, 2026-11-26"])
    assert count(Catalog(entries=[draft, reviewed]), "d", "en", "d.po").machine == 1


@pytest.mark.parametrize(
    ("text", "sent", "tokens"),
    [
        ("Bu **önemli** bir yazıdır[^i].", "Bu {1}önemli{2} bir yazıdır{3}.",
         ["**", "**", "[^i]"]),
        ("Bkz. [site](https://ex.com/a_(b) \"Başlık\") ve ![resim](r.png).",
         "Bkz. {1}site{2} ve {3}resim{4}.",
         ["[", '](https://ex.com/a_(b) "Başlık")', "![", "](r.png)"]),
        ("Kod `a_b --x` ve ``iki ` tik`` burada.", "Kod {1} ve {2} burada.",
         ["`a_b --x`", "``iki ` tik``"]),
        ("Adres https://ex.org/yol?a=1, e-posta ad@ex.org.", "Adres {1}, e-posta {2}.",
         ["https://ex.org/yol?a=1", "ad@ex.org"]),
        ("Oto <https://ex.org> ve <b>kalın</b>.", "Oto {1} ve {2}kalın{3}.",
         ["<https://ex.org>", "<b>", "</b>"]),
        ("Çizgi_altı, 5 * 3 ve _vurgu_ ve ~~silik~~.", "Çizgi_altı, 5 * 3 ve {1}vurgu{2} ve "
         "{3}silik{4}.", ["_", "_", "~~", "~~"]),
        ("Kaçış \\* ve {3} ve [metin]{.smallcaps} ve {#kimlik}.",
         "Kaçış {1} ve {2} ve {3}metin{4} ve {5}.",
         ["\\*", "{3}", "[", "]{.smallcaps}", "{#kimlik}"]),
        ("Birinci satır\nikinci satır[^ii] [^iii]", "Birinci satır ikinci satır{1} {2}",
         ["[^ii]", "[^iii]"]),
        ("Dipnot bir.\n\n    Dipnot iki.", "Dipnot bir.{1}Dipnot iki.", ["\n\n    "]),
    ],
)
def test_protect_replaces_markup_by_numbered_placeholders(
    text: str, sent: str, tokens: list[str]
) -> None:
    protected = protect(text)
    assert protected.text == sent
    assert [t.text for t in protected.tokens] == tokens


@pytest.mark.parametrize(
    ("text", "needs"),
    [("https://ex.org/a", False), ("[^i] 15.03.2021, `x`", False), ("Bir dipnot.", True)],
)
def test_a_segment_of_only_markup_and_numbers_needs_no_engine(text: str, needs: bool) -> None:
    assert protect(text).needs_engine is needs


def test_restore_puts_markup_back_and_removes_the_engines_stray_spaces() -> None:
    protected = protect("Bu **önemli** bir yazıdır[^i], bkz. [site](https://ex.com).")
    engine = "This is an { 1 } important {2} article {3}, see {4} site {5}."
    assert restore(protected, engine).text == (
        "This is an **important** article[^i], see [site](https://ex.com)."
    )


def test_restore_keeps_a_space_before_a_reference_that_had_one() -> None:
    protected = protect("Girişimler[^ii] [^iii] sürdü.")
    assert restore(protected, "Attempts {1} {2} went on.").text == "Attempts[^ii] [^iii] went on."


@pytest.mark.parametrize(
    ("engine", "problem"),
    [
        ("This {1}important{2} article, see {4}site{5}.",
         "the engine lost {3} ('[^i]')"),
        ("This {1}important{2} article{3}{3}, see {4}site{5}.",
         "the engine repeated {3} ('[^i]')"),
        ("This {1}important{2} article{3}, see {4}site{5}{6}.",
         "the engine invented the placeholder {6}"),
        ("This {2}important{1} article{3}, see {4}site{5}.",
         "the engine swapped '**' and '**' around {1}…{2}"),
        ("This {1}important{2} article{3}, see {5}site{4}.",
         "the engine swapped '[' and '](https://ex.com)' around {4}…{5}"),
        ("", "the engine lost {1} ('**'), {2} ('**'), {3} ('[^i]'), {4} ('['), "
             "{5} ('](https://ex.com)')"),
        ("- {1}important{2}{3} {4}site{5}", "the draft would start a new Markdown block: "
                                            "'- **important**[^i] '"),
    ],
)
def test_restore_rejects_a_damaged_draft(engine: str, problem: str) -> None:
    protected = protect("Bu **önemli** bir yazıdır[^i], bkz. [site](https://ex.com).")
    draft = restore(protected, engine)
    assert (draft.text, draft.problem) == ("", problem)


def test_restore_rejects_reordered_footnote_references() -> None:
    protected = protect("Bir[^i] iki[^ii].")
    assert restore(protected, "Two{2} one{1}.").problem == (
        "the engine reordered the footnote references [^ii] [^i]"
    )


# Pieces a segment is made of: words, inline markup, line breaks (not at the ends).
_PIECE = st.sampled_from([
    "söz", "Türkiye'nin", "1,5", "milyon", "**kalın**", "*eğik*", "_alt_", "[^i]", "[^xix]",
    "`kod_1`", "https://ex.org/a?b=1", "<https://ex.org>", "[bağ](https://ex.org/x)",
    "[metin]{.smallcaps}", "\\*", "{2}", "a@b.org", "(parantez)", "“tırnak”", "5 * 3",
])


@given(st.lists(st.tuples(_PIECE, st.sampled_from([" ", " ", ", ", "\n"])), min_size=1,
                max_size=12))
def test_an_identity_engine_gives_the_segment_back(parts: list[tuple[str, str]]) -> None:
    text = "".join(piece + sep for piece, sep in parts)[:-1].strip() or "x"
    protected = protect(text)
    # Soft line breaks become spaces; everything else comes back byte for byte.
    assert restore(protected, protected.text).text == text.replace("\n", " ")


@given(st.lists(_PIECE, min_size=1, max_size=12))
def test_every_placeholder_is_numbered_once_in_order(pieces: list[str]) -> None:
    protected = protect(" ".join(pieces))
    numbers = [int(n) for n in re.findall(r"\{(\d+)\}", protected.text)]
    assert numbers == list(range(1, len(protected.tokens) + 1))


def entry(msgid: str = "Bir.", msgstr: str = "", *, fuzzy: bool = False,
          comments: list[str] | None = None, previous: str | None = None) -> Entry:
    return Entry(msgid=msgid, msgstr=msgstr, fuzzy=fuzzy, previous_msgid=previous,
                 translator_comments=list(comments or []))


@pytest.mark.parametrize(
    ("item", "untranslated", "fuzzy"),
    [
        (entry(), True, False),
        (entry(msgstr="One."), False, False),
        (entry(msgstr="One.", fuzzy=True, previous="Bir"), False, True),
        (entry(msgstr="One.", fuzzy=True, comments=["bitext-mt: libre, 2026-01-01"]),
         False, False),
        (entry(msgstr="One.", fuzzy=True, comments=["bitext-mt: libre, 2026-01-01"],
               previous="Bir"), False, True),
        (Entry(msgid="Bir.", obsolete=True), False, False),
    ],
    ids=["untranslated", "reviewed", "fuzzy", "fresh-draft", "stale-draft", "obsolete"],
)
def test_which_entries_are_drafted(item: Entry, untranslated: bool, fuzzy: bool) -> None:
    assert wants_draft(item, "untranslated") is untranslated
    assert wants_draft(item, "fuzzy") is fuzzy


def test_a_draft_is_fuzzy_labelled_and_counted_as_machine_output() -> None:
    item = entry(comments=["note from the translator"])
    mark_draft(item, "One.", "libre", "2026-09-21")
    assert (item.msgstr, item.fuzzy) == ("One.", True)
    assert item.translator_comments == ["note from the translator", "bitext-mt: libre, 2026-09-21"]
    assert count(Catalog(entries=[item]), "d", "en", "f").machine == 1


def test_a_proposal_leaves_the_text_and_replaces_an_older_proposal() -> None:
    item = entry(msgstr="Old translation.", fuzzy=True, previous="Eski.", comments=["mine"])
    assert add_proposal(item, "New line one.\nline two", "libre", "2026-09-21")
    assert add_proposal(item, "Newer.", "deepl", "2026-09-22")
    assert item.msgstr == "Old translation." and item.fuzzy
    assert item.translator_comments == ["mine", "bitext-mt-proposal: deepl, 2026-09-22",
                                        "> Newer."]
    assert proposal(item) == ("deepl, 2026-09-22", "Newer.")
    assert not add_proposal(item, "Newer.", "deepl", "2026-12-31")  # same text: date kept
    assert proposal(item) == ("deepl, 2026-09-22", "Newer.")
    assert count(Catalog(entries=[item]), "d", "en", "f").machine == 0


def test_a_reviewed_entry_loses_its_stale_machine_label_and_nothing_else() -> None:
    reviewed = entry(msgstr="Checked.", comments=[
        "keep me", "bitext-mt: libre, 2026-01-01", "bitext-mt-proposal: libre, 2026-01-02",
        "> proposal text"])
    draft = entry(msgstr="Draft.", fuzzy=True, comments=["bitext-mt: libre, 2026-01-01"])
    catalog = Catalog(entries=[reviewed, draft])
    assert drop_stale_marks(catalog) == 1
    assert (reviewed.msgstr, reviewed.fuzzy, reviewed.translator_comments) == (
        "Checked.", False, ["keep me"])
    assert draft.translator_comments == ["bitext-mt: libre, 2026-01-01"]


def test_settings_defaults_and_overrides() -> None:
    settings = read_settings({"provider": "deepl", "timeout": 5}, prefix="translate.",
                             where="bitext.toml", providers=PROVIDERS,
                             overrides={"provider": "libre", "url": "http://h:5000",
                                        "batch_size": None})
    assert (settings.provider, settings.url, settings.timeout, settings.batch_size,
            settings.retries, settings.rate_limit) == ("libre", "http://h:5000", 5, 20, 3, None)


def test_settings_report_every_bad_key_with_its_name() -> None:
    table = {"provider": "bing", "timeout": 0, "retries": -1, "batch_size": 2.5,
             "api_key": "secret", "rate_limit": "fast", "url": "ftp://x"}
    with pytest.raises(BitextError) as caught:
        read_settings(table, prefix="tool.bitext.translate.", where="pyproject.toml",
                      providers=PROVIDERS, overrides={"batch_size": 0})
    assert str(caught.value) == (
        "pyproject.toml: invalid configuration:\n"
        "  'tool.bitext.translate.api_key': unknown key (API keys are read from the "
        "environment, never from the repository) (known: provider, url, batch_size, "
        "rate_limit, timeout, retries, backoff, memory_threshold)\n"
        "  'tool.bitext.translate.provider': expected one of libre, google, deepl, mymemory, "
        "got 'bing'\n"
        "  'tool.bitext.translate.url': expected an http:// or https:// URL, got 'ftp://x'\n"
        "  --batch-size: expected at least 1, got 0\n"
        "  'tool.bitext.translate.rate_limit': expected a number, got str 'fast'\n"
        "  'tool.bitext.translate.timeout': expected more than 0, got 0\n"
        "  'tool.bitext.translate.retries': expected at least 0, got -1"
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_every_corpus_segment_survives_an_identity_engine() -> None:
    """Real Markdown written by others: nothing of it is lost or doubled by protection."""
    checked = 0
    for path in sorted(CORPUS.glob("*/*.md")):
        document = parse_document(path.read_text(encoding="utf-8"), path=str(path))
        for segment in document.segments:
            protected = protect(segment.text)
            draft = restore(protected, protected.text)
            assert not draft.problem, (path, segment.line, draft.problem)
            # Soft line breaks become spaces; words and markup come back as they were.
            assert draft.text.split() == segment.text.split(), (path, segment.line)
            checked += 1
    assert checked > 1000
