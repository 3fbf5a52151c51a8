"""Time the language and direction marking (`pipeline.render.langs.mark_languages`).

Usage: python benchmarks/bench_bidi.py [--repeat 15]

The sample article's AST (parsed once by pandoc) is marked as a left-to-right
edition (``en``: Arabic runs and quotations isolated) and as a right-to-left
one (``ar``: every Latin run isolated; the sample's Turkish text is the worst
case, all of it Latin, as in an Arabic draft before any translation). Prints
the best of ``--repeat`` runs for each. Reference on a shared 2-core machine
before the bidi quotations (commit 8ccd29e): en 1.9-2.3 ms, ar 1.7-1.8 ms
(Arabic editions marked nothing then).
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.adapters import pandoc  # noqa: E402
from pipeline.render.langs import mark_languages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    text = (REPO / "source/tr/article.md").read_text(encoding="utf-8")
    blocks = pandoc.parse_markdown(text, shown="bench")["blocks"]
    mark_languages(copy.deepcopy(blocks), lang="ar", phrases={})  # warm Babel's data
    for lang in ("en", "ar"):
        best = float("inf")
        for _ in range(args.repeat):
            work = copy.deepcopy(blocks)
            start = time.perf_counter()
            mark_languages(work, lang=lang, phrases={})
            best = min(best, time.perf_counter() - start)
        print(f"mark_languages, sample article as {lang}: {best * 1000:.2f} ms (best of "
              f"{args.repeat})")


if __name__ == "__main__":
    main()
