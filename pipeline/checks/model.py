"""What the drift checks work on and what they produce. Pure data, no I/O.

A `Context` is one catalog to check: one document in one target language
(or one foreign PO file). Its `Unit`\\ s pair an original text with its
translation. A check function takes the context and yields `Problem`\\ s;
the runner (`pipeline.checks.runner`) turns each into a located `Finding`
with its severity, or counts it as suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

# The configuration's part (`[tool.bitext.check]`), in a module of its own: loading a
# configuration imports it, not the checks' data (issue 16: start-up of a no-op update).
from pipeline.checks.options import LEVELS, SEVERITIES, CheckOptions, Ignore, Term

if TYPE_CHECKING:  # the configuration imports this module: no catalog (rapidfuzz) at start-up
    from pipeline.catalog import Entry
    from pipeline.keys import SegmentKey

__all__ = ["LEVELS", "SEVERITIES", "CatalogRun", "CheckOptions", "CheckResult", "Context",
           "Finding", "Ignore", "Problem", "Term", "Unit", "units_of"]


class Unit:
    """One original text and its translation, from one PO entry.

    A plural entry gives two units: ``msgid`` with ``msgstr[0]``, and
    ``msgid_plural`` with each further form. ``kind`` and ``label`` are the
    segment's (`Entry.kind`, `Entry.label`: "footnote", "xiv"), empty for
    foreign PO files.
    """

    def __init__(self, entry: Entry, source: str, target: str) -> None:
        self.entry = entry
        self.source = source
        self.target = target
        self.kind, self.label = entry.kind, entry.label
        # What several checks derive from the same text (numbers and dates share a scan).
        self.memo: dict[Any, Any] = {}

    @property
    def translated(self) -> bool:
        return self.entry.translated and bool(self.target)

    @cached_property
    def where(self) -> str:
        """How messages name this unit's segment: "footnote [^xiv]: " for a definition."""
        return f"footnote [^{self.label}]: " if self.kind == "footnote" and self.label else ""

    def __repr__(self) -> str:
        return f"Unit({self.source[:30]!r} -> {self.target[:30]!r})"


def units_of(entry: Entry) -> list[Unit]:
    """The units of one entry (two or more for a plural entry)."""
    if not entry.msgid_plural:
        return [Unit(entry, entry.msgid, entry.msgstr)]
    forms = entry.msgstr_plural
    units = [Unit(entry, entry.msgid, forms.get(0, ""))]
    units += [Unit(entry, entry.msgid_plural, forms[k]) for k in sorted(forms) if k > 0]
    return units


@dataclass
class Context:
    """One catalog to check, with what the document-level checks need besides it.

    ``translation_file``/``translation_text``: the translated Markdown as
    found; ``expected_text``: what ``bitext update`` would write there.
    ``sync_problem``: why the catalog cannot be paired with its original
    (then ``expected_text`` is None), with the PO line to show. Both texts are
    None without a sync problem when the Markdown is known to be what ``bitext
    update`` wrote (its record of the files' digests holds), and is not read.
    ``from_markdown``: the entries whose translation the checks read from the
    translated Markdown (it was edited since ``bitext update``; see
    `pipeline.sync.markdown_view`), with the segment's line there: their
    findings point at that line of ``translation_file``.
    """

    document: str
    source_lang: str
    target_lang: str
    file: str
    entries: list[Entry]
    options: CheckOptions = field(default_factory=CheckOptions)
    translation_file: str | None = None
    translation_text: str | None = None
    expected_text: str | None = None
    sync_problem: tuple[str, int | None] | None = None
    from_markdown: dict[SegmentKey, int] = field(default_factory=dict)

    @cached_property
    def units(self) -> list[Unit]:
        """Every active entry's units (translated or not), in catalog order."""
        return [u for e in self.entries if e.msgid and not e.obsolete for u in units_of(e)]

    @cached_property
    def translated(self) -> list[Unit]:
        """The units with a reviewed translation: what the content checks look at."""
        return [u for u in self.units if u.translated]


@dataclass(frozen=True)
class Problem:
    """What a check saw: on a unit (or the whole catalog), in words.

    ``adjust``: -1 lowers the check's severity to a warning, +1 raises it to
    an error (a number spelled out; a forbidden glossary term). ``file`` and
    ``line`` override the location (the translated Markdown, for out-of-sync),
    ``column`` (1-based) the column in that line. ``offset``: where in the
    unit's original text (0-based) the finding is, when the check knows it
    (a number, a URL); the runner turns it into a column of the PO's msgid line.
    """

    unit: Unit | None
    message: str
    adjust: int = 0
    file: str | None = None
    line: int | None = None
    entry: Entry | None = None  # when there is no unit but an entry to locate
    column: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Finding:
    """A located result: what the report formats and CI reads. Lines and columns are 1-based.

    ``key``: the segment's `SegmentKey` (None for a whole-catalog finding), what
    a JUnit test case is named by. ``column``: in ``file:line``, when known.
    """

    check: str
    severity: str
    document: str
    lang: str
    file: str
    line: int | None
    source_file: str | None
    source_line: int | None
    message: str
    reason: str = field(default="", compare=False)  # why it was suppressed, if it was
    key: str | None = field(default=None, compare=False)
    column: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of a finding (the README's `--format json` example)."""
        return {
            "check": self.check,
            "severity": self.severity,
            "document": self.document,
            "lang": self.lang,
            "file": self.file,
            "line": self.line,
            "source_file": self.source_file,
            "source_line": self.source_line,
            "message": self.message,
        }


@dataclass
class CatalogRun:
    """The outcome of checking one catalog: findings, suppressed findings, what was checked.

    ``keys``: set by `slim`, the segment keys a JUnit report makes cases of
    (scope -> keys), once ``context`` no longer holds the entries.
    """

    context: Context
    checks: list[str]
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    keys: dict[str, tuple[str, ...]] | None = None

    def case_keys(self, scope: str) -> tuple[str, ...]:
        """The keys of the segments a check of ``scope`` ("translated", "entry") looked at."""
        if self.keys is not None:
            return self.keys[scope]
        units = self.context.translated if scope == "translated" else self.context.units
        return tuple(dict.fromkeys(u.entry.key for u in units))

    def slim(self) -> CatalogRun:
        """This run without the catalog's entries and texts: what a report still needs.

        The context keeps its names, languages, files and sync problem; the
        entries, the Markdown texts and the units (with what the checks derived
        from them) go, which is most of a catalog's memory.
        """
        ctx = self.context
        light = Context(document=ctx.document, source_lang=ctx.source_lang,
                        target_lang=ctx.target_lang, file=ctx.file, entries=[],
                        options=ctx.options, translation_file=ctx.translation_file,
                        sync_problem=ctx.sync_problem)
        if self.keys is not None:
            keys = self.keys
        else:  # both scopes in one pass: an entry's key is computed once
            entry_keys: dict[str, None] = {}
            translated_keys: dict[str, None] = {}
            for unit in ctx.units:
                key = unit.entry.key
                entry_keys[key] = None
                if unit.translated:
                    translated_keys[key] = None
            keys = {"translated": tuple(translated_keys), "entry": tuple(entry_keys)}
        return CatalogRun(light, self.checks, self.findings, self.suppressed, keys)


@dataclass
class CheckResult:
    """The outcome of a whole ``bitext check`` run."""

    runs: list[CatalogRun] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for run in self.runs for f in run.findings]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for run in self.runs for f in run.suppressed]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")
