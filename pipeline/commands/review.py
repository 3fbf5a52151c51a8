"""`bitext review`: one HTML page per document and target language, for editors.

``output/<doc>/review.<lang>.html`` shows every segment, original beside
translation, with its state, its findings and, for a fuzzy one, what changed
in the original (`pipeline.review`). The findings are those of ``bitext
check``, which the caller passes in (``check``: no command imports another).

Per document and language, pandoc runs twice: once to parse every text of the
page (`pipeline.render.fragments`), once to write every fragment as HTML.
With ``write=False`` (``--format json``) nothing is written; the pages are
returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.adapters.fs import write_atomic
from pipeline.adapters.pandoc import parse_markdown, write_fragments
from pipeline.adapters.publication import read_if_exists
from pipeline.catalog import Entry
from pipeline.checks.model import CatalogRun, CheckResult
from pipeline.clock import today
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.fragments import fragment_asts, fragment_source
from pipeline.review import Page, Row, note_targets, review_rows
from pipeline.review_html import render_html
from pipeline.translation import (
    CONFLICT_END,
    CONFLICT_MIDDLE,
    CONFLICT_START,
    segment_translation,
    unresolved_conflicts,
)

CheckRun = Callable[[Config, list[str]], CheckResult]
"""`bitext check` on documents of the publication, as review calls it."""


@dataclass
class ReviewResult:
    pages: list[Page] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def review(config: Config, docs: list[str], *, check: CheckRun, write: bool = True) -> ReviewResult:
    """Review pages of ``docs`` (every target language); write them unless ``write`` is False."""
    result = ReviewResult()
    for doc in docs:
        for run in check(config, [doc]).runs:
            page = make_page(config, run)
            result.pages.append(page)
            if write:
                path = config.output_path(doc, f"review.{run.context.target_lang}.html")
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, render_html(page))
                result.written.append(config.relative(path))
    return result


def make_page(config: Config, run: CatalogRun) -> Page:
    """One document in one language: rows, findings, every text rendered."""
    ctx = run.context
    if ctx.sync_problem is not None:
        message, _line = ctx.sync_problem
        raise BitextError(message, path=ctx.file)
    conflicts = _conflicts(config, ctx.document, ctx.target_lang, ctx.entries)
    rows, general = review_rows(ctx.entries, run.findings, run.suppressed, conflicts=conflicts)
    render_rows(rows, shown=ctx.file)
    return Page(document=ctx.document, source_lang=ctx.source_lang, target_lang=ctx.target_lang,
                po_file=ctx.file, rows=rows, general=general, generated=today().isoformat())


def render_rows(rows: list[Row], *, shown: str) -> None:
    """Fill each row's HTML: every text in one pandoc parse and one pandoc write."""
    texts: list[str] = []
    where: list[tuple[int, int]] = []  # (row, 0 original / 1 translation / 2 conflict)
    for n, row in enumerate(rows):
        for k, value in enumerate((row.original, row.translation, row.conflict or "")):
            if value.strip():  # pandoc writes nothing for nothing: it would shift the split
                texts.append(value)
                where.append((n, k))
    source = fragment_source(texts)
    ast = parse_markdown(source.markdown, shown=shown)
    fragments = fragment_asts(ast, source, texts, note_targets(rows))
    html = write_fragments(fragments.asts, "html", shown=shown)
    for i, ((n, k), fragment) in enumerate(zip(where, html, strict=True)):
        row = rows[n]
        if k == 0:
            row.original_html = fragment
        elif k == 1:
            row.translation_html = fragment
        else:
            row.conflict_html = fragment
        row.plain = row.plain or i in fragments.broken


_BLOCK = re.compile(re.escape(CONFLICT_START) + r"[ \t]*\r?\n(.*?)\r?\n[ \t]*"
                    + re.escape(CONFLICT_MIDDLE) + r"[ \t]*\r?\n(.*?)\r?\n[ \t]*"
                    + re.escape(CONFLICT_END), re.S)


def _conflicts(config: Config, doc: str, lang: str, entries: list[Entry]) -> dict[str, str]:
    """Segment key -> the translated Markdown's version, for each open conflict block.

    A block's second half is what the PO says (`segment_translation`), which
    names its entry; the first half is the Markdown edit.
    """
    text = read_if_exists(config, config.source_path(lang, doc))
    if text is None or not unresolved_conflicts(text):
        return {}
    by_text: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.msgid and not entry.obsolete:
            by_text.setdefault(segment_translation(entry), []).append(entry)
    found: dict[str, str] = {}
    for match in _BLOCK.finditer(text):
        candidates = by_text.get(match.group(2), [])
        if candidates:
            found[str(candidates.pop(0).key)] = match.group(1)
    return found
