"""Time `bitext update` beside `msgmerge --previous` (and pot2po, po4a, mdpo if installed).

Usage: python benchmarks/bench_update.py [--copies 200] [--edits 400] [--repeat 5]
                                         [--large 2000 [--large-only]] [--code DIR] [--against DIR]
                                         [--hash] [--peers] [--cpu] [--files-only]

Prints the update rows of issue 16's table, bitext and the references side by
side, from one run: medians of ``--repeat`` runs, the tools interleaved and
their order rotated each round (so a busy machine slows each about alike).

* one file: ``copies`` copies of the sample in one document (~9,000 segments);
* 200 files: one document per copy; ``--large N`` adds N files (slow: minutes);
* after edits: ``edits`` Turkish paragraphs edited, then one update; the
  references merge the same old PO with the same new template (msgmerge timed on
  the merge alone, one process per file as a Makefile runs it; pot2po likewise);
* no-op: an update right after the one above (the references: the merge with
  nothing changed), twice: with no ``.bitext/update-stats.json`` (removed before each
  run: every file read and hashed, as on a fresh clone or right after an update, whose
  files are too fresh for their stats to be kept) and with the stats settled (2.5 s
  later, once one run has recorded them: nothing hashed).

bitext's figures are wall seconds of the `bitext update` process and its peak
memory (ru_maxrss, from wait4), its modules' bytecode cached as an installed
package's is (a folder of this run's, `PYTHONPYCACHEPREFIX`: with
PYTHONDONTWRITEBYTECODE set, a checkout would compile its modules on every run).
``--code DIR`` runs another checkout's `pipeline`, ``--against DIR`` times
another one in the same rounds (before and after side by side); ``--hash``
prints a digest of every file the update after edits leaves (POs, POT, Markdown,
sync state), which must be the same for both.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import edit_originals, make_publication

REPO = Path(__file__).resolve().parents[1]


# Wall seconds, or CPU seconds (user + system) of the processes: on a busy machine the
# wall clock measures the neighbours; ``--cpu`` measures the work.
CPU = False


def run(argv: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds (wall, or CPU with ``--cpu``) and peak MiB of one process (wait4's rusage)."""
    start = time.perf_counter()
    # cwd "/": `python -m` puts the working folder first on sys.path, before PYTHONPATH
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd="/")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = usage.ru_utime + usage.ru_stime if CPU else time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss / 1024


