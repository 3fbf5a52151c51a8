"""Check results as text for people, JSON for programs, annotations for GitHub, JUnit for CI.

Each formatter takes a `CheckResult` and returns one string; the caller
prints it. No terminal handling here: ``colour`` only adds ANSI codes.

``text``    grouped by file: ``file:line: severity check: message``, then a summary
``json``    ``{"summary": {"errors", "warnings", "suppressed"}, "findings": [...]}``
``github``  workflow commands: ``::error file=…,line=…,col=…,title=check::message``
``junit``   one test case per checked segment and check (whole-catalog checks: one
            per catalog), named by check and segment key; errors are failures,
            warnings go to system-out, suppressed findings make the case skipped

`fatal` renders an error that stopped the run (exit 2) in the same formats.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from itertools import groupby

from pipeline.checks import REGISTRY
from pipeline.checks.model import CheckResult, Finding

FORMATS = ("text", "json", "github", "junit")
_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "file": "\x1b[1m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"


def render(result: CheckResult, fmt: str, *, colour: bool = False) -> str:
    """``result`` in format ``fmt`` (one of `FORMATS`)."""
    if fmt == "text":
        return text(result, colour=colour)
    if fmt == "json":
        return json_report(result)
    if fmt == "github":
        return github(result)
    if fmt == "junit":
        return junit(result)
    raise ValueError(f"unknown format {fmt!r}")


def sort_key(finding: Finding) -> tuple[str, int, int]:
    """File, line, then the registry order of the check."""
    order = list(REGISTRY).index(finding.check) if finding.check in REGISTRY else 99
    return finding.file, finding.line or 0, order


def location(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def _original(finding: Finding) -> str:
    if not finding.source_file:
        return ""
    line = f":{finding.source_line}" if finding.source_line else ""
    return f" (original: {finding.source_file}{line})"


def summary_line(result: CheckResult) -> str:
    """``2 errors, 1 warning, 3 suppressed`` (in N catalogs)."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    catalogs = len(result.runs)
    return (f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}, "
            f"{len(result.suppressed)} suppressed in {plural(catalogs, 'catalog')}")


def text(result: CheckResult, *, colour: bool = False) -> str:
    """Findings grouped by file, one ``file:line: severity check: message`` line each."""
    def paint(what: str, value: str) -> str:
        return f"{_COLOURS[what]}{value}{_RESET}" if colour else value

    lines: list[str] = []
    findings = sorted(result.findings, key=sort_key)
    for file, group in groupby(findings, key=lambda f: f.file):
        lines.append(paint("file", file))
        for f in group:
            original = paint("dim", _original(f)) if f.source_file else ""
            lines.append(f"{location(f)}: {paint(f.severity, f.severity)} {f.check}: "
                         f"{_one_line(f.message)}{original}")
        lines.append("")
    lines.append(("bitext check: " if findings else "bitext check: no findings; ")
                 + summary_line(result))
    return "\n".join(lines) + "\n"


def _one_line(message: str) -> str:
    """A message on one line: the newlines of a quoted excerpt written as ``\\n``."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def json_report(result: CheckResult) -> str:
    """The JSON report (`bitext check --format json`): summary counts and findings, sorted."""
    data = {
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "suppressed": len(result.suppressed),
        },
        "findings": [f.as_dict() for f in sorted(result.findings, key=sort_key)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then a summary."""
    lines = []
    for f in sorted(result.findings, key=sort_key):
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={_escape_property('bitext ' + f.check)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(f.message + _original(f))}")
    lines.append("bitext check: " + summary_line(result))
    return "\n".join(lines) + "\n"


def junit(result: CheckResult) -> str:
    """JUnit XML: a suite per catalog, a case per (segment, check) or (catalog, check).

    Valid under Jenkins xunit's ``junit-10.xsd``: ``testsuites`` carries name,
    tests, failures, errors; ``testsuite`` name, tests, failures, errors (all
    required), skipped and file; ``testcase`` name and classname only (the
    locations are in the failure text and ``system-out``). A case is named by
    check and segment key (`pipeline.keys.SegmentKey`), its class by document
    and language, so inserting a paragraph renames no other case.
    """
    suites = ET.Element("testsuites", name="bitext check")
    totals: defaultdict[str, int] = defaultdict(int)
    for run in result.runs:
        ctx = run.context
        suite = ET.SubElement(suites, "testsuite", name=f"{ctx.document} [{ctx.target_lang}]")
        by_case: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
        for f in [*run.findings, *run.suppressed]:
            scope = REGISTRY[f.check].scope if f.check in REGISTRY else "document"
            by_case[f.check, None if scope == "document" else f.key].append(f)
        counts: defaultdict[str, int] = defaultdict(int)
        for check in run.checks:
            scope = REGISTRY[check].scope
            if scope == "document":
                keys: list[str | None] = [None]
            else:
                keys = list(run.case_keys(scope))
            keys += [k for (c, k) in by_case if c == check and k not in keys]
            for key in keys:
                found = by_case.get((check, key), [])
                _case(suite, ctx.document, ctx.target_lang, check, key, found, counts)
        for name in ("tests", "failures", "errors", "skipped"):
            suite.set(name, str(counts[name]))
            totals[name] += counts[name]
        suite.set("file", ctx.file)
    for name in ("tests", "failures", "errors"):
        suites.set(name, str(totals[name]))
    return _xml(suites)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def case_name(check: str, key: str | None) -> str:
    """A JUnit case's name: the check, and the segment's key unless it is a catalog case."""
    return f"{check} {key}" if key else check


def _case(suite: ET.Element, document: str, lang: str, check: str,
          key: str | None, found: list[Finding], counts: dict[str, int]) -> None:
    case = ET.SubElement(suite, "testcase", name=case_name(check, key),
                         classname=f"bitext.{document}.{lang}")
    counts["tests"] += 1
    errors = [f for f in found if f.severity == "error" and not f.reason]
    warnings = [f for f in found if f.severity == "warning" and not f.reason]
    suppressed = [f for f in found if f.reason]
    if errors:
        failure = ET.SubElement(case, "failure", type=check, message=errors[0].message)
        failure.text = "\n".join(f"{location(f)}: {f.message}{_original(f)}" for f in errors)
        counts["failures"] += 1
    elif suppressed and not warnings:
        skipped = ET.SubElement(case, "skipped", message="suppressed: " + suppressed[0].reason)
        skipped.text = "\n".join(f"{location(f)}: {f.message}{_original(f)}" for f in suppressed)
        counts["skipped"] += 1
    if warnings:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"warning: {location(f)}: {f.message}{_original(f)}"
                             for f in warnings)


def fatal(fmt: str, message: str, file: str | None = None, line: int | None = None) -> str:
    """A run that could not go on (exit 2), in format ``fmt``; "" for ``text`` (stderr has it)."""
    where = (file or "") + (f":{line}" if file and line else "")
    if fmt == "json":
        data = {"fatal": {"message": message, "file": file, "line": line}, "findings": []}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        props = [f"file={_escape_property(file)}"] if file else []
        if file and line:
            props.append(f"line={line}")
        props.append(f"title={_escape_property('bitext check')}")
        return f"::error {','.join(props)}::{_escape_data(message)}\n"
    if fmt == "junit":
        suites = ET.Element("testsuites", name="bitext check", tests="1", failures="0",
                            errors="1")
        suite = ET.SubElement(suites, "testsuite", name="bitext check", tests="1",
                              failures="0", errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", name="bitext check", classname="bitext")
        error = ET.SubElement(case, "error", type="fatal", message=message)
        error.text = f"{where}: {message}" if where else message
        return _xml(suites)
    return ""
