"""The translation memory's fuzzy index: bigram sketches and postings, in numpy. Pure.

`pipeline.memory.Memory` builds it (lazily: exact lookups never need it) from the
units' fuzzy keys, and a lookup asks it for the units sharing the most sketch
features with the query (`FuzzyIndex.candidates`); rapidfuzz then scores those.

A key is the unit's normalised original (`pipeline.memory.normalise`: single spaces)
folded byte by byte: ASCII letters lower-cased and every ASCII digit made ``0``, in one
`bytes.translate` over all keys at once. (The scored key, `pipeline.memory.abstract`,
also folds codes and number runs; the sketch only has to find the candidates, and a
code or number that differs changes one or two of a paragraph's features, not its
rank; the Unicode casefold and two regular expressions over 40 MB cost more than the
rest of the build: see `benchmarks/bench_memory.py`.)

Each key's words are hashed by their UTF-8 bytes (the same hash in every process,
so the index can be stored: `pipeline.adapters.memory_store`); each pair of
neighbouring words is a feature. A key keeps the features in the lower half of
the hash range (about half of a long paragraph's bigrams: its own rare words
among them, which tell it from its near-duplicates) and at least its ``SKETCH``
smallest. The postings are three arrays: the features sorted, where each one's
units start, and the units (CSR). All keys are hashed at once, in numpy passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

SKETCH = 16  # features a key keeps at least
CANDIDATES = 20  # units scored per fuzzy lookup
BUDGET = 2_000  # postings counted per fuzzy lookup, the rarest features' first

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_PAIR = np.uint64(0x9E3779B97F4A7C15)
_LOW = np.uint64((1 << 40) - 1)  # a feature is a 40-bit hash
_HALF = np.uint64(1 << 39)  # features below it are kept whatever the text's length
_SPACE_BYTE, _NEWLINE = 32, 10
# ASCII letters lower-cased, ASCII digits made "0": the fold of a key's bytes (UTF-8's other
# bytes are >= 0x80 and stay, so the fold never splits a character).
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                        b"abcdefghijklmnopqrstuvwxyz0000000000")


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64's finaliser, element-wise (unsigned arithmetic wraps around)."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


_WORD_BYTES = 40  # a word's bytes hashed all up to this length; a longer one's first 32, last 8
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def _word_hashes(data: bytes, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> \
        NDArray[np.uint64]:
    """A stable 64-bit hash of each word ``data[start:end]``, from 8-byte loads: its length,
    its first 8 bytes (masked), whole 8 bytes further on, and its last 8."""
    padded = data + bytes(8)
    # Every byte offset as the start of a little-endian 64-bit word (overlapping, unaligned).
    loads = np.ndarray(shape=(len(data),), dtype="<u8", buffer=padded, strides=(1,))
    lengths = ends - starts
    hashes = _mix(lengths.astype(np.uint64) * _PAIR
                  ^ (loads[starts] & _MASKS[np.minimum(lengths, 8)]))
    for offset in range(0, _WORD_BYTES - 8, 8):  # the last 8 bytes, then whole 8 within
        some = np.flatnonzero(lengths > offset + 8)
        if not len(some):
            break
        at = ends[some] - 8 if offset == 0 else starts[some] + offset
        hashes[some] = _mix(hashes[some] ^ loads[at])
    return hashes


_OWNER = np.uint64(24)  # bits of a unit's number beside a feature's 40
_OWNER_MASK = np.uint64((1 << 24) - 1)
MAX_UNITS = 1 << 24
_EMPTY = np.zeros(0, dtype=np.uint64)


def sketches(keys: Sequence[str], joined: str | None = None) -> NDArray[np.uint64]:
    """Each key's features, as ``feature << 24 | key number``, sorted, no repeats.

    A key's words (folded, see the module docstring; split at single spaces, as
    `pipeline.memory.normalise` leaves a text) are hashed by their UTF-8 bytes;
    each pair of neighbours gives a feature (a one-word key its word). A key keeps
    its features in the lower half of the range (about half of a long paragraph's
    bigrams), and at least its ``SKETCH`` smallest. All keys at once, in numpy
    passes, not Python loops; the same in every process, so the index can be stored.
    ``joined``: the keys joined by newlines, if the caller has them (no key empty).
    """
    if len(keys) > MAX_UNITS:
        raise ValueError(f"a memory holds at most {MAX_UNITS} units")
    if joined is None:
        joined = "\n".join([k or "\x01" for k in keys])
    text = joined.encode("utf-8").translate(_FOLD)
    data = np.frombuffer(text, dtype=np.uint8)
    gaps = np.flatnonzero((data == _SPACE_BYTE) | (data == _NEWLINE))  # none in UTF-8 else
    if len(gaps) and (gaps[0] == 0 or gaps[-1] == len(data) - 1 or np.any(np.diff(gaps) == 1)):
        return sketches([" ".join(k.split()) for k in keys])  # not single spaces: made so
    if not len(data):
        return _EMPTY
    words = _word_hashes(text, np.concatenate(([0], gaps + 1)),
                         np.concatenate((gaps, [len(data)])))
    unit = np.concatenate(([0], np.cumsum(data[gaps] == _NEWLINE))).astype(np.uint64)
    same = unit[1:] == unit[:-1]
    single = np.bincount(unit, minlength=len(keys))[unit] == 1
    features = np.concatenate((_mix(words[:-1] * _PAIR + words[1:])[same],
                               _mix(words[single]))) >> _OWNER
    owners = np.concatenate((unit[:-1][same], unit[single]))
    low = features < _HALF
    short = (np.bincount(owners[low].astype(np.int64), minlength=len(keys)) < SKETCH)[
        owners.astype(np.int64)]
    # A key with fewer than SKETCH low features: its SKETCH smallest, ranked by key.
    pairs = np.sort((owners[short] << np.uint64(40)) | features[short])
    pairs = pairs[_heads(pairs)]
    owner = pairs >> np.uint64(40)
    head = np.flatnonzero(_heads(owner))
    rank = np.arange(len(pairs)) - np.repeat(head, np.diff(np.append(head, len(pairs))))
    pairs = pairs[(rank < SKETCH) | ((pairs & _LOW) < _HALF)]
    chosen = np.concatenate((((pairs & _LOW) << _OWNER) | (pairs >> np.uint64(40)),
                             (features[low & ~short] << _OWNER) | owners[low & ~short]))
    chosen.sort()
    return chosen[_heads(chosen)]


def _heads(ordered: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Where each run of equal values of a sorted array starts."""
    return np.concatenate((np.ones(min(len(ordered), 1), dtype=bool),
                           ordered[1:] != ordered[:-1]))


