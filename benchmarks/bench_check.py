"""Time `bitext check` beside pofilter and `msgfmt -c`, and the command's start-up; print figures.

Usage: python benchmarks/bench_check.py [--repeat 5] [--sizes one,200,2000] [--no-startup]
       python benchmarks/bench_check.py --checks-alone [--copies 200]
       python benchmarks/bench_check.py --corpus [--examples N]
       python benchmarks/bench_check.py --same-as REV [--copies 200]

The default run (issue 16's table) makes, with `benchmarks/corpus.py`, three
publications of copies of the sample (each copy's text and footnote labels
unique): 200 copies in one document ("one file", ~9,000 segments), 200
documents and 2,000 documents; `bitext update` makes their catalogs. Then, in
one run, each tool in its own process, tools interleaved and rotated, it prints
the median wall time of ``--repeat`` runs and the largest peak memory
(ru_maxrss of that process) of:

* ``bitext check`` (every registered check, a text report), cold (no results
  cache, as in a fresh CI checkout) and warm (the cache the previous run left);
* ``pofilter -t numbers -t brackets -t urls`` (translate-toolkit) over the same
  catalogs (one folder in, one folder out, as its manual shows);
* ``msgfmt -c`` on each catalog (one process per file, as a Makefile runs it).

and the start-up rows: ``python -c pass``, ``python -c "import pipeline.cli"``,
``bitext --version`` (the console script beside this Python).
Targets (issue 16): bitext check <= pofilter at every size; check at 2,000
files <= 150 MiB; ``bitext --version`` <= 60 ms. Every figure is wall time on a
shared machine: compare the rows of one run, not runs of different days.

``--checks-alone``: every registered check over one parsed catalog of
``--copies`` copies, in this process (what the checks cost, each check apart).
``--corpus`` instead checks ../shared/corpus (English originals, Turkish
translations written by others): each folder becomes a throwaway publication
(source_lang en, target tr); ``bitext update`` makes a catalog from every pair
whose two sides have the same segments, one for one (the others need `bitext
align` and are counted as skipped); then `bitext check` runs and the findings
are counted per check, with examples.

``--same-as REV``: the findings are those of revision REV's code (speed work changes
none). REV's ``pipeline`` (``git archive``) and the working tree's each run ``bitext
check --format F`` (text, json, github, junit; cold, no results cache) on: the sample;
the sample with translations slipped (`slip`: digits, dates, footnote references,
URLs, brackets, quotes, spaces); ``--copies`` copies of the sample in one document and
in 20 files, as made and slipped; each slipped one also after ``bitext update`` took
the slips in (the path that trusts update's record); the shared corpus's pairs. Every
report and exit status must be the same, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import corpus_publication, make_publication  # noqa: E402

BIN = Path(sys.executable).parent
# Bytecode written as an installed package has it (pip compiles at install): with
# PYTHONDONTWRITEBYTECODE set, every run would compile bitext's sources again.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(REPO)}
SIZES = {"one": (200, "one"), "200": (200, "files"), "2000": (2000, "files")}
LABELS = {"one": "one file (200 copies)", "200": "200 files", "2000": "2,000 files"}


TIME = shutil.which("time", path="/usr/bin:/bin")


Figures = tuple[float, float, float]  # wall seconds, CPU seconds, peak MiB


def run(argv: list[str], *, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> Figures:
    """Wall seconds, CPU seconds (user + system, with children) and peak MiB of one command.

    CPU time is the fairer figure when other work shares the machine: waiting for
    a core is not counted.
    The peak is GNU time's ``%M`` when it is there: a child forked from this
    benchmark counts the benchmark's own pages until it execs, so ``wait4``'s
    figure is never below this process's size.
    """
    with tempfile.NamedTemporaryFile("r") as peak_file:
        wrapped = [TIME, "-f", "%M", "-o", peak_file.name, *argv] if TIME else argv
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        stderr = process.stderr.read().decode() if process.stderr else ""
        process.wait()
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit(f"{argv[0]} failed ({code}):\n{stderr[-2000:]}")
        lines = peak_file.read().split()
        kib = int(lines[-1]) if TIME and lines and lines[-1].isdigit() else usage.ru_maxrss
    return seconds, usage.ru_utime + usage.ru_stime, kib / 1024


def tools(root: Path, scratch: Path) -> dict[str, list[str]]:
    """The commands compared on one publication."""
    catalogs = root / "locale" / "en" / "LC_MESSAGES"
    out = scratch / "pofilter-out"
    msgfmt = shutil.which("msgfmt")
    cache = root / ".bitext" / "check-cache.json"
    commands = {
        # cold: no results cache (a fresh CI checkout); warm: the cache of the previous run
        "bitext check (cold)": ["sh", "-c", f'rm -f "{cache}"; exec "$0" "$@"',
                                str(BIN / "bitext"), "-C", str(root), "check"],
        "bitext check (warm)": [str(BIN / "bitext"), "-C", str(root), "check"],
        "pofilter (3 checks)": ["sh", "-c", f'rm -rf "{out}"; exec "$0" "$@"',
                                str(BIN / "pofilter"), "--progress=none", "-t", "numbers",
                                "-t", "brackets", "-t", "urls", str(catalogs), str(out)],
    }
    if msgfmt:
        commands["msgfmt -c"] = ["sh", "-c", 'for f in "$0"/*.po; do "$1" -c -o /dev/null "$f" '
                                 "|| exit 1; done", str(catalogs), msgfmt]
    return commands


def interleaved(commands: dict[str, list[str]], repeat: int,
                ok: dict[str, tuple[int, ...]] | None = None) -> dict[str, Figures]:
    """Median wall and CPU seconds, max peak MiB of each command; the order rotates."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    names = list(commands)
    for round_ in range(repeat):
        turn = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in turn:
            seconds, spent, mib = run(commands[name], ok=(ok or {}).get(name, (0,)))
            times[name].append(seconds)
            cpu[name].append(spent)
            peaks[name] = max(peaks[name], mib)
    return {name: (statistics.median(times[name]), statistics.median(cpu[name]), peaks[name])
            for name in names}


