"""Nothing in a source may act, fetch or embed: URLs, raw markup, attributes, images."""

from __future__ import annotations

import pytest

from pipeline.render.ast import attr, link, para, raw_block, raw_inline, span, text
from pipeline.render.sanitize import clean_attr, safe_url, sanitize


@pytest.mark.parametrize("url", [
    "https://example.org/a?b=c", "http://x", "mailto:a@example.org", "tel:+90", "ftp://x/y",
    "#fn-1", "other.html", "../x/y.html", "", "HTTPS://EXAMPLE.ORG",
])
def test_safe_urls(url: str) -> None:
    assert safe_url(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "java\nscript:x", "java%09script:x", "jav%61script:x", "vbscript:x",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "\x01javascript:x",
])
def test_unsafe_urls(url: str) -> None:
    assert not safe_url(url)


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


@pytest.mark.parametrize("ident", ["bitext-1", "fn-tr-1", "fnref-tr-1-1", "row-3"])
def test_identifiers_bitext_uses_are_renamed(ident: str) -> None:
    assert clean_attr([ident, [], []])[0] == "x-" + ident


def test_marker_identifiers_can_be_exempted() -> None:
    assert clean_attr(["bitext-abc-1", [], []], keep_id=lambda i: i == "bitext-abc-1")[0] \
        == "bitext-abc-1"
