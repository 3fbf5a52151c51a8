"""The translation memory's sources on disk, and their cache under ``.bitext/``.

Sources, for one language pair (`load_memory`):

* every PO file of the publication in that language (``locale/<lang>/LC_MESSAGES/*.po``);
* what the configuration's ``memory`` list names, relative to the publication
  (globs; it may lead outside the publication, for reading only): a PO file,
  a TMX file, or a folder searched for both. A PO file counts for the pair its
  ``Language`` header (else the ``<lang>/LC_MESSAGES`` folder it is in) and
  ``X-Source-Language`` (if given) say; a TMX file gives its ``tu``\\ s with a
  ``tuv`` in each language.

Only reviewed entries count: translated, not fuzzy, not obsolete, singular.
A unit's origin is ``<doc>:<line>`` (the line of the original in the
entry's reference, else of the msgid in the PO) or ``<file>.tmx:<n>`` (its
n-th ``tu``).

TMX (1.4b) is read with `xml.etree.ElementTree`, which never fetches an
external entity; a file declaring entities (``<!ENTITY``) is refused, so no
entity expansion either.

The units read from each file are kept in ``.bitext/memory-cache.json`` by
the SHA-256 of the file's bytes and the language pair: an unchanged file is
not parsed again (`bitext update` and `translate --provider memory` read and
write it: it is a cache keyed by content, not publication state, so it is written
atomically outside the journal; a crash leaves the old or the new one, both sound).

The lookup index itself (`pipeline.memory.Memory`) is kept in
``.bitext/memory-index-<source>-<lang>.npz`` (numpy arrays, read with
``allow_pickle=False``: nothing in it can run), with the SHA-256 of what it was
built from: the format, the language pair, the ``memory_sentences`` setting and
each file's name, role and SHA-256. A run with the same inputs loads it instead
of building; any change (a PO saved, a file added) builds it again. A damaged or
foreign file is ignored (`Memory.from_arrays` checks every array's type and shape).
Written, atomically, by `translate --provider memory` (update looks up exact
matches only, which need no fuzzy index; it loads a stored index when there is one).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.adapters.fs import decode, working_folder, write_atomic
from pipeline.adapters.po import parse_catalog
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.memory import INDEX_ARRAYS, INDEX_FORMAT, Memory, Unit
from pipeline.untrusted_xml import local, parse_untrusted

CACHE_FILE = ".bitext/memory-cache.json"
FORMAT = "bitext-memory-cache 1"
INDEX_FILE = ".bitext/memory-index-{pair}.npz"
_UNSAFE = re.compile(r"[^A-Za-z0-9-]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def memory_files(config: Config, lang: str) -> list[Path]:
    """The files the memory of ``lang`` is read from, in a stable order."""
    own_folder = config.locale_dir / lang / "LC_MESSAGES"
    # The publication's own files as every command reads them: no link out (Config.inside).
    files = [config.inside(p) for p in sorted(own_folder.glob("*.po"))] if own_folder.is_dir() \
        else []
    for pattern in config.memory:
        full = str(config.root / pattern)
        found = sorted(glob.glob(full, recursive=True)) if glob.has_magic(full) else [full]
        for name in found:
            path = Path(name)
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix in (".po", ".tmx"))
            elif path.is_file():
                files.append(path)
            elif not glob.has_magic(full):
                raise BitextError("no such file or folder (listed in 'memory')",
                                  path=config.relative(path))
    seen: set[Path] = set()
    unique = []
    for path in files:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def load_memory(config: Config, lang: str, *, persist: bool = True, index: bool = True,
                later: list[Callable[[], None]] | None = None) -> Memory:
    """The memory for ``config.source_lang`` -> ``lang``; the caches updated if ``persist``.

    The index stored for the same files (same bytes, names and roles) and settings is
    loaded; otherwise the memory is built from the units (each file's from the units
    cache, or parsed), and stored if ``persist``. ``index=False`` (update: exact lookups
    only) stores the units cache but not the index, whose fuzzy part would have to be
    built for it (a second or more on a large memory that update never asks).
    ``later``: the cache writes are appended to it instead of done, for a caller that
    writes only once its own work has succeeded (update: nothing written on failure).
    """
    pair = f"{config.source_lang}>{lang}"
    own = (config.locale_dir / lang / "LC_MESSAGES").resolve()
    files = [(path, path.read_bytes()) for path in memory_files(config, lang)]
    digests = [hashlib.sha256(data).hexdigest() for _, data in files]
    inputs = hashlib.sha256(json.dumps({
        "format": INDEX_FORMAT, "units": FORMAT, "pair": pair,
        "sentences": config.memory_sentences,
        "files": [[config.relative(path), path.resolve().parent == own, digest]
                  for (path, _), digest in zip(files, digests, strict=True)],
    }, sort_keys=True).encode("utf-8")).hexdigest()
    index_path = config.root / index_file(config.source_lang, lang)
    memory = read_index(index_path, inputs)
    if memory is not None and (memory.sentences, memory.source_lang, memory.target_lang) == (
            config.memory_sentences, config.source_lang, lang):
        return memory
    cache_path = config.root / CACHE_FILE
    cache = _read_cache(cache_path)
    units: list[Unit] = []
    changed = False
    for (path, data), digest in zip(files, digests, strict=True):
        shown = config.relative(path)
        slot = f"{digest} {pair}"
        rows = cache.get(slot)
        if rows is None:
            text = decode(data, shown=shown)
            found = (_from_tmx(text, shown, path.name, config.source_lang, lang)
                     if path.suffix == ".tmx" else
                     _from_po(text, shown, path, config.source_lang, lang,
                              own=path.resolve().parent == own))
            rows = [[u.source, u.target, u.origin, u.doc, u.key] for u in found]
            cache[slot] = rows
            changed = True
        units.extend(Unit(*row) for row in rows)
    if persist and changed:
        if later is None:
            _write_cache(cache_path, cache)
        else:
            later.append(lambda: _write_cache(cache_path, cache))
    memory = Memory(units, sentences=config.memory_sentences, source_lang=config.source_lang,
                    target_lang=lang)
    if persist and index:
        write_index(index_path, inputs, memory)
    return memory


def index_file(source_lang: str, lang: str) -> str:
    """Where the index of a language pair is kept, relative to the publication."""
    return INDEX_FILE.format(pair=_UNSAFE.sub("_", f"{source_lang}-{lang}"))


def read_index(path: Path, inputs: str) -> Memory | None:
    """The index stored at ``path`` for ``inputs``; None if there is none, another's, or
    a damaged one (an index is only a cache: never trusted, rebuilt)."""
    try:
        import numpy as np
    except ModuleNotFoundError:  # the light install: the index is built each run
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            if bytes(stored["inputs"]).decode("ascii") != inputs:
                return None
            return Memory.from_arrays({name: stored[name] for name in INDEX_ARRAYS})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, UnicodeDecodeError, zipfile.BadZipFile,
            TypeError, AttributeError):  # not an .npz at all (a bare .npy: no `with`)
        return None


def write_index(path: Path, inputs: str, memory: Memory) -> None:
    """Store ``memory``'s index for ``inputs`` at ``path``, atomically (not without numpy)."""
    try:
        import numpy as np
    except ModuleNotFoundError:
        return
    arrays = memory.to_arrays()
    buffer = io.BytesIO()
    np.savez(buffer, inputs=np.frombuffer(inputs.encode("ascii"), dtype=np.uint8),
             meta=arrays["meta"], text=arrays["text"], features=arrays["features"],
             text_offsets=arrays["text_offsets"], exact=arrays["exact"],
             exact_ids=arrays["exact_ids"], offsets=arrays["offsets"],
             ids=arrays["ids"])  # numbers only: no pickle
    working_folder(path.parent)
    write_atomic(path, buffer.getvalue())


