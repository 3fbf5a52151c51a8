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

import base64
import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
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

STYLE = """
:root{--fg:#1d1d1f;--muted:#5b5f66;--line:#d9dce1;--bg:#fff;--soft:#f5f6f8;
--ok:#1e7b34;--fuzzy:#9a6400;--mt:#5b3fb0;--none:#b3261e;--conflict:#a0176b;--sup:#4f5b66}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
header.top{padding:1rem 1.25rem;border-bottom:1px solid var(--line);background:var(--soft)}
h1{font-size:1.3rem;margin:0 0 .5rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.25rem 0;padding:0;list-style:none}
.bar{height:.5rem;background:var(--line);border-radius:.25rem;overflow:hidden;max-width:40rem}
.bar span{display:block;height:100%;background:var(--ok)}
.general{margin:.5rem 0}
#filters{margin-top:.75rem;display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center}
#filters label{white-space:nowrap}
main{padding:0 1.25rem 3rem}
.row{border-bottom:1px solid var(--line);padding:.75rem 0;scroll-margin-top:.5rem}
.row:target{outline:3px solid #7aa7ff;outline-offset:2px}
.row.note{margin-left:2rem;border-left:3px solid var(--line);padding-left:.75rem}
.row.heading{border-top:2px solid var(--fg);margin-top:1.5rem}
.row.heading .side{font-weight:700;font-size:1.15rem}
.meta{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;font-size:.85rem;
color:var(--muted)}
.meta a{color:inherit}
.badge{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-size:.8rem;font-weight:600;
color:#fff;background:var(--muted)}
.b-translated{background:var(--ok)}.b-fuzzy{background:var(--fuzzy)}.b-machine{background:var(--mt)}
.b-untranslated{background:var(--none)}.b-conflict{background:var(--conflict)}
.b-suppressed{background:var(--sup)}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:.35rem}
.side{min-width:0;overflow-wrap:anywhere}
.side>:first-child,.side .lang+*{margin-top:0}.side>:last-child{margin-bottom:0}
.side .lang{display:none;font-size:.75rem;color:var(--muted);text-transform:uppercase}
.side.empty{color:var(--muted);font-style:italic}
.change{margin-top:.5rem;padding:.5rem .75rem;background:var(--soft);border-radius:.3rem}
.change p{margin:.25rem 0}
del{background:#ffd7d5;text-decoration:line-through}ins{background:#cdeccf;text-decoration:none}
.gap{color:var(--muted)}
ul.findings{margin:.5rem 0 0;padding-left:1.2rem}
.sev-error{color:var(--none)}.sev-warning{color:var(--fuzzy)}
.sev{font-weight:700;text-transform:uppercase;font-size:.75rem}
.check{font-family:ui-monospace,monospace;font-size:.85rem}
.quiet{color:var(--muted)}
a.next{font-size:.85rem}
.hidden{display:none}
sup a.noteref{text-decoration:none}
@media (max-width:700px){
.pair{grid-template-columns:1fr}
.side .lang{display:block}
.side.translation{border-left:3px solid var(--line);padding-left:.6rem}
.row.note{margin-left:.75rem}
main{padding:0 .75rem 2rem}header.top{padding:.75rem}
}
"""