def with_bytecode(env: dict[str, str], base: Path) -> dict[str, str]:
    """``env`` with the modules' bytecode written under ``base`` and read back next time."""
    env = {**env, "PYTHONPYCACHEPREFIX": str(base / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Scenario:
    """A publication before and after the edits, and each tool's merge over it."""

    def __init__(self, base: Path, copies: int, layout: str, edits: int, code: Path,
                 peers: bool = False):
        self.base, self.code, self.peers = base, code, peers
        # a fixed clock: the files two checkouts leave can be compared byte for byte
        self.env = with_bytecode({**os.environ, "PYTHONPATH": str(code),
                                  "SOURCE_DATE_EPOCH": "1700000000"}, base)
        self.bitext = [sys.executable, "-m", "pipeline"]
        before = base / "before"
        files = make_publication(before, copies, layout=layout)
        run([*self.bitext, "-C", str(before), "update"], env=self.env)
        self.edited = base / "edited"
        shutil.copytree(before, self.edited)
        self.edit_count = edit_originals([self.edited / "source/tr" / f.name for f in files],
                                         edits)
        # The new templates, for the references: what bitext extracts from the edited text.
        after = base / "after"
        shutil.copytree(self.edited, after)
        run([*self.bitext, "-C", str(after), "update"], env=self.env)
        self.docs = sorted(p.stem for p in (before / "locale").glob("*.pot"))
        self.old_po = {d: before / f"locale/en/LC_MESSAGES/{d}.po" for d in self.docs}
        self.old_pot = {d: before / f"locale/{d}.pot" for d in self.docs}
        self.new_pot = {d: after / f"locale/{d}.pot" for d in self.docs}
        self.work = base / "work"
        self.work.mkdir()

    def bitext_edits(self, code: Path | None = None) -> tuple[float, float]:
        root = self.base / ("run" if code is None else "run-other")
        if root.exists():  # moved aside, not deleted: see bench_table's `fresh`
            root.rename(self.base / f"used-{time.monotonic_ns()}")
        shutil.copytree(self.edited, root)
        return run([*self.bitext, "-C", str(root), "update"], env=self.env_of(code))

    def bitext_noop(self, code: Path | None = None, *, hashing: bool = False
                    ) -> tuple[float, float]:
        """A no-op update; ``hashing``: without the stats (every file read and hashed)."""
        root = self.base / ("run" if code is None else "run-other")
        if hashing:
            (root / ".bitext" / "update-stats.json").unlink(missing_ok=True)
        return run([*self.bitext, "-C", str(root), "update"], env=self.env_of(code))

    def env_of(self, code: Path | None) -> dict[str, str]:
        if code is None:
            return self.env
        return with_bytecode({**self.env, "PYTHONPATH": str(code)}, self.base / "other")

    def each_file(self, command: Callable[[str, Path], list[str]]) -> tuple[float, float]:
        start, peak, cpu = time.perf_counter(), 0.0, 0.0
        for doc in self.docs:
            seconds, mib = run(command(doc, self.work / f"{doc}.po"))
            peak, cpu = max(peak, mib), cpu + seconds
        return (cpu if CPU else time.perf_counter() - start), peak

    def msgmerge(self, pot: dict[str, Path]) -> Callable[[], tuple[float, float]]:
        return lambda: self.each_file(lambda d, out: [
            "msgmerge", "--quiet", "--previous", "-o", str(out), str(self.old_po[d]),
            str(pot[d])])

    def pot2po(self, pot: dict[str, Path]) -> Callable[[], tuple[float, float]]:
        tool = str(Path(sys.executable).parent / "pot2po")
        return lambda: self.each_file(lambda d, out: [
            tool, "--progress=none", "-t", str(self.old_po[d]), str(pot[d]), str(out)])

    def digest(self) -> str:
        root = self.base / "run"
        h = hashlib.sha256()
        for path in sorted((root / "locale").rglob("*")) + sorted((root / "source").rglob("*")):
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        return h.hexdigest()[:16]


def references(s: Scenario, pot: dict[str, Path]) -> dict[str, Callable[[], tuple[float, float]]]:
    found = {"msgmerge --previous": s.msgmerge(pot)}
    if s.peers and (Path(sys.executable).parent / "pot2po").exists():
        found["pot2po (translate-toolkit)"] = s.pot2po(pot)
    for name in ("po4a-updatepo", "mdpo"):
        if shutil.which(name):
            print(f"  ({name} is installed but not wired into this benchmark)")
    return found


def interleaved(tools: dict[str, Callable[[], tuple[float, float]]],
                repeat: int) -> dict[str, tuple[float, float]]:
    """Median seconds and median peak MiB of each tool; order rotated every round."""
    names = list(tools)
    seen: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
    for round_ in range(repeat):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            seen[name].append(tools[name]())
    return {n: (statistics.median(t for t, _ in v), statistics.median(m for _, m in v))
            for n, v in seen.items()}


def seconds(value: float) -> str:
    """Two decimals; three below a second (the no-ops' target is 0.12 s)."""
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def row(label: str, figures: dict[str, tuple[float, float]], *, memory: bool = True) -> str:
    first, *rest = figures.items()
    cells = [seconds(first[1][0]) + (f", {first[1][1]:.0f} MiB" if memory else "")]
    cells += [f"{name}: {seconds(sec)}" + (f", {mib:.0f} MiB" if name.startswith("bitext")
                                           else "")
              for name, (sec, mib) in rest]
    ref = rest[0][1][0] if rest else None
    ratio = f"   ({first[1][0] / ref:.2f}x msgmerge)" if ref else ""
    return f"| {label} | " + " | ".join(cells) + " |" + ratio


def scenario(base: Path, copies: int, layout: str, edits: int, args: argparse.Namespace,
             *, noop: bool) -> tuple[list[str], float]:
    s = Scenario(base, copies, layout, edits, args.code, args.peers)
    what = "one file" if layout == "one" else f"{copies} files"
    lines = []
    other = args.against
    against = {f"bitext of {other}": lambda: s.bitext_edits(other)} if other else {}
    edited = interleaved({"bitext": s.bitext_edits, **references(s, s.new_pot), **against},
                         args.repeat)
    lines.append(row(f"update after {s.edit_count} edits, {what}", edited))
    if args.hash:
        lines.append(f"  digest of the files after the edits ({what}): {s.digest()}")
    if noop:
        for hashing, how in ((True, "no stats: every file hashed"), (False, "stats settled")):
            if not hashing:  # the files' change times 2 s old: the next run records them
                time.sleep(2.5)
                s.bitext_noop()
                if other:
                    s.bitext_noop(other)
            against = {f"bitext of {other}": partial(s.bitext_noop, other, hashing=hashing)
                       } if other else {}
            still = interleaved({"bitext": partial(s.bitext_noop, hashing=hashing),
                                 **references(s, s.old_pot), **against}, args.repeat)
            lines.append(row(f"no-op update, {what} ({how})", still))
    return lines, edited["bitext"][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--edits", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", type=int, default=0, help="also N files (e.g. 2000)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout to time")
    parser.add_argument("--hash", action="store_true")
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout timed in the same rounds (before/after)")
    parser.add_argument("--peers", action="store_true",
                        help="also translate-toolkit's pot2po (slow: ~25 s a run on one file)")
    parser.add_argument("--large-only", action="store_true",
                        help="with --large: only the 200-file and the large update after edits")
    parser.add_argument("--files-only", action="store_true",
                        help="only the files' rows (no one-file document): the no-ops, quickly")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU seconds instead of wall seconds (a busy machine)")
    args = parser.parse_args()
    global CPU
    CPU = args.cpu
    print(f"bitext from {args.code}; medians of {args.repeat}, tools interleaved; "
          f"{'CPU' if CPU else 'wall'} seconds\n")
    print("| work | bitext | references |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        if not (args.large_only or args.files_only):
            lines, _ = scenario(Path(tmp) / "one", args.copies, "one", args.edits, args,
                                noop=True)
            print("\n".join(lines), flush=True)
        lines, small = scenario(Path(tmp) / "files", args.copies, "files", args.edits, args,
                                noop=not args.large_only)
        print("\n".join(lines), flush=True)
        if args.large:
            lines, large = scenario(Path(tmp) / "large", args.large, "files",
                                    args.edits, args, noop=False)
            print("\n".join(lines))
            print(f"\n{args.large} files cost {large / small:.1f}x the time of "
                  f"{args.copies} (target <= 10x)")


if __name__ == "__main__":
    main()
