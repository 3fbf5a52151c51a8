"""Time `bitext review` on a 9,000-segment publication; print figures.

Usage: python benchmarks/bench_review.py [--copies 210] [--edits 40] [--repeat 1]

Builds, in a temporary folder, one document holding ``--copies`` copies of the
sample article (`benchmarks.corpus.make_publication`, ~43 segments a copy: 210
copies are ~9,000 segments), runs `bitext update`, edits ``--edits`` Turkish
paragraphs and updates again (so fuzzy rows with word diffs are on the page),
then times, best of ``--repeat`` (wall clock: pandoc runs in a subprocess):

* the whole command: the checks, the rows, pandoc (one parse and one write of
  every text of the page), the HTML, the atomic write;
* of which pandoc: the parse and the write of the fragments;
* the pure page: `pipeline.review.render_html` alone, on the rendered rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import edit_originals, make_publication  # noqa: E402
from pipeline.adapters import pandoc  # noqa: E402
from pipeline.commands.check import check  # noqa: E402
from pipeline.commands.review import review  # noqa: E402
from pipeline.commands.update import update  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.review import render_html  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=210)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = make_publication(root, args.copies, layout="one")
        update(load_config(root), ["big"])
        edit_originals(files, args.edits)
        update(load_config(root), ["big"])
        config = load_config(root)

        spent: list[float] = []
        real = pandoc._run

        def timed(cmd: list[str], data: bytes, *, shown: str) -> bytes:
            start = time.perf_counter()
            try:
                return real(cmd, data, shown=shown)
            finally:
                spent.append(time.perf_counter() - start)

        pandoc._run = timed  # type: ignore[assignment]
        best_total, best_pandoc, result = float("inf"), 0.0, None
        for _ in range(args.repeat):
            spent.clear()
            start = time.perf_counter()
            result = review(config, ["big"], check=lambda c, d: check(c, d, []))
            total = time.perf_counter() - start
            if total < best_total:
                best_total, best_pandoc = total, sum(spent)
        pandoc._run = real  # type: ignore[assignment]
        assert result is not None
        page = result.pages[0]
        start = time.perf_counter()
        html = render_html(page)
        pure = time.perf_counter() - start
        s = page.summary
        print(f"review page of {s['segments']} segments ({s['states']['fuzzy']} fuzzy, "
              f"{s['problems']} to look at), {len(html.encode()) / 1e6:.1f} MB")
        print(f"  whole command:        {best_total:6.2f} s")
        print(f"  of which pandoc ({len(spent)} runs): {best_pandoc:6.2f} s")
        print(f"  render_html alone:    {pure:6.2f} s")


if __name__ == "__main__":
    main()
