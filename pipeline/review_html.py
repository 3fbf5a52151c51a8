"""The review page as HTML: one self-contained file, styles and one script inline. Pure.

The rows and their order come from `pipeline.review`. Every text on the page is
untrusted: the rendered fragments were sanitised by `pipeline.render.fragments`;
everything else (messages, reasons, paths, the diff) is escaped here. The one
inline script (the filters) is allowed by its hash in the page's
Content-Security-Policy, which forbids every other script, every remote resource
and every form target; without script the page is complete, only the filters
stay hidden.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from itertools import pairwise

from pipeline.review import STATE_NAMES, STATES, Issue, Page, Row, word_diff

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
