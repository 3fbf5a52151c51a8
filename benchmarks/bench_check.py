"""Time `bitext check` on copies of the sample; print figures.

Usage: python benchmarks/bench_check.py [--copies 200] [--repeat 3] [--corpus [--examples N]]

Builds, in a temporary folder, a publication whose one document holds N
copies of the sample article (Turkish original, English translation,
footnote labels made unique per copy; ~45 segments a copy, so 200 copies
are ~9,000 segments), runs `bitext update` once to make its catalog, then
times:

* the checks alone: every registered check over the parsed catalog (what
  the checks cost; target of issue 4: <= 1.0 s for 200 copies);
* the whole command in this process: config, the original segmented, the
  PO file parsed, the translated Markdown rendered and compared, the checks,
  the text report.

A small glossary is configured so the glossary check does real work too.

``--corpus`` instead checks ../shared/corpus (English originals, Turkish
translations written by others): each folder becomes a throwaway
publication (source_lang en, target tr); ``bitext update`` makes a catalog
from every pair whose two sides have the same segments, one for one (the
others need `bitext align` and are counted as skipped); then `bitext check`
runs and the findings are counted per check, with examples.
The best of ``--repeat`` runs is printed (CPU time of this process, so other
work on the machine counts less), then the findings: none, the sample checks
clean (footnote xii keeps a Turkish title with "Suriye" in it in the English;
the glossary check leaves a quotation kept word for word alone).
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

from pipeline.checks import REGISTRY  # noqa: E402
from pipeline.checks.runner import levels, run_checks  # noqa: E402
from pipeline.commands.check import _options, _publication_context, check  # noqa: E402
from pipeline.commands.update import update  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.report import render  # noqa: E402

LABEL = re.compile(r"\[\^([^\]\s]+)\]")
GLOSSARY = """source,target,forbidden
Esad,Assad|Al-Assad,Esed
İdlib,Idlib,
Suriye,Syria|Syrian,
mülteci*,refugee*,
Ankara,Ankara,
"""
CONFIG = """source_lang = "tr"
target_langs = ["en"]
footnote_style = "lower-roman"

[check]
glossary = "glossary.csv"
"""


def copies(lang: str, count: int) -> str:
    """``count`` copies of the sample's body under one front matter, labels made unique."""
    text = (REPO / "source" / lang / "article.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5
    head, body = text[:end], text[end:].strip("\n")
    out = [head]
    for k in range(count):
        out.append(LABEL.sub(lambda m, k=k: f"[^{m.group(1)}-{k}]", body) + "\n")
    return "\n".join(out)


def build(root: Path, count: int) -> None:
    (root / "bitext.toml").write_text(CONFIG, encoding="utf-8")
    (root / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    for lang in ("tr", "en"):
        path = root / "source" / lang / "article.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(copies(lang, count), encoding="utf-8")
    update(load_config(root), ["article"])


def best(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return min(times)


def corpus(examples: int) -> None:
    """Check every bootstrappable pair of the shared corpus; print counts and examples."""
    import random
    from collections import Counter

    from pipeline.errors import BitextError

    source = REPO.parent / "shared" / "corpus"
    if not source.is_dir():
        print(f"no corpus at {source}")
        return
    totals: Counter[str] = Counter()
    shown: list[str] = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "bitext.toml").write_text(
                'source_lang = "en"\ntarget_langs = ["tr"]\n', encoding="utf-8")
            docs, skipped = [], []
            for en in sorted(folder.glob("*.en.md")):
                doc = en.name.removesuffix(".en.md")
                for lang, path in (("en", en), ("tr", en.with_name(f"{doc}.tr.md"))):
                    target = root / "source" / lang / f"d{doc}.md"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
                try:
                    update(load_config(root), [f"d{doc}"])
                    docs.append(f"d{doc}")
                except BitextError as exc:
                    skipped.append(f"{doc} ({exc.message[:60]}…)")
            result = check(load_config(root), docs, [])
            counts = Counter(f.check for f in result.findings)
            segments = sum(len(run.context.units) for run in result.runs)
            print(f"{folder.name}: {len(docs)} pairs checked ({segments} segments), "
                  f"{len(skipped)} skipped: {dict(sorted(counts.items()))}")
            totals.update(counts)
            findings = result.findings
            random.Random(4).shuffle(findings)
            for f in findings[:examples]:
                seg = next(u for run in result.runs for u in run.context.units
                           if run.context.document == f.document and u.entry.line == f.line)
                shown.append(f"[{folder.name}/{f.document}:{f.line}] {f.severity} {f.check}: "
                             f"{f.message}\n    en: {seg.source[:160]!r}"
                             f"\n    tr: {seg.target[:160]!r}")
    print(f"total: {dict(sorted(totals.items()))}")
    print("\n".join(shown))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--examples", type=int, default=15)
    args = parser.parse_args()
    if args.corpus:
        corpus(args.examples)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, args.copies)
        config = load_config(root)
        options = _options(config)
        ctx = _publication_context(config, "article", "en", options)
        names = list(REGISTRY)
        check_levels = levels(options)
        segments = len(ctx.units)
        print(f"{args.copies} copies: {segments} segments, "
              f"{(root / 'locale/en/LC_MESSAGES/article.po').stat().st_size / 1e6:.1f} MB PO")

        def checks_only(names: list[str]) -> None:
            # Fresh units: nothing a previous run derived from the texts is reused.
            ctx.__dict__.pop("units", None)
            ctx.__dict__.pop("translated", None)
            run_checks(ctx, names, check_levels)

        seconds = best(args.repeat, lambda: checks_only(names))
        print(f"all {len(names)} checks alone:       {seconds:.3f} s "
              f"({seconds / segments * 1e6:.0f} µs a segment; target <= 1.0 s)")
        for name in names:
            one = best(args.repeat, lambda name=name: checks_only([name]))
            print(f"  {name:<20} {one:.3f} s")
        result = check(config, ["article"], [])
        whole = best(args.repeat, lambda: render(check(config, ["article"], []), "text"))
        print(f"whole command (load, parse, check, report): {whole:.3f} s")
        print(f"findings: {result.errors} errors, {result.warnings} warnings")


if __name__ == "__main__":
    main()
