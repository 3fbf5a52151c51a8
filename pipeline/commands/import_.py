"""`bitext import`: a CAT tool's XLIFF back into the PO files, as a PO edit.

1. Every file is read first (`pipeline.exchange.xliff`: untrusted XML, no
   entities, no DTD); a malformed one stops the run before anything changes.
2. `bitext update` runs (the caller passes it in: no command imports another),
   so the catalogs match the originals.
3. Each unit is found by its id (the segment key), else by its source text
   (po2xliff's numbered units). Its target becomes the entry's msgstr, with
   its state: reviewed (1.2 ``approved="yes"``, 2.0 ``reviewed``/``final``)
   is translated, anything else fuzzy. A unit whose source is no longer the
   current original (the original was edited since the export) is taken in
   as fuzzy, with a notice, never as translated. A unit whose inline codes
   were lost, repeated or reordered is refused, and so is an unknown id;
   nothing is written for them. Units whose target and state did not change
   change nothing.
4. Each PO file is written as `update` writes it (``po_wrap``), through the
   journal with the stamp taken before it was read, so an editor's save
   meanwhile wins (`pipeline.adapters.journal`).
5. `bitext update` runs again: the sync state and ``source/<lang>/<doc>.md``
   follow the PO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.adapters.fs import read_bytes, read_text
from pipeline.adapters.journal import Group, commit, stamp
from pipeline.adapters.lock import publication_lock
from pipeline.adapters.po import parse_catalog, render_catalog, wrap_for
from pipeline.catalog import Catalog, Entry
from pipeline.clock import po_stamp
from pipeline.commands import UpdateOutcome, UpdateRun
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.exchange.xliff import ReadFile, ReadUnit, read_xliff
from pipeline.languages import UnknownLanguage, language
from pipeline.translate import drop_label, machine_label


@dataclass(frozen=True)
class ImportNotice:
    """A unit of an XLIFF file and what happened to it: ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ImportResult:
    imported: int = 0  # entries changed
    unchanged: int = 0
    notices: list[ImportNotice] = field(default_factory=list)  # taken in as fuzzy: source changed
    refused: list[ImportNotice] = field(default_factory=list)  # codes broken, unknown ids
    written: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # PO files saved meanwhile: not written
    update: UpdateOutcome | None = None

    @property
    def failed(self) -> bool:
        return bool(self.refused or self.changed) or bool(self.update and self.update.failed)


@dataclass
class _Target:
    """The units of one (document, language), from every file given."""

    doc: str
    lang: str
    units: list[tuple[str, ReadUnit]] = field(default_factory=list)  # (shown file, unit)


def import_files(config: Config, paths: list[Path], *, update: UpdateRun,
                 lang: str | None = None) -> ImportResult:
    """Import ``paths`` (XLIFF 1.1, 1.2 or 2.0); see the module docstring for the steps."""
    targets: dict[tuple[str, str], _Target] = {}
    for path in paths:
        shown = str(path)
        _version, files = read_xliff(read_bytes(path, shown=shown), shown=shown)
        for file in files:
            doc, tag = _document(config, file, shown, lang)
            targets.setdefault((doc, tag), _Target(doc, tag)).units.extend(
                (shown, unit) for unit in file.units)
    docs = sorted({t.doc for t in targets.values()})
    result = ImportResult()
    if not docs:
        return result
    before = update(config, docs)
    if before.failed:
        raise BitextError("bitext update reports what a translator must resolve before "
                          "importing:\n  " + "\n  ".join(before.problems()))
    with publication_lock(config.root):
        groups = []
        for target in targets.values():
            group = _apply(config, target, result)
            if group is not None:
                groups.append(group)
        done = commit(config.root, groups)
    result.written = [config.relative(p) for p in done.written]
    result.changed = [config.relative(p) for p in done.changed]
    result.update = update(config, docs)
    result.written += [p for p in result.update.written if p not in result.written]
    return result