class FuzzyIndex:
    """The postings of every feature: ``features`` sorted, ``offsets`` where each one's
    units start in ``ids`` (each posting in unit order)."""

    ARRAYS = ("features", "offsets", "ids")

    def __init__(self, features: NDArray[np.uint64], offsets: NDArray[np.int64],
                 ids: NDArray[np.int64]):
        self.features, self.offsets, self.ids = features, offsets, ids

    @classmethod
    def build(cls, keys: Sequence[str], joined: str | None = None) -> FuzzyIndex:
        chosen = sketches(keys, joined)  # by feature, then unit: postings in unit order
        ordered = chosen >> _OWNER
        heads = np.flatnonzero(_heads(ordered))
        return cls(ordered[heads], np.append(heads, len(ordered)).astype(np.int64),
                   (chosen & _OWNER_MASK).astype(np.int64))

    @classmethod
    def checked(cls, arrays: dict[str, NDArray[Any]], count: int) -> FuzzyIndex:
        """The index of these arrays, for ``count`` units; ValueError if they are not one."""
        features, offsets, ids = (arrays[name] for name in cls.ARRAYS)
        if (features.dtype != np.uint64 or offsets.dtype != np.int64 or ids.dtype != np.int64
                or features.ndim != 1 or ids.ndim != 1
                or offsets.shape != (len(features) + 1,) or offsets[0] != 0
                or offsets[-1] != len(ids) or np.any(np.diff(offsets) <= 0)
                or np.any(np.diff(features) <= 0)
                or (len(ids) and (ids.min() < 0 or ids.max() >= count))):
            raise ValueError("the fuzzy index's arrays are damaged")
        return cls(features, offsets, ids)

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {"features": self.features, "offsets": self.offsets, "ids": self.ids}

    def candidates(self, key: str) -> list[int]:
        """The ``CANDIDATES`` units sharing the most features with ``key``, most first (ties:
        the first counted), counting the rarest features' postings first up to ``BUDGET``."""
        wanted = sketches([key]) >> _OWNER
        if not len(self.features):
            return []
        at = np.minimum(np.searchsorted(self.features, wanted), len(self.features) - 1)
        at = at[self.features[at] == wanted]
        lengths = self.offsets[at + 1] - self.offsets[at]
        postings: list[NDArray[np.int64]] = []
        budget = BUDGET
        for i in np.argsort(lengths, kind="stable").tolist():  # the rarest say the most
            if lengths[i] > budget and postings:
                break
            postings.append(self.ids[self.offsets[at[i]]:self.offsets[at[i] + 1]])
            budget -= int(lengths[i])
        if not postings:
            return []
        found, seen, counts = np.unique(np.concatenate(postings), return_index=True,
                                        return_counts=True)
        return [int(n) for n in found[np.lexsort((seen, -counts))[:CANDIDATES]]]
