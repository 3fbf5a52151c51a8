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
3. *Render.* One pandoc parse per language, then per document one pandoc
   request for all HTML and EPUB bodies, one for all typst sources and pieces,
   and one typst compile per PDF (a bilingual one measured first): all on a
   thread pool of ``jobs`` workers, each with its pandoc session.
4. *Write.* Every file atomically, only inside ``output/``, then the cache
   record. Every output path is checked (`Config.inside`: a symbolic link is
   refused unless ``allow_symlinks``, one out of the publication always) when
   planned, before anything is rendered, and again before the first write.

The flags and ``[tool.bitext.build]`` are resolved once, into one
`BuildSettings` (`pipeline.render.settings`) that every step reads.

Reproducible: an edition's date is the front matter's ``date``, else
``[tool.bitext.build] date``, else the day of the last git commit that
touched the original (`pipeline.adapters.git`, when there is one), else
none: never the day of the build, which is in no cache key either, so an
edition rebuilds to the same bytes on another day. Planning resolves each
document's metadata (`pipeline.render.metadata`; a bad front-matter value
stops the build here, with its line) and puts it in the cache key and in
the settings. An EPUB's modification time is ``SOURCE_DATE_EPOCH`` when set,
else midnight UTC of the edition's date, else a fixed 1980-01-01; a PDF's
dates are the edition's date (typst's document date wins over its compile
time stamp), else ``SOURCE_DATE_EPOCH``, else none. EPUB identifiers are
fixed per edition.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.adapters.fs import publication_lock, read_bytes, read_text, write_atomic
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.metadata import Metadata, PubDate, front_metadata, resolve
from pipeline.render.metadata import fingerprint as meta_fingerprint
from pipeline.render.options import EDITION_FORMATS, Edition, editions_for
from pipeline.render.settings import BuildProgress, BuildSettings, build_settings

MANIFEST = ".bitext-build.json"


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
class EditionPlan:
    """One document's outputs to (re)build, its cache key and its cache record as read."""

    doc: str
    key: str
    stale: dict[str, tuple[Edition, str]]  # filename -> (edition, format)
    manifest: dict[str, Any]


def build(
    config: Config, docs: list[str], *, formats: tuple[str, ...] | None = None,
    editions: tuple[str, ...] | None = None, release: bool = False, jobs: int | None = None,
    force: bool = False, progress: BuildProgress | None = None,
) -> BuildResult:
    """Build ``docs`` (see the module docstring); ``progress(done, total, name)`` per file."""
    settings = build_settings(config, formats=formats, editions=editions, release=release,
                              jobs=jobs)
    settings = replace(settings, cover=_cover(config, settings))
    fingerprint = _fingerprint(config, settings)
    result = BuildResult()
    with publication_lock(config.root):
        if release:  # before the cache: an up-to-date output is no excuse for a conflict
            result.refused.extend(_open_conflicts(config, settings, docs))
            if result.refused:
                return result
        texts = {doc: _original(config, settings, doc) for doc in docs}
        metadata = _metadata(config, settings, texts)
        plans = [_plan(config, settings, doc, fingerprint, force, result, texts[doc][1],
                       metadata[doc]) for doc in docs]
        settings = replace(settings, metadata=metadata)
        stale = [p for p in plans if p.stale]
        if stale:
            _render(config, settings, stale, progress=progress, result=result)
    return result


