"""The review page: one document in one target language, segment by segment, for editors. Pure.

`review_rows` turns a catalog's entries and the findings of ``bitext check`` on
them into `Row`\\ s (one per segment, keyed by its `SegmentKey`); the command
renders every text through pandoc once (`pipeline.render.fragments`) and
hands the HTML back (`Row.original_html`, `Row.translation_html`);
`render_html` writes the self-contained page and `page_json` the same rows
for other tools.

Order: document order, except that a footnote definition follows the first
segment that refers to it (an editor reads a note with its paragraph); a
definition nobody refers to stays where it is.

States: "translated", "fuzzy" (the original changed since it was translated,
or a translator left it unreviewed), "machine" (a machine draft nobody
reviewed: ``# bitext-mt: provider, date``), "untranslated", "conflict" (the
translated Markdown holds a conflict block for it). A row whose findings were
all suppressed is also marked "suppressed".

Every text on the page comes from the publication and is untrusted: the
rendered fragments are sanitised by `pipeline.render.fragments`; everything
else (messages, reasons, paths, the diff) is escaped here. The page has one
inline script (the filters), allowed by its hash in the page's
Content-Security-Policy, which forbids every other script, every remote
resource and every form target; without script the page is complete, only the
filters stay hidden.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from pipeline.catalog import MACHINE_MARK, Entry, change_kind
from pipeline.checks.model import Finding
from pipeline.checks.suppress import msgid_hash, suppressions
from pipeline.render.fragments import NOTE_LABEL
from pipeline.render.source import strip_draft_marks

STATES = ("translated", "fuzzy", "machine", "untranslated", "conflict")
STATE_NAMES = {"translated": "translated", "fuzzy": "fuzzy", "machine": "machine draft",
               "untranslated": "untranslated", "conflict": "conflict"}


@dataclass(frozen=True)
class Issue:
    """A finding of ``bitext check`` on a segment (``reason``: why it was suppressed)."""

    check: str
    severity: str
    message: str
    line: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "severity": self.severity,
                               "message": self.message, "line": self.line}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Silence:
    """A ``bitext-ignore`` comment of the entry: checks, reason, and whether it applies.

    ``status``: "active", "expired" (written for another version of the
    original) or "invalid" (it silences nothing).
    """

    checks: tuple[str, ...]
    reason: str
    status: str


@dataclass
class Row:
    """One segment as the review page shows it."""

    key: str
    index: int
    kind: str
    label: str
    state: str
    original: str
    translation: str
    source_file: str | None = None
    source_line: int | None = None
    po_line: int | None = None
    machine: tuple[str, str] | None = None  # provider, date
    previous: str | None = None  # the original the translation was made for (fuzzy)
    change: str | None = None  # change_kind(previous, original)
    conflict: str | None = None  # the translated Markdown's version, in a conflict
    findings: list[Issue] = field(default_factory=list)
    suppressed: list[Issue] = field(default_factory=list)
    silences: list[Silence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnote labels referred to
    note_of: str | None = None  # the key of the row that first refers to this footnote
    original_html: str = ""
    translation_html: str = ""
    conflict_html: str = ""
    plain: bool = False  # shown as plain text (the Markdown could not be rendered alone)

    @property
    def problem(self) -> bool:
        """What "next problem" stops at: a finding, or anything not a reviewed translation."""
        return bool(self.findings) or self.state != "translated"

    @property
    def checks(self) -> list[str]:
        return sorted({i.check for i in self.findings})

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key, "index": self.index, "kind": self.kind, "label": self.label,
            "state": self.state, "suppressed": bool(self.suppressed),
            "source_file": self.source_file, "source_line": self.source_line,
            "po_line": self.po_line, "original": self.original, "translation": self.translation,
            "original_html": self.original_html, "translation_html": self.translation_html,
            "findings": [i.as_dict() for i in self.findings],
            "suppressed_findings": [i.as_dict() for i in self.suppressed],
            "suppressions": [{"checks": list(s.checks), "reason": s.reason, "status": s.status}
                             for s in self.silences],
            "notes": self.notes,
        }
        if self.machine is not None:
            out["machine"] = {"provider": self.machine[0], "date": self.machine[1]}
        if self.previous is not None:
            out["previous"] = self.previous
            out["change"] = self.change
        if self.conflict is not None:
            out["conflict"] = self.conflict
        return out


@dataclass
class Page:
    """A document's review in one target language."""

    document: str
    source_lang: str
    target_lang: str
    po_file: str
    rows: list[Row]
    general: list[Issue] = field(default_factory=list)  # findings on the whole catalog
    generated: str = ""  # a date, shown in the header

    @property
    def summary(self) -> dict[str, Any]:
        states = Counter(r.state for r in self.rows)
        checks = Counter(i.check for r in self.rows for i in r.findings)
        checks.update(i.check for i in self.general)
        total = len(self.rows)
        done = states["translated"]
        return {
            "segments": total,
            "states": {s: states[s] for s in STATES},
            "suppressed": sum(1 for r in self.rows if r.suppressed),
            "checks": dict(sorted(checks.items())),
            "errors": sum(1 for r in self.rows for i in r.findings if i.severity == "error")
            + sum(1 for i in self.general if i.severity == "error"),
            "warnings": sum(1 for r in self.rows for i in r.findings if i.severity == "warning")
            + sum(1 for i in self.general if i.severity == "warning"),
            "percent": round(100.0 * done / total, 1) if total else 100.0,
            "words": sum(_words(r.original) for r in self.rows),
            "words_left": sum(_words(r.original) for r in self.rows if r.state != "translated"),
            "problems": sum(1 for r in self.rows if r.problem),
        }


