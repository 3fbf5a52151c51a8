"""Report formats: text for people, the DESIGN JSON, GitHub annotations, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from pipeline.catalog import Entry
from pipeline.checks.model import CheckResult, Finding
from pipeline.checks.runner import check_texts
from pipeline.checks.suppress import msgid_hash
from pipeline.report import github, json_report, junit, text


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


def test_junit_has_a_case_per_segment_and_check() -> None:
    keep = f"bitext-ignore: dates -- known [{msgid_hash('29.09.2021 tarihinde')}]"
    entries = [
        Entry("3 milyon kişi", "30 million people", line=1),  # numbers error
        Entry("29.09.2021 tarihinde", "on 28.09.2021", line=3, translator_comments=[keep]),
        Entry("Yeni", "", line=5),  # untranslated warning
    ]
    run = check_texts(entries, names=["numbers", "dates", "untranslated", "length"])
    root = ET.fromstring(junit(CheckResult([run])))
    cases = root.findall("./testsuite/testcase")
    # numbers and dates: 2 translated segments each; untranslated: 3 segments; length: 1 catalog.
    assert len(cases) == 2 + 2 + 3 + 1
    assert root.get("tests") == "8" and root.get("failures") == "1" and root.get("skipped") == "1"
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["numbers <text>:1"].find("failure")
    assert failure is not None and failure.get("message", "").startswith("numbers differ")
    skipped = by_name["dates <text>:3"].find("skipped")
    assert skipped is not None and skipped.get("message") == "suppressed: known"
    out = by_name["untranslated <text>:5"].find("system-out")
    assert out is not None and out.text == "warning: <text>:5: not translated yet"
    assert by_name["numbers <text>:3"].find("failure") is None
