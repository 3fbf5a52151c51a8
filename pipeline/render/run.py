"""Render the stale editions of many documents, in parallel, into bytes (nothing written).

Work per document: one pandoc parse per language; then one pandoc run
writing the HTML body of every HTML and EPUB edition; one writing the
bilingual typst source, compiled at once (the longest chain, started first);
one writing the other typst sources, each compiled as its own task. Parses
and writers run on a thread pool (pandoc is a subprocess, typst releases the
GIL), so two cores build two things at once. A document's writers start as
soon as its own parses are done.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.adapters import pandoc, typst
from pipeline.adapters.fs import read_text
from pipeline.adapters.publication import load_catalog, load_original
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.markdown.segments import Document
from pipeline.render.options import BuildOptions, Edition
from pipeline.render.source import SourceText, original_text, translated_text

if TYPE_CHECKING:  # imported when needed: their imports overlap the first pandoc runs
    from pipeline.render.document import LangDoc
    from pipeline.render.editions import Assets

PACKAGE = Path(__file__).resolve().parent.parent
Progress = Callable[[int, int, str], None]


@dataclass
class Rendered:
    """Output bytes by (document, file name); refusals of a release build; warnings."""

    outputs: dict[tuple[str, str], bytes] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    name: str
    document: Document
    texts: dict[str, SourceText]
    wanted: dict[str, tuple[Edition, str]]
    asts: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_assets() -> Assets:
    """The templates and styles shipped in the package."""
    from pipeline.render.editions import Assets

    def text(name: str) -> str:
        return read_text(PACKAGE / name, shown=name)

    return Assets(
        html_template=text("templates/edition.html"),
        html_css=text("assets/edition.css"),
        epub_css=text("assets/epub.css"),
        typst_template=text("templates/edition.typ"),
        fonts_dir=PACKAGE / "assets" / "fonts",
    )


def render_all(
    config: Config, stale: dict[str, dict[str, tuple[Edition, str]]], options: BuildOptions, *,
    release: bool, today: dt.date, jobs: int, progress: Progress | None = None,
) -> Rendered:
    """Check every document first (bad input raises, a release may refuse), then render."""
    rendered = Rendered()
    docs = [_load(config, name, wanted) for name, wanted in stale.items()]
    if release:
        for doc in docs:
            rendered.refused.extend(_refusals(config, doc, options.release_threshold))
        if rendered.refused:
            return rendered
    assets = load_assets()
    total = sum(len(d.wanted) for d in docs)
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        parses: dict[Future[Any], tuple[_Doc, str]] = {}
        for doc in docs:
            for lang in sorted({lg for e, _ in doc.wanted.values() for lg in e.langs}):
                shown = config.relative(config.source_path(lang, doc.name))
                parses[pool.submit(pandoc.parse_markdown, doc.texts[lang].markdown,
                                   shown=shown)] = (doc, lang)
        # while pandoc parses, import the renderer (Babel's dates, the formats)
        import pipeline.render.editions  # noqa: F401

        waiting: dict[str, int] = {}
        for doc, _lang in parses.values():
            waiting[doc.name] = waiting.get(doc.name, 0) + 1
        pending: set[Future[Any]] = set(parses)
        writers: set[Future[Any]] = set()
        while pending or writers:
            finished, _ = wait(pending | writers, return_when=FIRST_COMPLETED)
            for future in finished:
                if future in pending:
                    pending.discard(future)
                    doc, lang = parses[future]
                    doc.asts[lang] = future.result()
                    waiting[doc.name] -= 1
                    if waiting[doc.name] == 0:
                        writers |= _submit_writers(pool, config, doc, options, assets,
                                                   draft=not release, today=today)
                else:
                    writers.discard(future)
                    outputs, warnings, *later = future.result()
                    rendered.warnings.extend(warnings)
                    for task in (later[0] if later else []):
                        writers.add(pool.submit(*task))
                    for key, data in outputs.items():
                        rendered.outputs[key] = data
                        done += 1
                        if progress is not None:
                            progress(done, total, f"{key[0]}/{key[1]}")
    return rendered


def _load(config: Config, name: str, wanted: dict[str, tuple[Edition, str]]) -> _Doc:
    """Read, segment and pair one document; bad input raises `BitextError`."""
    original = load_original(config, name)
    texts = {config.source_lang: original_text(original.document, config.source_lang)}
    for lang in config.target_langs:
        shown = config.relative(config.po_path(lang, name))
        catalog = load_catalog(config, lang, name)
        if catalog is None:
            raise BitextError("no catalog for this translation; run `bitext update`", path=shown)
        try:
            texts[lang] = translated_text(original.document, catalog, lang)
        except BitextError as exc:
            raise BitextError(exc.message, path=exc.path or shown, line=exc.line) from exc
    return _Doc(name=name, document=original.document, texts=texts, wanted=wanted)


def _refusals(config: Config, doc: _Doc, threshold: float) -> list[str]:
    langs = {lg for e, _ in doc.wanted.values() for lg in e.langs} - {config.source_lang}
    out = []
    for lang in sorted(langs):
        text = doc.texts[lang]
        if text.percent < threshold:
            out.append(
                f"{config.relative(config.po_path(lang, doc.name))}: {text.percent:.1f}% "
                f"translated and reviewed ({text.translated} of {len(text.states)} segments), "
                f"below the release threshold of {threshold:g}%"
            )
    return out


def _submit_writers(pool: ThreadPoolExecutor, config: Config, doc: _Doc, options: BuildOptions,
                    assets: Assets, *, draft: bool, today: dt.date) -> set[Future[Any]]:
    from pipeline.render.editions import lang_docs

    langdocs = lang_docs(doc.asts, {lg: doc.texts[lg] for lg in doc.asts}, doc.document,
                         style=config.footnote_style, options=options, today=today)
    by_format: dict[str, list[tuple[str, Edition]]] = {}
    for name, (edition, fmt) in sorted(doc.wanted.items()):
        by_format.setdefault(fmt, []).append((name, edition))
    src = config.source_lang
    shown = config.relative(config.source_path(src, doc.name))
    # the bilingual PDF is the longest chain (typst source, then the slowest compile): it
    # starts first, in its own pandoc run; then the HTML run; then the other PDFs
    pdfs = by_format.get("pdf", [])
    jobs: list[tuple[Any, ...]] = []
    if bilingual := [item for item in pdfs if item[1].bilingual]:
        jobs.append((_pdf, doc.name, bilingual, langdocs, assets, options, draft, src, shown))
    if "html" in by_format or "epub" in by_format:
        jobs.append((_html, doc.name, by_format.get("html", []), by_format.get("epub", []),
                     langdocs, assets, options, draft, src, shown))
    if single := [item for item in pdfs if not item[1].bilingual]:
        jobs.append((_pdf, doc.name, single, langdocs, assets, options, draft, src, shown))
    futures = {pool.submit(*job) for job in jobs}
    return futures


_Out = tuple[dict[tuple[str, str], bytes], list[str]]


def _html(doc: str, html_items: list[tuple[str, Edition]], epub_items: list[tuple[str, Edition]],
          langdocs: dict[str, LangDoc], assets: Assets, options: BuildOptions, draft: bool,
          src: str, shown: str) -> _Out:
    """Every HTML page and EPUB text of a document from one pandoc HTML run.

    An edition wanted in both formats is written once: the same body serves both.
    """
    from pipeline.render import epub
    from pipeline.render.editions import epub_info, html_ast, html_file

    editions = {e.stem: e for _, e in [*html_items, *epub_items]}
    stems = sorted(editions)
    asts = [html_ast(editions[s], langdocs, draft=draft, source_lang=src) for s in stems]
    bodies = dict(zip(stems, pandoc.write_fragments(asts, "html", shown=shown), strict=True))
    outputs = {}
    for name, edition in html_items:
        page = html_file(bodies[edition.stem], edition, langdocs, assets, __version__)
        outputs[(doc, name)] = page.encode("utf-8")
    for name, edition in epub_items:
        modified = _epoch(langdocs[edition.langs[0]].front.date)
        info = epub_info(edition, langdocs, options=options, modified=modified)
        outputs[(doc, name)] = epub.package(bodies[edition.stem], info, css=assets.epub_css,
                                            shown=f"{shown} ({name})")
    return outputs, []


def _pdf(doc: str, items: list[tuple[str, Edition]], langdocs: dict[str, LangDoc],
         assets: Assets, options: BuildOptions, draft: bool, src: str, shown: str) -> Any:
    """The typst sources of some editions from one pandoc run, then their PDFs.

    One PDF compiles here at once; several are handed back as tasks of their own.
    """
    from pipeline.render.editions import typst_ast, typst_file

    asts = [typst_ast(e, langdocs, draft=draft, source_lang=src) for _, e in items]
    fragments = pandoc.write_fragments(asts, "typst", shown=shown)
    tasks = []
    for (name, edition), fragment in zip(items, fragments, strict=True):
        source = typst_file(fragment, edition, langdocs, assets, options)
        epoch = _epoch(langdocs[edition.langs[0]].front.date)
        tasks.append((_compile, doc, name, source, assets.fonts_dir, epoch, shown))
    if len(tasks) == 1:
        return tasks[0][0](*tasks[0][1:])
    return {}, [], tasks


def _compile(doc: str, name: str, source: str, fonts_dir: Path, epoch: int, shown: str) -> _Out:
    pdf, notes = typst.compile_pdf(source, fonts_dir=fonts_dir, timestamp=epoch,
                                   shown=f"{shown} ({name})")
    return {(doc, name): pdf}, [f"{name}: {n}" for n in notes]


def _epoch(day: dt.date | None) -> int:
    """``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the edition's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return int(epoch)
    day = day or dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
