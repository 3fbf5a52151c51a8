"""The urls check: the same URLs and addresses, localised ones per the config's map."""

from __future__ import annotations

from pipeline.checks.model import CheckOptions
from pipeline.checks.runner import check_texts
from pipeline.checks.urls import localise


def urls(source: str, target: str, url_map: dict[str, str] | None = None) -> list[str]:
    options = CheckOptions(url_map=tuple((url_map or {}).items()))
    run = check_texts([(source, target)], names=["urls"], options=options)
    return [f.message for f in run.findings]


def test_same_urls_in_other_places_are_quiet() -> None:
    assert urls("Bkz. https://www.reuters.com/world/ (erişim).",
                "See https://www.reuters.com/world/.") == []
    assert urls("[rapor](https://example.org/r) yazıldı",
                "the [report](https://example.org/r)") == []
    assert urls("http://example.org/a", "https://example.org/a") == []  # scheme upgrades are fine


def test_a_changed_url_fires() -> None:
    assert urls("https://example.org/2021/rapor", "https://example.org/2012/rapor") == [
        "URL differs: the original has example.org/2021/rapor, "
        "the translation example.org/2012/rapor"
    ]


def test_missing_and_extra_addresses() -> None:
    assert urls("Yaz: info@example.org ve https://a.example/", "Write to us.") == [
        "info@example.org is in the original but not in the translation",
        "a.example/ is in the original but not in the translation",
    ]
    assert urls("Bize yazın.", "Write to press@example.org.") == [
        "press@example.org is in the translation but not in the original"
    ]


def test_localised_urls_from_the_map() -> None:
    url_map = {"tr.wikipedia.org/wiki/": "en.wikipedia.org/wiki/"}
    assert urls("https://tr.wikipedia.org/wiki/Suriye", "https://en.wikipedia.org/wiki/Suriye",
                url_map) == []
    assert localise("https://tr.wikipedia.org/wiki/X", tuple(url_map.items())) == \
        "en.wikipedia.org/wiki/X"
    assert urls("https://tr.wikipedia.org/wiki/Suriye", "https://en.wikipedia.org/wiki/Suriye") \
        != []


def test_a_finding_has_the_column_of_the_original_url_in_the_msgid_line() -> None:
    source = 'Bkz. "rapor" https://a.example/x ve 3 milyon'
    run = check_texts([(source, "See “report” https://a.example/y and 30 million")],
                      names=["urls", "numbers"])
    columns = {f.check: f.column for f in run.findings}
    po_line = 'msgid "Bkz. \\"rapor\\" https://a.example/x ve 3 milyon"'  # as bitext writes it
    assert columns == {"urls": po_line.index("https") + 1, "numbers": po_line.index("3 ") + 1}
    # A translation with a URL the original lacks: nothing in the msgid line to point at.
    [extra] = check_texts([("Bkz.", "See https://b.example/")], names=["urls"]).findings
    assert extra.column is None
