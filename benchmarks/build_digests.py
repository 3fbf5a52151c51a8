"""Editions unchanged: build the same publications with two checkouts, compare every file.

Usage: ``python benchmarks/build_digests.py --reference DIR [--docs 20] [--unique 5]``

Builds, with the code of ``--reference`` (a checkout of the commit before a change) and
with this checkout, on copies of the same inputs: the sample publication, ``--docs``
copies of it (bench_build's first-build publication) and ``--unique`` distinct copies
(benchmarks/corpus.py, each paragraph and note label made unique, both PDF layouts).
Prints, per publication, how many output files there are and every one whose SHA-256
differs; for a differing PDF, whether ``pdftotext`` and the page images
(``pdftoppm -r 60``) are the same. Exit 1 when any file differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402
import corpus  # noqa: E402

REPO = HERE.parent


def build(pub: Path, code: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(code), "SOURCE_DATE_EPOCH": "1790000000"}
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--jobs", "2", "-q"],
                          cwd=pub, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"build failed in {pub} with {code}:\n{done.stdout}{done.stderr}")
    return {str(p.relative_to(pub)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((pub / "output").rglob("*")) if p.is_file()
            and p.name != ".bitext-build.json"}


def same_pdf(a: Path, b: Path, tmp: Path) -> str:
    text = [subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True,
                           check=True).stdout for p in (a, b)]
    images = []
    for p, tag in ((a, "a"), (b, "b")):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(p), str(tmp / tag)], check=True)
        images.append([q.read_bytes() for q in sorted(tmp.glob(f"{tag}-*.png"))])
    return (f"text {'same' if text[0] == text[1] else 'DIFFERENT'}, "
            f"page images {'same' if images[0] == images[1] else 'DIFFERENT'}")


def compare(name: str, pub: Path, reference: Path, tmp: Path) -> bool:
    ref = tmp / f"{name}-reference"
    shutil.copytree(pub, ref)
    old = build(ref, reference)
    new = build(pub, REPO)
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    print(f"{name}: {len(new)} files ({len(old)} by the reference), {len(differ)} differ")
    for key in differ:
        line = f"  {key}"
        if key.endswith(".pdf") and key in old and key in new:
            work = tmp / "pages"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            line += ": " + same_pdf(ref / key, pub / key, work)
        print(line)
    return not differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--unique", type=int, default=5)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1790000000"
    ok = True
    with tempfile.TemporaryDirectory(prefix="bitext-digests-") as name:
        tmp = Path(name)
        sample = tmp / "sample"
        bench_build.copy_publication(sample)
        ok &= compare("sample", sample, args.reference.resolve(), tmp)
        if args.docs:
            many = tmp / "many"
            bench_build.copy_publication(many, copies=args.docs)
            ok &= compare(f"{args.docs} copies", many, args.reference.resolve(), tmp)
        if args.unique:
            unique = tmp / "unique"
            corpus.make_publication(unique, args.unique)
            with (unique / "bitext.toml").open("a", encoding="utf-8") as f:
                f.write('\n[build]\nlayout = ["parallel", "facing"]\n')
            bench_build.run(["update"], unique)
            ok &= compare(f"{args.unique} unique", unique, args.reference.resolve(), tmp)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
