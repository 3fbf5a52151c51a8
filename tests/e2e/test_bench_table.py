"""benchmarks/bench_table.py prints every row of issue 16's table, with figures, in one run.

Run as a person runs it (``--quick``, a tiny corpus of two copies); the table is read
back: every row is there, bitext's column has a figure in every row measured, each
reference column its figure, the target and its verdict beside it, the CPU table and
the floor line after it. The peers that are not installed (po4a and mdpo here are
hidden from the script; on a machine without them they are absent) print "not
installed" in their column and the run still succeeds. No timing is asserted: the
figures are the script's business, their shape is the test's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
COPIES = 2
ROWS = [f"update after edits, one file ({COPIES} copies)", f"update after edits, {COPIES} files",
        f"update after edits, {10 * COPIES} files", f"no-op update, {COPIES} files",
        "check, one file", f"check, {10 * COPIES} files", f"align, two {COPIES}-copy files",
        "build the sample's 9 files"]
SKIPPED = {ROWS[2], ROWS[5], ROWS[7]}  # the --large rows and the build row: not in --quick
COLUMNS = ["work", "bitext", "msgmerge --previous", "po4a", "translate-toolkit", "mdpo",
           "target (issue 16)", "met", "load"]
FIGURE = re.compile(r"^\d+\.\d\d s\b")

needs_gettext = pytest.mark.skipif(shutil.which("msgmerge") is None,
                                   reason="gettext (msgmerge, msgfmt) not installed")


def run_table(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_table.py"), "--quick",
         "--copies", str(COPIES)], capture_output=True, text=True, timeout=600,
        env={**os.environ, **env}, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def tables(out: str) -> list[dict[str, dict[str, str]]]:
    """Each printed table: row label -> column -> cell."""
    found: list[dict[str, dict[str, str]]] = []
    for line in out.splitlines():
        if line.startswith("| work |"):
            assert [c.strip() for c in line.strip("|").split("|")] == COLUMNS
            found.append({})
        elif line.startswith("| ") and found:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == len(COLUMNS), line
            found[-1][cells[0]] = dict(zip(COLUMNS, cells, strict=True))
    return found


def translate_toolkit_missing() -> str | None:
    """What the script prints for translate-toolkit's Markdown steps when they cannot run
    (its Markdown extra is a benchmark peer's, not installed by ``make test``)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import peers

    found: str | None = peers.missing().get(peers.TT)
    return found


def check_shape(out: str, *, peers: bool) -> None:
    wall, cpu = tables(out)
    tt_missing = translate_toolkit_missing()
    for table in (wall, cpu):
        assert list(table) == ROWS
        for label, row in table.items():
            if label in SKIPPED:
                assert row["bitext"] == "— (--quick)", row
                continue
            assert FIGURE.match(row["bitext"]), row
            assert row["target (issue 16)"] and row["met"] in ("yes", "NO"), row
            assert re.fullmatch(r"\d+\.\d", row["load"]), row
        for label in ROWS[:2] + ROWS[3:4]:  # the update rows: every column a figure
            row = table[label]
            assert FIGURE.match(row["msgmerge --previous"]), (label, row)
            if tt_missing:
                assert row["translate-toolkit"] == tt_missing, row
            else:
                assert FIGURE.match(row["translate-toolkit"]), (label, row)
            for column in ("po4a", "mdpo"):
                if peers:
                    assert FIGURE.match(row[column]), (label, column, row)
                else:
                    assert row[column] == "not installed (make bench-peers)", row
        check, align = table["check, one file"], table[ROWS[6]]
        assert re.fullmatch(r"`msgfmt -c` \d+\.\d\d s.*", check["msgmerge --previous"]), check
        assert re.fullmatch(r"pofilter, 3 checks: \d+\.\d\d s.*", check["translate-toolkit"])
        if tt_missing:
            assert align["translate-toolkit"] == tt_missing, align
        else:
            assert re.fullmatch(r"md2po -t \d+\.\d\d s.*", align["translate-toolkit"]), align
        if peers:
            assert re.fullmatch(r"po4a-gettextize \d+\.\d\d s.*", align["po4a"]), align
        else:
            assert align["po4a"] == "not installed (make bench-peers)", align
    memory = wall[ROWS[0]]
    assert re.fullmatch(r"\d+\.\d\d s, \d+ MiB", memory["bitext"]), memory  # peak memory
    floor = next(line for line in out.splitlines() if line.startswith("**The floor**"))
    for tool in ("python -c pass", "import pipeline.cli", "bitext --version", "msgcat --no-wrap"):
        assert re.search(rf"`{re.escape(tool)}` \d+\.\d{{3}} s", floor), (tool, floor)


@needs_gettext
def test_the_whole_table_without_the_peers(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-peers"
    nowhere.mkdir()
    out = run_table({"BITEXT_PO4A_PATH": str(nowhere), "BITEXT_MDPO_BIN": str(nowhere)})
    assert "po4a not installed" in out.splitlines()[0]
    check_shape(out, peers=False)


@needs_gettext
@pytest.mark.slow
def test_the_whole_table_with_the_peers() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import peers

    if peers.missing():
        pytest.skip(f"peers missing: {peers.missing()} (make bench-peers)")
    check_shape(run_table({}), peers=True)
