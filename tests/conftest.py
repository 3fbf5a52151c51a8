"""Shared fixtures: a CLI runner, a tiny publication factory, the sample and its PDFs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
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
    return copy_sample(tmp_path / "pub")


def copy_sample(root: Path) -> Path:
    """The sample publication (config, sources, locale) copied into ``root``."""
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder in ("source", "locale"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample's PDFs in both bilingual layouts, built once for every test that reads
    them (layouts, hyphenation): the publication's root and what the build printed."""
    from pipeline.cli import cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1790000000")
        patch.setenv("BITEXT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))
        root = copy_sample(tmp_path_factory.mktemp("sample-pdfs") / "pub")
        result = CliRunner().invoke(cli, ["-C", str(root), "build", "--to", "pdf",
                                          "--layout", "parallel,facing"])
        assert result.exit_code == 0, result.output
        yield root, result.output
