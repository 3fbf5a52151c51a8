"""`bitext status`: how far each translation is, per document and language.

Works on the publication's catalogs, or on any PO files given by path
(Django's, Sphinx's, ...). Counts are of active entries; ``words`` counts
the words of the originals, ``words_translated`` those of translated ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pipeline.adapters.po import read_catalog
from pipeline.adapters.publication import load_catalog, open_conflicts
from pipeline.catalog import Catalog
from pipeline.config import Config
from pipeline.languages import known


@dataclass(frozen=True)
class Status:
    """Translation progress of one catalog."""

    document: str
    lang: str
    file: str
    segments: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    machine: int
    words: int
    words_translated: int
    conflicts: int = 0  # open in the translated Markdown (see adapters.publication)

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.segments, 1) if self.segments else 100.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": self.percent}


def status(config: Config | None, docs: list[str], po_files: list[Path]) -> list[Status]:
    """Status of the publication's ``docs`` (all languages), then of each file in ``po_files``."""
    rows = []
    if config is not None:
        for doc in docs:
            for lang in config.target_langs:
                catalog = load_catalog(config, lang, doc)
                shown = config.relative(config.po_path(lang, doc))
                row = count(catalog or Catalog(), doc, lang, shown)
                rows.append(replace(row, conflicts=open_conflicts(config, lang, doc).count))
    for path in po_files:
        catalog = read_catalog(path, shown=str(path))
        lang = catalog.header.get("Language", "").strip()
        found = known(lang)
        lang = found.tag if found else lang or "?"  # gettext's pt_BR is shown as pt-BR
        rows.append(count(catalog, path.stem, lang, str(path)))
    return rows


def count(catalog: Catalog, document: str, lang: str, file: str) -> Status:
    """Count a catalog's entries by state."""
    entries = [e for e in catalog.entries if e.msgid]
    translated = [e for e in entries if e.translated]
    fuzzy = [e for e in entries if e.fuzzy and e.has_translation]
    return Status(
        document=document,
        lang=lang,
        file=file,
        segments=len(entries),
        translated=len(translated),
        fuzzy=len(fuzzy),
        untranslated=len(entries) - len(translated) - len(fuzzy),
        obsolete=len(catalog.obsolete),
        machine=sum(1 for e in fuzzy if e.machine_draft),
        words=sum(len(e.msgid.split()) for e in entries),
        words_translated=sum(len(e.msgid.split()) for e in translated),
    )


def table(rows: list[Status]) -> list[str]:
    """The text report: a header line, then one line per row, columns aligned.

    The document and language columns are as wide as their longest value
    (at least 20 and 5 characters), so ``zh-Hant`` or ``sr-Latn-RS`` do not
    push the numbers out of their columns. A ``conflicts`` column follows when
    any row has an open conflict.
    """
    doc = max([20, *(len(r.document) for r in rows)])
    lang = max([5, *(len(r.lang) for r in rows)])
    conflicts = any(r.conflicts for r in rows)
    lines = [f"{'document':<{doc}} {'lang':<{lang}} {'segments':>8} {'translated':>10} "
             f"{'fuzzy':>6} {'untransl.':>9} {'obsolete':>8} {'words':>7} {'percent':>8}"
             + (f" {'conflicts':>9}" if conflicts else "")]
    lines.extend(
        f"{r.document:<{doc}} {r.lang:<{lang}} {r.segments:>8} {r.translated:>10} {r.fuzzy:>6} "
        f"{r.untranslated:>9} {r.obsolete:>8} {r.words:>7} {r.percent:>7.1f}%"
        + (f" {r.conflicts:>9}" if conflicts else "")
        for r in rows
    )
    return lines
