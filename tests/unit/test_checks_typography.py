"""Typography: quotes, brackets and whitespace of the translation, against the original's."""

from __future__ import annotations

from pipeline.checks.runner import check_texts


def typo(source: str, target: str, check: str) -> list[str]:
    return [f.message for f in check_texts([(source, target)], names=[check]).findings]


def test_quotes() -> None:
    assert typo("“Neden?” diye sordu", "he asked “Why?”", "quotes") == []
    assert typo("„Warum?“ fragte er", "„Warum?“ he asked", "quotes") == []
    assert typo("“Neden?” diye sordu", "he asked “Why?", "quotes") == [
        "unbalanced quotes in the translation: 1 more ““” than “””"
    ]
    assert typo('"Neden?" dedi', 'he said "Why?', "quotes") == [
        'the translation has an odd number of straight quotes (")'
    ]
    # A quotation spanning two paragraphs is unbalanced in the original too.
    assert typo("“Birinci paragraf", "“First paragraph", "quotes") == []


def test_brackets() -> None:
    assert typo("(PYD/YPG) kazanımları", "(PYD/YPG) gains", "brackets") == []
    assert typo("a) bir b) iki", "a) one b) two", "brackets") == []
    assert typo("Demokratik Birlik Partisi (PYD)", "Democratic Union Party (PYD", "brackets") == [
        "brackets in the translation: 1 unclosed “(”"
    ]
    assert typo("metin", "text)", "brackets") == ["brackets in the translation: 1 “)” without “(”"]


def test_whitespace() -> None:
    assert typo("Önem. Şimdi", "importance. Currently", "whitespace") == []
    assert typo("Önem. Şimdi", "importance.  Currently", "whitespace") == [
        "doubled space in the translation: “…importance.  Currently…”"
    ]
    assert typo("bir kelime", "a\u200bword", "whitespace") == [
        "the translation contains U+200B ZERO WIDTH SPACE"
    ]
    assert typo("Dosya: ", "File:", "whitespace") == [
        "the translation lacks the trailing whitespace the original has"
    ]
    assert typo("Dosya:", " File:", "whitespace") == [
        "the translation has the leading whitespace the original lacks"
    ]
