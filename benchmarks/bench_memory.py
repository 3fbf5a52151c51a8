"""Translation memory speed: index build and load, exact and fuzzy lookups, recall.

The memory is made from the sample's segments (source/tr/article.md and its PO):
its paragraphs (whole, or split into sentences), each copied with a few words
replaced by made-up ones until there are N units (default 100,000). Queries:
exact ones (units' originals, half with their spaces and quotes changed) and
fuzzy ones (a unit's original with one or two more words replaced), whose
expected match is known, so the recall is printed too. The index is stored as
`pipeline.adapters.memory_store` stores it and loaded back (timed); the loaded
memory must give the same matches.

    .venv/bin/python benchmarks/bench_memory.py [N] [--paragraphs | --sentences]

Both modes unless one is named (the sample's paragraphs: ~430 characters).
Targets: build <= 2 s, each lookup <= 1 ms. Figures only; no test asserts a time.

On the development machine (2 cores, load about 2.5; 1,000 fuzzy queries), after the
sketch was built from the normalised originals folded byte by byte and the scored keys
made only when a lookup needs them:

============  ==========  =====  ==============  ==============  =======
mode          build       load   exact med/p95   fuzzy med/p95   recall
============  ==========  =====  ==============  ==============  =======
sentences     0.7 s       0.1 s  0.009/0.02 ms   0.29/0.41 ms    973
paragraphs    1.8 s       0.4 s  0.013/0.07 ms   0.26/0.83 ms    915
============  ==========  =====  ==============  ==============  =======

(the sketch from the abstracted keys, Unicode-casefolded: paragraphs 1.9-2.7 s, recall
929-934 on the sample before its copy-edit; before the numpy sketch: sentences 2.0 s,
0.27/0.41 ms, 953; paragraphs 4.6 s, 0.36/1.42 ms, 796; nothing stored.)
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline.adapters.memory_store import read_index, write_index
from pipeline.adapters.po import read_catalog
from pipeline.memory import DEFAULT_THRESHOLD, Memory, Unit, split_sentences
from pipeline.memory_sketch import FuzzyIndex  # numpy imported before the clock starts

assert FuzzyIndex

ROOT = Path(__file__).resolve().parent.parent
PO = "locale/en/LC_MESSAGES/article.po"


def seeds(paragraphs: bool) -> list[tuple[str, str]]:
    catalog = read_catalog(ROOT / PO, shown=PO)
    pairs = [(e.msgid, e.msgstr) for e in catalog.entries if e.translated]
    if paragraphs:
        return pairs
    out = []
    for source, target in pairs:
        s, t = split_sentences(source, "tr"), split_sentences(target, "en")
        out += list(zip(s, t, strict=True)) if len(s) == len(t) else [(source, target)]
    return [p for p in out if len(p[0].split()) >= 4]


def mutate(text: str, rng: random.Random, changes: int) -> str:
    words = text.split(" ")
    for _ in range(changes):
        i = rng.randrange(len(words))
        words[i] = "".join(rng.choice("abcçdefgğhıijklmnoöprsştuüvyz")
                           for _ in range(rng.randint(3, 9)))
    return " ".join(words)


def timed(calls: list[object], run: object) -> list[float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        run(call)  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<28} median {statistics.median(times):.3f} ms   p95 {p95:.3f} ms   "
          f"max {ordered[-1]:.3f} ms   ({len(times)} lookups)")


def bench(size: int, paragraphs: bool) -> None:
    rng = random.Random(7)
    base = seeds(paragraphs)
    units = []
    for n in range(size):
        source, target = base[n % len(base)]
        units.append(Unit(mutate(source, rng, 3), target, f"synthetic:{n}", "synthetic",
                          str(n)))
    print(f"{size} units ({'paragraphs' if paragraphs else 'sentences'}) from "
          f"{len(base)} sample segments, mean {statistics.mean(len(u.source) for u in units):.0f}"
          " characters")
    start = time.perf_counter()
    memory = Memory(units)
    memory.prepare()  # the fuzzy index too (else the first fuzzy lookup builds it)
    print(f"index build                  {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory-index.npz"
        start = time.perf_counter()
        write_index(path, "bench", memory)
        stored = time.perf_counter() - start
        start = time.perf_counter()
        loaded = read_index(path, "bench")
        print(f"index load (stored)          {time.perf_counter() - start:.2f} s   "
              f"(stored in {stored:.2f} s, {path.stat().st_size / 1e6:.0f} MB)")
    assert loaded is not None

    picked = rng.sample(range(size), 1000)
    exact = [units[n].source if i % 2 else units[n].source.replace(" ", "  ", 1)
             for i, n in enumerate(picked)]
    report("exact lookup", timed(exact, memory.exact))
    misses = [mutate(units[n].source, rng, 1) + " yok" for n in picked[:300]]
    report("exact lookup (miss)", timed(misses, memory.exact))

    fuzzy = [(mutate(units[n].source, rng, rng.randint(1, 2)), n) for n in picked]
    found: list[object] = []
    times = timed(fuzzy, lambda q: found.append(memory.fuzzy(q[0], DEFAULT_THRESHOLD)))
    report("fuzzy lookup (>= 75 %)", times)
    right = sum(1 for (_, n), m in zip(fuzzy, found, strict=True)
                if m is not None and m.original == units[n].source)  # type: ignore[attr-defined]
    hits = sum(1 for m in found if m is not None)
    print(f"fuzzy recall                 {right}/{len(fuzzy)} found the unit they came from "
          f"({hits} found a match)")
    unrelated = [" ".join(mutate(base[0][0], rng, 40).split()[:12]) for _ in range(300)]
    report("fuzzy lookup (no match)", timed(unrelated, lambda q: memory.fuzzy(q, 75)))
    again: list[object] = []
    report("fuzzy lookup, loaded index", timed(
        fuzzy, lambda q: again.append(loaded.fuzzy(q[0], DEFAULT_THRESHOLD))))
    assert again == found, "the loaded index gives other matches"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 100_000
    modes = [m for m, flag in ((False, "--sentences"), (True, "--paragraphs"))
             if flag in sys.argv] or [False, True]
    for n, paragraphs in enumerate(modes):
        if n:
            print()
        bench(size, paragraphs)


if __name__ == "__main__":
    main()