def _read_cache(path: Path) -> dict[str, list[list[str]]]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") == FORMAT and isinstance(raw.get("files"), dict):
            return dict(raw["files"])
    except (ValueError, AttributeError, UnicodeDecodeError):
        pass
    return {}  # a damaged cache is only a cache: rebuilt


def _write_cache(path: Path, cache: dict[str, list[list[str]]]) -> None:
    working_folder(path.parent)
    write_atomic(path, json.dumps({"format": FORMAT, "files": cache}, ensure_ascii=False,
                                  sort_keys=True) + "\n")


def _same_language(found: str, wanted: str) -> bool:
    found, wanted = found.replace("_", "-").casefold(), wanted.replace("_", "-").casefold()
    return found == wanted or ("-" not in wanted and found.split("-")[0] == wanted)


def _from_po(text: str, shown: str, path: Path, source_lang: str, lang: str, *,
             own: bool) -> list[Unit]:
    catalog = parse_catalog(text, shown=shown)
    if not own:
        declared = catalog.header.get("Language", "").strip()
        if not declared and path.parent.name == "LC_MESSAGES":
            declared = path.parent.parent.name
        if not _same_language(declared, lang):
            return []
        source = catalog.header.get("X-Source-Language", "").strip()
        if source and not _same_language(source, source_lang):
            return []
    doc = path.stem
    units = []
    for entry in catalog.entries:
        if not entry.translated or entry.msgid_plural or not entry.msgid:
            continue
        line = entry.references[0][1] if entry.references else entry.line
        units.append(Unit(entry.msgid, entry.msgstr, f"{doc}:{line}", doc, entry.key))
    return units


