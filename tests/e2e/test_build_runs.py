"""How a build uses pandoc: few requests per document, to sessions kept for the run.

Speed is measured in `benchmarks/bench_build.py`; these tests hold the shape that
makes it: the requests per document (two parses, one HTML write, one typst write for
every PDF's source and piece), the sessions reused from request to request, the
command-line reference's heap for small and large inputs, and what documents of one
text share (one parse per language, one cover per edition).
"""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.adapters import pandoc, typst
from tests.e2e.test_build_cli import invoke, pub  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_a_document_takes_two_parses_one_html_request_and_one_typst_request(
    pub: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    requests: list[str] = []
    started: list[int] = []
    real_call = pandoc._Session.call
    real_init = pandoc._Session.__init__

    def call(self: Any, op: str, fmt: str, data: bytes) -> tuple[bool, bytes]:
        requests.append("parse" if op == "read" else fmt)
        return real_call(self, op, fmt, data)

    def init(self: Any) -> None:
        started.append(1)
        real_init(self)

    monkeypatch.setattr(pandoc._Session, "call", call)
    monkeypatch.setattr(pandoc._Session, "__init__", init)
    pandoc.close_sessions()  # none left from another test: this build starts its own
    code, out = invoke(pub, "build", "--force", "--jobs", "2", "--layout", "parallel,facing")
    assert code == 0, out
    assert len(list((pub / "output").glob("*/*.pdf"))) == 8
    # two documents, each: one typst request for its single-language PDFs and the pieces of
    # both layouts of its bilingual PDF (paged apart: pipeline.render.pdf_pages)
    assert sorted(requests) == ["html5"] * 2 + ["parse"] * 4 + ["typst"] * 2
    # eight requests, on two workers: at most one session each, reused
    assert 1 <= len(started) <= 2


def test_sessions_are_kept_and_a_dead_one_is_replaced() -> None:
    pandoc.close_sessions()
    first = pandoc.parse_markdown("Bir paragraf.\n", shown="t")
    assert len(pandoc._idle) == 1
    session = pandoc._idle[0]
    assert pandoc.parse_markdown("Bir paragraf.\n", shown="t") == first
    assert pandoc._idle == [session]  # the same process answered again
    session.process.kill()
    session.process.wait()
    with pytest.raises(pandoc.BitextError, match="pandoc could not run"):
        pandoc.parse_markdown("Bir paragraf.\n", shown="t")
    assert pandoc._idle == []  # the dead one is gone
    assert pandoc.parse_markdown("Bir paragraf.\n", shown="t") == first  # a new one
    assert pandoc._idle and pandoc._idle[0] is not session


def test_the_reference_gives_a_large_input_the_large_allocation_area(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heaps: list[str] = []
    real_run: Callable[..., Any] = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        heaps.append(kwargs["env"]["GHCRTS"])
        return real_run(command, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", spy)
    small = pandoc.parse_markdown_cli("Bir paragraf.\n", shown="t")
    large = pandoc.parse_markdown_cli("Bir paragraf.\n\n" * 10_000, shown="t")
    assert heaps == ["-H4m -A4m", "-A64m"]
    assert small["blocks"] == large["blocks"][:1]


def test_documents_of_one_text_share_their_parses_and_covers(
    project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.test_build_cli import DOC, translate

    # d1 and d2 the same text and translation (one title, so one cover per edition), d3 not
    root = project({"source/tr/d1.md": DOC.format(n=1), "source/tr/d2.md": DOC.format(n=1),
                    "source/tr/d3.md": DOC.format(n=3)})
    assert invoke(root, "update")[0] == 0
    for doc, n in (("d1", 1), ("d2", 1), ("d3", 3)):
        translate(root, doc, n)
    parses: list[bytes] = []
    covers: list[str] = []
    real_request, real_png = pandoc._request, typst._compile_png

    def request(op: str, fmt: str, data: bytes, *, shown: str) -> bytes:
        if op == "read":
            parses.append(data)
        return real_request(op, fmt, data, shown=shown)

    def png(source: str, **kwargs: Any) -> bytes:
        covers.append(source)
        return real_png(source, **kwargs)

    monkeypatch.setattr(pandoc, "_request", request)
    monkeypatch.setattr(typst, "_compile_png", png)
    monkeypatch.setattr(typst, "_pngs", {})  # none made by another test in this process
    code, out = invoke(root, "build", "--jobs", "2", "--to", "html,epub")
    assert code == 0, out
    # per language one parse of d1's text (d2's too) and one of d3's; every parse a new text
    assert len(parses) == 4
    assert len(set(parses)) == 4
    # the covers of d1 and d2 (tr, en, tr-en) made once, d3's apart: 6, each a new source
    assert len(covers) == 6
    assert len(set(covers)) == 6

    def cover(doc: str, edition: str) -> bytes:
        with zipfile.ZipFile(root / "output" / doc / f"{doc}.{edition}.epub") as book:
            return book.read("EPUB/images/cover.png")

    for edition in ("tr", "en", "tr-en"):
        assert cover("d1", edition) == cover("d2", edition) != cover("d3", edition)
    # the shared parse gives each document its own editions, as a build of it alone does
    assert (root / "output/d2/d2.tr.html").read_bytes() == \
        (root / "output/d1/d1.tr.html").read_bytes().replace(b"d1.", b"d2.")


def test_no_full_collection_while_rendering_and_the_collector_as_it_was_after(
    pub: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    import gc

    seen: list[tuple[bool, tuple[int, int, int]]] = []
    real_request = pandoc._request

    def request(op: str, fmt: str, data: bytes, *, shown: str) -> bytes:
        seen.append((gc.isenabled(), gc.get_threshold()))
        return real_request(op, fmt, data, shown=shown)

    monkeypatch.setattr(pandoc, "_request", request)
    before = gc.get_threshold()
    code, out = invoke(pub, "build", "--force", "--jobs", "2")
    assert code == 0, out
    # every parse and write with the young collections on and the full one never due
    assert seen
    assert all(on and limits[:2] == before[:2] and limits[2] >= 1_000_000
               for on, limits in seen), seen
    assert gc.get_threshold() == before
    # a build failing while it renders (a catalog gone: found when loading) puts it back too
    (pub / "locale/en/LC_MESSAGES/d1.po").unlink()
    code, out = invoke(pub, "build", "--force")
    assert code != 0 and "no catalog" in out, out
    assert gc.get_threshold() == before
