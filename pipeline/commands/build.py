"""`bitext build`: render each document's editions into ``output/<doc>/``.

Outputs are ``<doc>.<lang>.<ext>`` per language and ``<doc>.<src>-<tgt>.<ext>``
for the bilingual edition, ext in html, epub, pdf. Each edition is built
from the original's structure and the catalog's translations (never from
``source/<lang>/*.md``, whose draft marks must not reach an edition).

The run, in order:

1. *Plan.* Hash each document's inputs (the original, every catalog), the
   options and the tool versions (bitext, pandoc, typst, templates, fonts).
   An output whose recorded hash (``output/<doc>/.bitext-build.json``)
   matches, and whose file is still there as written, is not rebuilt; with
   nothing to do the run reads only those inputs.
2. *Check.* Load and pair every stale document; bad input raises
   `BitextError` before anything is written. ``--release`` refuses (result
   ``refused``, exit 1, nothing written) a translation below
   ``release_threshold`` percent reviewed.
3. *Render.* One pandoc parse per language, then per document one pandoc run
   for all HTML editions, one for all typst sources, one per EPUB, and one
   typst compile per PDF: all on a thread pool of ``jobs`` workers.
4. *Write.* Every file atomically, only inside ``output/``, then the cache
   record.

Reproducible: EPUB and PDF dates come from ``SOURCE_DATE_EPOCH`` when set,
else from the edition's date; EPUB identifiers are fixed per edition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.adapters.fs import publication_lock, read_text, write_atomic
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.options import (
    FORMATS,
    BuildOptions,
    build_options,
    edition_names,
    editions_for,
)

Progress = Callable[[int, int, str], None]
MANIFEST = ".bitext-build.json"
PACKAGE = Path(__file__).resolve().parent.parent
_ASSET_FILES = ("templates/edition.html", "templates/edition.typ",
                "assets/edition.css", "assets/epub.css")


@dataclass
class BuildResult:
    """What `build` did: files written, files up to date, rebuilt to the same bytes, refusals.

    ``unchanged``: outputs the cache says are up to date (not rebuilt);
    ``identical``: outputs rebuilt (changed inputs, or ``force``) to the bytes already there,
    so not rewritten.
    """

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    doc: str
    key: str
    stale: dict[str, tuple[Any, str]]  # filename -> (edition, format)
    manifest: dict[str, Any]


def build(
    config: Config, docs: list[str], *, formats: tuple[str, ...] | None = None,
    editions: tuple[str, ...] | None = None, release: bool = False, jobs: int | None = None,
    force: bool = False, progress: Progress | None = None,
) -> BuildResult:
    """Build ``docs`` (see the module docstring); ``progress(done, total, name)`` per file."""
    options = build_options(config)
    formats = formats or options.formats
    wanted = editions or options.editions or edition_names(config)
    for name in wanted:
        if name not in edition_names(config):
            raise BitextError(f"unknown edition {name!r} (known: "
                              f"{', '.join(edition_names(config))})")
    today = _today()
    fingerprint = _fingerprint(config, options, release, today)
    result = BuildResult()
    with publication_lock(config.root):
        plans = [_plan(config, doc, formats, wanted, fingerprint, force, result) for doc in docs]
        stale = [p for p in plans if p.stale]
        if stale:
            _render(config, stale, options, release=release, today=today,
                    jobs=jobs or os.cpu_count() or 2, progress=progress, result=result)
    return result


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


_ASSETS_DIGEST: dict[str, str] = {}


def _assets_digest() -> str:
    """A hash of the templates, styles and fonts, and the identity of bitext's own code.

    Computed once per process. The code counts by file size and time (a stat each), so
    an edited renderer rebuilds what it renders even before the version number moves.
    """
    if "value" not in _ASSETS_DIGEST:
        from pipeline.adapters.pandoc import file_digest, files_identity

        paths = [PACKAGE / name for name in _ASSET_FILES]
        paths += sorted((PACKAGE / "assets" / "fonts").glob("*.ttf"))
        code = files_identity(sorted(PACKAGE.rglob("*.py")))
        _ASSETS_DIGEST["value"] = file_digest(paths) + code
    return _ASSETS_DIGEST["value"]


def _fingerprint(config: Config, options: BuildOptions, release: bool, today: dt.date) -> str:
    from pipeline.adapters.pandoc import pandoc_version
    from pipeline.adapters.typst import typst_version

    # versions from the installed files' identity, not importlib.metadata (slow)
    parts = [
        __version__, pandoc_version(), typst_version(), _assets_digest(), options.fingerprint(),
        config.source_lang, ",".join(config.target_langs), config.footnote_style,
        ",".join(config.prose_keys), f"release={release}",
        f"threshold={options.release_threshold}", today.isoformat(),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _plan(config: Config, doc: str, formats: tuple[str, ...], wanted: tuple[str, ...],
          fingerprint: str, force: bool, result: BuildResult) -> _Plan:
    digest = hashlib.sha256(fingerprint.encode())
    source = config.source_path(config.source_lang, doc)
    digest.update(read_text(source, shown=config.relative(source)).encode("utf-8"))
    for lang in config.target_langs:
        po = config.po_path(lang, doc)
        digest.update(b"\0" + lang.encode())
        if po.exists():
            digest.update(read_text(po, shown=config.relative(po)).encode("utf-8"))
    key = digest.hexdigest()
    folder = _output_folder(config, doc)
    manifest = _read_manifest(folder / MANIFEST)
    stale: dict[str, tuple[Any, str]] = {}
    for edition in editions_for(doc, config.source_lang, config.target_langs, wanted):
        for fmt in FORMATS:
            if fmt not in formats:
                continue
            name = edition.filename(fmt)
            record = manifest.get(name)
            path = folder / name
            if not force and isinstance(record, dict) and record.get("key") == key \
                    and _same_file(path, record):
                result.unchanged.append(config.relative(path))
            else:
                stale[name] = (edition, fmt)
    return _Plan(doc=doc, key=key, stale=stale, manifest=manifest)


def _same_file(path: Path, record: dict[str, Any]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == record.get("size") and stat.st_mtime_ns == record.get("mtime_ns")


def _output_folder(config: Config, doc: str) -> Path:
    """``output/<doc>``, refusing anything (a symlink, say) that resolves outside ``output/``."""
    base = config.output_dir.resolve()
    folder = (config.output_dir / doc).resolve()
    if folder.parent != base:
        raise BitextError("output folder leaves the output directory",
                          path=config.relative(config.output_dir / doc))
    return folder


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_text(path))
    except (ValueError, BitextError):
        return {}  # a damaged cache record only costs a rebuild
    return data if isinstance(data, dict) else {}


def _render(config: Config, plans: list[_Plan], options: BuildOptions, *, release: bool,
            today: dt.date, jobs: int, progress: Progress | None, result: BuildResult) -> None:
    from pipeline.render.run import render_all

    rendered = render_all(config, {p.doc: dict(p.stale) for p in plans}, options,
                          release=release, today=today, jobs=jobs, progress=progress)
    result.warnings.extend(rendered.warnings)
    if rendered.refused:
        result.refused.extend(rendered.refused)
        return
    outputs = rendered.outputs
    for plan in plans:
        folder = _output_folder(config, plan.doc)
        manifest = dict(plan.manifest)
        for name in plan.stale:
            path = folder / name
            if path.resolve().parent != folder:
                raise BitextError("output file leaves its folder", path=config.relative(path))
            data = outputs[(plan.doc, name)]
            if write_atomic(path, data):
                result.written.append(config.relative(path))
            else:
                result.identical.append(config.relative(path))
            stat = path.stat()
            manifest[name] = {"key": plan.key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")