SCRIPT = """
(function(){
var f=document.getElementById('filters');if(!f)return;f.hidden=false;
var rows=[].slice.call(document.querySelectorAll('.row'));
function apply(){
var on={};
[].forEach.call(f.querySelectorAll('input[name=state]'),
function(i){on[i.value]=i.checked;});
var check=f.querySelector('select').value,only=f.querySelector('input[name=problems]').checked;
rows.forEach(function(r){
var ok=on[r.dataset.state]&&(!check||(' '+r.dataset.checks+' ').indexOf(' '+check+' ')>=0)
&&(!only||r.dataset.problem==='1');
r.classList.toggle('hidden',!ok);});}
f.addEventListener('change',apply);apply();
})();
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src 'none'; form-action 'none'; base-uri 'none'")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _location(row: Row, page: Page) -> str:
    parts = []
    if row.source_file:
        parts.append(f"{row.source_file}:{row.source_line}" if row.source_line
                     else row.source_file)
    if row.po_line:
        parts.append(f"{page.po_file}:{row.po_line}")
    return " · ".join(_e(p) for p in parts)


def _kind_label(row: Row) -> str:
    if row.kind == "footnote" and row.label:
        return f"footnote [^{row.label}]"
    if row.kind == "heading" and row.label:
        return f"heading {row.label}"
    if row.kind == "meta" and row.label:
        return f"front matter: {row.label}"
    return row.kind


def _issue_html(issue: Issue, *, quiet: bool = False) -> str:
    sev = f'<span class="sev sev-{_e(issue.severity)}">{_e(issue.severity)}</span>'
    why = f' <span class="quiet">— suppressed: {_e(issue.reason)}</span>' if quiet else ""
    return (f'<li class="{"quiet" if quiet else "sev-" + _e(issue.severity)}">{sev} '
            f'<span class="check">{_e(issue.check)}</span>: {_e(issue.message)}{why}</li>')


def _row_html(row: Row, page: Page, next_key: str | None) -> str:
    classes = ["row", f"state-{row.state}"]
    if row.kind == "heading":
        classes.append("heading")
    if row.note_of is not None:
        classes.append("note")
    badges = [f'<span class="badge b-{row.state}">{_e(STATE_NAMES[row.state])}</span>']
    if row.machine is not None:
        provider, date = row.machine
        badges.append(f'<span class="quiet">by {_e(provider)}{", " + _e(date) if date else ""}'
                      '</span>')
    if row.suppressed:
        badges.append('<span class="badge b-suppressed">suppressed</span>')
    errors = sum(1 for i in row.findings if i.severity == "error")
    warnings = len(row.findings) - errors
    if errors:
        badges.append(f'<span class="sev sev-error">{errors} error{"s" * (errors > 1)}</span>')
    if warnings:
        badges.append(f'<span class="sev sev-warning">{warnings} '
                      f'warning{"s" * (warnings > 1)}</span>')
    head = (f'<div class="meta">{" ".join(badges)} <span>{_e(_kind_label(row))}</span> '
            f'<span>{_location(row, page)}</span> <a href="#{_e(row.key)}">#{_e(row.key)}</a>'
            '</div>')
    original = (f'<div class="side original" lang="{_e(page.source_lang)}">'
                f'<span class="lang">{_e(page.source_lang)}</span>{row.original_html}</div>')
    if row.translation:
        translation = (f'<div class="side translation" lang="{_e(page.target_lang)}">'
                       f'<span class="lang">{_e(page.target_lang)}</span>'
                       f'{row.translation_html}</div>')
    else:
        translation = ('<div class="side translation empty"><span class="lang">'
                       f'{_e(page.target_lang)}</span>not translated yet</div>')
    parts = [f'<article class="{" ".join(classes)}" id="{_e(row.key)}" '
             f'data-state="{_e(row.state)}" data-checks="{_e(" ".join(row.checks))}" '
             f'data-problem="{int(row.problem)}">', head,
             f'<div class="pair">{original}{translation}</div>']
    if row.previous is not None:
        parts.append(
            f'<div class="change"><p><strong>The original changed</strong> '
            f'({_e(row.change)}) since this translation was made:</p>'
            f'<p lang="{_e(page.source_lang)}">{word_diff(row.previous, row.original)}</p></div>')
    if row.conflict is not None:
        parts.append('<div class="change"><p><strong>Conflict:</strong> the translated Markdown '
                     'says instead (keep one version, then run <code>bitext update</code>):</p>'
                     f'<div lang="{_e(page.target_lang)}">{row.conflict_html}</div></div>')
    if row.plain:
        parts.append('<p class="quiet">Shown as plain text: this Markdown cannot be rendered '
                     'on its own.</p>')
    items = [_issue_html(i) for i in row.findings]
    items += [_issue_html(i, quiet=True) for i in row.suppressed]
    items += [f'<li class="quiet">suppression of <span class="check">'
              f'{_e(", ".join(s.checks) or "?")}</span> ({_e(s.status)}): {_e(s.reason)}</li>'
              for s in row.silences if s.status != "active" or not row.suppressed]
    if items:
        parts.append(f'<ul class="findings">{"".join(items)}</ul>')
    if row.problem:
        parts.append(f'<a class="next" href="#{_e(next_key)}">next problem ↓</a>'
                     if next_key else '<span class="quiet">last problem</span>')
    parts.append("</article>")
    return "".join(parts)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _summary_html(page: Page, first_problem: str | None) -> str:
    s = page.summary
    states = "".join(f'<li><span class="badge b-{st}">{_e(STATE_NAMES[st])}</span> '
                     f'{s["states"][st]}</li>' for st in STATES)
    if s["suppressed"]:
        states += f'<li><span class="badge b-suppressed">suppressed</span> {s["suppressed"]}</li>'
    checks = "".join(f'<li><span class="check">{_e(name)}</span> {n}</li>'
                     for name, n in s["checks"].items()) or "<li>no findings</li>"
    general = "".join(_issue_html(i) for i in page.general)
    first = (f'<a class="next" href="#{_e(first_problem)}">first problem ↓</a>'
             if first_problem else "no problems")
    options = "".join(f'<option value="{_e(name)}">{_e(name)}</option>' for name in s["checks"])
    boxes = "".join(f'<label><input type="checkbox" name="state" value="{st}" checked> '
                    f'{_e(STATE_NAMES[st])}</label>' for st in STATES)
    return (
        '<header class="top">'
        f'<h1>Review: {_e(page.document)} ({_e(page.source_lang)} → {_e(page.target_lang)})</h1>'
        f'<p>{s["segments"]} segments, <strong>{s["percent"]}% translated</strong>, '
        f'{s["words_left"]} of {s["words"]} words left; {_n(s["errors"], "error")}, '
        f'{_n(s["warnings"], "warning")}; {_n(s["problems"], "segment")} to look at. {first}</p>'
        f'<div class="bar" aria-hidden="true"><span style="width:{s["percent"]}%"></span></div>'
        f'<ul class="counts" aria-label="segments by state"><li>states:</li>{states}</ul>'
        f'<ul class="counts" aria-label="findings by check"><li>findings:</li>{checks}</ul>'
        + (f'<ul class="findings general">{general}</ul>' if general else "")
        + f'<form id="filters" hidden>{boxes}<label>check <select name="check">'
        f'<option value="">any</option>{options}</select></label>'
        '<label><input type="checkbox" name="problems"> only problems</label></form>'
        f'<p class="quiet">{_e(page.po_file)}{" · " + _e(page.generated) if page.generated else ""}'
        '</p></header>'
    )


def render_html(page: Page) -> str:
    """The whole page: self-contained (inline style and script), no remote resource."""
    problems = [r.key for r in page.rows if r.problem]
    following = dict(pairwise(problems))
    body = "".join(_row_html(r, page, following.get(r.key)) for r in page.rows)
    title = f"Review: {page.document} ({page.source_lang} → {page.target_lang})"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="bitext review">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{_summary_html(page, problems[0] if problems else None)}\n"
        f"<main>\n{body}\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def page_json(page: Page) -> dict[str, Any]:
    """The same rows for other tools (``bitext review --format json``)."""
    return {
        "document": page.document, "source_lang": page.source_lang,
        "target_lang": page.target_lang, "po_file": page.po_file,
        "summary": page.summary, "findings": [i.as_dict() for i in page.general],
        "rows": [r.as_dict() for r in page.rows],
    }
