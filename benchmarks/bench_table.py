"""Issue 16's whole table in one run: bitext beside msgmerge, po4a, translate-toolkit, mdpo.

Usage: python benchmarks/bench_table.py [--repeat 5] [--slow-repeat 1] [--copies 200]
                                        [--edits 400] [--large 2000] [--slow-peers] [--quick]

Every row of the issue's table, with the same columns, plus the issue's target for
bitext's figure and whether it is met, then the floor (start-up, and `msgcat` on the
big catalog). Each cell is the median wall time of ``--repeat`` runs, the tools of a row
interleaved and their order rotated every round (a busy machine slows each about
alike); a tool whose first run takes over 20 s is run ``--slow-repeat`` times (the
cell says ``n=``). Peak memory is the largest resident size of any process of the
tool (GNU time's ``%M``), over the runs. A second table gives the CPU seconds (user +
system, every process of the tool): on a shared machine that is the figure to compare.

Corpus (benchmarks/corpus.py): ``--copies`` unique copies of the sample in one file
and in as many files, ``--large`` files (default 10 x copies), ``--edits`` Turkish
paragraphs edited. How each peer is run, and why it is fair: benchmarks/peers.py.
The peers are installed by ``make bench-peers``; one that is missing is shown as not
installed. po4a, translate-toolkit and mdpo at ``--large`` files take minutes each (and
as long again to make their old catalogs): only with ``--slow-peers``.
``--quick``: one run of each, 20 copies unless ``--copies`` says otherwise, no
``--large`` rows, no build row (under 2 minutes).
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_check  # noqa: E402
import peers  # noqa: E402
from bench_align import copies as align_copies  # noqa: E402
from bench_build import copy_publication  # noqa: E402
from bench_update import Scenario  # noqa: E402

REPO = HERE.parent
BITEXT = [sys.executable, "-m", "pipeline"]
COLUMNS = ("bitext", "msgmerge --previous", "po4a", peers.TT, "mdpo")
SLOW = 20.0  # seconds: a tool this slow is not run --repeat times

Figures = tuple[float, float, float]  # wall seconds, CPU seconds, peak MiB
Result = tuple[float, float, float, int]  # medians of wall and CPU, max peak, runs
Cell = Result | str | list[str | Result]  # a list: text and figures in one cell


SCRIPTS = Path(tempfile.mkdtemp(prefix="bench-table-scripts-"))
atexit.register(shutil.rmtree, SCRIPTS, ignore_errors=True)


def timed(steps: list[list[str]], prepare: Callable[[], None] | None = None, *,
          cwd: Path = Path("/"), ok: tuple[int, ...] = (0,)) -> Callable[[], Figures]:
    """One run of a tool: its processes one after the other (``prepare`` untimed first).

    Several processes run from one shell script, as a Makefile runs them, under one
    GNU time: its peak is the largest of them (RUSAGE_CHILDREN), its CPU their sum, and
    no process pays this benchmark's own cost of starting and measuring one (3 ms,
    which at 2,000 files would add 6 s to msgmerge). cwd "/": `python -m pipeline`
    puts the working folder first on sys.path.
    """
    argv = steps[0]
    if len(steps) > 1:
        script = SCRIPTS / f"{len(list(SCRIPTS.iterdir()))}.sh"
        # stderr to a file: 2,000 processes' warnings would fill the pipe GNU time's
        # parent reads only at the end
        script.write_text(f"set -e\nexec 2>{shlex.quote(str(script))}.err\n"
                          + "".join(shlex.join(a) + "\n" for a in steps), encoding="utf-8")
        argv = ["sh", str(script)]

    def go() -> Figures:
        if prepare:
            prepare()
        try:
            return bench_check.run(argv, cwd=cwd, ok=ok)
        except SystemExit:
            err = Path(f"{argv[-1]}.err")
            raise SystemExit(f"{argv}: {err.read_text()[-2000:] if err.exists() else ''}") from None
    return go


def interleaved(tools: dict[str, Callable[[], Figures]], repeat: int,
                slow_repeat: int) -> dict[str, Result]:
    names = list(tools)
    seen: dict[str, list[Figures]] = {n: [] for n in names}
    cap = dict.fromkeys(names, repeat)
    for round_ in range(repeat):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            if len(seen[name]) < cap[name]:
                figures = tools[name]()
                seen[name].append(figures)
                if figures[0] > SLOW:
                    cap[name] = min(cap[name], slow_repeat)
    return {n: (statistics.median(f[0] for f in v), statistics.median(f[1] for f in v),
                max(f[2] for f in v), len(v)) for n, v in seen.items()}


def parallel(commands: list[list[str]]) -> None:
    """Set-up commands, two at a time (the machine's cores), untimed."""
    def one(argv: list[str]) -> None:
        done = subprocess.run(argv, capture_output=True, text=True, cwd="/", env=bench_check.ENV)
        if done.returncode:
            raise SystemExit(f"{argv[0]} failed:\n{done.stderr[-2000:]}")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, commands))


