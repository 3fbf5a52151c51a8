"""The no-op fast path of `bitext update`: is a document exactly as the last update left it?

The sync state records a digest of each of a document's files (original, POT, PO,
translated Markdown) and of the settings that shape them, as the update that wrote
them left them. A document whose files all still match is not even parsed.

Hashing every file is then most of a no-op's time (23 MB for a 9,000-segment
document), so `FileStats` remembers, in ``.bitext/update-stats.json``, what a
file's bytes digested to (a sync state: what it says) together with the file's
size, inode, modification and change times. A file whose stat is the same is
not read again. The change time (``st_ctime_ns``) is set by the kernel on every
write, rename or ``chmod`` and cannot be set back (``touch -d`` and ``cp -p`` set
only the modification time), so a file changed since it was remembered always
has another one; and a file is remembered only once its change time is
`SETTLED_NS` old, so that a second write within the same clock tick cannot look
like the first (git's "racy" index entries). A file changed before the run took
the publication lock is as good: the lock reads the file system's own clock
(``fence``), and every change after it is stamped later, with another change
time. Like the other caches it is best effort: missing, damaged or stale, it
only costs the hashing.

What the update writes is remembered as it writes it (`FileStats.learn`), so the
no-op right after it hashes nothing: a file is taken for what bitext wrote when
it is the very inode bitext staged, with the size and modification time it had
then, and that time is before the journal was written (a later tick: any write
after the rename has a later modification time).

Without usable stats (a fresh clone, files just written) every file is read and
hashed, so that path is kept lean too: one open, fstat and read per file
(`journal.read_stat`: its stat is the open file's, taken before its bytes are read), and
a sync state is checked against the exact shape `pipeline.sync.render_state`
writes (`_summary`) without importing `pipeline.sync` or building its records; any
other text is handed to `pipeline.sync.parse_state`, which reads it in full and
reports it if it is damaged.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.adapters.fs import read_text, working_folder, write_cache
from pipeline.adapters.journal import CommitResult, Prestaged, Stamp, read_stat
from pipeline.adapters.publication import load_state, state_path
from pipeline.config import Config
from pipeline.errors import BitextError, DamagedState
from pipeline.keys import digest, digest_bytes
from pipeline.sync_format import WRITTEN, file_digests

if TYPE_CHECKING:
    from pipeline.sync import SyncState

STATS = Path(".bitext") / "update-stats.json"
FORMAT = "bitext-update-stats 1"
SETTLED_NS = 2_000_000_000
"""How old a file's change time must be before its digest is remembered (2 s: many clock
ticks of any file system, and a clock stepped back by less cannot fool it)."""


def settings_digest(config: Config, lang: str) -> str:
    return digest(f"{__version__}\x00{lang}\x00{','.join(config.prose_keys)}\x00{config.po_wrap}")


def document_files(config: Config, doc: str, lang: str, *,
                   checked: bool = True) -> dict[str, Path]:
    """A document's files whose digests its sync state records (``checked``: see
    `Config.source_path`)."""
    return {
        "source": config.source_path(config.source_lang, doc, checked=checked),
        "pot": config.pot_path(doc, checked=checked),
        "po": config.po_path(lang, doc, checked=checked),
        "markdown": config.source_path(lang, doc, checked=checked),
    }


def record_digests(
    config: Config, doc: str, lang: str, state: SyncState,
    files: Mapping[Path, bytes | bytearray | Prestaged],
    known: dict[Path, str] | None = None, digests: dict[Path, Any] | None = None,
) -> None:
    """Record the digests of the files as this update leaves them (for the no-op fast path).

    ``files``: the files it writes; ``known``: digests of others as it read them. Into
    ``digests``: what `FileStats` remembers for each file written, the state's included.
    """
    for name, path in document_files(config, doc, lang).items():
        if path in files:
            content = files[path]
            state.files[name] = (content.digest if isinstance(content, Prestaged)
                                 else digest_bytes(content))
            if digests is not None:
                digests[path] = state.files[name]
        elif known and path in known:
            state.files[name] = known[path]
            if digests is not None:
                digests[path] = known[path]
        else:
            state.files[name] = digest(read_text(path, shown=config.relative(path)))
    state.files["settings"] = settings_digest(config, lang)
    if digests is not None:  # what `_state_summary` reads back from the state written
        digests[state_path(config, lang, doc)] = {"conflicts": state.conflicts,
                                                  "files": dict(state.files)}


class FileStats:
    """What files digested to, by their stat (see the module's text); ``now``: for tests."""

    def __init__(self, root: Path, *, now: int | None = None, fence: int | None = None):
        self.path = root / STATS
        # The file system's clock, not `pipeline.clock` (SOURCE_DATE_EPOCH): change times
        # are compared with it.
        self.settled = (time.time_ns() if now is None else now) - SETTLED_NS
        # The file system's time before this run read any file (`publication_lock`'s).
        self.fence = self.settled if fence is None else max(fence, self.settled)
        self.known: dict[str, list[Any]] = {}
        self.changed = False
        with contextlib.suppress(OSError, ValueError, RecursionError):
            data = json.loads(self.path.read_bytes())
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(
                    data.get("files"), dict):
                self.known = data["files"]

    # A remembered file is looked at with `os.lstat`: a link put in its place (which
    # `Config.inside` refuses) never looks remembered, so it is checked before it is read.
    def value(self, path: Path, compute: Any) -> Any:
        """The remembered value of ``path`` when its stat is unchanged, else ``compute()``."""
        try:
            st = os.lstat(path)
        except OSError:
            return compute()
        key = str(path)
        found = self.known.get(key)
        if isinstance(found, list) and len(found) == 5 and found[:4] == _mark(st):
            return found[4]
        value = compute()
        self._remember(key, st, value)
        return value

    def digest(self, path: Path, check: Callable[[Path], object] | None = None) -> str:
        """The digest of ``path``'s bytes, remembered or read and remembered.

        A file not remembered is not looked at twice: its stat is the open file's,
        taken before its bytes are read (a write in between gives the next run
        another stat, as with `value`). ``check``: called with the path before it is
        read (`Config.inside`).
        """
        key = str(path)
        found = self.known.get(key)
        if isinstance(found, list) and len(found) == 5 and found[:4] == _mark(os.lstat(path)):
            return str(found[4])
        if check is not None:
            check(path)
        data, st = read_stat(path)
        value = digest_bytes(data)
        self._remember(key, st, value)
        return value

    def _remember(self, key: str, st: os.stat_result, value: Any) -> None:
        if st.st_ctime_ns < self.fence and st.st_mtime_ns < self.fence:
            self.known[key] = [*_mark(st), value]
            self.changed = True

    def learn(self, committed: CommitResult, values: Mapping[Path, Any]) -> None:
        """Remember ``values`` (a file's digest, a sync state's summary) of the files an
        update computed: one the commit wrote where it is still what it wrote
        (`wrote_it`), one it read or left as it was where it is unchanged since before
        the lock (`fence`)."""
        for path, value in values.items():
            try:
                st = os.stat(path)
            except OSError:
                continue
            staged = committed.marks.get(path)
            if staged is None:
                self._remember(str(path), st, value)
            elif committed.fence_ns is not None and wrote_it(staged, st, committed.fence_ns):
                self.known[str(path)] = [*_mark(st), value]
                self.changed = True

    def save(self) -> None:
        """Keep what was learnt (best effort: a cache)."""
        if not self.changed:
            return
        with contextlib.suppress(OSError, BitextError):
            working_folder(self.path.parent)
            write_cache(self.path, json.dumps({"format": FORMAT, "files": self.known},
                                              separators=(",", ":")))


def wrote_it(staged: Stamp, st: os.stat_result, fence_ns: int) -> bool:
    """Is the file with stat ``st`` the temporary file staged as ``staged``, unwritten
    since? Its inode, size and modification time are the staged file's, and that time
    is before ``fence_ns`` (the journal's, written before the renames): a write after the
    rename, even in the same clock tick as the rename, is stamped ``fence_ns`` or later."""
    return (staged.mtime_ns is not None and staged.mtime_ns < fence_ns
            and (st.st_ino, st.st_size, st.st_mtime_ns) == (staged.inode, staged.size,
                                                             staged.mtime_ns))


def _mark(st: os.stat_result) -> list[int]:
    """What a file's stat must still be for its remembered value to hold."""
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def untouched(config: Config, doc: str, stats: FileStats) -> bool:
    """True when every file of ``doc`` is byte for byte as the last update left it."""
    for lang in config.target_langs:
        try:
            summary = _state_summary(config, lang, doc, stats)
        except DamagedState:
            return False  # update reports and rebuilds it
        if (summary is None or summary["conflicts"]
                or summary["files"].get("settings") != settings_digest(config, lang)):
            return False
        for name, path in document_files(config, doc, lang, checked=False).items():
            try:
                found = stats.digest(path, config.inside)
            except OSError:
                return False
            if found != summary["files"].get(name):
                return False
    return True


def _read(path: Path) -> bytes:
    return read_stat(path)[0]


def state_summary(config: Config, lang: str, doc: str) -> dict[str, Any] | None:
    """The conflicts and file digests of a sync state exactly as `render_state` writes one
    (`_summary`), read without building its records (the path checked first); None for a
    missing state or any other text."""
    try:
        return _summary(_read(state_path(config, lang, doc)))
    except OSError:
        return None


def _summary(data: bytes) -> dict[str, Any] | None:
    """A state's conflicts and file digests, if it is exactly as `render_state` writes one
    (what `parse_state` then returns); None for anything else, left to `parse_state`."""
    try:
        written = WRITTEN.fullmatch(data.decode("utf-8"))
    except ValueError:  # not UTF-8: parse_state's to say
        return None
    files = file_digests(written.group(2)) if written else None
    if written is None or files is None:
        return None
    return {"conflicts": int(written.group(1)), "files": files}


def _state_summary(config: Config, lang: str, doc: str,
                   stats: FileStats) -> dict[str, Any] | None:
    """What the no-op check needs of a sync state: its conflicts and file digests."""
    path = state_path(config, lang, doc, checked=False)

    def read() -> dict[str, Any] | None:  # the path checked before it is read (`value`'s not)
        summary = state_summary(config, lang, doc)
        if summary is not None:
            return summary
        state = load_state(config, lang, doc)  # missing or another shape: it tells
        return None if state is None else {"conflicts": state.conflicts,
                                           "files": dict(state.files)}

    found = stats.value(path, read)
    if found is not None and not (isinstance(found, dict) and isinstance(found.get("files"), dict)
                                  and isinstance(found.get("conflicts"), int)):
        return read()  # a damaged entry: read the state itself
    return found
