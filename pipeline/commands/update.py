"""`bitext update`: template, merge, translated Markdown, for each document.

For each document: segment the original, regenerate ``locale/<doc>.pot``,
merge it into each language's PO (order-aware, see `pipeline.catalog`),
and rewrite ``source/<lang>/<doc>.md`` from the PO. Everything is computed
first and written last, each file atomically and only if its bytes change,
so a failure leaves every file as it was and a second run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.adapters.fs import publication_lock, read_text, write_all
from pipeline.adapters.po import render_catalog
from pipeline.catalog import (
    Catalog,
    Entry,
    MergeStats,
    catalog_from_template,
    merge_catalog,
    template_from_segments,
)
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.publication import (
    Original,
    header_for,
    load_catalog,
    load_original,
    load_template,
    now_stamp,
    render_translation,
)
from pipeline.segments import parse_document


@dataclass
class LanguageUpdate:
    """What `update` did for one document in one language."""

    doc: str
    lang: str
    stats: MergeStats
    created: bool = False
    bootstrapped: bool = False


@dataclass
class UpdateResult:
    languages: list[LanguageUpdate] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def update(config: Config, docs: list[str], *, dry_run: bool = False) -> UpdateResult:
    """Update every document in ``docs``; write nothing if any of them fails."""
    result = UpdateResult()
    files: dict[Path, str] = {}
    with publication_lock(config.root):
        for doc in docs:
            original = load_original(config, doc)
            files.update(_update_document(config, original, result))
        if not dry_run:
            result.written = [config.relative(p) for p in write_all(files)]
    return result


def _update_document(config: Config, original: Original, result: UpdateResult) -> dict[Path, str]:
    doc = original.doc
    template = template_from_segments(original.document.segments, original.path)
    old_template = load_template(config, doc)
    pot = Catalog(
        header=header_for(None, doc, old_template.header if old_template else None),
        entries=template,
        header_comment=f"Segments of {original.path}, extracted by bitext. Do not edit.",
    )
    files = {config.pot_path(doc): _stamped(pot, old_template, "POT-Creation-Date")}
    for lang in config.target_langs:
        old = load_catalog(config, lang, doc)
        report = LanguageUpdate(doc=doc, lang=lang, stats=MergeStats())
        if old is None:
            old = _bootstrap(config, original, lang, template)
            report.created = True
            report.bootstrapped = bool(old.entries)
        elif old_template is not None:
            _check_against_template(config, lang, doc, old, old_template)
        merged, report.stats = merge_catalog(old, template)
        merged.header = header_for(lang, doc, old.header)
        merged.header["POT-Creation-Date"] = pot.header["POT-Creation-Date"]
        if not merged.header_comment:
            merged.header_comment = (
                f"{Path(original.path).stem}: translation into {lang}. "
                "msgid: the original segment; msgstr: its translation."
            )
        po_text = _stamped(merged, None if report.created else old, "PO-Revision-Date")
        files[config.po_path(lang, doc)] = po_text
        files[config.source_path(lang, doc)] = render_translation(
            original.document, merged, lang
        )
        result.languages.append(report)
    return files


def _stamped(catalog: Catalog, old: Catalog | None, date_field: str) -> str:
    """Render ``catalog``; refresh its date field only when its content changed."""
    catalog.header[date_field] = (old.header.get(date_field, "") if old else "") or now_stamp()
    text = render_catalog(catalog)
    if old is not None:
        previous = Catalog(header=dict(old.header), entries=old.entries, obsolete=old.obsolete,
                           header_comment=old.header_comment)
        previous.header[date_field] = catalog.header[date_field]
        if render_catalog(previous) != text:
            catalog.header[date_field] = now_stamp()
            text = render_catalog(catalog)
    return text


def _bootstrap(config: Config, original: Original, lang: str, template: list[Entry]) -> Catalog:
    """A first catalog; an existing translated Markdown of the same shape fills it in.

    When ``source/<lang>/<doc>.md`` exists and has the same segments (kinds
    and count) as the original, segment i translates segment i. A document
    of another shape is refused: aligning it is `bitext align`'s job.
    """
    catalog = catalog_from_template(template, {})
    path = config.source_path(lang, original.doc)
    if not path.exists():
        return catalog
    shown = config.relative(path)
    translated = parse_document(read_text(path, shown=shown), path=shown,
                                prose_keys=config.prose_keys).segments
    source = original.document.segments
    if [s.kind for s in translated] != [s.kind for s in source]:
        raise BitextError(
            f"exists but has no catalog, and its {len(translated)} segments do not match the "
            f"original's {len(source)} one for one; build the catalog with "
            f"`bitext align {original.path} {shown}`",
            path=shown,
        )
    for entry, segment in zip(catalog.entries, translated, strict=True):
        entry.msgstr = segment.text
    return catalog


def _check_against_template(
    config: Config, lang: str, doc: str, catalog: Catalog, template: Catalog
) -> None:
    """An active PO entry must come from the template it was merged with (not added by hand)."""
    known = {e.msgid for e in template.entries}
    for entry in catalog.entries:
        if entry.msgid not in known:
            raise BitextError(
                f"msgid {_preview(entry.msgid)} is not in the template "
                f"{config.relative(config.pot_path(doc))} and is not obsolete; "
                "remove it or mark it obsolete (#~)",
                path=config.relative(config.po_path(lang, doc)),
                line=entry.line or None,
            )


def _preview(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= width else text[: width - 1] + "…")