class Update:
    """One update scenario (benchmarks/bench_update.Scenario) and each tool's update."""

    def __init__(self, base: Path, copies: int, layout: str, edits: int, with_peers: list[str]):
        self.s = Scenario(base, copies, layout, edits, REPO)
        self.peers = with_peers
        self.old: dict[str, dict[str, Path]] = {}
        for peer in with_peers:  # each peer's own old catalogs (peers.py says why)
            folder = base / "peer-old" / re.sub(r"\W", "-", peer)
            folder.mkdir(parents=True)
            self.old[peer] = {d: folder / f"{d}.po" for d in self.s.docs}
            parallel([argv for d in self.s.docs
                      for argv in peers.extract(peer, self.original("before", d),
                                                self.old[peer][d])])
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda d, p=peer: peers.fill(  # type: ignore[misc]
                    self.old[p][d], peers.translations(self.s.old_po[d])), self.s.docs))

    def original(self, state: str, doc: str) -> Path:
        root = self.s.base / "before" if state == "before" else self.s.edited
        return root / "source" / "tr" / f"{doc}.md"

    def tools(self, state: str) -> dict[str, Callable[[], Figures]]:
        """``state`` "edited": the update after the edits; "before": the no-op update."""
        s = self.s
        root = s.base / f"bitext-{state}"
        if state == "edited":
            def fresh() -> None:
                # The last run's copy is moved aside, not deleted: on ext4 without a
                # journal (this machine's disk) a file created soon after many were
                # deleted costs up to 1 ms more (freed inodes are skipped for minutes),
                # and deleting the 1,400 files of the copy right before the timed run
                # charged the benchmark's own clean-up to bitext, which creates a
                # temporary file for each file it writes. Deleted with the whole folder.
                if root.exists():
                    root.rename(s.base / f"used-{time.monotonic_ns()}")
                shutil.copytree(s.edited, root)
            found = {"bitext": timed([[*BITEXT, "-C", str(root), "update"]], fresh)}
            pot = s.new_pot
        else:  # an update right after an update
            shutil.copytree(s.edited, root)
            bench_check.run([*BITEXT, "-C", str(root), "update"], cwd=Path("/"))
            found = {"bitext": timed([[*BITEXT, "-C", str(root), "update"]])}
            pot = s.old_pot
        work = s.base / f"work-{state}"
        work.mkdir(exist_ok=True)
        found["msgmerge --previous"] = timed(
            [argv for d in s.docs for argv in peers.msgmerge(s.old_po[d], pot[d],
                                                              work / f"{d}.msgmerge.po")])
        for peer in self.peers:
            folder = work / re.sub(r"\W", "-", peer)
            folder.mkdir(exist_ok=True)

            def copy(peer: str = peer, folder: Path = folder) -> None:
                if peers.in_place(peer):
                    for d in s.docs:
                        shutil.copyfile(self.old[peer][d], folder / f"{d}.po")
            found[peer] = timed([argv for d in s.docs for argv in peers.update(
                peer, self.original(state, d), self.old[peer][d], folder, d)], copy)
        return found


def cell(result: Cell, repeat: int, memory: bool, cpu: bool = False) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, list):
        return "".join(cell(part, repeat, memory, cpu) for part in result)
    wall, spent, peak, runs = result
    text = f"{spent if cpu else wall:.2f} s"
    if memory and not cpu:
        text += f", {peak:.0f} MiB"
    return text + (f" (n={runs})" if runs != repeat else "")


