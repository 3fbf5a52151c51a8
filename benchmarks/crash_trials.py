"""Kill `bitext update` at random moments and count what a crash costs (it should cost nothing).

Each trial: a publication of ``--docs`` copies of the sample (so a parallel update),
after one clean update a translator's PO edit, a Markdown edit and an original edit
in every document; then `bitext update` is started and killed (SIGKILL) after a
random delay, and two more updates are run. Printed per run: trials, kills that
landed while update was running, runs that were *stuck* (a later update exiting 2),
translations *lost* (an edited text found nowhere in the PO files or the Markdown),
*tracebacks*, leftover temporary files, and worker processes still alive.

    python benchmarks/crash_trials.py --trials 30 --docs 20
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_publication

BITEXT = [sys.executable, "-m", "pipeline"]


def run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BITEXT, "-C", str(root), "update"], capture_output=True, text=True)


def edit(root: Path) -> list[str]:
    """Edit every document on both sides; return texts that must survive."""
    survive = []
    for n, po in enumerate(sorted((root / "locale/en/LC_MESSAGES").glob("*.po"))):
        text = po.read_text(encoding="utf-8")
        found = re.search(r'^msgstr "([^"]{20,60})', text, re.MULTILINE)
        if found:
            mine = f"EDITED-PO-{n} "
            po.write_text(text.replace(f'msgstr "{found.group(1)}',
                                       f'msgstr "{mine}{found.group(1)}', 1), encoding="utf-8")
            survive.append(mine)
    for n, md in enumerate(sorted((root / "source/en").glob("*.md"))):
        text = md.read_text(encoding="utf-8")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("(") and len(line) > 40:
                lines[i] = line.replace(" ", f" EDITED-MD-{n} ", 1)
                survive.append(f"EDITED-MD-{n}")
                break
        md.write_text("\n".join(lines), encoding="utf-8")
    for src in sorted((root / "source/tr").glob("*.md")):
        text = src.read_text(encoding="utf-8")
        src.write_text(text.replace("Suriye", "SURİYE", 1), encoding="utf-8")
    return survive


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper is dead: it holds nothing and runs nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bitext-crash-"))
    template = work / "template"
    make_publication(template, args.docs)
    assert run(template).returncode == 0
    # How long an update of the edited publication takes, to spread the kills over it.
    probe = work / "probe"
    shutil.copytree(template, probe)
    edit(probe)
    start = time.monotonic()
    run(probe)
    duration = time.monotonic() - start
    counts = dict.fromkeys(("killed", "stuck", "lost", "tracebacks", "temporary", "orphans"), 0)
    for trial in range(args.trials):
        root = work / f"t{trial}"
        shutil.copytree(template, root)
        survive = edit(root)
        child = subprocess.Popen([*BITEXT, "-C", str(root), "update"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, duration))
        workers = children_of(child.pid)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            counts["killed"] += 1
        child.wait()
        time.sleep(0.2)
        counts["orphans"] += sum(1 for w in workers if _alive(w))
        for _ in range(2):
            after = run(root)
            counts["stuck"] += after.returncode == 2
            counts["tracebacks"] += "Traceback" in after.stderr + after.stdout
        written = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*")
                            if p.is_file() and p.suffix in (".po", ".md"))
        counts["lost"] += sum(1 for text in survive if text not in written)
        counts["temporary"] += len(list(root.rglob("*.bitext-tmp")))
        shutil.rmtree(root)
    shutil.rmtree(work)
    print(f"{args.trials} trials on {args.docs} documents (update ≈ {duration:.2f} s): "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    main()
