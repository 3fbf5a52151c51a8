"""Time `bitext update` on 200 copies of the sample (~9,000 segments); print figures.

Usage: python benchmarks/bench_update.py [--copies 200] [--edits 400]

Each run is a separate `bitext update` process, timed wall-clock, with its
peak memory (ru_maxrss). Scenarios: from scratch (taking in the existing
English as translations), no-op, after N edited Turkish paragraphs; for one
document per copy and for all copies in one document; and 1/10 of the
corpus, to see how the time grows. Targets (issue 2): after edits <= 1.5 s,
no-op <= 0.3 s, 10x the corpus <= 11x the time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import edit_originals, make_publication

BITEXT = [sys.executable, "-m", "pipeline"]


def timed_update(root: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of one `bitext update` run in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([*BITEXT, "-C", str(root), "update"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bitext update failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def startup() -> float:
    start = time.perf_counter()
    subprocess.run([*BITEXT, "--help"], capture_output=True, check=True)
    return time.perf_counter() - start


def scenario(copies: int, edits: int, layout: str) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = make_publication(root, copies, layout=layout)
        figures = {"from scratch": timed_update(root), "no-op": timed_update(root)}
        edited = edit_originals(files, edits)
        figures[f"after {edited} edits"] = timed_update(root)
        figures["no-op again"] = timed_update(root)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--edits", type=int, default=400)
    args = parser.parse_args()
    print(f"python start-up + imports (bitext --help): {startup():.3f} s")
    results = {}
    for layout in ("files", "one"):
        for copies in (args.copies // 10, args.copies):
            edits = args.edits if copies == args.copies else args.edits // 10
            figures = scenario(copies, edits, layout)
            results[layout, copies] = figures
            print(f"\n{copies} copies, layout={layout}")
            for name, (seconds, mib) in figures.items():
                print(f"  {name:<22} {seconds:7.3f} s   peak {mib:7.1f} MiB")
    for layout in ("files", "one"):
        small = results[layout, args.copies // 10]["from scratch"][0]
        large = results[layout, args.copies]["from scratch"][0]
        print(f"\nscaling ({layout}): 10x the corpus costs {large / small:.1f}x the time "
              "(from scratch, start-up included)")


if __name__ == "__main__":
    main()
