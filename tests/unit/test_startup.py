"""What starting a command imports: `status` and `check` no heavy extra, `--version` nothing.

Each run is a fresh interpreter (the test process has imported everything), which
reports the modules it ended with in ``sys.modules``. No timings here: those are
``benchmarks/bench_check.py``'s start-up rows.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.checks import REGISTRY
from pipeline.checks.names import NAMES

# The extras' packages, and bitext's adapters that run pandoc and typst (they find the
# binaries without importing pypandoc) or the machine translators.
HEAVY = ("pypandoc", "typst", "numpy", "deep_translator", "requests",
         "pipeline.adapters.pandoc", "pipeline.adapters.typst", "pipeline.adapters.mt")
REPO = Path(__file__).resolve().parents[2]

RUN = """
import json, sys
from pipeline.cli import cli
try:
    cli({args!r}, prog_name="bitext", standalone_mode=False)
except SystemExit:
    pass
json.dump(sorted(sys.modules), sys.stderr)
"""


def modules_after(args: list[str], tmp_path: Path, prelude: str = "") -> set[str]:
    """The modules a fresh ``bitext ARGS`` has imported by the time it is done."""
    done = subprocess.run([sys.executable, "-c", prelude + RUN.format(args=args)], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("command", ["status", "check"])
def test_status_and_check_import_no_heavy_extra(command: str, sample: Path,
                                                tmp_path: Path) -> None:
    loaded = modules_after(["-C", str(sample), command], tmp_path)
    assert "pipeline.commands." + command in loaded  # the command did run
    assert [m for m in HEAVY if m in loaded] == []


def test_build_does_import_pandoc(sample: Path, tmp_path: Path) -> None:
    """The probe sees a heavy import when there is one (else the test above proves nothing)."""
    loaded = modules_after(["-C", str(sample), "build", "--to", "html", "--edition", "tr"],
                           tmp_path)
    assert "pipeline.adapters.pandoc" in loaded


def test_version_imports_no_command_and_no_configuration(tmp_path: Path) -> None:
    loaded = modules_after(["--version"], tmp_path)
    mine = sorted(m for m in loaded if m.startswith("pipeline"))
    assert mine == ["pipeline", "pipeline.cli", "pipeline.cli.base", "pipeline.errors"]
    assert "importlib.metadata" not in loaded


def test_the_version_printed_is_the_installed_package_version(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--version"], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert done.stdout == f"bitext, version {importlib.metadata.version('bitext')}\n"


def test_loading_a_config_with_check_names_imports_no_check(tmp_path: Path) -> None:
    (tmp_path / "bitext.toml").write_text(
        'source_lang = "tr"\ntarget_langs = ["en"]\n[check.severity]\nnumbers = "warning"\n'
        '[[check.ignore]]\ncheck = "urls"\nreason = "archived"\n', encoding="utf-8")
    code = ("import sys; from pipeline.config import load_config; "
            "c = load_config('.'); assert c.check.severity == {'numbers': 'warning'}; "
            "print(sorted(m for m in sys.modules if m.startswith('pipeline.checks')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == str(["pipeline.checks", "pipeline.checks.names",
                                       "pipeline.checks.options", "pipeline.checks.settings"])


def test_the_static_names_are_the_registry_in_report_order() -> None:
    assert list(REGISTRY) == list(NAMES)


def test_a_check_not_in_names_is_refused() -> None:
    from pipeline.checks import register

    with pytest.raises(RuntimeError, match=r"not listed in pipeline\.checks\.names\.NAMES"):
        register("no-such-check", severity="error")(lambda ctx: iter(()))


def test_the_registry_order_does_not_depend_on_import_order(tmp_path: Path) -> None:
    code = ("import pipeline.checks.suppress, pipeline.checks.typography; "
            "from pipeline.checks import REGISTRY; print(list(REGISTRY))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == str(list(NAMES))


def test_each_command_is_where_the_lazy_group_looks_for_it() -> None:
    from pipeline.cli import cli
    from pipeline.cli.base import COMMAND_MODULES, WHERE

    for module in COMMAND_MODULES:
        __import__(f"pipeline.cli.{module}")
    for name, module in WHERE.items():
        command = cli.commands[name]
        assert command.callback is not None
        assert command.callback.__module__ == f"pipeline.cli.{module}", name


# What only a document that changed needs: reading and writing catalogs, Markdown, sync
# states, the merge. A no-op update finds every file as it left it from the files' stats
# (`update_digests.FileStats`): what an update wrote, or what was changed before the lock;
# these runs also see the clock 3 s ahead, so every stat is settled.
PER_DOCUMENT = ("polib", "markdown_it", "rapidfuzz", "pipeline.catalog", "pipeline.sync",
                "pipeline.translation", "pipeline.adapters.po", "pipeline.adapters.po_wrap",
                "pipeline.markdown.segments", "pipeline.adapters.block_memo")
# Nor what a no-op needs no more of, with or without the stats: Babel (the configuration's
# languages are known by Babel's data files: `languages.known_tag`) and the checks' data.
NOT_IN_A_NO_OP = (*PER_DOCUMENT, "babel", "pipeline.checks.model")
LATER = "import time; _ns = time.time_ns; time.time_ns = lambda: _ns() + 3_000_000_000\n"


def test_a_no_op_update_imports_none_of_the_per_document_work(sample: Path,
                                                             tmp_path: Path) -> None:
    original = sample / "source" / "tr" / "article.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nYeni bir paragraf.\n",
                        encoding="utf-8")
    first = modules_after(["-C", str(sample), "update"], tmp_path)
    assert [m for m in PER_DOCUMENT if m not in first] == []  # the probe sees the work
    modules_after(["-C", str(sample), "update"], tmp_path, prelude=LATER)  # stats recorded
    again = modules_after(["-C", str(sample), "update"], tmp_path, prelude=LATER)
    assert "pipeline.commands.update" in again
    assert [m for m in NOT_IN_A_NO_OP if m in again] == []
    assert "tempfile" not in again  # imported by a run that writes (3 ms), this one writes none


def test_a_no_op_update_without_stats_imports_none_of_the_per_document_work(
        sample: Path, tmp_path: Path) -> None:
    """Every file read and hashed (a fresh clone, files just written): still no parsing."""
    modules_after(["-C", str(sample), "update"], tmp_path)
    (sample / ".bitext" / "update-stats.json").unlink(missing_ok=True)
    again = modules_after(["-C", str(sample), "update"], tmp_path)
    assert "pipeline.commands.update" in again
    # and they are remembered: changed before this run took the lock (`FileStats.fence`)
    assert (sample / ".bitext" / "update-stats.json").exists()
    assert [m for m in NOT_IN_A_NO_OP if m in again] == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="update forks workers only on 2+ cores")
def test_a_parallel_update_imports_the_document_work_once_before_it_forks(
        sample: Path, tmp_path: Path) -> None:
    """Else each forked worker imports it again (the parent itself only writes)."""
    from pipeline.commands.update import PARALLEL_FROM

    original = sample / "source" / "tr" / "article.md"
    for n in range(PARALLEL_FROM):
        (original.parent / f"copy-{n}.md").write_text(original.read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    loaded = modules_after(["-C", str(sample), "update"], tmp_path)
    assert [m for m in PER_DOCUMENT if m not in loaded] == []


def test_the_console_script_freezes_what_it_made_before_the_exit(sample: Path,
                                                                 tmp_path: Path) -> None:
    """The exit's collection then walks none of it (~10 ms of a no-op update); the report
    is printed whole, and the command's files are as a run without the freeze leaves them."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count(), file=sys.stderr))\n"
            f"sys.argv = ['bitext', '-C', {str(sample)!r}, 'update']\n"
            "from pipeline.cli import main\n"
            "main()\n")
    first = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                           text=True, check=True)
    frozen = int(first.stderr.split("frozen ")[-1])
    assert frozen > 10_000, first.stderr  # the run's objects, not a handful
    again = subprocess.run([sys.executable, "-m", "pipeline", "-C", str(sample), "update"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert again.stdout.endswith("nothing changed\n") and "[en]: unchanged\n" in again.stdout