def table(repeat: int, sizes: list[str], startup: bool) -> None:
    import compileall

    compileall.compile_dir(REPO / "pipeline", quiet=1)
    print(f"medians of {repeat}, tools interleaved and rotated; cpu = user + system time; "
          "peak = largest resident size")
    if startup:
        figures = interleaved({
            "python -c pass": [sys.executable, "-c", "pass"],
            "import pipeline.cli": [sys.executable, "-c", "import pipeline.cli"],
            "bitext --version": [str(BIN / "bitext"), "--version"],
        }, max(repeat, 5) * 4)
        print("\nstart-up                     wall         cpu        peak")
        for name, (seconds, spent, mib) in figures.items():
            target = "   (target <= 0.060 s)" if name == "bitext --version" else ""
            print(f"  {name:<24} {seconds:7.3f} s {spent:7.3f} s {mib:7.1f} MiB{target}")
    for size in sizes:
        copies, layout = SIZES[size]
        with tempfile.TemporaryDirectory() as tmp:
            root, scratch = Path(tmp) / "pub", Path(tmp) / "scratch"
            scratch.mkdir()
            make_publication(root, copies, layout=layout)
            run([str(BIN / "bitext"), "-C", str(root), "update"])
            run([str(BIN / "bitext"), "-C", str(root), "check"], ok=(0, 1))  # the warm cache
            figures = interleaved(tools(root, scratch), repeat,
                                  ok={"bitext check (cold)": (0, 1), "bitext check (warm)": (0, 1)})
        print(f"\ncheck, {LABELS[size]:<22} wall         cpu        peak   x pofilter (wall, cpu)")
        wall, spent_ref = figures["pofilter (3 checks)"][:2]
        for name, (seconds, spent, mib) in figures.items():
            ratio = f"   {seconds / wall:.2f}, {spent / spent_ref:.2f}" \
                if name.startswith("bitext") else ""
            print(f"  {name:<24} {seconds:7.3f} s {spent:7.3f} s {mib:7.1f} MiB{ratio}")