class Table:
    def __init__(self, repeat: int):
        self.repeat = repeat
        self.rows: list[tuple[str, dict[str, Cell], str, bool | None, float, bool]] = []

    def add(self, label: str, cells: dict[str, Cell], target: str = "",
            met: bool | None = None, *, memory: bool = True) -> None:
        self.rows.append((label, cells, target, met, os.getloadavg()[0], memory))
        shown = " | ".join(cell(cells.get(c, ""), self.repeat, memory) for c in COLUMNS)
        print(f"  done {time.strftime('%H:%M:%S')}: | {label} | {shown} |", file=sys.stderr,
              flush=True)  # a run stopped half-way still leaves its rows

    def print(self, *, cpu: bool = False) -> None:
        head = [*COLUMNS, "target (issue 16)", "met", "load"]
        print("| work | " + " | ".join(head) + " |")
        print("|---" * (len(head) + 1) + "|")
        for label, cells, target, met, load, memory in self.rows:
            shown = [cell(cells.get(c, ""), self.repeat, memory, cpu) for c in COLUMNS]
            verdict = "" if met is None else ("yes" if met else "NO")
            print(f"| {label} | " + " | ".join(shown) + f" | {target} | {verdict} | {load:.1f} |")


def update_rows(table: Table, args: argparse.Namespace, tmp: Path, found: list[str],
                why: dict[str, str]) -> dict[str, Path]:
    """The update rows; return the publications the check rows reuse."""
    pubs: dict[str, Path] = {}
    absent = {p: why[p] for p in why}
    one = Update(tmp / "one", args.copies, "one", args.edits, found)
    pubs["one"] = one.s.base / "before"
    pubs["catalog"] = one.s.old_po[one.s.docs[0]]
    r = interleaved(one.tools("edited"), args.repeat, args.slow_repeat)
    b, m = r["bitext"], r["msgmerge --previous"]
    table.add(f"update after edits, one file ({args.copies} copies)", {**absent, **r},
              "≤ 0.5 × msgmerge, ≤ 100 MiB", b[0] <= 0.5 * m[0] and b[2] <= 100)
    shutil.rmtree(tmp / "one" / "work-edited", ignore_errors=True)

    files = Update(tmp / "files", args.copies, "files", args.edits, found)
    r = interleaved(files.tools("edited"), args.repeat, args.slow_repeat)
    small = r["bitext"][0]
    b, m = r["bitext"], r["msgmerge --previous"]
    table.add(f"update after edits, {args.copies} files", {**absent, **r},
              "≤ 0.35 × msgmerge", b[0] <= 0.35 * m[0])
    noop = interleaved(files.tools("before"), args.repeat, args.slow_repeat)
    if args.quick or not args.large:
        table.add(f"update after edits, {args.large:,} files",
                  {"bitext": "— (--quick)" if args.quick else "— (--large 0)"},
                  f"≤ 10 × the {args.copies}-file time")
    else:
        slow = [p for p in found if p in args.slow_peers.split(",")]
        large = Update(tmp / "large", args.large, "files", args.edits, slow)
        pubs["large"] = large.s.base / "before"
        r = interleaved(large.tools("edited"), args.repeat, args.slow_repeat)
        skipped = {p: "— (minutes: --slow-peers)" for p in found if p not in slow}
        table.add(f"update after edits, {args.large:,} files", {**absent, **skipped, **r},
                  f"≤ 10 × the {args.copies}-file time ({r['bitext'][0] / small:.1f} ×)",
                  r["bitext"][0] <= 10 * small)
        shutil.rmtree(tmp / "large" / "work-edited", ignore_errors=True)
    table.add(f"no-op update, {args.copies} files", {**absent, **noop}, "≤ 0.12 s",
              noop["bitext"][0] <= 0.12, memory=False)
    return pubs


