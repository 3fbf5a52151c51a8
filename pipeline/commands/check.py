"""`bitext check`: run the drift checks on the publication's catalogs, or on any PO files.

For each document and target language: the catalog ``locale/<lang>/LC_MESSAGES/<doc>.po``
(findings point at its lines, and at the original's through the entry
references), the original (to tell whether the catalog still matches it), and
the translated Markdown ``source/<lang>/<doc>.md`` (``out-of-sync`` when it is
not what ``bitext update`` would write). Given PO files instead, it checks
each on its own: the target language from the header's ``Language`` (or
``--target-lang``); the source language from ``--source-lang``, else the
header's ``X-Source-Language`` (bitext, Poedit and translate-toolkit write
it), else the publication's (when run inside one), else ``en``, as gettext
catalogs of software usually have English msgids.

Where the translated Markdown was edited since the last update, its text is
what the content checks read (`pipeline.sync.markdown_view`).

Nothing of the publication is written; with ``cache`` (what `bitext check` asks for) the
outcomes are remembered in ``.bitext/check-cache.json`` (`pipeline.adapters.check_cache`).
Findings are results: the caller decides the exit status.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from pipeline.adapters.check_cache import CheckCache, input_files
from pipeline.adapters.fs import read_text
from pipeline.adapters.po import parse_catalog, read_catalog
from pipeline.adapters.publication import (
    load_original,
    load_state,
    parse_markdown,
    read_if_exists,
)
from pipeline.adapters.update_digests import FileStats, untouched
from pipeline.catalog import Catalog, forget_keys
from pipeline.checks import REGISTRY
from pipeline.checks.model import CheckOptions, CheckResult, Context
from pipeline.checks.runner import levels, run_checks
from pipeline.checks.settings import key_prefix
from pipeline.collector import no_collections
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.glossary import Glossary, parse_glossary
from pipeline.languages import UnknownLanguage, language
from pipeline.sync import SyncState, markdown_view
from pipeline.translation import pair_entries, render_translation, unresolved_conflicts

# The documents `bitext update` left as they are need no segmenting of their original
# (a third of a check's time). False: segment every original (the fast path's test).
TRUST_UPDATE_RECORD = True


def check(
    config: Config | None,
    docs: list[str],
    po_files: list[Path],
    *,
    only: list[str] | None = None,
    strict: bool = False,
    source_lang: str | None = None,
    target_lang: str | None = None,
    slim: bool = False,
    cache: bool = False,
) -> CheckResult:
    """Check ``docs`` of the publication (all target languages), then each of ``po_files``.

    One catalog at a time: each is loaded, checked and let go before the next
    is read. ``slim``: keep of each catalog only what a report needs (its
    findings, its name, the keys of its segments: `CatalogRun.slim`), so that
    2,000 documents take the memory of one (`bitext check` asks for this;
    review, which shows every entry, does not). ``cache`` (with ``slim``): a
    catalog whose inputs are byte for byte those of a previous run gets that
    run's outcome from ``.bitext/check-cache.json``
    (`pipeline.adapters.check_cache`), and is neither read nor checked.
    """
    options, terms = _options(config)
    names = _names(only)
    check_levels = levels(options, strict=strict)
    result = CheckResult()
    remembered: CheckCache | None = None
    if cache and slim and config is not None:
        settings = json.dumps([names, sorted(check_levels.items())])
        remembered = CheckCache(config, settings=settings)
    # update's memo of settled files' digests, read only (check writes no cache of update's)
    stats = FileStats(config.root) if config is not None else None
    for doc in docs if config is not None else []:
        assert config is not None and stats is not None
        trusted: bool | None = None  # whether update's record holds, asked once a document
        for lang in config.target_langs:
            files = input_files(config, doc, lang)  # each path made and checked once
            digest = remembered.digest(doc, lang, files) if remembered is not None else None
            hit = remembered.get(doc, lang, digest) if remembered is not None else None
            if hit is not None:
                result.runs.append(hit)
                continue
            if trusted is None:
                trusted = TRUST_UPDATE_RECORD and untouched(config, doc, stats)
            # one catalog's entries, units and findings: no cycle, reference counting frees
            # them (the collector walked them again and again: a twentieth of a check)
            with no_collections():
                ctx = _publication_context(config, doc, lang, options, as_update_left_it=trusted,
                                           files=files)
                run = run_checks(_with_glossary(ctx, terms), names, check_levels)
                result.runs.append(run.slim() if slim else run)
                del ctx, run  # before the next catalog is read: one in memory at a time
                forget_keys()
            if remembered is not None:
                remembered.put(doc, lang, digest, result.runs[-1])
    default_source = config.source_lang if config is not None else "en"
    for path in po_files:
        with no_collections():
            ctx = _with_glossary(_po_context(path, options, source_lang, target_lang,
                                             default_source=default_source), terms)
            run = run_checks(ctx, names, check_levels)
            result.runs.append(run.slim() if slim else run)
            del ctx, run  # before the next catalog is read: one in memory at a time
            forget_keys()
    if remembered is not None:
        remembered.save()
    return result


def contexts(config: Config, docs: list[str]) -> Iterator[Context]:
    """The publication's catalogs to check, one `Context` at a time (for benchmarks)."""
    options, terms = _options(config)
    for doc in docs:
        for lang in config.target_langs:
            yield _with_glossary(_publication_context(config, doc, lang, options), terms)