def checks_alone(copies: int, repeat: int) -> None:
    """Every check over one parsed catalog, in this process (CPU time, best of ``repeat``)."""
    from pipeline.checks import REGISTRY
    from pipeline.checks.runner import levels, run_checks
    from pipeline.commands.check import contexts
    from pipeline.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_publication(root, copies, layout="one")
        run([str(BIN / "bitext"), "-C", str(root), "update"])
        config = load_config(root)
        ctx = next(contexts(config, ["big"]))
        check_levels = levels(config.check)
        segments = len(ctx.units)

        def best(names: list[str]) -> float:
            spent = []
            for _ in range(repeat):
                ctx.__dict__.pop("units", None)  # fresh units: no memo reused
                ctx.__dict__.pop("translated", None)
                start = time.process_time()
                run_checks(ctx, names, check_levels)
                spent.append(time.process_time() - start)
            return min(spent)

        names = list(REGISTRY)
        seconds = best(names)
        print(f"{copies} copies, {segments} segments: all {len(names)} checks alone "
              f"{seconds:.3f} s ({seconds / segments * 1e6:.0f} µs a segment)")
        for name in names:
            print(f"  {name:<20} {best([name]):.3f} s")


def corpus(examples: int) -> None:
    """Check every bootstrappable pair of the shared corpus; print counts and examples."""
    import random
    from collections import Counter

    from pipeline.commands.check import check
    from pipeline.commands.update import update
    from pipeline.config import load_config
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


# What a translator's slip looks like: (pattern, replacement) on a msgstr or Markdown line.
SLIPS = (
    (r"(?<![\[\^\w-])([0-9])", lambda m: str((int(m.group(1)) + 3) % 10)),  # a digit
    (r"October|September|Ekim", lambda m: {"October": "November", "September": "June",
                                           "Ekim": "Kasım"}[m.group()]),
    (r"\[\^[^\]\s]+\]", lambda m: ""),  # a footnote reference dropped
    (r"https?://[^\s)\]]+", lambda m: m.group() + "x"),  # a URL changed
    (r" ", lambda m: "  "),  # a doubled space
    (r"[.,] ", lambda m: m.group() + "(1,5 million "),  # a bracket and a number too many
    (r"\w\b", lambda m: m.group() + "”"),  # a quotation mark
    (r"(?<=\w) (?=\w)", lambda m: " 4 thousand and 12% of 3 May 2019 at 9:30 pm "),
    (r"(?<=\w) (?=\w)", lambda m: " see https://example.org/p1, `code 7` and *this* "),
)


def slip(path: Path, seed: int, every: int = 3) -> None:
    """Slip about one in ``every`` translation lines of a PO (``msgstr``) or Markdown file."""
    import random
    import re

    rng = random.Random(seed)
    po = path.suffix == ".po"
    lines = path.read_text(encoding="utf-8").split("\n")
    in_msgstr = False
    for i, line in enumerate(lines):
        if po:  # a msgstr line, or a continuation of one (a wrapped PO): inside the quotes
            in_msgstr = line.startswith('msgstr "') or (in_msgstr and line.startswith('"'))
            head, tail = (len('msgstr "') if line.startswith("msgstr") else 1), len(line) - 1
        else:
            head, tail = 0, len(line)
        if not (in_msgstr if po else line.strip() and not line.startswith("---")) \
                or rng.randrange(every):
            continue
        pattern, replace = SLIPS[rng.randrange(len(SLIPS))]
        matches = list(re.finditer(pattern, line[head:tail]))
        if matches:
            m = matches[rng.randrange(len(matches))]
            lines[i] = line[:head + m.start()] + replace(m) + line[head + m.end():]
    path.write_text("\n".join(lines), encoding="utf-8")