def check_row(table: Table, args: argparse.Namespace, label: str, root: Path | None,
              tmp: Path, *, big: bool = False) -> None:
    if root is None:
        table.add(label, {"bitext": "— (--quick)" if args.quick else "— (--large 0)"},
                  "≤ pofilter")
        return
    scratch = tmp / "check-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    run_ok = (0, 1)  # findings are exit 1
    bench_check.run([*BITEXT, "-C", str(root), "check"], cwd=Path("/"), ok=run_ok)  # warm cache
    commands = bench_check.tools(root, scratch)
    # pofilter's three checks alone, cold as well (the "with only 3")
    cold = commands["bitext check (cold)"]
    commands["bitext, 3 checks"] = [*cold, "--only", "numbers,brackets,urls"]
    names = {"bitext check (cold)": "bitext", "bitext check (warm)": "bitext, warm",
             "bitext, 3 checks": "bitext, 3 checks",
             "pofilter (3 checks)": peers.TT, "msgfmt -c": "msgmerge --previous"}
    tools = {names[n]: timed([argv], ok=run_ok) for n, argv in commands.items()}
    r = interleaved(tools, args.repeat, args.slow_repeat)
    from pipeline.checks import REGISTRY

    cells: dict[str, Cell] = {
        "bitext": [r["bitext"], f" cold ({len(REGISTRY)} checks; ", r["bitext, 3 checks"],
                   " with only 3); ", r["bitext, warm"], " warm"],
        "msgmerge --previous": ["`msgfmt -c` ", r["msgmerge --previous"]],
        peers.TT: ["pofilter, 3 checks: ", r[peers.TT]]}
    ok = r["bitext"][0] <= r[peers.TT][0]
    if big:
        ok = ok and r["bitext"][2] <= 150
    table.add(label, cells, "≤ pofilter" + (", ≤ 150 MiB" if big else ""), ok)


def align_row(table: Table, args: argparse.Namespace, tmp: Path, found: list[str],
              why: dict[str, str]) -> None:
    folder = tmp / "align"
    folder.mkdir()
    tr, en = folder / "tr.md", folder / "en.md"
    tr.write_text(align_copies("tr", args.copies), encoding="utf-8")
    en.write_text(align_copies("en", args.copies), encoding="utf-8")
    tools = {"bitext": timed([[str(bench_check.BIN / "bitext"), "align", str(tr), str(en),
                               "-o", str(folder / "bitext.po"), "--source-lang", "tr",
                               "--target-lang", "en", "--force"]])}
    for peer in (p for p in found if p != "mdpo"):  # mdpo has no aligner
        out = folder / (re.sub(r"\W", "-", peer) + ".po")
        tools[peer] = timed(peers.align(peer, tr, en, out),
                            lambda out=out: out.unlink(missing_ok=True))  # type: ignore[misc]
    r = interleaved(tools, args.repeat, args.slow_repeat)
    cells: dict[str, Cell] = {p: why[p] for p in why if p != "mdpo"}
    cells.update(r)
    if "po4a" in r:
        cells["po4a"] = ["po4a-gettextize ", r["po4a"]]
    if peers.TT in r:
        cells[peers.TT] = ["md2po -t ", r[peers.TT]]
    table.add(f"align, two {args.copies}-copy files", cells, "≤ 3 s (issue 6)",
              r["bitext"][0] <= 3, memory=False)


