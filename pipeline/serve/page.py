"""The editor page of `bitext serve`: the review page's rows, each translation in a textarea.

Built from `pipeline.review`'s rows (rendered by `bitext review`'s code) and its
style (`pipeline.review_html.STYLE`). Every text is untrusted: the rendered
fragments were sanitised by `pipeline.render.fragments`; everything else is
escaped here, the textarea's content included. Without script the page shows
every text (the textareas hold the translations); editing needs the script.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from urllib.parse import quote

from pipeline.review import STATE_NAMES, Issue, Page, Row, word_diff
from pipeline.review_html import STYLE
from pipeline.serve.script import SCRIPT

EDITOR_STYLE = """
.side.translation textarea{width:100%;min-height:4.5rem;font:inherit;padding:.4rem .5rem;
border:1px solid var(--line);border-radius:.3rem;resize:vertical;background:#fff;color:var(--fg)}
.row.dirty textarea{border-color:#7aa7ff;box-shadow:0 0 0 2px #dbe7ff}
.row.in-conflict{background:#fff4f8}
.tools{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.35rem 0}
.tools button,.conflict button{font:inherit;font-size:.85rem;padding:.15rem .6rem;
border:1px solid var(--line);border-radius:.3rem;background:var(--soft);cursor:pointer}
.row.heading .tools,.row.heading .preview .label{font-weight:400;font-size:.85rem}
.tools button[data-act=save]{background:#1f5fbf;border-color:#1f5fbf;color:#fff}
.status{font-size:.85rem;color:var(--muted)}.status.ok{color:var(--ok)}
.status.bad{color:var(--none)}
.preview{margin-top:.4rem;padding:.35rem .6rem;border-left:3px solid var(--line);
background:var(--soft);font-size:.95rem}
.preview .label{font-size:.75rem;color:var(--muted);text-transform:uppercase}
.conflict{margin-top:.5rem;padding:.5rem .75rem;border:2px solid var(--conflict);
border-radius:.3rem;background:#fff}
.conflict pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:.25rem 0}
.conflict .pair{grid-template-columns:1fr 1fr}
nav.docs a{display:block;margin:.3rem 0}
[hidden]{display:none!important}
@media (max-width:700px){.conflict .pair{grid-template-columns:1fr}}
"""


def script_hash() -> str:
    return base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def csp(*, header: bool = False) -> str:
    """The review page's policy, with the editor's requests to this server allowed.

    ``header``: as the HTTP header, which alone can forbid framing (a ``<meta>`` cannot).
    """
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash()}'; "
            "connect-src 'self'; img-src 'none'; form-action 'none'; base-uri 'none'"
            + ("; frame-ancestors 'none'" if header else ""))


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def edit_url(doc: str, lang: str) -> str:
    return f"/edit/{quote(doc, safe='')}/{quote(lang, safe='')}"


def _issues(issues: list[Issue]) -> str:
    return "".join(f'<li class="sev-{_e(i.severity)}"><span class="sev sev-{_e(i.severity)}">'
                   f'{_e(i.severity)}</span> <span class="check">{_e(i.check)}</span>: '
                   f'{_e(i.message)}</li>' for i in issues)


def _kind(row: Row) -> str:
    if row.kind == "footnote" and row.label:
        return f"footnote [^{row.label}]"
    if row.kind == "meta" and row.label:
        return f"front matter: {row.label}"
    return row.kind


def _row(row: Row, page: Page, version: str) -> str:
    classes = ["row", f"state-{row.state}"]
    if row.kind == "heading":
        classes.append("heading")
    if row.note_of is not None:
        classes.append("note")
    where = " · ".join(_e(p) for p in (
        f"{row.source_file}:{row.source_line}" if row.source_file else "",
        f"{page.po_file}:{row.po_line}" if row.po_line else "") if p)
    machine = (f' <span class="quiet">by {_e(row.machine[0])}</span>' if row.machine else "")
    head = (f'<div class="meta"><span class="badge b-{_e(row.state)}">'
            f'{_e(STATE_NAMES[row.state])}</span>{machine} <span>{_e(_kind(row))}</span> '
            f'<span>{where}</span> <a href="#{_e(row.key)}">#{_e(row.key)}</a></div>')
    lines = max(2, min(12, row.translation.count("\n") + 1 + len(row.translation) // 70))
    translation = (
        f'<div class="side translation" lang="{_e(page.target_lang)}">'
        f'<span class="lang">{_e(page.target_lang)}</span>'
        f'<textarea name="t-{_e(row.key)}" rows="{lines}" spellcheck="true" '
        f'lang="{_e(page.target_lang)}" dir="auto" '
        f'aria-label="translation of segment {_e(row.key)}">{_e(row.translation)}</textarea>'
        '<div class="tools" hidden><button type="button" data-act="save">Save</button>'
        '<button type="button" data-act="review">Mark reviewed</button>'
        '<button type="button" data-act="revert">Revert</button>'
        '<span class="status" role="status" aria-live="polite"></span></div>'
        f'<ul class="findings live" aria-live="polite">{_issues(row.findings)}</ul>'
        '<div class="preview"><span class="label">preview</span>'
        f'<div class="html">{row.translation_html}</div></div>'
        '<div class="conflict" hidden></div></div>')
    original = (f'<div class="side original" lang="{_e(page.source_lang)}">'
                f'<span class="lang">{_e(page.source_lang)}</span>{row.original_html}</div>')
    parts = [f'<article class="{" ".join(classes)}" id="{_e(row.key)}" '
             f'data-state="{_e(row.state)}" data-version="{_e(version)}">', head,
             f'<div class="pair">{original}{translation}</div>']
    if row.previous is not None:
        parts.append(f'<div class="change"><p><strong>The original changed</strong> '
                     f'({_e(row.change)}) since this translation was made:</p>'
                     f'<p lang="{_e(page.source_lang)}">{word_diff(row.previous, row.original)}'
                     '</p></div>')
    if row.conflict is not None:
        parts.append('<div class="change"><p><strong>Conflict:</strong> the translated Markdown '
                     'says instead (keep one version, then run <code>bitext update</code>):</p>'
                     f'<div lang="{_e(page.target_lang)}">{row.conflict_html}</div></div>')
    parts.append("</article>")
    return "".join(parts)


def _head(title: str, csrf: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp())}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="bitext-csrf" content="{_e(csrf)}">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}{EDITOR_STYLE}</style>\n</head>\n")


def editor_html(page: Page, version: str, csrf: str) -> str:
    """The editor page of one document in one language."""
    s = page.summary
    title = f"Edit: {page.document} ({page.source_lang} → {page.target_lang})"
    general = "".join(_issues(page.general))
    body = "".join(_row(r, page, version) for r in page.rows)
    return (
        _head(title, csrf)
        + f'<body data-doc="{_e(page.document)}" data-lang="{_e(page.target_lang)}">\n'
        f'<header class="top"><h1>{_e(title)}</h1>'
        f'<p>{s["segments"]} segments, <strong>{s["percent"]}% translated</strong>, '
        f'{s["words_left"]} of {s["words"]} words left; {s["problems"]} to look at. '
        '<a href="/">all documents</a></p>'
        f'<div class="bar" aria-hidden="true"><span style="width:{s["percent"]}%"></span></div>'
        + (f'<ul class="findings general">{general}</ul>' if general else "")
        + '<p class="quiet">Type in a translation: its checks run as you type and the preview '
        'shows it as the edition will. <strong>Save</strong> writes the PO and the translated '
        'Markdown (as <code>bitext update</code> does); <strong>Mark reviewed</strong> also '
        'removes the fuzzy flag and the machine-draft label; <strong>Revert</strong> puts back '
        'the last saved text.</p>'
        '<noscript><p><strong>Script is off:</strong> this page shows every text, but editing '
        'and saving need script.</p></noscript>'
        f'<p class="quiet">{_e(page.po_file)}</p></header>\n'
        f"<main>\n{body}\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")


def index_html(documents: list[tuple[str, str]], csrf: str) -> str:
    """The list of (document, language) pages."""
    links = "".join(f'<a href="{_e(edit_url(d, lang))}">{_e(d)} ({_e(lang)})</a>'
                    for d, lang in documents)
    return (_head("bitext serve", csrf) + '<body data-doc="" data-lang="">'
            '<header class="top"><h1>bitext serve</h1><p>Pick a document to edit.</p></header>'
            f'<main><nav class="docs">{links or "<p>No documents.</p>"}</nav></main>'
            "</body>\n</html>\n")


def error_html(status: int, message: str, csrf: str) -> str:
    return (_head(f"bitext serve: {status}", csrf) + '<body data-doc="" data-lang="">'
            f'<header class="top"><h1>{status}</h1><p>{_e(message)}</p>'
            '<p><a href="/">all documents</a></p></header></body>\n</html>\n')