def _with_glossary(ctx: Context, terms: Glossary) -> Context:
    """A TBX glossary has terms per pair of languages: those of this catalog's."""
    ctx.options = replace(ctx.options, glossary=terms.terms(ctx.source_lang, ctx.target_lang))
    return ctx


def _options(config: Config | None) -> tuple[CheckOptions, Glossary]:
    if config is None:
        return CheckOptions(), Glossary()
    options = config.check
    if options.glossary_file:
        path = (config.root / options.glossary_file).resolve()
        if not path.is_file():
            raise BitextError(f"'{key_prefix(config)}glossary': no such file "
                              f"{config.relative(path)}", path=config.relative(path))
        shown = config.relative(path)
        return options, parse_glossary(read_text(path, shown=shown), shown=shown)
    return options, Glossary()


def _names(only: list[str] | None) -> list[str]:
    if not only:
        return list(REGISTRY)
    unknown = [n for n in only if n not in REGISTRY]
    if unknown:
        raise BitextError(f"--only: unknown check {', '.join(unknown)} "
                          f"(known: {', '.join(REGISTRY)})")
    return only


def _publication_context(config: Config, doc: str, lang: str, options: CheckOptions, *,
                         as_update_left_it: bool = False,
                         files: tuple[Path, ...] | None = None) -> Context:
    """``as_update_left_it``: every file of ``doc`` is byte for byte what the last update
    wrote (`untouched`), so the catalog pairs with the original and the translated
    Markdown is what `render_translation` gives: the original need not be segmented.
    ``files``: `input_files` of ``doc`` in ``lang``, when the caller has them already."""
    _, po, translation, _ = files or input_files(config, doc, lang)
    po_shown = config.relative(po)
    text = read_if_exists(config, po)  # `load_catalog`, with the path made once
    catalog = None if text is None else parse_catalog(text, shown=po_shown)
    ctx = Context(
        document=doc,
        source_lang=config.source_lang,
        target_lang=lang,
        file=po_shown,
        entries=catalog.entries if catalog else [],
        options=options,
        translation_file=config.relative(translation),
    )
    if as_update_left_it and catalog is not None and translation.exists():
        # Nor read: its bytes are those update wrote (their digest says so), so they are
        # what `render_translation` gives, and out-of-sync has nothing to compare.
        return ctx
    original = load_original(config, doc)
    if catalog is None:
        ctx.sync_problem = (f"there is no catalog for {original.path} in {lang}; "
                            "run `bitext update`", None)
        return ctx
    try:
        pair_entries(original.document, catalog)
    except BitextError:
        segments = original.document.segments
        entries = catalog.entries
        first = next((i for i, (s, e) in enumerate(zip(segments, entries, strict=False))
                      if s.text != e.msgid), min(len(segments), len(entries)))
        line = entries[first].line if first < len(entries) else None
        at = f"; first difference at {original.path}:{segments[first].line}" \
            if first < len(segments) else ""
        ctx.sync_problem = (
            f"the catalog does not match {original.path} ({len(segments)} segments, "
            f"{len(entries)} entries{at}); run `bitext update`", line)
        return ctx
    ctx.expected_text = render_translation(original.document, catalog, lang).text
    if translation.exists():
        ctx.translation_text = read_text(translation, shown=ctx.translation_file)
        if ctx.translation_text != ctx.expected_text:
            _read_markdown(config, ctx, catalog, lang, doc)
    return ctx


def _read_markdown(config: Config, ctx: Context, catalog: Catalog, lang: str, doc: str) -> None:
    """Check what the translated Markdown says where it was edited since the last update."""
    assert ctx.translation_text is not None and ctx.translation_file is not None
    if unresolved_conflicts(ctx.translation_text):
        return  # both versions are in the file: the PO's is checked until one is kept
    state: SyncState | None
    try:
        markdown = parse_markdown(config, ctx.translation_text, shown=ctx.translation_file)
        state = load_state(config, lang, doc)
    except BitextError:
        return  # out-of-sync reports the difference (update will say the rest); check the PO
    view = markdown_view(catalog, state, markdown.segments)
    if view is not None:
        ctx.entries, ctx.from_markdown = view


def _po_context(path: Path, options: CheckOptions, source: str | None,
                target: str | None, *, default_source: str = "en") -> Context:
    """``source``/``target``: the command line's; else the header's; else ``default_source``."""
    from pipeline.catalog_header import SOURCE_LANGUAGE  # Babel's gettext data: only here

    shown = str(path)
    catalog = read_catalog(path, shown=shown)
    source = source or catalog.header.get(SOURCE_LANGUAGE, "").strip() or default_source
    target = target or catalog.header.get("Language", "").strip()
    if not target:
        raise BitextError("no Language in the PO header; pass --target-lang", path=shown)
    try:
        source, target = language(source).tag, language(target).tag  # pt_BR -> pt-BR
    except UnknownLanguage as exc:
        raise BitextError(f"{exc.message} (--source-lang, --target-lang or the PO header's "
                          f"{SOURCE_LANGUAGE} or Language)",
                          path=shown) from None
    return Context(document=path.stem, source_lang=source, target_lang=target, file=shown,
                   entries=catalog.entries, options=options)
