"""Time `bitext review` on a 9,000-segment publication; print figures.

Usage: python benchmarks/bench_review.py [--copies 210] [--edits 40] [--repeat 3]
       [--no-reference]

Builds, in a temporary folder, one document holding ``--copies`` copies of the
sample article (`benchmarks.corpus.make_publication`, ~43 segments a copy: 210
copies are ~9,000 segments), runs `bitext update`, edits ``--edits`` Turkish
paragraphs and updates again (so fuzzy rows with word diffs are on the page),
then times, best of ``--repeat`` (wall clock, and CPU seconds of bitext and its
pandoc processes: on a shared machine the CPU figure is the one to compare):

* a first review (no ``.bitext/review`` cache) and a re-review after one more
  edited paragraph (the cache holds every other text);
* for each: the whole command, of which the checks (`bitext check`, not the
  page's work), of which pandoc, and the page itself (rows, every text
  rendered, the HTML, the write: the whole command minus the checks);
* `pipeline.review_html.render_html` alone, on the rendered rows;
* the reference: the page rendered as before the fast path and the cache,
  every text through one pandoc parse and one pandoc write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pipeline.commands.review as review_command  # noqa: E402
from benchmarks.corpus import edit_originals, make_publication  # noqa: E402
from pipeline.adapters import pandoc  # noqa: E402
from pipeline.commands.check import check  # noqa: E402
from pipeline.commands.update import update  # noqa: E402
from pipeline.config import Config, load_config  # noqa: E402
from pipeline.review_html import render_html  # noqa: E402


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Timer:
    """Wall and CPU time of the whole command, the checks and the pandoc runs."""

    def __init__(self) -> None:
        self.pandoc = self.checks = self.checks_cpu = 0.0
        self.runs = 0
        self.real_run = pandoc._run

    def run(self, cmd: list[str], data: bytes, *, shown: str) -> bytes:
        start = time.perf_counter()
        try:
            return self.real_run(cmd, data, shown=shown)
        finally:
            self.pandoc += time.perf_counter() - start  # summed over parallel runs
            self.runs += 1

    def check(self, config: Config, docs: list[str]) -> Any:
        start, start_cpu = time.perf_counter(), cpu()
        try:
            return check(config, docs, [])
        finally:
            self.checks += time.perf_counter() - start
            self.checks_cpu += cpu() - start_cpu


def measure(config: Config, repeat: int, before: Callable[[], None]) -> dict[str, Any]:
    best: dict[str, Any] = {"total": float("inf")}
    for _ in range(repeat):
        before()
        timer = Timer()
        pandoc._run = timer.run  # type: ignore[assignment]
        start, start_cpu = time.perf_counter(), cpu()
        result = review_command.review(config, ["big"], check=timer.check)
        total, spent_cpu = time.perf_counter() - start, cpu() - start_cpu
        pandoc._run = timer.real_run  # type: ignore[assignment]
        if total < best["total"]:
            best = {"total": total, "cpu": spent_cpu, "checks": timer.checks,
                    "checks_cpu": timer.checks_cpu, "pandoc": timer.pandoc, "runs": timer.runs,
                    "result": result}
    return best


def show(name: str, m: dict[str, Any]) -> None:
    print(f"{name}:")
    print(f"  whole command:         {m['total']:6.2f} s  ({m['cpu']:.2f} s CPU)")
    print(f"  of which the checks:   {m['checks']:6.2f} s  ({m['checks_cpu']:.2f} s CPU)")
    print(f"  the page (all but the checks): {m['total'] - m['checks']:6.2f} s  "
          f"({m['cpu'] - m['checks_cpu']:.2f} s CPU)")
    print(f"  pandoc ({m['runs']} runs, summed): {m['pandoc']:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=210)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = make_publication(root, args.copies, layout="one")
        update(load_config(root), ["big"])
        edit_originals(files, args.edits)
        update(load_config(root), ["big"])
        config = load_config(root)
        cache = root / ".bitext" / "review"

        first = measure(config, args.repeat, lambda: shutil.rmtree(cache, ignore_errors=True))
        page = first["result"].pages[0]
        s = page.summary
        start = time.perf_counter()
        html = render_html(page)
        pure = time.perf_counter() - start
        print(f"review page of {s['segments']} segments ({s['states']['fuzzy']} fuzzy, "
              f"{s['problems']} to look at), {len(html.encode()) / 1e6:.1f} MB, "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        show("first review (no cache)", first)

        edit_originals(files, 1)  # one more edited paragraph, then review again
        update(load_config(root), ["big"])
        config = load_config(root)
        again = measure(config, args.repeat, lambda: None)
        show("re-review after one edit (cache)", again)
        print(f"render_html alone:       {pure:6.2f} s")

        if not args.no_reference:
            real_plain, real_chunk = review_command.plain_html, review_command.CHUNK
            review_command.plain_html = lambda text, targets=None: None  # type: ignore
            review_command.CHUNK = 10**9
            shutil.rmtree(cache, ignore_errors=True)
            ref = measure(config, 1, lambda: shutil.rmtree(cache, ignore_errors=True))
            review_command.plain_html, review_command.CHUNK = real_plain, real_chunk
            show("reference: every text through one pandoc parse and write (before)", ref)
            same = ref["result"].pages[0].rows == again["result"].pages[0].rows
            print(f"  same rows and HTML as the fast path: {same}")


if __name__ == "__main__":
    main()
