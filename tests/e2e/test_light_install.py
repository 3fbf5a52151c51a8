"""The base install runs update, status and check; build names the extra it needs.

A fresh interpreter gets an import hook that makes pandoc, typst, numpy and the
machine-translation clients unimportable, as in a `pip install bitext` without extras
(the pre-commit hook's install).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
BLOCKED = ("pypandoc", "typst", "numpy", "deep_translator", "requests")

LAUNCH = f"""
import sys

class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked by the test)")
        return None

sys.meta_path.insert(0, Blocked())
sys.path.insert(0, {str(REPO)!r})
from pipeline.cli import main
sys.argv = ["bitext", *sys.argv[1:]]
main()
"""

TR = """\
---
title: "Küçük bir yazı"
lang: tr
---

İlk paragraf 29 Eylül 2021'de yazıldı.
"""


def bitext(root: Path, *args: str,
           blocked: tuple[str, ...] = BLOCKED) -> subprocess.CompletedProcess[str]:
    launch = LAUNCH.replace(repr(BLOCKED), repr(blocked))
    return subprocess.run([sys.executable, "-c", launch, "-C", str(root), *args],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def light(tmp_path: Path) -> Path:
    (tmp_path / "source/tr").mkdir(parents=True)
    (tmp_path / "source/tr/doc.md").write_text(TR, encoding="utf-8")
    (tmp_path / "bitext.toml").write_text('source_lang = "tr"\ntarget_langs = ["en"]\n',
                                          encoding="utf-8")
    return tmp_path


def test_the_hook_really_blocks(light: Path) -> None:
    probe = subprocess.run([sys.executable, "-c", LAUNCH.replace("main()", "import numpy")],
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode != 0 and "blocked by the test" in probe.stderr


def test_update_status_check_need_no_extra(light: Path) -> None:
    for args in (("update",), ("status",), ("status", "--format", "json"), ("check",),
                 ("check", "--strict")):
        done = bitext(light, *args)
        assert "blocked by the test" not in done.stderr, (args, done.stderr)
        assert done.returncode in (0, 1), (args, done.stdout, done.stderr)
    assert (light / "locale/en/LC_MESSAGES/doc.po").is_file()
    assert "doc" in bitext(light, "status").stdout


def test_export_and_import_need_no_extra(light: Path) -> None:
    assert bitext(light, "update").returncode == 0
    for fmt in ("xliff", "xliff2", "tmx"):
        done = bitext(light, "export", "--format", fmt, "-o", str(light / f"doc.{fmt}"))
        assert done.returncode == 0, (fmt, done.stderr)
    done = bitext(light, "import", str(light / "doc.xliff"))
    assert done.returncode == 0, done.stderr
    assert "imported 0 units" in done.stdout


@pytest.mark.parametrize(("command", "extra"), [("build", "build"), ("align", "align"),
                                                ("translate", "translate")])
def test_a_command_without_its_extra_says_which_to_install(
    light: Path, command: str, extra: str
) -> None:
    done = bitext(light, command)
    assert done.returncode == 2
    modules = {"build": "pypandoc, typst", "align": "numpy",
               "translate": "deep_translator, requests"}[extra]
    assert done.stderr.strip().splitlines() == [
        f"Error: bitext {command} needs the '{extra}' extra ({modules} not installed): "
        f"pip install 'bitext[{extra}]' (or 'bitext[all]')"]
    assert not (light / "output").exists()


def test_the_base_install_leaves_the_heavy_packages_to_extras() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    names = [d.split(">")[0].split("<")[0].split("=")[0] for d in project["dependencies"]]
    # lxml: export and import (XLIFF, TMX) are base commands, like update and check
    assert names == ["click", "polib", "babel", "markdown-it-py", "mdit-py-plugins", "pyyaml",
                     "rapidfuzz", "lxml"]
    extras = project["optional-dependencies"]
    assert [d.split(">")[0] for d in extras["build"]] == ["pypandoc-binary", "typst", "orjson"]
    assert [d.split(">")[0] for d in extras["align"]] == ["numpy"]
    assert [d.split(">")[0] for d in extras["translate"]] == ["deep-translator", "requests"]
    assert [d.split(">")[0] for d in extras["memory"]] == ["numpy"]
    assert [d.split(">")[0] for d in extras["serve"]] == ["starlette", "uvicorn"]
    assert extras["all"] == ["bitext[build,align,translate,memory,serve]"]
    assert "[all,test]" in (REPO / "Makefile").read_text("utf-8")


def test_update_fills_from_the_translation_memory_without_numpy(light: Path) -> None:
    """The memory's exact table is pure Python; only fuzzy lookups need numpy."""
    (light / "source/en").mkdir()
    (light / "source/en/doc.md").write_text(
        '---\ntitle: "A small article"\nlang: en\n---\n\nThe first paragraph was written on '
        "29 September 2021.\n", encoding="utf-8")
    assert bitext(light, "update").returncode == 0
    (light / "source/tr/other.md").write_text("İlk paragraf 29 Eylül 2021'de yazıldı.\n",
                                              encoding="utf-8")
    done = bitext(light, "update")
    assert done.returncode == 0, done.stderr
    assert "1 from the translation memory" in done.stdout
    assert "The first paragraph was written on 29 September 2021." in (
        light / "locale/en/LC_MESSAGES/other.po").read_text(encoding="utf-8")


def test_translate_from_the_memory_needs_numpy_not_the_translation_clients(light: Path) -> None:
    """`--provider memory` with the 'memory' extra only: no deep-translator, no requests."""
    (light / "source/en").mkdir()
    (light / "source/en/doc.md").write_text(
        '---\ntitle: "A small article"\nlang: en\n---\n\nThe first paragraph was written on '
        "29 September 2021.\n", encoding="utf-8")
    assert bitext(light, "update").returncode == 0
    (light / "source/tr/other.md").write_text("İlk paragraf 30 Eylül 2021'de yazıldı.\n",
                                              encoding="utf-8")
    clients = ("pypandoc", "typst", "deep_translator", "requests")
    done = bitext(light, "translate", "--provider", "memory", blocked=clients)
    assert done.returncode == 0, done.stderr
    assert "The first paragraph was written on 30 September 2021." in (
        light / "locale/en/LC_MESSAGES/other.po").read_text(encoding="utf-8")
    without = bitext(light, "translate", "--provider", "memory")  # numpy blocked too
    assert without.returncode == 2
    assert "needs the 'memory' extra (numpy not installed)" in without.stderr
    machine = bitext(light, "translate", "--provider", "libre", blocked=clients)
    assert machine.returncode == 2
    assert "needs the 'translate' extra" in machine.stderr
