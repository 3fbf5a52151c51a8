"""Render the stale editions of many documents, in parallel, into bytes (nothing written).

Work per document: one pandoc parse per language (per distinct text: documents of the
same text share one parse's AST, which every step reads and none changes); then one
pandoc request writing every typst source and every piece of the bilingual PDFs (those
first: measure, then compile, is the longest chain), each compiled as its own task; one
writing the HTML body of every HTML and EPUB edition. Parses and writers run on a
thread pool (pandoc is a long-lived process per worker, `pipeline.adapters.pandoc`;
typst releases the GIL), so two cores build two things at once. A document's
writers start as soon as its own parses are done.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.adapters import pandoc
from pipeline.adapters.publication import load_catalog, load_original
from pipeline.collector import young_collections_only
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.markdown.segments import Document
from pipeline.render.options import Edition
from pipeline.render.settings import BuildProgress, BuildSettings
from pipeline.render.source import SourceText, original_text, translated_text

if TYPE_CHECKING:  # imported when needed: their imports overlap the first pandoc runs
    from pipeline.render.assets import Assets
    from pipeline.render.jobs import Job, JobResult



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


def render_all(
    config: Config, stale: dict[str, dict[str, tuple[Edition, str]]], settings: BuildSettings,
    progress: BuildProgress | None = None,
) -> Rendered:
    """Check every document first (bad input raises, a release may refuse), then render.

    ``config`` says where the inputs are; ``settings`` what to make of them. Python's cycle
    collector makes no full collection meanwhile (`young_collections_only`: a build makes
    millions of objects, and each full collection walked every one, holding the GIL, some
    20 times in a 200-document build, 12 s of 87 at load 6).
    """
    with young_collections_only():
        return _render_all(config, stale, settings, progress)


def _render_all(
    config: Config, stale: dict[str, dict[str, tuple[Edition, str]]], settings: BuildSettings,
    progress: BuildProgress | None,
) -> Rendered:
    rendered = Rendered()
    docs = [_load(config, settings, name, wanted) for name, wanted in stale.items()]
    if settings.release:
        for doc in docs:
            rendered.refused.extend(_refusals(config, doc, settings.options.release_threshold))
        if rendered.refused:
            return rendered
    total = sum(len(d.wanted) for d in docs)
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
        # one parse per distinct text: documents of the same text (a segment's nonce is its
        # text's hash, so the Markdown is the same too) share its AST, which no step changes
        parses: dict[Future[Any], list[tuple[_Doc, str]]] = {}
        by_text: dict[str, Future[Any]] = {}
        for doc in docs:
            for lang in sorted({lg for e, _ in doc.wanted.values() for lg in e.langs}):
                markdown = doc.texts[lang].markdown
                if markdown not in by_text:
                    # what pandoc reads is the original, or its skeleton with the PO's texts
                    shown = config.relative(config.source_path(lang, doc.name)
                                            if lang == settings.source_lang
                                            else config.po_path(lang, doc.name))
                    by_text[markdown] = pool.submit(pandoc.parse_markdown, markdown,
                                                    shown=shown)
                parses.setdefault(by_text[markdown], []).append((doc, lang))
        # while pandoc parses, import the renderer (Babel's dates, the formats) and read
        # the templates
        import pipeline.render.jobs  # noqa: F401
        from pipeline.render.assets import load_assets

        assets = load_assets()

        waiting: dict[str, int] = {}
        for readers in parses.values():
            for doc, _lang in readers:
                waiting[doc.name] = waiting.get(doc.name, 0) + 1
        pending: set[Future[Any]] = set(parses)
        writers: set[Future[JobResult]] = set()
        while pending or writers:
            finished, _ = wait(pending | writers, return_when=FIRST_COMPLETED)
            for future in finished:
                if future in pending:
                    pending.discard(future)
                    for doc, lang in parses[future]:
                        doc.asts[lang] = future.result()
                        waiting[doc.name] -= 1
                        if waiting[doc.name] == 0:
                            shown = config.relative(config.source_path(settings.source_lang,
                                                                       doc.name))
                            writers |= {pool.submit(job.run)
                                        for job in _jobs(doc, settings, assets, shown)}
                else:
                    writers.discard(future)
                    result: JobResult = future.result()
                    rendered.warnings.extend(result.warnings)
                    writers |= {pool.submit(job.run) for job in result.then}
                    for key, data in result.outputs.items():
                        rendered.outputs[key] = data
                        done += 1
                        if progress is not None:
                            progress(done, total, f"{key[0]}/{key[1]}")
    return rendered


def _load(config: Config, settings: BuildSettings, name: str,
          wanted: dict[str, tuple[Edition, str]]) -> _Doc:
    """Read, segment and pair one document; bad input raises `BitextError`."""
    original = load_original(config, name)
    texts = {settings.source_lang: original_text(original.document, settings.source_lang)}
    for lang in settings.target_langs:
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


def _jobs(doc: _Doc, settings: BuildSettings, assets: Assets, shown: str) -> list[Job]:
    """A parsed document's jobs, in the order the pool should start them."""
    from pipeline.render.editions import bilingual_docs, lang_docs
    from pipeline.render.jobs import HtmlJob, TypstJob

    langdocs = lang_docs(doc.asts, {lg: doc.texts[lg] for lg in doc.asts}, doc.document,
                         settings, name=doc.name)
    # the languages with prefixed identifiers, made here once: the HTML and typst jobs both
    # need them, start together on two threads, and would each make them (~6 ms a document)
    for edition in {e for e, _ in doc.wanted.values() if e.bilingual}:
        bilingual_docs(edition, langdocs)
    by_format: dict[str, list[tuple[str, Edition]]] = {}
    for name, (edition, fmt) in sorted(doc.wanted.items()):
        by_format.setdefault(fmt, []).append((name, edition))
    # The PDFs are the longest chain (typst sources, then the compiles): they start first.
    # Every typst source of the document comes from one pandoc run (a second run cost 25 ms
    # of CPU more than one run writing both), the bilingual one first, so that its compile,
    # the slowest, is the first to start; then the HTML run.
    pdfs = by_format.get("pdf", [])
    pdfs = [item for item in pdfs if item[1].bilingual] + [
        item for item in pdfs if not item[1].bilingual]
    jobs: list[Job] = []
    if pdfs:
        jobs.append(TypstJob(doc.name, tuple(pdfs), langdocs, assets, settings, shown))
    if "html" in by_format or "epub" in by_format:
        jobs.append(HtmlJob(doc.name, tuple(by_format.get("html", [])),
                            tuple(by_format.get("epub", [])), langdocs, assets, settings,
                            shown))
    return jobs
