"""Build benchmarks: the sample's editions, and a no-op rebuild of many documents.

Usage: ``python benchmarks/bench_build.py [--docs 200] [--runs 3] [--jobs 2] [--reference DIR]
[--unique] [--sample-only]``

1. *Sample, cold*: ``bitext build --force --jobs J`` on a copy of this
   repository's publication (catalogs made by ``bitext update`` in the copy),
   run as a process, so start-up and imports count: the 9 editions (bilingual
   PDF in parallel columns), then the 10 with ``--layout parallel,facing``
   (the facing-pages PDF besides). Target: <= 1.5 s on 2 cores for the full set.
2. *No-op*: a publication of N copies of the sample (distinct names, same
   text), built once for real (reported), then ``bitext build`` again with
   nothing to do. Target for N = 200: <= 0.5 s.
3. *First build of N documents* (issue 16: <= 30 s for 200 on 2 cores): wall
   clock and CPU seconds (bitext, pandoc and typst together, the pandoc
   sessions included: bitext waits for them before it exits; on a shared
   machine the CPU figure is the one to compare), beside the same build by a
   reference checkout (``--reference DIR``, e.g. a worktree of the commit
   before a change), run first, on a copy of the same publication. The
   copies are the same text: typst's own memo makes their layout cheap after
   the first, and bitext parses one text once and makes one cover per title
   (``--unique`` builds distinct copies instead, benchmarks/corpus.py, where
   typst is most of the work: ~140 ms of CPU per single-language PDF instead
   of ~19, ~190 ms per bilingual measuring query instead of ~12; their front
   matter is the sample's, so they still share their covers).

Prints the median and best of ``--runs`` runs, and the machine's load, since
other processes on a shared machine slow every figure down.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BITEXT = [sys.executable, "-m", "pipeline"]


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*BITEXT, *args], cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bitext {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def copy_publication(target: Path, copies: int = 1) -> None:
    """The sample publication in ``target``; with ``copies`` > 1, that many documents."""
    target.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    for lang in ("tr", "en"):
        (target / "source" / lang).mkdir(parents=True)
        text = (REPO / "source" / lang / "article.md").read_text(encoding="utf-8")
        for i in range(copies):
            name = "article" if copies == 1 else f"article{i:03d}"
            (target / "source" / lang / f"{name}.md").write_text(text, encoding="utf-8")
    run(["update"], target)


def unique_publication(target: Path, copies: int) -> None:
    """``copies`` distinct copies of the sample (benchmarks/corpus.py), both PDF layouts."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import corpus

    corpus.make_publication(target, copies)
    with (target / "bitext.toml").open("a", encoding="utf-8") as f:
        f.write('\n[build]\nlayout = ["parallel", "facing"]\n')
    run(["update"], target)


def outputs(root: Path) -> int:
    return sum(1 for p in (root / "output").glob("*/*") if p.name != ".bitext-build.json")


def run_cpu(args: list[str], cwd: Path, code: Path = REPO) -> tuple[float, float]:
    """Wall and CPU seconds (the process and everything it ran) of bitext from ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PYTHONPATH": str(code)}
    start = time.perf_counter()
    done = subprocess.run([*BITEXT, *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bitext {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, spent


def figures(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s, best {min(times):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample-only", action="store_true", help="skip the N documents")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--unique", action="store_true",
                        help="the N documents distinct (corpus.py), not copies of one text")
    parser.add_argument("--reference", type=Path, default=None,
                        help="a checkout to build the N documents with first, for comparison")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bitext-bench-") as tmp:
        sample = Path(tmp) / "sample"
        copy_publication(sample)
        run(["build", "--jobs", str(args.jobs)], sample)  # warm the OS file cache
        cold = [run(["build", "--force", "--jobs", str(args.jobs), "-q"], sample)
                for _ in range(args.runs)]
        written = sorted(p.name for p in (sample / "output" / "article").glob("article.*"))
        print(f"sample, 9 outputs ({len(written)} written), --jobs {args.jobs}: {figures(cold)}")
        both = [run(["build", "--force", "--jobs", str(args.jobs), "-q", "--layout",
                     "parallel,facing"], sample) for _ in range(args.runs)]
        written = sorted(p.name for p in (sample / "output" / "article").glob("article.*"))
        print(f"sample with facing pages, 10 outputs ({len(written)} written), --jobs "
              f"{args.jobs}: {figures(both)}  [target <= 1.5 s]")
        noop = [run(["build", "-q"], sample) for _ in range(args.runs)]
        print(f"sample, no-op: {figures(noop)}")

        if args.sample_only:
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            return
        many = Path(tmp) / "many"
        if args.unique:
            unique_publication(many, args.docs)
        else:
            copy_publication(many, copies=args.docs)
        kind = "distinct documents" if args.unique else "documents"
        build = ["build", "--jobs", str(args.jobs), "-q"]
        if args.reference is not None:
            ref = Path(tmp) / "reference"
            shutil.copytree(many, ref)
            wall, spent = run_cpu(build, ref, args.reference.resolve())
            print(f"{args.docs} {kind}, first build ({outputs(ref)} outputs), reference "
                  f"{args.reference}: {wall:.1f} s ({spent:.1f} s CPU), load "
                  f"{os.getloadavg()[0]:.1f}")
            shutil.rmtree(ref)
        wall, spent = run_cpu(build, many)
        print(f"{args.docs} {kind}, first build ({outputs(many)} outputs): {wall:.1f} s "
              f"({spent:.1f} s CPU), load {os.getloadavg()[0]:.1f}  [target <= 30 s]")
        again = [run(["build", "-q"], many) for _ in range(args.runs)]
        print(f"{args.docs} documents, no-op rebuild: {figures(again)}  [target <= 0.5 s]")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
