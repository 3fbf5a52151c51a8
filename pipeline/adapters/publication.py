"""The publication on disk: originals, catalogs and sync states, read the same way by every command.

Paths come from the `Config` (``source/<lang>/<doc>.md``,
``locale/<lang>/LC_MESSAGES/<doc>.po``, ``….sync.json`` beside the PO), which
checks each (`Config.inside`: no symbolic link out of the publication, none at
all unless ``allow_symlinks``).
What the files *mean* is the pure domain's business (`pipeline.markdown`,
`pipeline.catalog`, `pipeline.sync`, `pipeline.translation`); this module only
reads them, naming each file as the user sees it in errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.adapters.fs import decode, read_bytes, read_text
from pipeline.config import Config
from pipeline.keys import digest_bytes

# What reads catalogs, states and Markdown is imported where it is used: a no-op update
# only stats files, and its start-up is most of its time (issue 16: <= 0.12 s).
if TYPE_CHECKING:
    from pipeline.catalog import Catalog
    from pipeline.markdown.chunks import ChunkMemo
    from pipeline.markdown.segments import Document
    from pipeline.sync import SyncState


@dataclass(frozen=True)
class Original:
    """A parsed original: its document name, its path as shown (root-relative), its segments.

    ``chunks``: the memo of its chunks' blocks (`pipeline.adapters.chunk_memo`), to save
    with `chunk_memo_part` after a run that writes; ``memos``: the parts of the
    document's memo file as read (`pipeline.adapters.block_memo`).
    """

    doc: str
    path: str
    document: Document
    chunks: ChunkMemo | None = None
    memos: dict[str, Any] = field(default_factory=dict)
    digest: str = ""  # of its bytes as read (`pipeline.keys.digest`), for the sync state


def load_original(config: Config, doc: str) -> Original:
    """Read and segment the original of ``doc``; missing or malformed input raises.

    Only the chunks the memo of its last parse does not know are parsed again.
    """
    from pipeline.adapters.block_memo import load_parts, memo_file
    from pipeline.adapters.chunk_memo import load_chunk_memo

    path = config.source_path(config.source_lang, doc)
    shown = config.relative(path)
    parts = load_parts(memo_file(config.root, shown))
    memo = load_chunk_memo(parts, shown)
    data = read_bytes(path, shown=shown)
    document = parse_markdown(config, decode(data, shown=shown), shown=shown, memo=memo)
    return Original(doc=doc, path=shown, document=document, chunks=memo, memos=parts,
                    digest=digest_bytes(data))


def parse_markdown(config: Config, text: str, *, shown: str,
                   memo: ChunkMemo | None = None) -> Document:
    """Segment a Markdown text with the publication's prose keys."""
    from pipeline.markdown.segments import parse_document  # markdown-it is slow to import

    return parse_document(text, path=shown, prose_keys=config.prose_keys, memo=memo)


def read_if_exists(config: Config, path: Path) -> str | None:
    """The text of ``path``, or None when there is no such file."""
    return read_text(path, shown=config.relative(path)) if path.exists() else None


def load_catalog(config: Config, lang: str, doc: str) -> Catalog | None:
    """The PO catalog of ``doc`` in ``lang``, or None when there is none yet."""
    from pipeline.adapters.po import parse_catalog

    path = config.po_path(lang, doc)
    text = read_if_exists(config, path)
    return None if text is None else parse_catalog(text, shown=config.relative(path))


def state_path(config: Config, lang: str, doc: str, *, checked: bool = True) -> Path:
    """Where the last sync of ``doc`` in ``lang`` is remembered (beside its PO); ``checked``:
    see `Config.source_path`."""
    path = config.po_path(lang, doc, checked=checked).with_suffix(".sync.json")
    return config.inside(path) if checked else path


def load_state(config: Config, lang: str, doc: str) -> SyncState | None:
    """The last sync of ``doc`` in ``lang``, or None when it was never synced."""
    from pipeline.sync import parse_state

    path = state_path(config, lang, doc)
    text = read_if_exists(config, path)
    return None if text is None else parse_state(text, shown=config.relative(path))


@dataclass(frozen=True)
class OpenConflicts:
    """Conflicts of ``doc`` in ``lang`` not yet resolved and taken in by an update.

    ``lines``: the conflict blocks left in the translated Markdown (``file``);
    ``recorded``: the conflicts the sync state (``state_file``) says the last
    update wrote, which stay open until an update runs after they are resolved.
    """

    file: str
    state_file: str
    lines: tuple[int, ...] = ()
    recorded: int = 0

    @property
    def count(self) -> int:
        return len(self.lines) or self.recorded

    def located(self) -> list[str]:
        """One ``path:line: message`` per open conflict (or one for the state's count)."""
        if self.lines:
            return [f"{self.file}:{n}: open conflict: keep one version, delete the other and "
                    "the bitext conflict lines, then run `bitext update`" for n in self.lines]
        if self.recorded:
            return [f"{self.state_file}: {self.recorded} conflicts recorded by the last update; "
                    f"resolved in {self.file}? run `bitext update` to take them in"]
        return []


def open_conflicts(config: Config, lang: str, doc: str) -> OpenConflicts:
    """The open conflicts of ``doc`` in ``lang`` (see `OpenConflicts`)."""
    from pipeline.translation import unresolved_conflicts

    path = config.source_path(lang, doc)
    text = read_if_exists(config, path)
    state = load_state(config, lang, doc)
    return OpenConflicts(
        file=config.relative(path), state_file=config.relative(state_path(config, lang, doc)),
        lines=tuple(unresolved_conflicts(text)) if text is not None else (),
        recorded=state.conflicts if state is not None else 0)
