"""Nothing in a source may act, fetch or embed: URLs, raw markup, attributes, images."""

from __future__ import annotations

import pytest

from pipeline.render.ast import attr, link, para, raw_block, raw_inline, span, text
from pipeline.render.sanitize import clean_attr, clean_url, safe_url, sanitize, sanitize_meta


@pytest.mark.parametrize("url", [
    "https://example.org/a?b=c", "http://x", "mailto:a@example.org", "#fn-1", "#giriş",
    "https://tr.wikipedia.org/wiki/Türkiye", "http://[::1]:8080/a", "https://x:80/p?q#f",
])
def test_valid_urls_are_kept_as_written(url: str) -> None:
    assert clean_url(url) == url
    assert safe_url(url)


@pytest.mark.parametrize(("url", "kept"), [
    ("HTTPS://EXAMPLE.ORG", "https://example.org"), (" https://x\n/a\tb", "https://x/ab"),
    ("https://x/\"<>^`{|}", "https://x/%22%3C%3E%5E%60%7B%7C%7D"),
    ("https://x/a%zz%", "https://x/a%25zz%25"), ("https://x/a#b#c", "https://x/a#b%23c"),
    ("https://x/\u202eevil\u200b", "https://x/%E2%80%AEevil%E2%80%8B"),
    ("MailTo:a%20b@c", "mailto:a%20b@c"), ("#a b", "#ab"),
])
def test_almost_valid_urls_are_normalised(url: str, kept: str) -> None:
    assert clean_url(url) == kept


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "java\nscript:x", "java%09script:x", "jav%61script:x", "vbscript:x",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "\x01javascript:x",
    "java\\%20script:alert(1)", "\u200bjavascript:x", "tel:+90", "ftp://x/y", "other.html",
    "../x/y.html", "", "//evil.example/x", "https://exa%20mple.org", "http://%5B::1",
    "http://[zz]/", "https://a\\b.org", "https://good@evil.example", "https://x:99999",
    "https://x:8a", "https:x.org", "https:///x", "http://-x-.org", "mailto:",
])
def test_unsafe_or_broken_urls_lose_their_target(url: str) -> None:
    assert clean_url(url) is None
    assert not safe_url(url)


def test_the_front_matter_is_sanitised_however_deep() -> None:
    bad = [link(attr("x"), [text("a")], "javascript:alert(1)"),
           span(["bitext-1", ["c"], [["onclick", "x"]]], [text("b")]),
           {"t": "Image", "c": [attr(), [text("c")], ["https://evil.example/p.png", ""]]},
           raw_inline("html", "<script>"), link(attr(), [text("d")], "https://example.org")]
    good = [span(attr(), [text("a")]), span(["", ["c"], []], [text("b")]),
            span(attr(), [text("["), text("c"), text("]")]),
            link(attr(), [text("d")], "https://example.org")]
    meta = {"title": {"t": "MetaInlines", "c": bad},
            "abstract": {"t": "MetaBlocks", "c": [para(bad)]},
            "author": {"t": "MetaList", "c": [{"t": "MetaInlines", "c": bad}]},
            "extra": {"t": "MetaMap", "c": {"k": {"t": "MetaInlines", "c": bad}}},
            "lang": {"t": "MetaString", "c": "tr"}, "draft": {"t": "MetaBool", "c": True}}
    assert sanitize_meta(meta) == {
        "title": {"t": "MetaInlines", "c": good},
        "abstract": {"t": "MetaBlocks", "c": [para(good)]},
        "author": {"t": "MetaList", "c": [{"t": "MetaInlines", "c": good}]},
        "extra": {"t": "MetaMap", "c": {"k": {"t": "MetaInlines", "c": good}}},
        "lang": {"t": "MetaString", "c": "tr"}, "draft": {"t": "MetaBool", "c": True}}


def test_a_javascript_link_keeps_its_text_and_loses_its_target() -> None:
    out = sanitize([para([link(attr(), [text("tıkla")], "javascript:alert(1)")])])
    assert out == [para([span(attr(), [text("tıkla")])])]


def test_raw_markup_is_dropped() -> None:
    out = sanitize([raw_block("html", "<script>x</script>"),
                    para([text("a"), raw_inline("typst", '#read("/etc/hostname")')])])
    assert out == [para([text("a")])]


def test_an_image_becomes_its_description() -> None:
    image = {"t": "Image", "c": [attr(), [text("gizli")], ["../../../../etc/passwd", ""]]}
    assert sanitize([para([image])]) == [para([span(attr(), [text("["), text("gizli"),
                                                              text("]")])])]


def test_attributes_keep_only_identifier_classes_lang_and_dir() -> None:
    a = ["x", ["c", "bitext-seg"], [["onclick", "alert(1)"], ["style", "x"], ["lang", "ar"],
                                    ["dir", "rtl"], ["dir", "sideways"], ["lang", "<b>"]]]
    assert clean_attr(a) == ["x", ["c"], [["lang", "ar"], ["dir", "rtl"]]]


@pytest.mark.parametrize("ident", ["bitext-1", "fn-tr-1", "fnref-tr-1-1", "row-3", "title-tr"])
def test_identifiers_bitext_uses_are_renamed(ident: str) -> None:
    assert clean_attr([ident, [], []])[0] == "x-" + ident


def test_marker_identifiers_can_be_exempted() -> None:
    assert clean_attr(["bitext-abc-1", [], []], keep_id=lambda i: i == "bitext-abc-1")[0] \
        == "bitext-abc-1"