def _document(config: Config, file: ReadFile, shown: str, lang: str | None) -> tuple[str, str]:
    """The document and target language an XLIFF ``<file>`` is about."""
    original = PurePosixPath(file.original.replace("\\", "/"))
    doc = original.stem
    if original.suffix not in (".md", ".po", ".pot") or doc not in config.list_documents():
        raise BitextError(f"<file original={file.original!r}>: not a document of this "
                          f"publication (expected {config.source_dir.name}/"
                          f"{config.source_lang}/<doc>.md)", path=shown)
    given = file.target_lang or lang or (config.target_langs[0]
                                         if len(config.target_langs) == 1 else "")
    try:
        tag = language(given).tag if given else ""
    except UnknownLanguage as exc:
        raise BitextError(f"target language: {exc.message}", path=shown) from None
    if tag not in config.target_langs:
        raise BitextError(f"target language {given or '(none)'!r} is not one of this "
                          f"publication's ({', '.join(config.target_langs)}); "
                          "give it with --lang", path=shown)
    return doc, tag


def _apply(config: Config, target: _Target, result: ImportResult) -> Group | None:
    """The PO file of ``target`` with its units taken in (None when nothing changes)."""
    path = config.inside(config.po_path(target.lang, target.doc))
    read = {path: stamp(path)}
    shown_po = config.relative(path)
    if not path.exists():
        raise BitextError("no catalog; run `bitext update` first", path=shown_po)
    old_text = read_text(path, shown=shown_po)
    catalog = parse_catalog(old_text, shown=shown_po)
    changed = False
    for shown, unit in target.units:
        changed |= _take(catalog, shown, unit, result)
    if not changed:
        return None
    catalog.header["PO-Revision-Date"] = po_stamp()
    width, previous = wrap_for(config.po_wrap, old_text)
    return Group({path: render_catalog(catalog, wrap=width, previous=previous)}, read)


def _take(catalog: Catalog, shown: str, unit: ReadUnit, result: ImportResult) -> bool:
    """Take one unit into ``catalog``; True when an entry changed."""
    def refuse(message: str) -> bool:
        result.refused.append(ImportNotice(shown, unit.line, f"unit {unit.id!r}: {message}; "
                                                        "not imported"))
        return False

    entry, source_changed = _find(catalog, unit)
    if entry is None:
        if unit.problem and not unit.source:
            return refuse(unit.problem)
        return refuse("unknown id: no segment of this document has it, nor its source "
                      "(removed from the original?)")
    if unit.target is None:
        if unit.problem:
            return refuse(unit.problem)
        return False  # nothing translated there
    if unit.problem and unit.target != entry.msgstr:
        return refuse(unit.problem)
    fuzzy = unit.state != "translated" or source_changed
    if source_changed:
        result.notices.append(ImportNotice(shown, unit.line, f"unit {unit.id!r}: its source is no "
                                      "longer the current original; imported as fuzzy"))
    if entry.msgstr == unit.target and entry.fuzzy == fuzzy:
        result.unchanged += 1
        return False
    if entry.msgstr != unit.target and machine_label(entry) is not None:
        drop_label(entry)  # a person's text now, not the machine's
    entry.msgstr = unit.target
    entry.fuzzy = fuzzy
    if not fuzzy:
        entry.previous_msgid = None
    result.imported += 1
    return True


def _find(catalog: Catalog, unit: ReadUnit) -> tuple[Entry | None, bool]:
    """The entry a unit translates, and whether its source differs from the entry's msgid."""
    active = [e for e in catalog.entries if e.msgid and not e.msgid_plural]
    by_key = next((e for e in active if e.key == unit.id), None)
    if by_key is not None:
        return by_key, by_key.msgid != unit.source
    same = [e for e in active if e.msgid == unit.source]
    if unit.context is not None:
        same = [e for e in same if (e.msgctxt or "") == unit.context] or same
    if same:
        return same[0], False
    # The original changed since the export: update made the entry fuzzy with this source
    # as its previous msgid.
    edited = [e for e in active if e.previous_msgid == unit.source]
    if edited:
        return edited[0], True
    return None, False
