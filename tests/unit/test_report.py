"""Report formats: text for people, the DESIGN JSON, GitHub annotations, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from pipeline.catalog import Entry
from pipeline.checks.model import CheckResult, Finding
from pipeline.checks.runner import check_texts
from pipeline.checks.suppress import msgid_hash
from pipeline.report import fatal, github, json_report, junit, text


def finding(**kw: object) -> Finding:
    base: dict[str, object] = dict(
        check="footnote-refs", severity="error", document="article", lang="en",
        file="locale/en/LC_MESSAGES/article.po", line=120, source_file="source/tr/article.md",
        source_line=14, message="footnote [^v] is in the original but not in the translation")
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def result_of(*findings: Finding, suppressed: int = 0) -> CheckResult:
    run = check_texts([])
    run.findings = list(findings)
    run.suppressed = [finding(reason="why")] * suppressed
    return CheckResult([run])


def test_json_is_the_design_shape() -> None:
    data = json.loads(json_report(result_of(finding(), suppressed=2)))
    assert data == {
        "summary": {"errors": 1, "warnings": 0, "suppressed": 2},
        "findings": [{
            "check": "footnote-refs", "severity": "error", "document": "article", "lang": "en",
            "file": "locale/en/LC_MESSAGES/article.po", "line": 120,
            "source_file": "source/tr/article.md", "source_line": 14,
            "message": "footnote [^v] is in the original but not in the translation",
        }],
    }
    assert list(data) == ["summary", "findings"]
    assert list(data["findings"][0]) == ["check", "severity", "document", "lang", "file", "line",
                                         "source_file", "source_line", "message"]


def test_text_groups_by_file_and_sorts_by_line() -> None:
    out = text(result_of(
        finding(line=300, check="numbers", message="numbers differ"),
        finding(file="source/en/article.md", line=5, check="out-of-sync", source_file=None,
                source_line=None, message="differs"),
        finding(severity="warning", check="length", message="long"),
    ))
    assert out == (
        "locale/en/LC_MESSAGES/article.po\n"
        "locale/en/LC_MESSAGES/article.po:120: warning length: long "
        "(original: source/tr/article.md:14)\n"
        "locale/en/LC_MESSAGES/article.po:300: error numbers: numbers differ "
        "(original: source/tr/article.md:14)\n"
        "\n"
        "source/en/article.md\n"
        "source/en/article.md:5: error out-of-sync: differs\n"
        "\n"
        "bitext check: 2 errors, 1 warning, 0 suppressed in 1 catalog\n"
    )
    assert "\x1b[" not in out
    assert "\x1b[31merror\x1b[0m" in text(result_of(finding()), colour=True)


def test_text_without_findings() -> None:
    assert text(result_of(suppressed=1)) == \
        "bitext check: no findings; 0 errors, 0 warnings, 1 suppressed in 1 catalog\n"


def test_github_annotations_escape_their_fields() -> None:
    out = github(result_of(
        finding(message="50% off,\nnext line"),
        finding(severity="warning", line=None, file="a:b,c.po", source_file=None),
    ))
    assert out.splitlines() == [
        "::warning file=a%3Ab%2Cc.po,title=bitext footnote-refs::footnote [^v] is in the "
        "original but not in the translation",
        "::error file=locale/en/LC_MESSAGES/article.po,line=120,title=bitext footnote-refs::"
        "50%25 off,%0Anext line (original: source/tr/article.md:14)",
        "bitext check: 1 error, 1 warning, 0 suppressed in 1 catalog",
    ]


def _junit_sample() -> tuple[list[Entry], ET.Element]:
    keep = f"bitext-ignore: dates -- known [{msgid_hash('29.09.2021 tarihinde')}]"
    entries = [
        Entry("3 milyon kişi", "30 million people", line=1),  # numbers error
        Entry("29.09.2021 tarihinde", "on 28.09.2021", line=3, translator_comments=[keep]),
        Entry("Yeni", "", line=5),  # untranslated warning
    ]
    run = check_texts(entries, names=["numbers", "dates", "untranslated", "length"])
    return entries, ET.fromstring(junit(CheckResult([run])))


def test_junit_has_a_case_per_segment_and_check() -> None:
    entries, root = _junit_sample()
    cases = root.findall("./testsuite/testcase")
    # numbers and dates: 2 translated segments each; untranslated: 3 segments; length: 1 catalog.
    assert len(cases) == 2 + 2 + 3 + 1
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "1", "0")
    [suite] = root.findall("testsuite")
    assert suite.get("skipped") == "1" and suite.get("file") == "<text>"
    by_name = {c.get("name"): c for c in cases}
    first, second, third = (e.key for e in entries)
    assert set(by_name) == {f"numbers {first}", f"numbers {second}", f"dates {first}",
                            f"dates {second}", f"untranslated {first}",
                            f"untranslated {second}", f"untranslated {third}", "length"}
    assert {c.get("classname") for c in cases} == {"bitext.text.en"}
    failure = by_name[f"numbers {first}"].find("failure")
    assert failure is not None and failure.get("message", "").startswith("numbers differ")
    assert failure.text is not None and failure.text.startswith("<text>:1: numbers differ")
    skipped = by_name[f"dates {second}"].find("skipped")
    assert skipped is not None and skipped.get("message") == "suppressed: known"
    out = by_name[f"untranslated {third}"].find("system-out")
    assert out is not None and out.text == "warning: <text>:5: not translated yet"
    assert by_name[f"numbers {second}"].find("failure") is None


# What Jenkins xunit's junit-10.xsd (jenkinsci/xunit-plugin) requires and allows, per element.
JUNIT_REQUIRED = {"testsuites": set(), "testsuite": {"name", "tests", "failures", "errors"},
                  "testcase": {"name"}, "failure": set(), "error": set(), "skipped": set(),
                  "system-out": set()}
JUNIT_ALLOWED = {
    "testsuites": {"name", "time", "tests", "failures", "errors"},
    "testsuite": {"name", "tests", "failures", "errors", "group", "time", "skipped",
                  "timestamp", "hostname", "id", "package", "file", "log", "url"},
    "testcase": {"name", "time", "classname", "group"},
    "failure": {"type", "message"}, "error": {"type", "message"},
    "skipped": {"type", "message"}, "system-out": set(),
}
JUNIT_CHILDREN = {"testsuites": {"testsuite"}, "testsuite": {"testcase", "testsuite"},
                  "testcase": {"failure", "error", "skipped", "system-out"},
                  "failure": set(), "error": set(), "skipped": set(), "system-out": set()}


def assert_junit_schema(root: ET.Element) -> None:
    """Every element one the schema knows, its required attributes there, no other attribute."""
    assert root.tag == "testsuites"
    for element in root.iter():
        assert element.tag in JUNIT_ALLOWED, element.tag
        attributes = set(element.attrib)
        assert JUNIT_REQUIRED[element.tag] <= attributes, (element.tag, attributes)
        assert attributes <= JUNIT_ALLOWED[element.tag], (element.tag, attributes)
        assert {child.tag for child in element} <= JUNIT_CHILDREN[element.tag]


def test_junit_keeps_to_the_jenkins_schema() -> None:
    _, root = _junit_sample()
    assert_junit_schema(root)
    warned = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert warned and all(c.get("file") is None and c.get("line") is None for c in warned)
    assert_junit_schema(ET.fromstring(fatal("junit", "bad", "a.po", 3)))


# A minimal XSD written from junit-10.xsd's rules (not a copy): the elements bitext writes.
MINIMAL_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="problem" mixed="true">
    <xs:attribute name="type" type="xs:string"/>
    <xs:attribute name="message" type="xs:string"/>
  </xs:complexType>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="time" type="xs:string"/>
      <xs:attribute name="tests" type="xs:string"/>
      <xs:attribute name="failures" type="xs:string"/>
      <xs:attribute name="errors" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element ref="testcase"/>
      </xs:choice>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:string" use="required"/>
      <xs:attribute name="failures" type="xs:string" use="required"/>
      <xs:attribute name="errors" type="xs:string" use="required"/>
      <xs:attribute name="skipped" type="xs:string"/>
      <xs:attribute name="file" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element name="skipped" type="problem"/>
        <xs:element name="error" type="problem"/>
        <xs:element name="failure" type="problem"/>
        <xs:element name="system-out" type="xs:string"/>
      </xs:choice>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="classname" type="xs:string"/>
      <xs:attribute name="time" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def test_junit_validates_against_the_schema_rules() -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.fromstring(MINIMAL_XSD.encode()))
    _, root = _junit_sample()
    for xml in (ET.tostring(root), fatal("junit", "bad", "a.po", 3).encode()):
        document = etree.fromstring(xml)
        assert schema.validate(document), schema.error_log
    bad = etree.fromstring(b'<testsuites skipped="1"><testsuite name="a" tests="0" '
                           b'failures="0"/></testsuites>')
    assert not schema.validate(bad)  # the schema itself is strict enough to catch both


def test_github_gives_a_column_where_a_finding_has_one() -> None:
    out = github(result_of(finding(column=17), finding(line=None, column=3)))
    assert out.splitlines()[0].startswith("::error file=locale/en/LC_MESSAGES/article.po,"
                                          "title=bitext footnote-refs::")  # no line: no col
    assert out.splitlines()[1].startswith(
        "::error file=locale/en/LC_MESSAGES/article.po,line=120,col=17,title=bitext ")


def test_text_keeps_a_finding_on_one_line() -> None:
    out = text(result_of(finding(message="doubled space: “two\nlines\r\nhere”")))
    assert "error footnote-refs: doubled space: “two\\nlines\\r\\nhere” (original:" in out
    assert len(out.splitlines()) == 4  # file, the finding, blank, summary


def test_fatal_errors_in_each_format() -> None:
    assert json.loads(fatal("json", "bad header", "a.po", 3)) == {
        "fatal": {"message": "bad header", "file": "a.po", "line": 3}, "findings": []}
    assert fatal("github", "bad\nheader", "a,b.po", 3) == \
        "::error file=a%2Cb.po,line=3,title=bitext check::bad%0Aheader\n"
    assert fatal("github", "no config") == "::error title=bitext check::no config\n"
    root = ET.fromstring(fatal("junit", "bad header", "a.po", 3))
    [error] = root.iter("error")
    assert (error.get("message"), error.text) == ("bad header", "a.po:3: bad header")
    assert root.get("errors") == "1"
    assert fatal("text", "bad header") == ""  # stderr has it, as for every command
