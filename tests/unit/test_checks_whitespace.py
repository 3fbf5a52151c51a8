"""The `whitespace` check's gaps: mixed no-break and ordinary spaces, a space before a
footnote reference, a space inside quotation marks (issue 12, item 6)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pipeline.checks.runner import check_texts

ROOT = Path(__file__).resolve().parents[2]
NBSP, NNBSP = "\u00a0", "\u202f"


def gaps(source: str, target: str, lang: str = "en") -> list[str]:
    run = check_texts([(source, target)], names=["whitespace"], target_lang=lang)
    return [f.message for f in run.findings]


# (original, translation, target language, the findings expected: each a message's start).
FLAGGED = [
    # (a) a no-break space next to an ordinary one: what the seed had after "importance."
    ("önemini abartıyor. Rejimin", f"overestimate his importance.{NBSP} Currently", "en",
     ["a no-break space (U+00A0) next to an ordinary space at column 29 of the translation: "
      "“…his importance.<U+00A0> Currently…”"]),
    ("a b", f"one {NNBSP}two", "en",
     ["a narrow no-break space (U+202F) next to an ordinary space at column 4"]),
    ("a b", f"il dit «{NNBSP} Bonjour{NNBSP}»", "fr",
     ["a narrow no-break space (U+202F) next to an ordinary space at column 9"]),
    # (b) a space before a footnote reference the original attaches
    ("sonuç çıkmadığını[^ix]. Öte yandan", "without positive outcomes. [^ix] Furthermore", "en",
     ["a space before the footnote reference [^ix] at column 27 of the translation "
      "(the original has none there): “…itive outcomes. [^ix] Furtherm…”"]),
    ("sözdür[^i].", f"a word.{NBSP}[^i]", "en",
     ["a space before the footnote reference [^i] at column 8"]),
    ("bir[^a] iki[^b]", "one [^a] two[^b]", "en",
     ["a space before the footnote reference [^a] at column 4"]),
    # (c) a space before a closing or after an opening quotation mark
    ("“Geri dönmez.”[^xviii] dedi", "“none of you will return. ”[^xviii] Such", "en",
     ["a space before the closing quotation mark ” at column 26 of the translation: "
      "“…ou will return. ”[^xviii] Such…”"]),
    ("“Geri dönmez.”", "“ None will return.”", "en",
     ["a space after the opening quotation mark “ at column 2"]),
    ("‘evet’ dedi", "he said ‘yes ’", "en",
     ["a space before the closing quotation mark ’ at column 13"]),
    ("«evet» dedi", "il a dit « oui»", "fr",
     ["a space after the opening quotation mark « at column 11 of the translation "
      "(French sets U+202F NARROW NO-BREAK SPACE there"]),
    ("“last”,", "pas la « dernière », elle", "fr",
     ["a space after the opening quotation mark « at column 9",
      "a space before the closing quotation mark » at column 18"]),
    ("(“same”)", "même origine (« same-origin »).", "fr",
     ["a space after the opening quotation mark « at column 16",
      "a space before the closing quotation mark » at column 28"]),
    ("«evet» dedi", f"he said «{NNBSP}yes{NNBSP}»", "en",
     ["a space after the opening quotation mark « at column 10",
      "a space before the closing quotation mark » at column 14"]),
    ('"evet" dedi', 'he said "yes " and left', "en",
     ['a space before the closing quotation mark " at column 13']),
    ('"a" ve "b"', 'he said " yes" and "no"', "en",
     ['a space after the opening quotation mark " at column 10']),
    ("„Warum?“", "er fragte „Warum? “", "de",
     ["a space before the closing quotation mark “ at column 18"]),
    ("»Hej«", "hon sa »Hej «", "da", ["a space before the closing quotation mark « at column 12"]),
    ("”Hej“", "قال ” مرحبا“", "ar", ["a space after the opening quotation mark ” at column 6"]),
    ("“Hej“", "сказал “Привет “ и", "ru",
     ["a space before the closing quotation mark “ at column 15"]),
    ("”Hej”", "hon sa ”Hej ” och ”då”", "sv",
     ["a space before the closing quotation mark ” at column 12"]),
    # A quotation opened in an earlier paragraph: a lone ” closes it.
    ("dönmez.”", "will return. ”", "en",
     ["a space before the closing quotation mark ” at column 13"]),
    # One finding each, in text order; a translation of several lines says which line.
    ("a[^i]. “b”", f"one. [^i] “two ”{NBSP} three", "en",
     ["a space before the footnote reference [^i] at column 5",
      "a space before the closing quotation mark ” at column 15",
      "a no-break space (U+00A0) next to an ordinary space at column 17"]),
    ("a\n\nb", "one\n\ntwo “ three”", "en",
     ["a space after the opening quotation mark “ at line 3, column 6 of the translation: "
      "“…one\\n\\ntwo “ three”…”"]),
]

CLEAN = [
    # The corrected sample's sentences.
    ("önemini abartıyor. Rejimin", "overestimate his importance. Currently", "en"),
    ("sonuç çıkmadığını[^ix]. Öte", "without positive outcomes.[^ix] Furthermore", "en"),
    ("dönmez.”[^xviii] dedi", "none of you will return.”[^xviii] Such", "en"),
    # A space before an opening quote, after a closing one: ordinary prose.
    ("“Neden?” diye sordu", "he asked “Why?” and left", "en"),
    ('"Neden?" diye sordu', 'he asked "Why?" and "How?" and left', "en"),
    # French guillemets with a (narrow) no-break space inside: the French rule.
    ("«evet» dedi", f"il a dit «{NNBSP}oui{NNBSP}» et", "fr"),
    ("«evet» dedi", f"il a dit «{NBSP}oui{NBSP}» et", "fr-CA"),
    # A no-break space alone: "10 km", "p. 22".
    ("10 km", f"10{NBSP}km, p.{NNBSP}22", "en"),
    # Two references the original separates too (the sample's [^ii] [^iii]).
    ("girişimleriyle[^ii] [^iii] devam", "attempts[^ii] [^iii] to restore", "en"),
    # A reference at the start of the text; a definition's own label is no reference.
    ("[^a] bir", "[^a] one", "en"),
    # Nested quotes: a cited title copied as published, or set with a thin space.
    ("Scott Lucas, “Syria Daily: ‘10 Million Vandals’ ”, EA WorldView",
     "Scott Lucas, “Syria Daily: ‘10 Million Vandals’ ”, EA WorldView", "en"),
    ("“‘Geri dönmeyin’ dedi”", "“‘Don’t ever return’\u2009”, he said", "en"),
    # Apostrophes are not closing quotes.
    ("90'lar", "in the ’90s, ’tis the students’ books", "en"),
    # An odd number of straight quotes: which one closes is unknowable (`quotes` reports it).
    ('12" boru', 'a 12" pipe', "en"),
    # An even number, but alternating them contradicts what they touch (inch marks).
    ('12" boru', 'a 12" pipe and " more', "en"),
    ('12" ve 14" boru', 'a 12" and a 14" pipe', "en"),
    # Swedish ”…”, Danish »…«, German „…“, spaced correctly.
    ("”Hej”", "hon sa ”Hej” och ”då”", "sv"),
    ("»Hej«", "hun sagde »Hej« og gik", "da"),
    # Arabic ”…“ and Russian “…“ (Django's catalogs), a quotation carried over from the
    # paragraph before (its first mark closes).
    ("Added “%(object)s”.", "أُضيف ”%(object)s“.", "ar"),
    ("Press “Control”, or “Command”", "Нажмите “Control“ (или “Command“ на Mac)", "ru"),
    ("dedi.” Sonra “evet”", "he said.” Then “yes” and left", "en"),
    # French spacing does not make the guillemets look reversed (Django's fr catalog).
    ("Added “%(object)s”.", f"Ajout de «{NBSP}%(object)s{NBSP}».", "fr"),
    ("“last”,", f"pas la «{NNBSP}dernière{NNBSP}», elle", "fr"),
    # A mark typed for the other role, a word on its far side (Django's eu, es_AR).
    ("“path”", "Hau “bide“ absolutua, “https://”-rekin", "eu"),
    ('“Control” (“Command”', 'tecla "Control” ("Command” en Mac)', "es-AR"),
    ("„Warum?“", "er fragte „Warum?“ und ging", "de"),
]


@pytest.mark.parametrize(("source", "target", "lang", "expected"), FLAGGED)
def test_each_gap_is_flagged_with_its_column(source: str, target: str, lang: str,
                                             expected: list[str]) -> None:
    found = gaps(source, target, lang)
    assert len(found) == len(expected), found
    for message, start in zip(found, expected, strict=True):
        assert message.startswith(start), (message, start)


@pytest.mark.parametrize(("source", "target", "lang"), CLEAN)
def test_legitimate_spacing_is_not_flagged(source: str, target: str, lang: str) -> None:
    assert gaps(source, target, lang) == []


def test_the_same_gap_in_the_original_is_no_finding() -> None:
    # The original has the same stranded quote in a passage copied as is.
    assert gaps("“Vandals ”, EA", "“Vandals ”, EA") == []
    assert gaps("“Vandals ”, EA", "“Vandalen ”, EA") != []
    assert gaps("outcomes. [^ix] Then", "outcomes. [^ix] Then") == []


def test_the_sample_is_clean_and_its_seed_was_not() -> None:
    """The repository's own English is clean; the seed's four gaps are each found."""
    po = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/article.po"))
    pairs = [(e.msgid, e.msgstr) for e in po if e.msgstr and not e.obsolete]
    assert check_texts(pairs, names=["whitespace"]).findings == []
    seed = {"importance. Currently": f"importance.{NBSP} Currently",
            "regime. Those": f"regime.{NBSP} Those",
            "outcomes.[^ix]": "outcomes. [^ix]", "return.”[^xviii]": "return. ”[^xviii]"}
    broken = []
    for msgid, msgstr in pairs:
        for fixed, old in seed.items():
            msgstr = msgstr.replace(fixed, old)
        broken.append((msgid, msgstr))
    found = [f.message for f in check_texts(broken, names=["whitespace"]).findings]
    assert [m.split(" at ")[0] for m in found] == [
        "a space before the footnote reference [^ix]",
        "a space before the closing quotation mark ”",
        "a no-break space (U+00A0) next to an ordinary space",
        "a no-break space (U+00A0) next to an ordinary space",
    ]
