"""`bitext review`: one HTML page per document and target language, for editors.

``output/<doc>/review.<lang>.html`` shows every segment, original beside
translation, with its state, its findings and, for a fuzzy one, what changed
in the original (`pipeline.review`). The findings are those of ``bitext
check``, which the caller passes in (``check``: no command imports another).

Each text of the page is rendered as the edition renders it (`render_rows`):
one line of plain prose without pandoc (`pipeline.render.plain_html`, which
writes what pandoc would), a text seen before from the fragment cache
(``.bitext/review/``, `pipeline.adapters.review_cache`), the rest through
pandoc, several texts per run (`pipeline.render.fragments`), runs side by side.
With ``write=False`` (``--format json``) nothing is written; the pages are
returned.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pipeline.adapters.fs import write_atomic
from pipeline.adapters.pandoc import parse_markdown, write_fragments
from pipeline.adapters.publication import read_if_exists
from pipeline.adapters.review_cache import FOLDER as CACHE_FOLDER
from pipeline.adapters.review_cache import FragmentCache, text_key
from pipeline.adapters.review_cache import identity as cache_identity
from pipeline.catalog import Entry
from pipeline.checks.model import CatalogRun, CheckResult
from pipeline.clock import today
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.fragments import fragment_asts, fragment_source
from pipeline.render.plain_html import plain_html
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
            # read in either mode; saved only when pages are written (json writes nothing)
            cache = fragment_cache(config, doc, run.context.target_lang)
            page = make_page(config, run, cache=cache)
            result.pages.append(page)
            if write:
                path = config.output_path(doc, f"review.{run.context.target_lang}.html")
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, render_html(page))
                result.written.append(config.relative(path))
                cache.save()
    return result


def make_page(config: Config, run: CatalogRun, *, cache: FragmentCache | None = None) -> Page:
    """One document in one language: rows, findings, every text rendered.

    ``cache``: pandoc's fragments of an earlier run (`fragment_cache`), used and filled.
    """
    ctx = run.context
    if ctx.sync_problem is not None:
        message, _line = ctx.sync_problem
        raise BitextError(message, path=ctx.file)
    conflicts = _conflicts(config, ctx.document, ctx.target_lang, ctx.entries)
    rows, general = review_rows(ctx.entries, run.findings, run.suppressed, conflicts=conflicts)
    render_rows(rows, shown=ctx.file, cache=cache)
    return Page(document=ctx.document, source_lang=ctx.source_lang, target_lang=ctx.target_lang,
                po_file=ctx.file, rows=rows, general=general, generated=today().isoformat())


def render_rows(rows: list[Row], *, shown: str, cache: FragmentCache | None = None) -> None:
    """Fill each row's HTML, as the edition renders each text.

    Three ways, fastest first: `plain_html` (pandoc's HTML for one line of
    prose, without pandoc), the fragment ``cache`` (what pandoc made of the
    same text before), then pandoc itself for what is left, in chunks run
    side by side (`_pandoc_fragments`).
    """
    texts: list[str] = []
    where: list[tuple[int, int]] = []  # (row, 0 original / 1 translation / 2 conflict)
    for n, row in enumerate(rows):
        for k, value in enumerate((row.original, row.translation, row.conflict or "")):
            if value.strip():  # pandoc writes nothing for nothing: it would shift the split
                texts.append(value)
                where.append((n, k))
    targets = note_targets(rows)
    done: list[tuple[str, bool] | None] = []
    keys: dict[int, str] = {}
    for i, value in enumerate(texts):
        fast = plain_html(value, targets)
        if fast is None and cache is not None:
            keys[i] = text_key(value, targets)
            done.append(cache.get(keys[i]))
        else:
            done.append(None if fast is None else (fast, False))
    missing = [i for i, found in enumerate(done) if found is None]
    rendered = _pandoc_fragments([texts[i] for i in missing], targets, shown=shown)
    for i, new in zip(missing, rendered, strict=True):
        done[i] = new
        if cache is not None:
            cache.put(keys[i], *new)
    for (n, k), made in zip(where, done, strict=True):
        assert made is not None
        fragment, plain = made
        row = rows[n]
        if k == 0:
            row.original_html = fragment
        elif k == 1:
            row.translation_html = fragment
        else:
            row.conflict_html = fragment
        row.plain = row.plain or plain


# pandoc's time grows faster than its input (a tenth of the 9,000-segment page parses in
# 0.75 s, the whole in 11 s): chunks of at most this many texts, as many at once as there
# are cores
CHUNK = 800
MIN_CHUNK = 100


def _pandoc_fragments(texts: list[str], targets: dict[str, str], *,
                      shown: str) -> list[tuple[str, bool]]:
    """(HTML, shown as plain text) of each text: one pandoc parse and write per chunk."""
    if not texts:
        return []
    cores = os.cpu_count() or 1
    # a run per core when there is enough to share (a pandoc start is not free)
    size = min(CHUNK, max(MIN_CHUNK, -(-len(texts) // cores)))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]

    def one(chunk: list[str]) -> list[tuple[str, bool]]:
        source = fragment_source(chunk)
        ast = parse_markdown(source.markdown, shown=shown)
        fragments = fragment_asts(ast, source, chunk, targets)
        html = write_fragments(fragments.asts, "html", shown=shown)
        return [(h, i in fragments.broken) for i, h in enumerate(html)]

    if len(chunks) == 1:
        return one(chunks[0])
    with ThreadPoolExecutor(max_workers=min(len(chunks), cores)) as pool:
        return [made for part in pool.map(one, chunks) for made in part]


def fragment_cache(config: Config, doc: str, lang: str) -> FragmentCache:
    """The fragment cache of ``doc``'s review in ``lang`` (`pipeline.adapters.review_cache`)."""
    top = config.inside(config.root / CACHE_FOLDER)
    return FragmentCache(config.inside(top / lang / f"{doc}.json"), cache_identity(), top=top)


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