def build_row(table: Table, args: argparse.Namespace, tmp: Path) -> None:
    if args.quick:
        table.add("build the sample's 9 files", {"bitext": "— (--quick)"}, "≤ 1.5 s")
        return
    import pypandoc

    sample = tmp / "build" / "sample"
    copy_publication(sample)
    ref = tmp / "build" / "pandoc"
    ref.mkdir()
    # the bilingual input: both texts, the English notes relabelled (no clash of labels)
    en = (sample / "source/en/article.md").read_text(encoding="utf-8")
    (ref / "en.md").write_text(re.sub(r"\[\^([^\]\s]+)\]", r"[^en-\1]", en), encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    # no typst program here: the typst wheel bitext itself uses, from a Python process
    typst = (f"{sys.executable} -c 'import sys, typst; "
             "typst.compile(sys.argv[1], output=sys.argv[2])'")
    tr_md, en_md = sample / "source/tr/article.md", sample / "source/en/article.md"
    inputs = {"tr": str(tr_md), "en": str(en_md), "tr-en": f"{tr_md} {ref / 'en.md'}"}
    jobs = []
    for lang, files in inputs.items():
        out = ref / f"article.{lang}"
        jobs += [f"{pandoc} -s {files} -o {out}.html", f"{pandoc} {files} -o {out}.epub",
                 f"{pandoc} -s -t typst {files} -o {out}.typ && {typst} {out}.typ {out}.pdf"]
    (ref / "jobs").write_text("\n".join(jobs) + "\n", encoding="utf-8")
    run_jobs = ["sh", "-c", f'xargs -P 2 -d "\\n" -n 1 sh -c < "{ref / "jobs"}"']
    bench_check.run(run_jobs)  # warm the file cache and check the commands work
    # --layout parallel: the 9 files (the sample's configuration adds the facing-pages PDF)
    build = [*BITEXT, "build", "--force", "--jobs", "2", "-q", "--layout", "parallel"]
    tools = {"bitext": timed([build], cwd=sample),
             peers.TT: timed([run_jobs])}
    r = interleaved(tools, args.repeat, args.slow_repeat)
    cells: dict[str, Cell] = {"bitext": [r["bitext"], " (2 jobs)"],
                              peers.TT: ["9 pandoc calls, 2 at a time: ", r[peers.TT]]}
    table.add("build the sample's 9 files", cells, "≤ 1.5 s (bench_build)",
              r["bitext"][0] <= 1.5, memory=False)


def floor(args: argparse.Namespace, catalog: Path | None, tmp: Path) -> str:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import pipeline.cli": [sys.executable, "-c", "import pipeline.cli"],
        "bitext --version": [str(bench_check.BIN / "bitext"), "--version"],
    }
    tools = {n: timed([argv]) for n, argv in commands.items()}
    if catalog is not None:
        tools["msgcat --no-wrap"] = timed([["msgcat", "--no-wrap", "-o", str(tmp / "cat.po"),
                                            str(catalog)]])
    r = interleaved(tools, max(args.repeat, 3) * 4, args.slow_repeat)
    size = f" ({catalog.stat().st_size / 2**20:.1f} MB catalog)" if catalog else ""
    parts = [f"`{n}` {v[0]:.3f} s{size if n.startswith('msgcat') else ''}" for n, v in r.items()]
    version = r["bitext --version"][0]
    return ("**The floor**, same run (medians of "
            f"{max(args.repeat, 3) * 4}): " + ", ".join(parts)
            + f". bitext --version target ≤ 0.060 s: {'met' if version <= 0.060 else 'NOT met'}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow-repeat", type=int, default=1,
                        help=f"runs of a tool whose first run takes over {SLOW:.0f} s")
    parser.add_argument("--copies", type=int, default=None,
                        help="copies of the sample (default 200; 20 with --quick)")
    parser.add_argument("--edits", type=int, default=400)
    parser.add_argument("--large", type=int, default=None, help="files (default 10 x copies)")
    parser.add_argument("--slow-peers", nargs="?", const=",".join(peers.PEERS), default="",
                        help="po4a, translate-toolkit and mdpo at --large files too (or the "
                             "ones named, e.g. --slow-peers po4a)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this (new) folder and leave it, to look at the outputs")
    parser.add_argument("--quick", action="store_true",
                        help="one run each, no --large rows, no build row")
    args = parser.parse_args()
    if args.quick:
        args.repeat = args.slow_repeat = 1
    if args.copies is None:
        args.copies = 20 if args.quick else 200
    if args.large is None:
        args.large = 10 * args.copies
    why = peers.missing()
    found = [p for p in peers.PEERS if p not in why]
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    started = time.perf_counter()
    print(f"bitext from {REPO}; medians of {args.repeat} (slow tools: {args.slow_repeat}), "
          f"tools interleaved and rotated; {os.cpu_count()} cores, load at start "
          f"{os.getloadavg()[0]:.2f}; peers: "
          + ", ".join(f"{p} {'ok' if p in found else why[p]}" for p in peers.PEERS) + "\n",
          flush=True)
    table = Table(args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-table-") as name:
        tmp = Path(name) if args.keep is None else args.keep
        tmp.mkdir(exist_ok=True)
        pubs = update_rows(table, args, tmp, found, why)
        check_row(table, args, "check, one file", pubs["one"], tmp)
        check_row(table, args, f"check, {args.large:,} files", pubs.get("large"), tmp,
                  big=True)
        align_row(table, args, tmp, found, why)
        build_row(table, args, tmp)
        floor_line = floor(args, pubs.get("catalog"), tmp)
    print("wall seconds, peak memory (largest resident size of any of the tool's processes)\n")
    table.print()
    print("\nCPU seconds (user + system of every process; the fairer figure on a shared "
          "machine)\n")
    table.print(cpu=True)
    print(f"\n{floor_line}")
    print(f"\n{args.edits} edits asked; one run of everything took "
          f"{time.perf_counter() - started:.0f} s; load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
