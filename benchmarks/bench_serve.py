"""Time `bitext serve`'s requests over real HTTP on 127.0.0.1; print median and p95.

Usage: python benchmarks/bench_serve.py [--copies 210] [--requests 200]

Builds, in a temporary folder, one document of ``--copies`` copies of the sample
article (`benchmarks.corpus.make_publication`; 210 copies are ~9,000 segments)
and, for comparison, one copy (~43 segments); starts the real `bitext serve
--port 0` on each, loads the editor page once (as a browser would: the CSRF
token is in it), then sends ``--requests`` requests of each kind, one at a
time, from one keep-alive connection, as the page's script does:

* ``POST /api/check``: one segment's checks (the target: at most 50 ms);
* ``POST /api/preview``: one segment through pandoc (two pandoc runs);
* ``POST /api/save``: a save (PO through the journal, then `bitext update`), fewer.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import make_publication  # noqa: E402
from pipeline.adapters.po import read_catalog  # noqa: E402
from pipeline.commands.update import update  # noqa: E402
from pipeline.config import load_config  # noqa: E402

TARGET_MS = 50.0


def figures(name: str, times: list[float], target: float | None = None) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    goal = f"   (target <= {target:.0f} ms: {'met' if p95 <= target else 'NOT met'})" \
        if target else ""
    print(f"  {name:<14} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   "
          f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms{goal}")


def bench(root: Path, doc: str, requests: int) -> None:
    catalog = read_catalog(root / f"locale/en/LC_MESSAGES/{doc}.po", shown=doc)
    entries = [e for e in catalog.entries if e.msgid and e.msgstr and e.kind == "paragraph"]
    sample = entries[len(entries) // 2]
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "serve", doc,
                                "--port", "0", "--no-open"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        match = re.search(r"http://127\.0\.0\.1:(\d+)", process.stdout.readline())
        assert match, "bitext serve printed no address"
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=120)
        start = time.perf_counter()
        conn.request("GET", f"/edit/{doc}/en")
        page = conn.getresponse().read().decode("utf-8")
        loaded = time.perf_counter() - start
        csrf = re.search(r'name="bitext-csrf" content="([^"]+)"', page)
        version = re.search(r'data-version="([0-9a-f]+)"', page)
        assert csrf and version, page[:500]
        headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf.group(1)}

        def post(path: str, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
            data = json.dumps(body).encode("utf-8")
            begin = time.perf_counter()
            conn.request("POST", path, body=data, headers=headers)
            response = conn.getresponse()
            out = json.loads(response.read())
            spent = time.perf_counter() - begin
            assert response.status == 200, (response.status, out)
            return spent, out

        base = {"doc": doc, "lang": "en", "key": str(sample.key)}
        print(f"{doc}: {len(catalog.entries)} segments; the editor page loaded in "
              f"{loaded * 1000:.0f} ms ({len(page) // 1024} KiB)")
        checks = [post("/api/check", {**base, "text": sample.msgstr + f" {n}"})[0]
                  for n in range(requests)]
        figures("/api/check", checks, TARGET_MS)
        previews = [post("/api/preview", {**base, "text": sample.msgstr + f" *{n}*"})[0]
                    for n in range(max(10, requests // 4))]
        figures("/api/preview", previews)
        saves, current = [], version.group(1)
        for n in range(max(3, requests // 40)):
            spent, out = post("/api/save", {**base, "text": sample.msgstr + f" ({n})",
                                            "version": current})
            saves.append(spent)
            current = out["version"]
        figures("/api/save", saves)
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=210)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for copies in (1, args.copies):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            make_publication(root, copies, layout="one")
            update(load_config(root), ["big"])
            bench(root, "big", args.requests)


if __name__ == "__main__":
    main()
