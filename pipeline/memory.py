"""A translation memory: reviewed (original, translation) pairs of any document. Pure.

The memory is built from `Unit`\\ s (the adapter `pipeline.adapters.memory_store`
reads them from PO and TMX files) and answers two questions about a new
original text:

* `Memory.exact`: the same text, or the same after `normalise` (Unicode NFC,
  whitespace collapsed, typographic quotes made straight): 100 %;
* `Memory.fuzzy`: the most similar text at or above a threshold (0..100),
  compared with the Markdown codes abstracted (`pipeline.translate.protect`:
  footnote labels, links, code become ``{n}``) and every number as ``0``, so a
  paragraph that differs only by its footnote label or a number scores 100.

Either way the translation comes back with the *current* codes and numbers
put in place of the memory's (`remap`): ``[^iv]`` in the memory, ``[^vii]``
now, gives the memory's translation with ``[^vii]``.

Fuzzy search over a large memory never scores every unit: each text is
indexed by a sketch of its word bigrams (`pipeline.memory_sketch`, numpy:
hashes stable across processes, so the index can be stored; built when the
first fuzzy lookup needs it), a lookup scores only the units sharing the most
sketch features with the query, counting the rarest features' postings first
up to a budget (rapidfuzz ``process.extract`` with ``score_cutoff`` over
those). Exact lookups need no numpy (a sorted table of hashes of the
normalised texts), so `bitext update` runs in the light install.

With ``sentences=True`` each unit whose original and translation split into
the same number of sentences (`split_sentences`) also gives one unit per
sentence pair, and a paragraph with no match of its own is looked up
sentence by sentence (all must match). The PO stays per paragraph.
"""

from __future__ import annotations

import json
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar, overload

from rapidfuzz import fuzz, process

from pipeline.catalog import MEMORY_MARK, Catalog, Entry
from pipeline.collector import no_collections
from pipeline.errors import BitextError
from pipeline.keys import SegmentKey
from pipeline.memory_text import (
    SPACE,
    key_of,
    keys_all,
    normalise,
    normalise_all,
    remap,
)
from pipeline.sentences import split_sentences

if TYPE_CHECKING:  # numpy only for the fuzzy index and the stored one
    from numpy.typing import NDArray

    from pipeline.memory_sketch import FuzzyIndex

DEFAULT_THRESHOLD = 75.0

@dataclass(frozen=True)
class Unit:
    """One reviewed pair. ``origin`` is shown (``doc:line``); ``doc`` and ``key`` name the
    entry it came from, so a lookup can leave out the very entry it is made for."""

    source: str
    target: str
    origin: str
    doc: str = ""
    key: str = ""


@dataclass(frozen=True)
class Match:
    """What the memory proposes: the translation (current codes put back), its score
    (0..100), the original it was made for, and where it comes from."""

    target: str
    score: float
    original: str
    origin: str

    @property
    def exact(self) -> bool:
        return self.score >= 100.0

    def comment(self, *, with_original: bool = False) -> str:
        """The translator comment of an entry filled from this match."""
        score = f"{int(self.score)}%" if self.score == int(self.score) else f"{self.score:.0f}%"
        line = f"{MEMORY_MARK} {self.origin} {score}"
        if with_original:
            line += ' "' + SPACE.sub(" ", self.original).strip() + '"'
        return line


# Bumped whenever the sketch (hashes, SKETCH, what a key keeps) or the arrays change.
INDEX_FORMAT = "bitext-memory-index 3"
INDEX_ARRAYS = ("meta", "text", "text_offsets", "exact", "exact_ids", "features", "offsets",
                "ids")
_FIELDS = 7  # source, target, origin, doc, key; the normalised text and the fuzzy key
NEEDS_NUMPY = ("fuzzy lookups in the translation memory need numpy "
               "(pip install 'bitext[translate]')")


def _exact_hash(normal: str) -> int:
    """The exact table's hash of a normalised text (a hit is compared in full)."""
    return (zlib.crc32(normal.encode("utf-8")) << 32) | (len(normal) & 0xFFFFFFFF)


