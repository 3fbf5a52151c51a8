"""Documents whose original is gone: what they left behind, and retiring it (`update --prune`).

A document is *retired* when ``source/<src>/<doc>.md`` no longer exists but
its POT, a PO, a sync state, a translated Markdown or ``output/<doc>/`` does.
`update` reports each one; ``--prune`` retires it:

* every PO goes to ``attic/<lang>/<doc>.po`` (beside ``locale/``, at the
  publication root), its entries all obsolete (``#~``): its translated entries
  and those with translator comments, plus the obsolete ones it had; an entry
  with nothing a translator wrote is dropped. An archive already there (the
  document was retired before) keeps its entries too. The attic is outside
  ``locale/`` so no gettext tool, translation platform or bitext command takes
  an archive for a live catalog; a document coming back under that name can
  get its translations back with ``msgcat`` or by copying the file to
  ``locale/<lang>/LC_MESSAGES/<doc>.po`` (obsolete entries are revived by key).
* a translated Markdown edited since the last update (its digest is not the
  sync state's) goes to ``attic/<lang>/<doc>.md``, since those edits are not in
  the PO yet;
* the archives are written as one journalled step (`pipeline.adapters.journal`);
  only then are the POT, the POs, the sync states, the translated Markdown and
  ``output/<doc>/`` removed, each only if it is still as it was read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.adapters.fs import read_text
from pipeline.adapters.journal import Group, Stamp, commit, stamp
from pipeline.adapters.publication import load_state, state_path
from pipeline.config import Config, name_problem
from pipeline.errors import BitextError
from pipeline.keys import digest

if TYPE_CHECKING:  # catalogs are read only when a document is retired (start-up time)
    from pipeline.catalog import Catalog, Entry

ATTIC = "attic"


@dataclass
class Retired:
    """A document without an original: the files it left (root-relative), what pruning did."""

    doc: str
    files: list[str]
    archived: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed while pruning: left alone


def attic_path(config: Config, lang: str, doc: str, suffix: str = ".po") -> Path:
    return config.root / ATTIC / lang / f"{doc}{suffix}"


def find_retired(config: Config) -> list[Retired]:
    """Every document whose original is gone but whose files are still there, by name."""
    # Every update ends here, the no-op too: names from one listing a folder (`_stems`),
    # and the longest name allowed worked out once, not once a name.
    names = _stems(config.locale_dir, ".pot")
    for lang in config.target_langs:
        folder = config.po_path(lang, "x").parent
        names |= _stems(folder, ".po") | _stems(folder, ".sync.json")
        names |= _stems(config.source_dir / lang, ".md")
    if config.output_dir.is_dir():
        names |= {p.name for p in config.output_dir.iterdir() if p.is_dir()}
    longest = config.max_name_bytes
    out = []
    for doc in sorted(names):
        if name_problem(doc, longest):
            continue  # not a document name bitext would have made
        if config.source_path(config.source_lang, doc).exists():
            continue
        files = [config.relative(p) for p in _left_behind(config, doc)]
        if files:
            out.append(Retired(doc, files))
    return out


def retire(config: Config, retired: list[Retired], *, dry_run: bool = False) -> None:
    """Archive each retired document's translations, then remove its files (see above)."""
    attic = config.root / ATTIC
    if retired and (attic.is_symlink() or (attic.exists() and not attic.is_dir())):
        raise BitextError("must be a folder of the publication to keep retired translations "
                          "in; nothing was removed", path=ATTIC)
    for item in retired:
        paths = _left_behind(config, item.doc)
        read = {p: stamp(p) for p in paths if p.is_file()}
        archives: dict[Path, str] = {}
        for lang in config.target_langs:
            archives.update(_archives(config, lang, item.doc))
        item.archived = [config.relative(p) for p in archives]
        if dry_run:
            item.removed = [config.relative(p) for p in paths]
            continue
        try:
            archive_read = {p: stamp(p) for p in archives}
        except OSError as exc:  # attic/<lang> is a file, say
            raise BitextError(f"cannot keep the retired translations here: {exc.strerror}; "
                              "nothing was removed", path=ATTIC) from exc
        done = commit(config.root, [Group(archives, archive_read)])
        if done.changed:  # an archive saved meanwhile: remove nothing, the next run retries
            item.kept = [config.relative(p) for p in paths]
            continue
        for path in paths:
            if _remove(path, read.get(path)):
                item.removed.append(config.relative(path))
            else:
                item.kept.append(config.relative(path))


def _archives(config: Config, lang: str, doc: str) -> dict[Path, str]:
    from pipeline.adapters.po import parse_catalog, render_catalog

    files: dict[Path, str] = {}
    po = config.po_path(lang, doc)
    if po.is_file():
        shown = config.relative(po)
        catalog = parse_catalog(read_text(po, shown=shown), shown=shown)
        target = attic_path(config, lang, doc)
        before = None
        if target.is_file():
            before = parse_catalog(read_text(target, shown=config.relative(target)),
                                   shown=config.relative(target))
        files[target] = render_catalog(_archived(catalog, before, doc))
    md = config.source_path(lang, doc)
    if md.is_file():
        text = read_text(md, shown=config.relative(md))
        state = load_state(config, lang, doc) if state_path(config, lang, doc).is_file() else None
        if state is None or state.files.get("markdown") != digest(text):
            files[attic_path(config, lang, doc, ".md")] = text
    return files


def _archived(catalog: Catalog, before: Catalog | None, doc: str) -> Catalog:
    """All that a translator wrote in ``catalog`` (and an earlier archive), as obsolete entries."""
    from pipeline.catalog import Catalog

    kept: dict[tuple[str | None, str], Entry] = {}
    for entry in [*(before.obsolete if before else []), *catalog.obsolete, *(
            e for e in catalog.entries if e.has_translation or e.translator_comments)]:
        kept[entry.msgctxt, entry.msgid] = replace(entry, obsolete=True, line=0)
    header_comment = catalog.header_comment or ""
    note = f"Retired by `bitext update --prune`: the original of {doc} was deleted."
    if note not in header_comment:
        header_comment = f"{header_comment}\n{note}".strip()
    return Catalog(header=dict(catalog.header), entries=[], obsolete=list(kept.values()),
                   header_comment=header_comment)


def _left_behind(config: Config, doc: str) -> list[Path]:
    paths = [config.pot_path(doc)]
    for lang in config.target_langs:
        paths += [config.po_path(lang, doc), state_path(config, lang, doc),
                  config.source_path(lang, doc)]
    paths.append(config.output_dir / doc)
    return [p for p in paths if p.exists() or p.is_symlink()]


def _remove(path: Path, was: Stamp | None) -> bool:
    """Remove a file still as it was read, or a folder of built outputs; False if left alone."""
    if path.is_dir() and not path.is_symlink():
        import shutil  # here: every update lists the retired, few remove a folder (2 ms)

        shutil.rmtree(path)
        return True
    if was is not None and stamp(path) != was:
        return False
    path.unlink()
    return True


def _stems(folder: Path, suffix: str) -> set[str]:
    """What ``folder.glob("*" + suffix)`` finds, as names without ``suffix`` (".po" is no
    document's: a name the suffix alone is left out, as `name_problem` would)."""
    try:
        with os.scandir(folder) as entries:
            return {e.name[:-len(suffix)] for e in entries
                    if e.name.endswith(suffix) and len(e.name) > len(suffix)}
    except OSError:  # no such folder (or not one): nothing there, as glob would say
        return set()
