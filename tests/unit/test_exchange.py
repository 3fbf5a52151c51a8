"""XLIFF 1.2/2.0 and TMX built by hand: states, notes, inline codes, what a CAT tool may break."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.errors import BitextError
from pipeline.exchange.inline import Code, check_codes, join, source_parts, target_parts
from pipeline.exchange.tmx import Pair, tmx_date, write_tmx
from pipeline.exchange.xliff import NS12, NS20, File, Unit, read_xliff, write_xliff12, write_xliff20

X = {"x": NS12}
X2 = {"x": NS20}
SRC = "Bir **kalın** [bağ *x*](http://e.com) metin[^i] `kod` ve[^ii] https://a.org/b."
TGT = "A **bold** [link *x*](http://e.com) text[^i] `kod` and[^ii] https://a.org/b."

UNITS = (
    Unit("k1", SRC, TGT, "translated", kind="paragraph", locations=(("source/tr/a.md", 3),),
         comments=("bitext-ignore: numbers -- kept [12345678]",)),
    Unit("k2", "Yeni[^iii] metin", "Old[^iii] text", "fuzzy", previous="Eski[^iii] metin",
         kind="footnote", label="iii", context="duplicate 2"),
    Unit("k3", "Boş", "", "new", kind="heading", label="2"),
)
FILE = File("source/tr/a.md", "tr", "en", UNITS)


def test_parts_join_back_exactly() -> None:
    for text in (SRC, TGT, "a\nb *c*\n\nd", "", "no codes", "x `a*b` *", "\\* [^1]"):
        assert join(source_parts(text)) == text


def test_codes_are_what_protect_hides() -> None:
    codes = [p for p in source_parts(SRC) if isinstance(p, Code)]
    assert [c.text for c in codes] == ["**", "**", "[", "*", "*", "](http://e.com)", "[^i]",
                                       "`kod`", "[^ii]", "https://a.org/b"]
    assert [(c.role, c.pair) for c in codes[:6]] == [
        ("open", "1"), ("close", "1"), ("open", "3"), ("open", "4"), ("close", "4"),
        ("close", "3")]


def test_target_codes_take_the_source_ids() -> None:
    source = source_parts(SRC)
    target = target_parts(TGT, source)
    assert [c.id for c in target if isinstance(c, Code)] == [str(n) for n in range(1, 11)]
    assert check_codes(source, target) == ""
    # half a pair in the translation stays text
    half = target_parts("only **half", source)
    assert [p for p in half if isinstance(p, Code)] == []


@pytest.mark.parametrize(("target", "problem"), [
    ("A **bold** [link *x*](http://e.com) text `kod` and[^ii] https://a.org/b.",
     "lost the inline code 7 ('[^i]')"),
    ("A[^ii] **bold** [link *x*](http://e.com) text[^i] `kod` https://a.org/b.",
     "the footnote references are reordered: [^ii] [^i]"),
])
def test_check_codes_names_what_broke(target: str, problem: str) -> None:
    source = source_parts(SRC)
    assert check_codes(source, target_parts(target, source)) == problem


def _edit12(xml: bytes, change: str) -> bytes:
    root = etree.fromstring(xml)
    target = root.find(".//x:trans-unit[@id='k1']/x:target", X)
    if change == "drop":
        ph = target.find("x:ph", X)
        ph.getparent().remove(ph)
    elif change == "double":
        target.append(etree.fromstring(f'<ph xmlns="{NS12}" id="7">[^i]</ph>'))
    elif change == "swap":  # the ept of the bold pair before its bpt
        bpt, ept = target.findall("x:bpt", X)[0], target.findall("x:ept", X)[0]
        bpt.addprevious(etree.fromstring(f'<ept xmlns="{NS12}" id="1">**</ept>'))
        ept.getparent().remove(ept)
    elif change == "unknown":
        target.append(etree.fromstring(f'<ph xmlns="{NS12}" id="99">x</ph>'))
    return bytes(etree.tostring(root))


@pytest.mark.parametrize(("change", "problem"), [
    ("drop", "lost the inline code 7 ('[^i]')"),
    ("double", "the inline code 7 ('[^i]') appears twice"),
    ("swap", "the inline codes 1 (opening) and 1 (closing) ('**') are reordered"),
    ("unknown", "the target has an inline code <ph id='99'> the source does not have"),
])
def test_a_broken_target_is_reported(change: str, problem: str) -> None:
    xml = _edit12(write_xliff12([FILE], tool_version="t"), change)
    unit = read_xliff(xml, shown="f")[1][0].units[0]
    assert unit.problem.startswith(problem)


def test_xliff12_states_notes_and_contexts() -> None:
    root = etree.fromstring(write_xliff12([FILE], tool_version="t"))
    assert root.get("version") == "1.2"
    file = root.find("x:file", X)
    for name in ("original", "source-language", "target-language", "datatype"):
        assert file.get(name), name
    k1, k2, k3 = root.iterfind(".//x:trans-unit", X)
    assert (k1.get("approved"), k1.find("x:target", X).get("state")) == ("yes", "translated")
    assert (k2.get("approved"), k2.find("x:target", X).get("state")) == (
        "no", "needs-review-translation")
    assert k3.find("x:target", X).get("state") == "new"
    alt = k2.find("x:alt-trans", X)
    assert alt.get("origin") == "previous"
    assert "".join(alt.find("x:source", X).itertext()) == "Eski[^iii] metin"
    assert alt.find("x:target", X) is not None  # required by the 1.2 schema
    assert [n.text for n in k1.iterfind("x:note", X)] == [
        "paragraph", "bitext-ignore: numbers -- kept [12345678]"]
    assert [n.get("from") for n in k1.iterfind("x:note", X)] == ["developer", "po-translator"]
    location = {c.get("context-type"): c.text for c in k1.iterfind(
        "x:context-group[@purpose='location']/x:context", X)}
    assert location == {"sourcefile": "source/tr/a.md", "linenumber": "3"}
    assert k2.findtext("x:context-group/x:context[@context-type='x-po-msgctxt']",
                       namespaces=X) == "duplicate 2"
    # the allowed values of the 1.2 schema
    for target in root.iterfind(".//x:target[@state]", X):
        assert target.get("state") in {"new", "needs-translation", "needs-review-translation",
                                       "translated", "signed-off", "final"}


def test_xliff20_states_codes_and_notes() -> None:
    root = etree.fromstring(write_xliff20([FILE], tool_version="t"))
    assert (root.get("srcLang"), root.get("trgLang")) == ("tr", "en")
    states = [s.get("state") for s in root.iterfind(".//x:segment", X2)]
    assert states == ["reviewed", "translated", "initial"]
    k1 = root.find(".//x:unit[@id='k1']", X2)
    data = {d.get("id") for d in k1.iterfind("x:originalData/x:data", X2)}
    refs = {v for el in k1.iter() for k, v in el.attrib.items()
            if k in ("dataRef", "dataRefStart", "dataRefEnd")}
    assert refs == data  # every code's Markdown is in originalData
    assert len(k1.findall(".//x:source//x:pc", X2)) == 3  # bold, link, italic inside the link
    notes = {n.get("category"): n.text for n in root.iterfind(".//x:unit[@id='k2']//x:note", X2)}
    assert notes["previous-source"] == "Eski[^iii] metin"
    assert notes["segment"] == "footnote iii"
    units = read_xliff(etree.tostring(root), shown="f")[1][0].units
    assert [(u.source, u.target, u.state, u.problem) for u in units] == [
        (SRC, TGT, "translated", ""), ("Yeni[^iii] metin", "Old[^iii] text", "fuzzy", ""),
        ("Boş", None, "new", "")]


def test_crossing_pairs_become_sc_ec_in_xliff20() -> None:
    crossing = Unit("k", "*a [b* c](u)", "*a [b* c](u)", "translated")
    root = etree.fromstring(write_xliff20([File("s", "tr", "en", (crossing,))],
                                          tool_version="t"))
    source = root.find(".//x:source", X2)
    assert source.find("x:sc", X2) is not None and source.find(".//x:ec", X2) is not None
    unit = read_xliff(etree.tostring(root), shown="f")[1][0].units[0]
    assert (unit.source, unit.target, unit.problem) == (crossing.source, crossing.target, "")


def test_xliff20_wants_one_language() -> None:
    other = File("source/tr/a.md", "tr", "de", UNITS)
    with pytest.raises(BitextError, match="one source and one target language"):
        write_xliff20([FILE, other], tool_version="t")


def test_not_xliff_is_refused() -> None:
    with pytest.raises(BitextError, match="not an XLIFF"):
        read_xliff(b"<html/>", shown="f")
    with pytest.raises(BitextError, match="not well-formed"):
        read_xliff(b"<xliff", shown="f")


def test_tmx_inline_codes_follow_the_tmx_rules() -> None:
    """TMX 1.4b's rules for inline elements, as CAT tools rely on them (no registry package
    ships the TMX DTD, so they are written out here): ``<bpt>`` has an ``i`` and an ``<ept>``
    with the same ``i`` follows it in the same ``<seg>``; ``<ph>`` and ``<bpt>`` have an
    ``x`` unique in their ``<seg>`` and the same in both languages for the same code; each
    element holds the native code; the ``<seg>``'s text with its elements' is the Markdown."""
    source = "Bu **önemli** bir [bağlantı](http://a.b \"t\")[^iv] ve `kod` <br>."
    target = "This [link](http://a.b \"t\") is **important**[^iv] <br>, `kod`."
    root = etree.fromstring(write_tmx([Pair("k", "d", source, target, "en", "")],
                                      source_lang="tr", tool_version="t"))
    segs = root.findall("body/tu/tuv/seg")
    assert ["".join(seg.itertext()) for seg in segs] == [source, target]
    numbers = []
    for seg in segs:
        children = list(seg)
        assert {c.tag for c in children} <= {"bpt", "ept", "ph"}
        opened = []
        for child in children:
            if child.tag == "bpt":
                assert child.get("i") and child.get("x") == child.get("i")
                opened.append(child.get("i"))
            elif child.tag == "ept":
                assert child.get("i") in opened and child.get("x") is None  # no x on ept
            else:
                assert child.get("x") and child.get("i") is None
            assert child.text and child.get("type", "x").split("-")[0] in (
                "x", "bold", "italic", "link", "lb")
        closed = [c.get("i") for c in children if c.tag == "ept"]
        assert sorted(opened) == sorted(closed)
        xs = [c.get("x") for c in children if c.get("x")]
        assert len(xs) == len(set(xs))
        numbers.append({c.get("x"): c.text for c in children if c.get("x")})
    assert numbers[0] == numbers[1]  # the same codes, the same numbers, in another order
    assert [c.get("type") for c in segs[0]] == [
        "bold", None, "link", None, "x-footnote-ref", "x-code", "x-html"]


def test_tmx_dates_and_pairs() -> None:
    assert tmx_date("2026-11-26 18:00+0200") == "20261126T160000Z"
    root = etree.fromstring(write_tmx([Pair("k1", "a", "Bir", "One", "en",
                                            "2026-11-26 16:00+0000")],
                                      source_lang="tr", tool_version="t"))
    assert root.get("version") == "1.4"
    tu = root.find("body/tu")
    assert (tu.get("tuid"), tu.get("creationdate")) == ("k1", "20261126T160000Z")
