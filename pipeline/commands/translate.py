"""`bitext translate`: machine-translated drafts, marked fuzzy, saved as they come.

1. The settings (``[tool.bitext.translate]`` and the options) and the
   provider are checked before anything is written or sent.
2. `bitext update` runs first (the caller passes it in as ``update``: no
   command imports another), so the catalogs match the originals and
   edits made in ``source/<lang>/*.md`` are in the PO before drafting.
3. For each document and language, the chosen entries (`pipeline.translate`:
   untranslated ones, or with ``only="fuzzy"`` fuzzy ones, which get a
   proposal in a comment) are protected, looked up in the cache, sent to
   the provider in batches, restored and checked. After each batch the PO
   file and the cache are saved (atomically), so an interrupted or failed
   run keeps every draft it got, and a rerun sends none of them again.
4. `bitext update` runs again to rewrite ``source/<lang>/*.md`` from the PO.

A provider that cannot be used (unreachable, refusing, timing out after
its retries) stops the run with `BitextError` (exit 2) after the saves.
A rejected draft (a placeholder lost, ...) is reported and not written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from pipeline.adapters.fs import publication_lock, write_atomic
from pipeline.adapters.memory_store import load_memory, memory_files
from pipeline.adapters.mt_cache import TranslationCache
from pipeline.adapters.po import render_catalog, wrap_for
from pipeline.adapters.publication import load_catalog
from pipeline.catalog import Catalog, Entry
from pipeline.clock import po_stamp
from pipeline.commands import UpdateOutcome, UpdateRun
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.extras import require
from pipeline.keys import SegmentKey
from pipeline.memory import fill
from pipeline.placeholders import Protected, protect, restore
from pipeline.translate import (
    COPY,
    ONLY,
    add_proposal,
    drop_label,
    drop_stale_marks,
    machine_label,
    mark_draft,
    wants_draft,
)
from pipeline.translate_settings import (
    MEMORY_PROVIDER,
    PROVIDER_NAMES,
    TranslateSettings,
    with_overrides,
)

if TYPE_CHECKING:
    # The machine translators' clients (deep-translator, requests: the 'translate' extra)
    # are imported when a machine provider is used: `--provider memory` needs only numpy.
    from pipeline.adapters.mt import MachineTranslator, MTUnavailable

CACHE_FILE = ".bitext/mt-cache.json"
# Called with (segments done, segments to do) before the first batch and after each one.
DraftProgress = Callable[[int, int], None]
T = TypeVar("T")




@dataclass(frozen=True)
class Rejection:
    """A segment whose draft was not written, and why."""

    file: str
    line: int
    reason: str
    key: SegmentKey = field(default=SegmentKey(""), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class CatalogDrafts:
    """What `translate` did to one PO file.

    ``drafted``: msgstr filled by the engine; ``proposed``: proposals added to
    fuzzy entries; ``copied``: segments with nothing to translate (only URLs,
    references, numbers), copied and marked like drafts; ``cached``: drafts
    and proposals that came from the cache, not the network; ``cleaned``:
    entries whose stale machine label was dropped (reviewed, or edited by a
    translator since the draft).
    """

    doc: str
    lang: str
    file: str
    drafted: int = 0
    proposed: int = 0
    copied: int = 0
    cached: int = 0
    cleaned: int = 0
    rejected: list[Rejection] = field(default_factory=list)


@dataclass
class TranslateResult:
    provider: str
    endpoint: str
    only: str
    catalogs: list[CatalogDrafts] = field(default_factory=list)
    requests: int = 0
    cache_file: str = CACHE_FILE
    update: UpdateOutcome | None = None
    written: list[str] = field(default_factory=list)  # PO files and the cache, as saved

    @property
    def rejected(self) -> list[Rejection]:
        return [r for c in self.catalogs for r in c.rejected]


@dataclass
class DraftPlan:
    report: CatalogDrafts
    catalog: Catalog
    jobs: list[tuple[Entry, Protected]]
    dirty: bool = False


def translate(
    config: Config, docs: list[str], *, update: UpdateRun,
    provider: str | None = None, url: str | None = None,
    only: str = "untranslated", batch_size: int | None = None,
    progress: DraftProgress | None = None, env: Mapping[str, str] | None = None,
) -> TranslateResult:
    """Draft ``docs`` in every target language; see the module docstring for the steps."""
    if only not in ONLY:
        raise BitextError(f"--only: expected one of {', '.join(ONLY)}, got {only!r}")
    settings = _settings(config, provider, url, batch_size)
    if settings.provider == MEMORY_PROVIDER:
        require("memory", "translate --provider memory")
        return _translate_from_memory(config, docs, settings, update, only)
    require("translate", "translate")
    from pipeline.adapters.mt import MachineTranslator

    engines: dict[str, MachineTranslator] = {}
    pace = None  # one rate limit for the provider, whatever the language
    for lang in config.target_langs:
        engines[lang] = MachineTranslator(
            settings.provider, config.source_lang, lang, url=settings.url,
            timeout=settings.timeout, retries=settings.retries, backoff=settings.backoff,
            rate_limit=settings.rate_limit, env=env, pace=pace,
        )
        pace = engines[lang].pace
    first = engines[config.target_langs[0]]
    result = TranslateResult(provider=settings.provider, endpoint=first.endpoint, only=only)
    failure: MTUnavailable | None = None
    try:
        before = update(config, docs)
        if before.failed:
            raise BitextError("bitext update reports what a translator must resolve before "
                              "drafting:\n  " + "\n  ".join(before.problems()))
        failure = _draft_all(config, docs, settings, engines, only, progress, result)
    finally:
        result.requests = sum(engine.sent for engine in engines.values())
        for engine in engines.values():
            engine.close()
    result.update = update(config, docs)
    result.written += [p for p in result.update.written if p not in result.written]
    _relocate(config, result)
    if failure is not None:
        done = sum(c.drafted + c.proposed + c.copied for c in result.catalogs)
        if failure.answered == 0 and done == 0:
            raise BitextError(f"cannot use the machine translator: {failure.message}; "
                              "nothing was drafted")
        drafts = "1 draft made before is" if done == 1 else f"{done} drafts made before are"
        raise BitextError(f"the machine translator stopped: {failure.message}; the {drafts} "
                          "saved: run `bitext translate` again to go on")
    return result


def _settings(config: Config, provider: str | None, url: str | None,
              batch_size: int | None) -> TranslateSettings:
    return with_overrides(
        config.translate,
        {"provider": provider, "url": url, "batch_size": batch_size},
        where=config.config_file.name if config.config_file else "config",
        providers=PROVIDER_NAMES,
    )


def _translate_from_memory(config: Config, docs: list[str], settings: TranslateSettings,
                           update: UpdateRun, only: str) -> TranslateResult:
    """``--provider memory``: fill untranslated entries from the translation memory.

    Each gets the best match scoring at least ``memory_threshold`` (the codes and
    numbers of its own original put back, `pipeline.memory.remap`), marked fuzzy
    with ``bitext-tm: <doc>:<line> <score>% "<matched original>"``. Nothing is sent
    anywhere; the counts go to ``drafted``.
    """
    if only != "untranslated":
        raise BitextError("--provider memory fills untranslated entries only "
                          "(--only untranslated)")
    before = update(config, docs)
    if before.failed:
        raise BitextError("bitext update reports what a translator must resolve before "
                          "drafting:\n  " + "\n  ".join(before.problems()))
    sources = {p for lang in config.target_langs for p in memory_files(config, lang)}
    result = TranslateResult(provider=MEMORY_PROVIDER,
                             endpoint=f"{len(sources)} memory files", only=only,
                             cache_file=".bitext/memory-cache.json")
    with publication_lock(config.root):
        for lang in config.target_langs:
            memory = load_memory(config, lang)
            for doc in docs:
                catalog = load_catalog(config, lang, doc)
                if catalog is None:
                    raise BitextError("no catalog; run `bitext update` first",
                                      path=config.relative(config.po_path(lang, doc)))
                report = CatalogDrafts(doc=doc, lang=lang,
                                       file=config.relative(config.po_path(lang, doc)))
                result.catalogs.append(report)
                report.cleaned = drop_stale_marks(catalog)
                plan = DraftPlan(report, catalog, [], dirty=bool(report.cleaned))
                for entry in catalog.entries:
                    if not wants_draft(entry, only):
                        continue
                    match = memory.fuzzy(entry.msgid, settings.memory_threshold, doc=doc,
                                         key=entry.key)
                    if match is not None:
                        fill(entry, match, with_original=True)
                        report.drafted += 1
                        plan.dirty = True
                _save(config, plan, result)
    result.update = update(config, docs)
    result.written += [p for p in result.update.written if p not in result.written]
    return result


def _draft_all(
    config: Config, docs: list[str], settings: TranslateSettings,
    engines: dict[str, MachineTranslator], only: str, progress: DraftProgress | None,
    result: TranslateResult,
) -> MTUnavailable | None:
    """Draft every planned entry, batch by batch, saving as it goes; return what stopped it."""
    from pipeline.adapters.mt import MTUnavailable

    date = po_stamp()[:10]
    with publication_lock(config.root):
        cache = TranslationCache(config.root / CACHE_FILE, shown=CACHE_FILE)
        plans = [_plan(config, doc, lang, only, cache)
                 for doc in docs for lang in config.target_langs]
        result.catalogs = [p.report for p in plans]
        total, done = sum(len(p.jobs) for p in plans), 0
        if progress:
            progress(0, total)
        for plan in plans:
            engine = engines[plan.report.lang]
            for batch in _chunks(plan.jobs, settings.batch_size):
                try:
                    for entry, protected in batch:
                        _draft_one(entry, protected, plan, engine, cache, only, date,
                                   config.source_lang)
                except MTUnavailable as exc:
                    return exc
                finally:  # also on Ctrl-C: keep what this batch got
                    _save(config, plan, result)
                    if cache.save() and CACHE_FILE not in result.written:
                        result.written.append(CACHE_FILE)
                done += len(batch)
                if progress:
                    progress(done, total)
            _save(config, plan, result)
    return None


def _plan(config: Config, doc: str, lang: str, only: str, cache: TranslationCache) -> DraftPlan:
    path = config.po_path(lang, doc)
    shown = config.relative(path)
    catalog = load_catalog(config, lang, doc)
    if catalog is None:  # update has just run, so only a race can get here
        raise BitextError("no catalog; run `bitext update` first", path=shown)
    report = CatalogDrafts(doc=doc, lang=lang, file=shown)
    report.cleaned = drop_stale_marks(catalog) + _drop_edited_labels(
        catalog, cache, config.source_lang, lang)
    jobs = [(e, protect(e.msgid)) for e in catalog.entries if wants_draft(e, only)]
    return DraftPlan(report, catalog, jobs, dirty=bool(report.cleaned))


def _drop_edited_labels(catalog: Catalog, cache: TranslationCache, source: str,
                        lang: str) -> int:
    """Drop the machine label of a fuzzy entry whose text a translator has edited.

    The draft is known again from the cache (for the original it was made
    from: the previous msgid, if the original changed since); a msgstr that
    differs from it is a translator's work, still fuzzy but no longer
    machine output. Without a cached draft the label stays.
    """
    dropped = 0
    for entry in catalog.entries:
        provider = machine_label(entry) if entry.fuzzy and entry.msgstr else None
        if provider is None:
            continue
        protected = protect(entry.previous_msgid or entry.msgid)
        raw = protected.text if provider == COPY else cache.get(
            provider, source, lang, protected.text)
        if raw is not None and restore(protected, raw).text != entry.msgstr:
            drop_label(entry)
            dropped += 1
    return dropped


def _draft_one(
    entry: Entry, protected: Protected, plan: DraftPlan, engine: MachineTranslator,
    cache: TranslationCache, only: str, date: str, source: str,
) -> None:
    report, lang = plan.report, plan.report.lang
    label = engine.name
    if not protected.needs_engine:
        raw, label = protected.text, COPY
    else:
        cached = cache.get(engine.name, source, lang, protected.text)
        if cached is None:
            outcome = engine.translate(protected.text)
            if outcome.problem:
                report.rejected.append(Rejection(report.file, entry.line, outcome.problem,
                                                 entry.key))
                return
            raw = outcome.text
        else:
            raw = cached
            report.cached += 1
    draft = restore(protected, raw)
    if draft.problem:
        report.rejected.append(Rejection(report.file, entry.line,
                                         f"draft rejected: {draft.problem}", entry.key))
        return
    if label != COPY:
        cache.put(engine.name, source, lang, protected.text, raw)
    if only == "fuzzy":
        report.proposed += 1
        plan.dirty |= add_proposal(entry, draft.text, label, date)
        return
    mark_draft(entry, draft.text, label, date)
    if label == COPY:
        report.copied += 1
    else:
        report.drafted += 1
    plan.dirty = True


def _save(config: Config, plan: DraftPlan, result: TranslateResult) -> None:
    """Write the PO file if it changed since the last save (atomically)."""
    if not plan.dirty:
        return
    plan.catalog.header["PO-Revision-Date"] = po_stamp()
    path = config.po_path(plan.report.lang, plan.report.doc)
    # Written as update writes it (po_wrap), so a wrapped PO does not churn after drafting.
    width, previous = wrap_for(config.po_wrap, path.read_text(encoding="utf-8")
                               if path.exists() else None)
    text = render_catalog(plan.catalog, wrap=width, previous=previous)
    if write_atomic(path, text) and plan.report.file not in result.written:
        result.written.append(plan.report.file)
    plan.dirty = False


def _relocate(config: Config, result: TranslateResult) -> None:
    """Point each rejection at its entry's line in the PO file as the run left it.

    Drafts above an entry add comment lines, so the line read before drafting is stale.
    """
    for report in result.catalogs:
        if not report.rejected:
            continue
        catalog = load_catalog(config, report.lang, report.doc)
        lines = {e.key: e.line for e in catalog.entries} if catalog else {}
        report.rejected = [replace(r, line=lines.get(r.key, r.line)) for r in report.rejected]


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