T = TypeVar("T")


class _Lazy(Sequence[T]):
    """A sequence whose items are made when asked for (`_item`); a slice asks for each."""

    def _item(self, n: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, n: int) -> T: ...
    @overload
    def __getitem__(self, n: slice) -> list[T]: ...
    def __getitem__(self, n: int | slice) -> T | list[T]:
        if isinstance(n, slice):
            return [self._item(i) for i in range(*n.indices(len(self)))]
        return self._item(n)


class _Keys(_Lazy[str]):
    """The scored key (`key_of`) of each normalised text, made when first asked for."""

    def __init__(self, normals: Sequence[str]):
        self._normals = normals
        self._made: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._normals)

    def _item(self, n: int) -> str:
        key = self._made.get(n)
        if key is None:
            key = self._made[n] = key_of(self._normals[n])
        return key

    def all(self) -> list[str]:
        """Every key, in passes over all the texts at once (for storing the index)."""
        return keys_all(self._normals)[0]


class _Stored(_Lazy[str]):
    """One field of every unit, as a loaded index holds it: UTF-8 bytes, decoded when asked."""

    def __init__(self, data: bytes, offsets: list[int], field: int, fallback: _Stored | None):
        self._data, self._offsets, self._field = data, offsets, field
        self._fallback = fallback  # an empty normalised text or key: the same as this one

    def __len__(self) -> int:
        return (len(self._offsets) - 1) // _FIELDS

    def _item(self, n: int) -> str:
        at = n * _FIELDS + self._field
        text = self._data[self._offsets[at]:self._offsets[at + 1]].decode("utf-8", "replace")
        return text if text or self._fallback is None else self._fallback[n]


class _StoredUnits(_Lazy[Unit]):
    def __init__(self, fields: list[_Stored]):
        self._fields = fields

    def __len__(self) -> int:
        return len(self._fields[0])

    def _item(self, n: int) -> Unit:
        return Unit(*(f[n] for f in self._fields))