def _words(value: str) -> int:
    return len(value.split())


def machine_label(entry: Entry) -> tuple[str, str] | None:
    """(provider, date) of the entry's ``bitext-mt:`` comment, if it is a machine draft."""
    if not entry.machine_draft:
        return None
    for line in entry.translator_comments:
        if line.startswith(MACHINE_MARK):
            provider, _, date = line[len(MACHINE_MARK):].partition(",")
            return provider.strip(), date.strip()
    return None


def state_of(entry: Entry, *, conflict: bool = False) -> str:
    if conflict:
        return "conflict"
    if not entry.has_translation:
        return "untranslated"
    if entry.machine_draft:
        return "machine"
    return "fuzzy" if entry.fuzzy else "translated"


def _silences(entry: Entry) -> list[Silence]:
    current = msgid_hash(entry.msgid)
    return [Silence(s.checks, s.reason,
                    "invalid" if s.problem else "active" if s.hash == current else "expired")
            for s in suppressions(entry)]


def _issue(f: Finding) -> Issue:
    return Issue(f.check, f.severity, f.message, f.line, f.reason)


def review_rows(entries: Iterable[Entry], findings: Iterable[Finding],
                suppressed: Iterable[Finding] = (), *,
                conflicts: dict[str, str] | None = None) -> tuple[list[Row], list[Issue]]:
    """The rows of a catalog's active entries, in reading order, and the whole-catalog findings.

    ``conflicts``: segment key -> the translated Markdown's version of a
    segment in an open conflict block.
    """
    conflicts = conflicts or {}
    by_key: dict[str, list[Issue]] = {}
    general: list[Issue] = []
    for f in findings:
        (by_key.setdefault(f.key, []) if f.key is not None else general).append(_issue(f))
    quiet: dict[str, list[Issue]] = {}
    for f in suppressed:
        if f.key is not None:
            quiet.setdefault(f.key, []).append(_issue(f))
    rows: list[Row] = []
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        key = str(entry.key)
        source_file, source_line = (entry.references[0] if entry.references else (None, None))
        previous = entry.previous_msgid if entry.fuzzy and entry.has_translation else None
        row = Row(
            key=key, index=len(rows), kind=entry.kind or "paragraph", label=entry.label,
            state=state_of(entry, conflict=key in conflicts), original=entry.msgid,
            translation=strip_draft_marks(entry.msgstr), source_file=source_file,
            source_line=source_line or None, po_line=entry.line or None,
            machine=machine_label(entry), previous=previous,
            change=change_kind(previous, entry.msgid) if previous is not None else None,
            conflict=conflicts.get(key), findings=by_key.get(key, []),
            suppressed=quiet.get(key, []), silences=_silences(entry),
            notes=list(dict.fromkeys(NOTE_LABEL.findall(entry.msgid))),
        )
        rows.append(row)
    return reading_order(rows), general


def reading_order(rows: list[Row]) -> list[Row]:
    """Document order, each footnote definition right after the first row that refers to it."""
    notes = {r.label: r for r in rows if r.kind == "footnote" and r.label}
    placed: set[str] = set()
    out: list[Row] = []

    def put(row: Row) -> None:
        out.append(row)
        placed.add(row.key)
        for label in row.notes:
            note = notes.get(label)
            if note is not None and note.key not in placed:
                note.note_of = row.key
                put(note)

    for row in rows:
        if row.key in placed:
            continue
        if row.kind == "footnote" and row.label and _referred(row.label, rows, row):
            continue  # it will follow its first reference
        put(row)
    for row in rows:  # a note referred to only by notes that never got placed (a cycle)
        if row.key not in placed:
            put(row)
    return out


def _referred(label: str, rows: list[Row], note: Row) -> bool:
    return any(label in r.notes for r in rows if r is not note)


def note_targets(rows: list[Row]) -> dict[str, str]:
    """Footnote label -> the ``#key`` of its definition's row (for the references)."""
    return {r.label: "#" + r.key for r in rows if r.kind == "footnote" and r.label}


# --- the word diff ----------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def _text(value: str) -> str:
    return escape(value, quote=False)


def word_diff(old: str, new: str, *, context: int = 12) -> str:
    """HTML: ``new`` with the words deleted from ``old`` in ``<del>``, the added in ``<ins>``.

    An unchanged stretch longer than twice ``context`` words keeps ``context``
    words on each side of a change and shows the rest as "…".
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            out.append(_shorten(a[i1:i2], context, head=n > 0, tail=n < len(ops) - 1))
            continue
        if i2 > i1:
            out.append(f"<del>{_text(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{_text(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def _shorten(tokens: list[str], context: int, *, head: bool, tail: bool) -> str:
    """An unchanged run: ``context`` words after the change before it (``head``) and before
    the change after it (``tail``), "…" for what is left out."""
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep = context * (int(head) + int(tail))
    if len(words) <= keep + 2:
        return _text("".join(tokens))
    start = "".join(tokens[:words[context - 1] + 1]) if head else ""
    end = "".join(tokens[words[-context]:]) if tail else ""
    gap = '<span class="gap">…</span>'
    return _text(start) + (" " if head else "") + gap + (" " if tail else "") + _text(end)


# --- the page ---------------------------------------------------------------------------------

def page_json(page: Page) -> dict[str, Any]:
    """The same rows for other tools (``bitext review --format json``)."""
    return {
        "document": page.document, "source_lang": page.source_lang,
        "target_lang": page.target_lang, "po_file": page.po_file,
        "summary": page.summary, "findings": [i.as_dict() for i in page.general],
        "rows": [r.as_dict() for r in page.rows],
    }
