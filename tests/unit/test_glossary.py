"""One glossary reader for check and align: CSV, TSV (delimiter from the header), TBX."""

from __future__ import annotations

import pytest

from pipeline.checks.model import CheckOptions, Term
from pipeline.checks.runner import check_texts
from pipeline.errors import BitextError
from pipeline.glossary import parse_glossary

CSV = "# terms\nsource,target,forbidden,note\nEsad,Assad|Al-Assad,Esed,press usage\n,,Daesh,\n"
TSV = "# terms\nsource\ttarget\tforbidden\tnote\nEsad\tAssad|Al-Assad\tEsed\tpress usage\n" \
      "\t\tDaesh\t\n"
SEMI = "source;target;forbidden;note\nEsad;Assad|Al-Assad;Esed;press usage\n;;Daesh;\n"

TBX = """\
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">press usage</descrip>
      <langSet xml:lang="tr"><tig><term>Esad</term></tig></langSet>
      <langSet xml:lang="en-GB">
        <tig><term>Assad</term>
             <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <ntig><termGrp><term>Al-Assad</term></termGrp></ntig>
        <tig><term>Esed</term>
             <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de"><tig><term>Assad</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>Daesh</term>
        <termNote type="normativeAuthorization">deprecatedTerm</termNote></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX3 = """\
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="tr"><termSec><term>Esad</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Assad</term></termSec>
        <termSec><term>Esed</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


@pytest.mark.parametrize("text", [CSV, TSV, SEMI, "\ufeff" + CSV])
def test_csv_and_tsv_read_the_same(text: str) -> None:
    terms = parse_glossary(text, shown="g").terms("tr", "en")
    assert [(t.source, t.targets, t.forbidden) for t in terms] == [
        ("Esad", ("Assad", "Al-Assad"), ("Esed",)), ("", (), ("Daesh",))]


def test_tbx_terms_by_language_with_forbidden_statuses() -> None:
    glossary = parse_glossary(TBX, shown="g.tbx")
    assert glossary.terms("tr", "en") == (
        Term("Esad", ("Assad", "Al-Assad"), ("Esed",), "press usage"),
        Term("", (), ("Daesh",), ""))
    assert [(t.source, t.targets) for t in glossary.terms("tr", "de")] == [("Esad", ("Assad",))]
    assert glossary.terms("tr", "fr") == ()
    assert glossary.pairs("tr", "en") == {"Esad": "Assad"}
    v3 = parse_glossary(TBX3, shown="g.tbx").terms("tr", "en")
    assert [(t.source, t.targets, t.forbidden) for t in v3] == [("Esad", ("Assad",), ("Esed",))]


def test_the_check_reads_tbx_like_csv() -> None:
    for text in (CSV, TBX):
        options = CheckOptions(glossary=parse_glossary(text, shown="g").terms("tr", "en"))
        run = check_texts([("Esad rejimi", "the Esed regime")], source_lang="tr",
                          target_lang="en", names=["glossary"], options=options)
        assert [f.severity for f in run.findings] == ["warning", "error"], text


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY x "boom">\n]>\n'
     "<martif><text><body/></text></martif>", "a TBX glossary must not declare entities"),
    ('<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
     "a TBX glossary must not declare entities"),
    ("<martif><text>", "not a well-formed TBX file"),
    ("<html/>", "a TBX glossary's root is <martif> or <tbx>"),
    ("<martif>&x;</martif>", "not a well-formed TBX file"),
])
def test_unsafe_or_broken_tbx_is_refused(text: str, message: str) -> None:
    with pytest.raises(BitextError) as caught:
        parse_glossary(text, shown="g.tbx")
    assert caught.value.message.startswith(message)