class Memory:
    """An index over units for one language pair; build once, look up many times.

    The exact table (sorted hashes of the normalised texts) is built at once; the
    fuzzy index (`pipeline.memory_sketch`, numpy) when first needed, or by `prepare`.
    `to_arrays` gives both as numpy arrays (no Python objects), `from_arrays` takes
    them back, checked, so that a store can keep them between runs; a loaded memory
    decodes a unit's texts only when a lookup needs them.
    """

    def __init__(self, units: Iterable[Unit], *, sentences: bool = False,
                 source_lang: str = "tr", target_lang: str = "en"):
        self.sentences = sentences
        self.source_lang, self.target_lang = source_lang, target_lang
        kept: list[Unit] = []
        with no_collections():  # millions of small objects: it would only slow the build
            for unit in units:
                if not (unit.source.strip() and unit.target.strip()):
                    continue
                kept.append(unit)
                if sentences:
                    kept += _sentence_units(unit, source_lang, target_lang)
            self.units: Sequence[Unit] = kept
            normals = normalise_all([u.source for u in kept])
            self._normals: Sequence[str] = normals
            # The scored keys (`abstract`) are made when a lookup scores a unit, not here:
            # a lookup scores 20 units, and a build over 100,000 spent a third of its time
            # on them. The fuzzy index is built from the normalised texts.
            self._keys: Sequence[str] = _Keys(normals)
            crcs = map(zlib.crc32, map(str.encode, normals))  # as _exact_hash, without a call
            hashes = [(crc << 32) | (size & 0xFFFFFFFF)
                      for crc, size in zip(crcs, map(len, normals), strict=True)]
            self._exact_ids: Sequence[int] = sorted(range(len(hashes)), key=hashes.__getitem__)
            self._exact: Sequence[int] = [hashes[n] for n in self._exact_ids]
            self._fuzzy: FuzzyIndex | None = None

    def __len__(self) -> int:
        return len(self.units)

    def prepare(self) -> FuzzyIndex:
        """The fuzzy index, built now if it is not yet (BitextError without numpy)."""
        if self._fuzzy is None:
            try:
                from pipeline.memory_sketch import FuzzyIndex
            except ModuleNotFoundError as exc:
                raise BitextError(NEEDS_NUMPY) from exc
            with no_collections():
                self._fuzzy = FuzzyIndex.build(self._normals)
        return self._fuzzy

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        """The index as arrays of numbers for `numpy.savez` (nothing pickled)."""
        import numpy as np

        encoded = []
        keys = self._keys.all() if isinstance(self._keys, _Keys) else self._keys
        for unit, normal, key in zip(self.units, self._normals, keys, strict=True):
            encoded += [f.encode("utf-8") for f in (unit.source, unit.target, unit.origin,
                                                    unit.doc, unit.key)]
            encoded.append(b"" if normal == unit.source else normal.encode("utf-8"))
            encoded.append(b"" if key == normal else key.encode("utf-8"))
        meta = {"format": INDEX_FORMAT, "units": len(self.units),
                "sentences": self.sentences, "source_lang": self.source_lang,
                "target_lang": self.target_lang}
        return {
            "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            "text": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            "text_offsets": np.cumsum([0, *map(len, encoded)], dtype=np.int64),
            "exact": np.array(self._exact, dtype=np.uint64),
            "exact_ids": np.array(self._exact_ids, dtype=np.int64),
            **self.prepare().arrays(),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any]]) -> Memory:
        """The memory `to_arrays` gave; ValueError when the arrays are not such an index."""
        import numpy as np

        from pipeline.memory_sketch import FuzzyIndex

        try:
            meta = json.loads(bytes(np.asarray(arrays["meta"], dtype=np.uint8)).decode())
            count = meta["units"]
            if meta.get("format") != INDEX_FORMAT or not isinstance(count, int) or count < 0:
                raise ValueError("not a bitext memory index of this version")
            text, text_offsets = arrays["text"], arrays["text_offsets"]
            exact, exact_ids = arrays["exact"], arrays["exact_ids"]
            fuzzy = FuzzyIndex.checked({n: arrays[n] for n in FuzzyIndex.ARRAYS}, count)
        except (KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise ValueError(f"not a bitext memory index: {exc}") from None
        kinds = ((text, np.uint8), (text_offsets, np.int64), (exact, np.uint64),
                 (exact_ids, np.int64))
        if any(a.dtype != kind or a.ndim != 1 for a, kind in kinds):
            raise ValueError("the index's arrays are not of their types")
        if (text_offsets.shape != (_FIELDS * count + 1,) or text_offsets[0] != 0
                or text_offsets[-1] != len(text) or np.any(np.diff(text_offsets) < 0)
                or exact.shape != (count,) or exact_ids.shape != (count,)
                or np.any(np.diff(exact) < 0)
                or np.any(np.sort(exact_ids) != np.arange(count))):
            raise ValueError("the index's arrays are damaged")
        memory = cls.__new__(cls)
        memory.sentences = bool(meta.get("sentences"))
        memory.source_lang = str(meta.get("source_lang"))
        memory.target_lang = str(meta.get("target_lang"))
        data, bounds = text.tobytes(), text_offsets.tolist()
        fields = [_Stored(data, bounds, i, None) for i in range(5)]
        fields.append(_Stored(data, bounds, 5, fields[0]))
        fields.append(_Stored(data, bounds, 6, fields[5]))
        memory.units = _StoredUnits(fields[:5])
        memory._normals, memory._keys = fields[5], fields[6]
        memory._exact, memory._exact_ids = exact.tolist(), exact_ids.tolist()
        memory._fuzzy = fuzzy
        return memory

    def exact(self, text: str, *, doc: str = "", key: str = "") -> Match | None:
        """The translation of this very text (or the same once normalised), or None."""
        found = self._exact_only(text, doc, key)
        if found is None and self.sentences:
            found = self._by_sentences(text, None, doc, key)
        return found

    def fuzzy(self, text: str, threshold: float = DEFAULT_THRESHOLD, *, doc: str = "",
              key: str = "") -> Match | None:
        """The best match scoring at least ``threshold`` (0..100), codes re-mapped, or None."""
        found = self._exact_only(text, doc, key) or self._fuzzy_paragraph(
            text, threshold, doc, key)
        if found is None and self.sentences:
            found = self._by_sentences(text, threshold, doc, key)
        return found

    def _fuzzy_paragraph(self, text: str, threshold: float, doc: str,
                         key: str) -> Match | None:
        normal = normalise(text)
        query = key_of(normal)
        ids = [n for n in self.prepare().candidates(normal)
               if not _is_self(self.units[n], doc, key)]
        if not ids:
            return None
        ranked = process.extract(query, [self._keys[n] for n in ids], scorer=fuzz.ratio,
                                 processor=None, score_cutoff=threshold, limit=5)
        for _, score, index in ranked:  # best first; one whose codes pair with the query's
            unit = self.units[ids[index]]
            target = remap(unit.source, unit.target, text)
            if target is not None:
                return Match(target, float(score), unit.source, unit.origin)
        return None

    def _by_sentences(self, text: str, threshold: float | None, doc: str,
                      key: str) -> Match | None:
        parts = split_sentences(text, self.source_lang)
        if len(parts) < 2:
            return None
        matches = []
        for part in parts:
            found = self._exact_only(part, doc, key)
            if found is None and threshold is not None:
                found = self._fuzzy_paragraph(part, threshold, doc, key)
            if found is None:
                return None
            matches.append(found)
        weight = sum(len(p) for p in parts)
        score = sum(m.score * len(p) for m, p in zip(matches, parts, strict=True)) / weight
        origins = list(dict.fromkeys(m.origin for m in matches))
        return Match(" ".join(m.target for m in matches), round(score, 1), text,
                     ", ".join(origins))

    def _exact_only(self, text: str, doc: str, key: str) -> Match | None:
        normal = normalise(text)
        probe = _exact_hash(normal)
        start = bisect_left(self._exact, probe)
        end = bisect_right(self._exact, probe, start)
        same = [n for n in sorted(self._exact_ids[start:end]) if self._normals[n] == normal]
        # The very text first, then the same once normalised: each in the memory's order.
        for n in [n for n in same if self.units[n].source == text] + same:
            unit = self.units[n]
            if not _is_self(unit, doc, key):
                return Match(unit.target, 100.0, unit.source, unit.origin)
        return None


def _is_self(unit: Unit, doc: str, key: str) -> bool:
    return bool(key) and unit.key == key and unit.doc == doc


def _sentence_units(unit: Unit, source_lang: str, target_lang: str) -> list[Unit]:
    sources = split_sentences(unit.source, source_lang)
    targets = split_sentences(unit.target, target_lang)
    if len(sources) < 2 or len(sources) != len(targets):
        return []
    return [replace(unit, source=s, target=t) for s, t in zip(sources, targets, strict=True)]


def fill(entry: Entry, match: Match, *, with_original: bool = False) -> None:
    """Fill an untranslated entry from the memory: fuzzy, labelled with the provenance."""
    entry.fuzzy = True
    entry.previous_msgid = None
    entry.translator_comments = [c for c in entry.translator_comments
                                 if not c.startswith(MEMORY_MARK)]
    entry.translator_comments.append(match.comment(with_original=with_original))
    entry.msgstr = match.target


def fill_exact(catalog: Catalog, known: set[SegmentKey], doc: str,
               memory: Callable[[], Memory]) -> int:
    """Fill each segment new in this merge that has an exact match in the memory.

    Exact: the same original (or the same once whitespace and quotes are
    normalised) in another entry, of this document or another; the entry is
    fuzzy and says where its text comes from (``bitext-tm: <doc>:<line> 100%``).
    Edited segments keep their own old translation (the merge's business).
    """
    filled = 0
    for entry in catalog.entries:
        if entry.has_translation or not entry.msgid or entry.key in known:
            continue
        match = memory().exact(entry.msgid, doc=doc, key=entry.key)
        if match is not None:
            fill(entry, match)
            filled += 1
    return filled
