"""The no-op fast path of `bitext update`: is a document exactly as the last update left it?

The sync state records a digest of each of a document's files (original, POT, PO,
translated Markdown) and of the settings that shape them, as the update that wrote
them left them. A document whose files all still match is not even parsed.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import __version__
from pipeline.adapters.fs import read_text
from pipeline.adapters.publication import load_state
from pipeline.config import Config
from pipeline.keys import digest, digest_bytes
from pipeline.sync import DamagedState, SyncState


def settings_digest(config: Config, lang: str) -> str:
    return digest(f"{__version__}\x00{lang}\x00{','.join(config.prose_keys)}\x00{config.po_wrap}")


def document_files(config: Config, doc: str, lang: str) -> dict[str, Path]:
    return {
        "source": config.source_path(config.source_lang, doc),
        "pot": config.pot_path(doc),
        "po": config.po_path(lang, doc),
        "markdown": config.source_path(lang, doc),
    }


def record_digests(
    config: Config, doc: str, lang: str, state: SyncState, files: dict[Path, str]
) -> None:
    """Record the digests of the files as this update leaves them (for the no-op fast path)."""
    for name, path in document_files(config, doc, lang).items():
        text = files[path] if path in files else read_text(path, shown=config.relative(path))
        state.files[name] = digest(text)
    state.files["settings"] = settings_digest(config, lang)


def untouched(config: Config, doc: str) -> bool:
    """True when every file of ``doc`` is byte for byte as the last update left it."""
    for lang in config.target_langs:
        try:
            state = load_state(config, lang, doc)
        except DamagedState:
            return False  # update reports and rebuilds it
        if (state is None or state.conflicts
                or state.files.get("settings") != settings_digest(config, lang)):
            return False
        for name, path in document_files(config, doc, lang).items():
            try:
                if digest_bytes(path.read_bytes()) != state.files.get(name):
                    return False
            except OSError:
                return False
    return True