def _from_tmx(text: str, shown: str, name: str, source_lang: str, lang: str) -> list[Unit]:
    """The (source, target) pairs of a TMX file for this language pair."""
    root = parse_untrusted(text, shown=shown, what="a TMX file", fmt="TMX")
    if local(root.tag) != "tmx":
        raise BitextError(f"a TMX file's root is <tmx>, not <{local(root.tag)}>", path=shown)
    header = next((e for e in root if local(e.tag) == "header"), None)
    default = header.get("srclang", "") if header is not None else ""
    units = []
    number = 0
    for tu in root.iter():
        if local(tu.tag) != "tu":
            continue
        number += 1
        segs: dict[str, str] = {}
        for tuv in tu:
            if local(tuv.tag) != "tuv":
                continue
            code = tuv.get(_XML_LANG) or tuv.get("lang") or default
            seg = next((e for e in tuv if local(e.tag) == "seg"), None)
            if seg is not None and code:
                segs.setdefault(code, "".join(seg.itertext()))
        source = next((t for c, t in segs.items() if _same_language(c, source_lang)), None)
        target = next((t for c, t in segs.items() if _same_language(c, lang)), None)
        if source and target:
            units.append(Unit(source, target, f"{name}:{number}", name, tu.get("tuid", "")))
    return units


class Memories:
    """The translation memory of each language, loaded when a new segment first asks for it.

    An update with no new segment never reads it, so it costs nothing then. Update
    reads and writes the units cache (``.bitext/memory-cache.json``, keyed by each file's
    hash), so the next run parses only changed files; not the lookup index (see
    `pipeline.adapters.memory_store`). The cache is no publication state: the journal
    does not cover it.
    """

    def __init__(self, config: Config):
        self.config = config
        self._loaded: dict[str, Memory] = {}
        self._cache_writes: list[Callable[[], None]] = []

    def get(self, lang: str) -> Memory:
        if lang not in self._loaded:
            self._loaded[lang] = load_memory(self.config, lang, index=False,
                                             later=self._cache_writes)
        return self._loaded[lang]

    def keep(self) -> None:
        """Write the units cache, once the update has succeeded. Best effort: a cache that
        cannot be written (a full disk) is only slower next time, so no error. Memories
        loaded in worker processes (many documents at once) keep nothing."""
        for write in self._cache_writes:
            with contextlib.suppress(OSError):
                write()
        self._cache_writes.clear()
