"""Time `bitext align` on copies of the sample; print figures (and corpus figures).

Usage: python benchmarks/bench_align.py [--copies 50,100,200] [--corpus]

For each size, one document holding that many copies of the sample article
(Turkish original, English translation; footnote labels made unique per
copy; ~45 segments a copy) is aligned three ways: the aligner alone on
parsed segments (`pipeline.align.align_segments`), the whole command
(read, segment, align, write the PO) in this process, and the same with the
translation perturbed in every copy (one paragraph split, one deleted, one
translator's note added), which moves the path off the diagonal. Target
(issue 6): 200 copies (~9,000 segments) <= 3 s, time growing linearly.

``--corpus`` also aligns every pair in ../shared/corpus (English original,
Turkish translation) and prints, per folder, the share of pairs whose two
sides sit in the same section (the k-th heading of each side opens section
k), the pairs below the threshold, and the worst documents.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.align import DEFAULT_THRESHOLD, Pair, align_segments  # noqa: E402
from pipeline.commands.align import align  # noqa: E402
from pipeline.markdown.segments import Segment, parse_document  # noqa: E402

LABEL = re.compile(r"\[\^([^\]\s]+)\]")
NOTE = "*Translator’s note: the figures in this paragraph are from the 2021 reports.*"


def sample(lang: str) -> tuple[str, list[str]]:
    """Front matter and the body blocks (paragraphs, headings, footnote definitions)."""
    text = (REPO / "source" / lang / "article.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5
    return text[:end], re.split(r"\n\n(?!    )", text[end:].strip("\n"))


def copies(lang: str, count: int, *, perturb: bool = False) -> str:
    """``count`` copies of the sample in one document; ``perturb`` edits each English copy."""
    head, blocks = sample(lang)
    out = [head]
    for k in range(count):
        copy = [LABEL.sub(lambda m, k=k: f"[^{m.group(1)}-{k}]", b) for b in blocks]
        if perturb:
            x = copy[3]
            cut = x.index(". ", len(x) // 2) + 1
            copy[3:4] = [x[:cut], x[cut + 1:]]  # a split paragraph
            del copy[9]  # a deleted paragraph
            copy.insert(14, NOTE)  # a translator's note
        out.append("\n\n".join(copy) + "\n")
    return "\n".join(out)


def timed(count: int, *, perturb: bool) -> tuple[int, float, float, float, float, int]:
    """Segments; parse CPU; aligner wall and CPU; whole command wall seconds; pairs not 1:1."""
    tr, en = copies("tr", count), copies("en", count, perturb=perturb)
    parse = time.process_time()
    a, b = parse_document(tr).segments, parse_document(en).segments
    parse = time.process_time() - parse
    start, cpu = time.perf_counter(), time.process_time()
    pairs = align_segments(a, b, source_lang="tr", target_lang="en")
    aligner, cpu = time.perf_counter() - start, time.process_time() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        src, tgt = Path(tmp) / "tr.md", Path(tmp) / "en.md"
        src.write_text(tr, encoding="utf-8")
        tgt.write_text(en, encoding="utf-8")
        start = time.perf_counter()
        align(None, src, tgt, output=Path(tmp) / "x.po", source_lang="tr", target_lang="en")
        command = time.perf_counter() - start
    return len(a), parse, aligner, cpu, command, sum(1 for p in pairs if p.shape != "1:1")


def sections(segments: list[Segment]) -> list[int]:
    """Section number of each segment: how many headings come before or at it."""
    out, k = [], 0
    for s in segments:
        k += s.kind == "heading"
        out.append(k)
    return out


def corpus(root: Path) -> None:
    print(f"\ncorpus {root} (en -> tr): share of pairs in the same section")
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        right = total = low = structural = 0
        worst: list[tuple[float, str, int, int, str]] = []
        for en in sorted(folder.glob("*.en.md")):
            tr = en.with_name(en.name.replace(".en.", ".tr."))
            a = parse_document(en.read_text(encoding="utf-8"), path=str(en)).segments
            b = parse_document(tr.read_text(encoding="utf-8"), path=str(tr)).segments
            pairs = align_segments(a, b, source_lang="en", target_lang="tr")
            sa, sb = sections(a), sections(b)
            good, wrong = _score(pairs, sa, sb)
            right += good
            total += good + len(wrong)
            low += sum(1 for p in pairs if p.confidence < DEFAULT_THRESHOLD)
            structural += sum(1 for p in pairs if p.shape != "1:1")
            share = good / max(1, good + len(wrong))
            example = ""
            if wrong:
                p = wrong[0]
                example = (f"e.g. en:{a[p.source[0]].line} ({a[p.source[0]].text[:30]!r}) "
                           f"with tr:{b[p.target[0]].line} ({b[p.target[0]].text[:30]!r}), "
                           f"confidence {p.confidence:.2f}")
            worst.append((share, en.name, len(wrong), good + len(wrong), example))
        print(f"  {folder.name}: {right}/{total} = {right / max(1, total):.1%} in the same "
              f"section; {structural} pairs not 1:1; {low} below confidence "
              f"{DEFAULT_THRESHOLD}")
        for share, name, bad, count, example in sorted(worst)[:3]:
            if bad:
                print(f"    worst {name}: {count - bad}/{count} ({share:.1%}) {example}")


def _score(pairs: list[Pair], sa: list[int], sb: list[int]) -> tuple[int, list[Pair]]:
    good, wrong = 0, []
    for p in pairs:
        if not p.source or not p.target:
            continue
        if {sa[i] for i in p.source} | {sb[j] for j in p.target} == {sa[p.source[0]]}:
            good += 1
        else:
            wrong.append(p)
    return good, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="50,100,200")
    parser.add_argument("--corpus", action="store_true")
    args = parser.parse_args()
    print("seconds. parse: parse_document of both files (cpu); aligner: align_segments on the")
    print("parsed segments (wall, cpu); command: read, parse, align, write the PO (wall).")
    print("perturbed: the translation has a split, a deletion and a note in every copy.")
    print(f"{'copies':>6} {'segments':>8} {'parse':>6} {'aligner':>8} {'cpu':>6} {'command':>8} "
          f"{'perturbed aligner':>17} {'cpu':>6} {'command':>8} {'not 1:1':>7}")
    for count in (int(c) for c in args.copies.split(",")):
        n, parse, aligner, cpu, command, _ = timed(count, perturb=False)
        _, _, p_aligner, p_cpu, p_command, odd = timed(count, perturb=True)
        print(f"{count:>6} {n:>8} {parse:>6.2f} {aligner:>8.2f} {cpu:>6.2f} {command:>8.2f} "
              f"{p_aligner:>17.2f} {p_cpu:>6.2f} {p_command:>8.2f} {odd:>7}")
    if args.corpus:
        corpus(REPO.parent / "shared" / "corpus")


if __name__ == "__main__":
    main()
