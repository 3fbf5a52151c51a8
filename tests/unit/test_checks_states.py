"""State checks: untranslated, fuzzy, out-of-sync, unchanged, length."""

from __future__ import annotations

from pipeline.catalog import Entry
from pipeline.checks.model import CheckOptions, Context
from pipeline.checks.runner import check_texts, levels, run_checks
from pipeline.checks.states import differing_fragment, first_difference, names_only


def messages(entries: list[Entry], check: str, **kw: object) -> list[tuple[str, str]]:
    run = check_texts(entries, names=[check], **kw)  # type: ignore[arg-type]
    return [(f.severity, f.message) for f in run.findings]


def test_untranslated_is_a_warning_and_an_error_when_strict() -> None:
    entries = [Entry("Giriş", "", line=3), Entry("Sonuç", "Conclusion", line=5)]
    assert messages(entries, "untranslated") == [("warning", "not translated yet")]
    assert messages(entries, "untranslated", strict=True) == [("error", "not translated yet")]


def test_fuzzy_says_why() -> None:
    entries = [
        Entry("Yeni metin", "Old text", fuzzy=True, previous_msgid="Eski metin", line=1),
        Entry("Taslak", "Draft", fuzzy=True, line=3,
              translator_comments=["bitext-mt: libre, 2026-11-20"]),
        Entry("Bitti", "Done", line=5),
    ]
    assert messages(entries, "fuzzy") == [
        ("warning", "needs review: the original changed (wording); "
                    "remove the fuzzy flag when it is right"),
        ("warning", "needs review: a machine draft (libre, 2026-11-20); "
                    "remove the fuzzy flag when it is right"),
    ]


def _sync_ctx(found: str | None, expected: str) -> Context:
    return Context("article", "tr", "en", "locale/en/LC_MESSAGES/article.po", [],
                   translation_file="source/en/article.md", translation_text=found,
                   expected_text=expected)


def test_out_of_sync_names_the_first_differing_line() -> None:
    ctx = _sync_ctx("---\ntitle: A\n---\n\nEdited here.\n", "---\ntitle: A\n---\n\nFrom the PO.\n")
    [finding] = run_checks(ctx, ["out-of-sync"], levels(CheckOptions())).findings
    assert (finding.file, finding.line, finding.severity) == ("source/en/article.md", 5, "error")
    assert finding.message == (
        "differs from locale/en/LC_MESSAGES/article.po from this line on (found “Edited here.”, "
        "the PO gives “From the PO.”); run `bitext update` to bring them together"
    )


def test_out_of_sync_quiet_when_equal_and_loud_when_missing() -> None:
    assert run_checks(_sync_ctx("same\n", "same\n"), ["out-of-sync"],
                      levels(CheckOptions())).findings == []
    [missing] = run_checks(_sync_ctx(None, "text\n"), ["out-of-sync"],
                           levels(CheckOptions())).findings
    assert missing.message == "source/en/article.md is missing; run `bitext update`"


def test_first_difference_at_the_end() -> None:
    assert first_difference("a\nb\n", "a\nb\nc\n") == (3, "the end of the file", "c")
    assert first_difference("a\r\n", "a\n") == (1, "a different line ending", "another")


def test_unchanged_is_quiet_for_names_citations_and_the_allow_list() -> None:
    same = [
        "Recep Tayyip Erdoğan",
        "INTERPOL",
        "Ahmed Gomaa, “Egypt, UAE call for rethink of Syria’s expulsion from Arab League”, "
        "Al-Monitor, 15.03.2021,",
        "“Where is Mazen al-Hamada?”, The Washington Post, 29.03.2021,",
        "[^i] [^ii]",
        "`make test`",
        "site",
    ]
    entries = [Entry(t, t, line=2 * n + 1) for n, t in enumerate(same)]
    assert messages(entries, "unchanged") == []
    text = "Suriye krizine siyasi bir çözüm bulunmadan çekilmek Ankara'nın yararına olmayacaktır."
    assert messages([Entry(text, text, line=1)], "unchanged") == [
        ("warning", "the translation is the original, unchanged")
    ]
    allowed = CheckOptions(unchanged_allow=frozenset({text}))
    assert messages([Entry(text, text, line=1)], "unchanged", options=allowed) == []


def test_names_only() -> None:
    assert names_only("Vladimir Putin")
    assert not names_only("Türkiye'nin Sınır Güvenliği ve Diğer Konular")  # a title, 5 words
    assert not names_only("geri dönüş")


def _paragraph(n: int, ratio: float) -> Entry:
    source = f"Paragraf {n}: " + "kelime " * 30
    return Entry(source, "x" * int(len(source) * ratio), line=2 * n + 1)


def test_length_flags_an_outlier_against_the_document() -> None:
    entries = [_paragraph(n, 1.1 + 0.02 * (n % 3)) for n in range(12)]
    entries.append(_paragraph(12, 0.45))  # a passage missing
    assert messages(entries, "length") == [(
        "warning",
        "the translation is 0.45 times as long as the original (this document's translations "
        "are typically 1.12 times); is a passage added or missing?",
    )]


def test_length_needs_a_distribution_and_ignores_short_segments() -> None:
    few = [_paragraph(n, 1.1) for n in range(5)] + [_paragraph(5, 0.3)]
    assert messages(few, "length") == []
    headings = [_paragraph(n, 1.1) for n in range(12)]
    headings.append(Entry("Kısa başlık", "A heading", line=99))
    assert messages(headings, "length") == []


def test_out_of_sync_shows_where_a_long_line_differs() -> None:
    opening = "Idlib's pre-war population of "  # the same 30 characters on both sides
    found, expected = differing_fragment(opening + "15 million reached almost 4 million.",
                                         opening + "1.5 million[^x] reached almost 4 million.")[:2]
    assert found != expected
    assert "15 million" in found and "1.5 million[^x]" in expected
    long = "x" * 80
    found, expected, column = differing_fragment(long + " one\nnew", long + " two")
    # 20 characters before the first difference (the space is the 20th), newlines escaped.
    assert (found, expected, column) == ("“…" + "x" * 19 + " one\\nnew”",
                                         "“…" + "x" * 19 + " two”", 82)
    assert differing_fragment("Short line", "Short lime")[:2] == ("“Short line”", "“Short lime”")


def test_out_of_sync_with_an_open_conflict_says_resolve_it() -> None:
    from pipeline.translation import conflict_block

    found = "# T\n\n" + conflict_block("Mine.", "Theirs.") + "\n"
    [finding] = run_checks(_sync_ctx(found, "# T\n\nTheirs.\n"), ["out-of-sync"],
                           levels(CheckOptions())).findings
    assert finding.message.endswith("resolve the conflict block at line 3 (keep one version, "
                                    "delete the other and the three bitext lines)")
    [finding] = run_checks(_sync_ctx("# T\n\nMine.\n", "# T\n\nTheirs.\n"), ["out-of-sync"],
                           levels(CheckOptions())).findings
    assert finding.message.endswith("run `bitext update` to bring them together")
    assert finding.column == 1
