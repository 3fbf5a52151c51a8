"""Shared fixtures: a CLI runner and a tiny publication factory."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

TINY_CONFIG = """\
source_lang = "tr"
target_langs = ["en"]
footnote_style = "lower-roman"
"""


@pytest.fixture(autouse=True)
def _frozen_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """PO header dates come from SOURCE_DATE_EPOCH, so test output is stable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")


@pytest.fixture(autouse=True)
def _no_config_above_the_tests(monkeypatch: pytest.MonkeyPatch,
                               tmp_path_factory: pytest.TempPathFactory) -> None:
    """A bitext config somewhere above the temporary folders is not the tests' business."""
    monkeypatch.setenv("BITEXT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Make a publication in tmp_path from {relative path: text}; bitext.toml if not given."""

    def make(files: dict[str, str]) -> Path:
        if "bitext.toml" not in files and "pyproject.toml" not in files:
            files = {"bitext.toml": TINY_CONFIG, **files}
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        return tmp_path

    return make


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of this repository's sample publication (config, sources, locale)."""
    root = tmp_path / "pub"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder in ("source", "locale"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root