def _fingerprint(config: Config, settings: BuildSettings) -> str:
    """Everything of this build, besides the documents, that changes an output."""
    from pipeline.adapters.pandoc import pandoc_version
    from pipeline.adapters.typst import typst_version
    from pipeline.render.assets import assets_digest

    options = settings.options
    epoch = settings.source_date_epoch
    # versions from the installed files' identity, not importlib.metadata (slow)
    parts = [
        __version__, pandoc_version(), typst_version(), assets_digest(), options.fingerprint(),
        settings.source_lang, ",".join(settings.target_langs), settings.footnote_style,
        ",".join(config.prose_keys), f"release={settings.release}",
        f"threshold={options.release_threshold}", "" if epoch is None else str(epoch),
        hashlib.sha256(settings.cover).hexdigest() if settings.cover else "",
        # the editions an HTML page links to (its language switch)
        ",".join(settings.options.editions),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _cover(config: Config, settings: BuildSettings) -> bytes | None:
    """The bytes of the config's ``cover`` (a path inside the publication), or None."""
    name = settings.options.cover
    if not name or "epub" not in settings.formats:
        return None
    path = config.inside(config.root / name)
    shown = config.relative(path)
    if not path.is_file():
        raise BitextError("no such cover image (tool.bitext.build.cover)", path=shown)
    data = read_bytes(path, shown=shown)
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise BitextError("the cover is not a PNG or JPEG image", path=shown)
    return data


def _original(config: Config, settings: BuildSettings, doc: str) -> tuple[Path, str]:
    source = config.source_path(settings.source_lang, doc)
    return source, read_text(source, shown=config.relative(source))


def _metadata(config: Config, settings: BuildSettings,
              texts: dict[str, tuple[Path, str]]) -> dict[str, Metadata]:
    """Each document's metadata: front matter, then config, then the last commit's date.

    git is asked once per build, for the undated originals only (a publication of many
    documents does not start a process per document)."""
    config_meta = settings.options.metadata()
    fronts = {doc: front_metadata(text, path=config.relative(path))
              for doc, (path, text) in texts.items()}
    undated = [texts[doc][0] for doc, (_, given) in fronts.items()
               if "date" not in given and config_meta.date is None]
    commits: dict[Path, dt.date] = {}
    if undated:
        from pipeline.adapters.git import last_commit_dates

        commits = last_commit_dates(undated)
    out = {}
    for doc, (front, given) in fronts.items():
        day = commits.get(texts[doc][0])
        commit = PubDate(day.year, day.month, day.day) if day else None
        out[doc] = resolve(front, given, config_meta, commit)
    return out


def _plan(config: Config, settings: BuildSettings, doc: str, fingerprint: str, force: bool,
          result: BuildResult, text: str, metadata: Metadata) -> EditionPlan:
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(text.encode("utf-8"))
    digest.update(b"\0" + meta_fingerprint(metadata).encode("utf-8"))
    for lang in settings.target_langs:
        po = config.po_path(lang, doc)
        digest.update(b"\0" + lang.encode())
        if po.exists():
            digest.update(read_text(po, shown=config.relative(po)).encode("utf-8"))
    key = digest.hexdigest()
    folder = _output_folder(config, settings, doc)
    manifest = _read_manifest(_output_file(config, folder, MANIFEST))
    stale: dict[str, tuple[Edition, str]] = {}
    for edition in editions_for(doc, settings.source_lang, settings.target_langs,
                                settings.editions, settings.options.layouts):
        for fmt in EDITION_FORMATS:
            if fmt not in settings.formats or not edition.makes(fmt):
                continue
            name = edition.filename(fmt)
            record = manifest.get(name)
            path = _output_file(config, folder, name)
            if not force and isinstance(record, dict) and record.get("key") == key \
                    and _same_file(path, record):
                result.unchanged.append(config.relative(path))
            else:
                stale[name] = (edition, fmt)
    return EditionPlan(doc=doc, key=key, stale=stale, manifest=manifest)


def _open_conflicts(config: Config, settings: BuildSettings, docs: list[str]) -> list[str]:
    """A release is refused while a translated Markdown has a conflict open (one line each)."""
    from pipeline.adapters.publication import open_conflicts

    return [line for doc in docs for lang in settings.target_langs
            for line in open_conflicts(config, lang, doc).located()]


def _same_file(path: Path, record: dict[str, Any]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == record.get("size") and stat.st_mtime_ns == record.get("mtime_ns")


def _output_folder(config: Config, settings: BuildSettings, doc: str) -> Path:
    """``output/<doc>``, checked; refusing anything (a link, say) that leaves ``output/``."""
    folder = config.inside(settings.output_dir / doc, fresh=True)
    if folder.resolve().parent != settings.output_dir.resolve():
        raise BitextError("output folder leaves the output directory",
                          path=config.relative(folder))
    return folder


def _output_file(config: Config, folder: Path, name: str) -> Path:
    """``folder/name``, checked; refusing a file that resolves outside its folder."""
    path = config.inside(folder / name, fresh=True)
    if path.resolve().parent != folder.resolve():
        raise BitextError("output file leaves its folder", path=config.relative(path))
    return path


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_text(path))
    except (ValueError, BitextError):
        return {}  # a damaged cache record only costs a rebuild
    return data if isinstance(data, dict) else {}


def _render(config: Config, settings: BuildSettings, plans: list[EditionPlan], *,
            progress: BuildProgress | None, result: BuildResult) -> None:
    from pipeline.render.run import render_all

    rendered = render_all(config, {p.doc: dict(p.stale) for p in plans}, settings,
                          progress=progress)
    result.warnings.extend(rendered.warnings)
    if rendered.refused:
        result.refused.extend(rendered.refused)
        return
    outputs = rendered.outputs
    # Every path once more, all before the first write (the disk may have changed meanwhile).
    targets = {plan.doc: _output_folder(config, settings, plan.doc) for plan in plans}
    for plan in plans:
        for name in (*plan.stale, MANIFEST):
            _output_file(config, targets[plan.doc], name)
    for plan in plans:
        folder = targets[plan.doc]
        manifest = dict(plan.manifest)
        for name in plan.stale:
            path = folder / name
            data = outputs[(plan.doc, name)]
            if _write(config, path, data):
                result.written.append(config.relative(path))
            else:
                result.identical.append(config.relative(path))
            stat = path.stat()
            manifest[name] = {"key": plan.key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        _write(config, folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def _write(config: Config, path: Path, data: str | bytes) -> bool:
    """`write_atomic`, a failure named as the user sees the file (the file is left as it was;
    the document's cache record is written last, so the next build redoes it)."""
    try:
        return write_atomic(path, data)
    except OSError as exc:
        shown = config.relative(path)
        if exc.errno == errno.ENOSPC:
            raise BitextError(f"disk full while writing {shown}; it was left as it was, and "
                              "the next build writes it again") from exc
        raise BitextError(f"cannot write: {exc.strerror}", path=shown) from exc

