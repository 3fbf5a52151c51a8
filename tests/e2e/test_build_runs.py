"""How a build uses pandoc: few writer runs per document, a small heap for small inputs.

Speed is measured in `benchmarks/bench_build.py`; these tests hold the shape that
makes it: the number of pandoc runs per document and the heap each run asks for.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.adapters import pandoc
from tests.e2e.test_build_cli import invoke, pub  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_a_document_takes_two_parses_one_html_run_and_two_typst_runs(
    pub: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    runs: list[tuple[str, str]] = []
    real_run: Callable[..., Any] = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        if command and command[0] == pandoc.pandoc_binary():
            writer = command[command.index("-t") + 1]
            kind = "parse" if writer == "json" else writer
            runs.append((kind, kwargs["env"]["GHCRTS"]))
        return real_run(command, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", spy)
    code, out = invoke(pub, "build", "--force", "--jobs", "2")
    assert code == 0, out
    assert len(list((pub / "output").glob("*/*.pdf"))) == 6
    kinds = sorted(kind for kind, _ in runs)
    # two documents, each: one typst run for its single-language PDFs, one for the pieces of
    # its bilingual PDF (paged apart: pipeline.render.pdf_pages)
    assert kinds == ["html5"] * 2 + ["parse"] * 4 + ["typst"] * 4
    # a document's parse is small: a small heap; the writers keep the large allocation area
    assert {heap for kind, heap in runs if kind == "parse"} == {"-H4m -A4m"}
    assert {heap for kind, heap in runs if kind != "parse"} <= {"-H4m -A4m", "-A64m"}


def test_a_large_input_gets_the_large_allocation_area(monkeypatch: pytest.MonkeyPatch) -> None:
    heaps: list[str] = []
    real_run: Callable[..., Any] = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        heaps.append(kwargs["env"]["GHCRTS"])
        return real_run(command, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", spy)
    small = pandoc.parse_markdown("Bir paragraf.\n", shown="t")
    large = pandoc.parse_markdown("Bir paragraf.\n\n" * 10_000, shown="t")
    assert heaps == ["-H4m -A4m", "-A64m"]
    assert small["blocks"] == large["blocks"][:1]