def same_as(rev: str, copies: int) -> None:
    """Every report of REV's code and of the working tree's, compared (see the docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = work / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "pipeline"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        pubs: list[Path] = []

        def bitext(root: Path, *args: str, code: Path = REPO) -> subprocess.CompletedProcess[str]:
            (root / ".bitext" / "check-cache.json").unlink(missing_ok=True)
            return subprocess.run([sys.executable, "-m", "pipeline", "-C", str(root), *args],
                                  env={**ENV, "PYTHONPATH": str(code),
                                       "XDG_CACHE_HOME": str(work / "cache")},
                                  capture_output=True, text=True, cwd=work)

        def add(root: Path, seed: int | None, files: str) -> None:
            pubs.append(root)
            if seed is None:
                return
            slipped = work / f"{root.name}-slipped"
            shutil.copytree(root, slipped)
            for k, path in enumerate(sorted(slipped.glob(files))):
                slip(path, seed + k)
            pubs.append(slipped)
            taken = work / f"{root.name}-slipped-updated"
            shutil.copytree(slipped, taken)
            bitext(taken, "update")
            pubs.append(taken)

        sample = work / "sample"
        sample.mkdir()
        shutil.copy(REPO / "pyproject.toml", sample)
        for folder in ("source", "locale"):
            shutil.copytree(REPO / folder, sample / folder)
        add(sample, 1, "locale/*/LC_MESSAGES/*.po")
        md = work / "sample-md"
        shutil.copytree(sample, md)
        slip(md / "source" / "en" / "article.md", 7)  # the Markdown edited, not the PO
        pubs.append(md)
        for layout, name in (("one", "one"), ("files", "files")):
            root = work / name
            make_publication(root, copies if layout == "one" else 20, layout=layout)
            bitext(root, "update")
            add(root, 11, "locale/*/LC_MESSAGES/*.po")
        corpus_dir = REPO.parent / "shared" / "corpus"
        for folder in sorted(p for p in corpus_dir.iterdir() if p.is_dir()) \
                if corpus_dir.is_dir() else []:
            pubs.append(corpus_publication(
                folder, work / f"corpus-{folder.name}",
                lambda root, doc: bitext(root, "update", doc).returncode != 2))
        differ = 0
        for root in pubs:
            shown = []
            for fmt in ("text", "json", "github", "junit"):
                old = bitext(root, "check", "--format", fmt, code=base)
                new = bitext(root, "check", "--format", fmt)
                same = (old.returncode, old.stdout) == (new.returncode, new.stdout)
                differ += not same
                if fmt == "text":
                    shown.append(f"exit {new.returncode}, {new.stdout.count(chr(10))} lines")
                shown.append(f"{fmt} {'same' if same else 'DIFFERENT'}")
            print(f"{root.name:<24} {', '.join(shown)}")
        for code in (base, REPO):  # each run imported the code it was meant to
            found = subprocess.run([sys.executable, "-c",
                                    "import pipeline; print(pipeline.__file__)"],
                                   env={**ENV, "PYTHONPATH": str(code)}, cwd=work,
                                   capture_output=True, text=True, check=True).stdout.strip()
            assert Path(found).parent.parent == code, (found, code)
        print("all reports the same" if not differ else f"{differ} reports differ")
        if differ:
            raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="one,200,2000",
                        help="which publications: one (200 copies in one file), 200, 2000")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--checks-alone", action="store_true")
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--same-as", metavar="REV",
                        help="compare every report with those of revision REV's code")
    args = parser.parse_args()
    if args.same_as:
        same_as(args.same_as, args.copies)
    elif args.corpus:
        corpus(args.examples)
    elif args.checks_alone:
        checks_alone(args.copies, args.repeat)
    else:
        table(args.repeat, [s for s in args.sizes.split(",") if s], not args.no_startup)


if __name__ == "__main__":
    main()
