"""`bitext export`: the catalogs as XLIFF 1.2 or 2.0 for a CAT tool, or as a TMX memory.

Reads the PO files as they are (run `bitext update` first for catalogs that
follow the originals); writes nothing but the exported file, which the
caller (`pipeline.cli`) saves or prints. The formats are `pipeline.exchange`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import __version__
from pipeline.adapters.publication import load_catalog
from pipeline.catalog import Catalog
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.exchange.tmx import Pair, write_tmx
from pipeline.exchange.xliff import File, Unit, write_xliff12, write_xliff20
from pipeline.languages import language

FORMATS = ("xliff", "xliff2", "tmx")


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    format: str
    documents: int
    units: int
    langs: tuple[str, ...]


def export(config: Config, docs: list[str], *, fmt: str = "xliff",
           langs: list[str] | None = None) -> ExportResult:
    """The export of ``docs`` in ``langs`` (default: every target language; XLIFF 2.0
    holds one, so it needs one language)."""
    if fmt not in FORMATS:
        raise BitextError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    chosen = [language(lang).tag for lang in langs] if langs else list(config.target_langs)
    unknown = [lang for lang in chosen if lang not in config.target_langs]
    if unknown:
        raise BitextError(f"--lang: {', '.join(unknown)} is not a target language of this "
                          f"publication ({', '.join(config.target_langs)})")
    if fmt == "xliff2" and len(chosen) > 1:
        raise BitextError("an XLIFF 2.0 file holds one target language; choose one with --lang")
    source_lang = language(config.source_lang).tag
    catalogs = [(doc, lang, _catalog(config, lang, doc)) for doc in docs for lang in chosen]
    if fmt == "tmx":
        pairs = [Pair(e.key, doc, e.msgid, e.msgstr, language(lang).tag,
                      catalog.header.get("PO-Revision-Date", ""))
                 for doc, lang, catalog in catalogs for e in catalog.entries
                 if e.msgid and e.translated and not e.msgid_plural]
        data = write_tmx(pairs, source_lang=source_lang, tool_version=__version__)
        return ExportResult(data, fmt, len(docs), len(pairs), tuple(chosen))
    files = [File(config.relative(config.source_path(config.source_lang, doc)), source_lang,
                  language(lang).tag, tuple(_units(catalog)))
             for doc, lang, catalog in catalogs]
    write = write_xliff12 if fmt == "xliff" else write_xliff20
    return ExportResult(write(files, tool_version=__version__), fmt, len(docs),
                        sum(len(f.units) for f in files), tuple(chosen))


def _catalog(config: Config, lang: str, doc: str) -> Catalog:
    catalog = load_catalog(config, lang, doc)
    if catalog is None:
        raise BitextError("no catalog yet; run `bitext update` first",
                          path=config.relative(config.po_path(lang, doc)))
    return catalog


def _units(catalog: Catalog) -> list[Unit]:
    return [Unit(
        key=e.key, source=e.msgid, target=e.msgstr,
        state="translated" if e.translated else "fuzzy" if e.fuzzy and e.msgstr else "new",
        previous=e.previous_msgid, kind=e.kind, label=e.label, context=e.msgctxt,
        comments=tuple(e.translator_comments), locations=tuple(e.references),
    ) for e in catalog.entries if e.msgid and not e.msgid_plural]
