"""`bitext init [DIR]`: scaffold a publication that `update` and `status` work on at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.adapters.fs import write_atomic
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.languages import language

CONFIG = """\
# bitext publication settings; see the bitext README for every key.
source_lang = "{source}"
target_langs = [{targets}]
source_dir = "source"
locale_dir = "locale"
output_dir = "output"
footnote_style = "arabic"
# follow symbolic links that stay inside the publication (one leading out never is)
allow_symlinks = false
"""

SAMPLE = """\
---
title: "Örnek yazı"
lang: {source}
---

## Giriş

Bu, bitext ile yayımlanacak bir yazının ilk paragrafıdır.[^1]

İkinci paragraf 29 Eylül 2021'de yazıldı ve %50 oranında kısadır.

[^1]: Bir dipnot, 15.03.2021.
"""

GITIGNORE = "output/\n.bitext.lock\n.bitext/\n"


def target_languages(values: str | Sequence[str]) -> list[str]:
    """``"ar,de"``, ``["ar", "de"]`` or a mix, as canonical tags; a bad or repeated one raises."""
    values = [values] if isinstance(values, str) else list(values)
    tags: list[str] = []
    for tag in (t.strip() for value in values for t in value.split(",")):
        if not tag:
            continue
        canonical = language(tag).tag  # pt_BR -> pt-BR; "../x" raises
        if canonical in tags:
            raise BitextError(f"--target-lang names {canonical!r} twice")
        tags.append(canonical)
    if not tags:
        raise BitextError("--target-lang: give at least one language")
    return tags


def init(directory: Path, *, source: str = "tr",
         target: str | Sequence[str] = "en") -> list[Path]:
    """Create ``bitext.toml``, the folders and a sample document; refuse to overwrite.

    ``target``: one tag, comma-separated tags, or a list of either (``--target-lang``
    given several times); every tag is checked before anything is written.
    """
    source = language(source).tag
    targets = target_languages(target)
    if source in targets:
        raise BitextError(f"--target-lang includes the source language {source!r}")
    files = {
        directory / "bitext.toml": CONFIG.format(
            source=source, targets=", ".join(f'"{t}"' for t in targets)),
        directory / "source" / source / "sample.md": SAMPLE.format(source=source),
        directory / ".gitignore": GITIGNORE,
    }
    existing = [p for p in files if p.exists() or p.is_symlink()]
    if (directory / "pyproject.toml").exists() and "[tool.bitext]" in (
        directory / "pyproject.toml"
    ).read_text(encoding="utf-8", errors="replace"):
        existing.append(directory / "pyproject.toml")
    if existing:
        raise BitextError("already exists; bitext init does not overwrite", path=existing[0])
    # Nothing written through a symbolic link below DIRECTORY (a `source` linked elsewhere).
    root = Config(root=directory.resolve())
    for path in [*files, directory / "locale", *(directory / "source" / t for t in targets)]:
        root.inside(root.root / path.relative_to(directory))
    for path, text in files.items():
        write_atomic(path, text)
    for folder in (directory / "locale", *(directory / "source" / t for t in targets)):
        folder.mkdir(parents=True, exist_ok=True)
    return list(files)
