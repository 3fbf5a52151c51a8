"""`bitext check`'s results cache: a catalog whose inputs have not changed is not checked again.

``.bitext/check-cache.json`` holds, per document and language, the digest of
everything its findings depend on, with the outcome that digest gave (findings,
suppressed findings, the checks run, the segment keys a JUnit report names, the
sync problem). The digest covers the bytes of the original, the PO, the
translated Markdown and its sync state, of the configuration and the glossary
files, the checks asked for with their levels, and the code that checks (every
file of the ``pipeline`` package: its path, size and modification time, and
bitext's version), so an edit to any of them checks that catalog afresh.

The cache lives in the publication, where anyone who can commit can write it;
a forged entry must not hide a finding from CI. So each digest is also keyed
with a random salt kept outside the publication (``$XDG_CACHE_HOME/bitext/
check-salt``, else ``~/.cache/bitext/check-salt``), made on first use: an entry
written on another machine, or by hand, never matches. With no writable home
the cache is not used. Writing it is best effort: a read-only checkout is
checked as before, only not faster.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.adapters.fs import working_folder, write_atomic
from pipeline.checks.model import CatalogRun, Context, Finding
from pipeline.config import Config

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_path(config: Config) -> Path:
    return config.root / ".bitext" / "check-cache.json"


def _salt() -> bytes | None:
    """This machine's salt (made on first use), or None when there is nowhere to keep it."""
    base = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if os.environ.get("HOME") else "")
    if not base:
        return None
    path = Path(base) / "bitext" / "check-salt"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    try:
        write_atomic(path, secrets.token_hex(32) + "\n")
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def input_files(config: Config, doc: str, lang: str) -> tuple[Path, Path, Path, Path]:
    """The original, the PO, the translated Markdown and the sync state of ``doc``."""
    po = config.po_path(lang, doc)
    return (config.source_path(config.source_lang, doc), po, config.source_path(lang, doc),
            po.with_suffix(".sync.json"))


def code_identity() -> str:
    """bitext's version and every file of the package (path, size, mtime): the code checking."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        h.update(f"{path.relative_to(_PACKAGE)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


class CheckCache:
    """The cache of one run: looked up per catalog, written once at the end (`save`)."""

    def __init__(self, config: Config, *, settings: str) -> None:
        self.config = config
        self.path = cache_path(config)
        self.base: hashlib._Hash | None = None
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        salt = _salt()
        if salt is None:
            return
        self.base = hashlib.sha256(salt)
        self.base.update(f"{FORMAT}\0{code_identity()}\0{settings}\0".encode())
        for path in (config.config_file, config.root / config.check.glossary_file
                     if config.check.glossary_file else None):
            self.base.update(_bytes(path) if path is not None else b"-")
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("format") == FORMAT \
                    and isinstance(data.get("catalogs"), dict):
                self.entries = data["catalogs"]

    def digest(self, doc: str, lang: str, files: tuple[Path, ...] | None = None) -> str | None:
        """The digest of everything ``doc`` in ``lang`` is checked from, None without a salt.

        ``files``: `input_files` of ``doc`` in ``lang``, when the caller has them already.
        """
        if self.base is None:
            return None
        h = self.base.copy()
        h.update(f"{doc}\0{lang}\0".encode())
        for path in files or input_files(self.config, doc, lang):
            data = _bytes(path)
            h.update(f"{len(data)}\0".encode() if data else b"-\0")
            h.update(data)
        return h.hexdigest()

    def get(self, doc: str, lang: str, digest: str | None) -> CatalogRun | None:
        """The slim run remembered for this digest, if any."""
        found = self.entries.get(f"{lang}/{doc}")
        if digest is None or not isinstance(found, dict) or found.get("digest") != digest:
            return None
        try:
            return _run_from(found["run"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, doc: str, lang: str, digest: str | None, run: CatalogRun) -> None:
        """Remember the slim ``run`` under ``digest``."""
        if digest is None:
            return
        self.entries[f"{lang}/{doc}"] = {"digest": digest, "run": _run_to(run)}
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything was added (never fails the check)."""
        if not self.changed:
            return
        data = {"format": FORMAT, "catalogs": self.entries}
        with contextlib.suppress(OSError):
            working_folder(self.path.parent)
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _run_to(run: CatalogRun) -> dict[str, Any]:
    ctx = run.context
    assert run.keys is not None, "only slim runs are cached"
    return {
        "context": [ctx.document, ctx.source_lang, ctx.target_lang, ctx.file,
                    ctx.translation_file,
                    list(ctx.sync_problem) if ctx.sync_problem is not None else None],
        "checks": run.checks,
        "findings": [asdict(f) for f in run.findings],
        "suppressed": [asdict(f) for f in run.suppressed],
        "keys": {scope: list(keys) for scope, keys in run.keys.items()},
    }


def _run_from(data: dict[str, Any]) -> CatalogRun:
    document, source, target, file, translation, problem = data["context"]
    ctx = Context(document=document, source_lang=source, target_lang=target, file=file,
                  entries=[], translation_file=translation,
                  sync_problem=(problem[0], problem[1]) if problem is not None else None)
    return CatalogRun(
        ctx, list(data["checks"]),
        [Finding(**f) for f in data["findings"]],
        [Finding(**f) for f in data["suppressed"]],
        {scope: tuple(keys) for scope, keys in data["keys"].items()},
    )
