"""typst, through its Python package: typst source -> PDF bytes.

Locked down for untrusted text: typst's root is a fresh temporary folder
holding only the document's source (so ``#read("/etc/hostname")`` resolves to
``<tmp>/etc/hostname``, which does not exist), and the only fonts it can see
are the ones shipped in ``pipeline/assets/fonts`` (system fonts and typst's
own embedded fonts are off), so a PDF never depends on the machine it was
built on. ``timestamp`` is typst's "now": the PDF's dates when a document
leaves its date ``auto`` (bitext's template sets one), fixed for reproducible builds.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import BitextError


def typst_version() -> str:
    """An identity of the installed typst package for build caches (path, size, mtime)."""
    spec = importlib.util.find_spec("typst._typst")
    if spec is None or spec.origin is None:
        raise BitextError("the typst package is not installed; reinstall bitext")
    stat = os.stat(spec.origin)
    return f"typst:{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=4)
def _fonts(fonts_dir: str) -> Any:
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[fonts_dir])


@contextmanager
def _locked_down(source: str, *, shown: str, failure: str,
                 errors: tuple[type[Exception], ...] = ()) -> Iterator[tuple[Path, Path]]:
    """(root, main.typ) of a root that holds nothing but ``source``, so nothing else is
    readable from the document; typst's errors (and ``errors``) become `BitextError`."""
    import typst

    with tempfile.TemporaryDirectory(prefix="bitext-typst-") as tmp:
        root = Path(tmp)
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        caught: tuple[type[Exception], ...] = (typst.TypstError, *errors)
        try:
            yield root, main
        except caught as exc:
            detail = getattr(exc, "message", str(exc))
            raise BitextError(f"{failure}: {detail}", path=shown) from exc


# Covers made in this process, by (source, fonts, ppi): the same inputs give the same PNG,
# and documents that share a title page (a series' parts, copies, one text in several
# documents) share its cover; one PNG of 1600 x 2560 pixels costs typst ~21 ms of CPU. A
# cover being made is a Future, so that two threads wanting it make it once.
_pngs: dict[tuple[str, str, float], Future[bytes]] = {}
_pngs_lock = threading.Lock()
_PNGS_KEPT = 64


def compile_png(source: str, *, fonts_dir: Path, ppi: float, shown: str) -> bytes:
    """Compile ``source``'s first page to a PNG (the EPUB cover), locked down as a PDF is.

    Made once per process for the same source, fonts and resolution (`_pngs`)."""
    key = (source, str(fonts_dir), ppi)
    with _pngs_lock:
        made = _pngs.get(key)
        if made is None:
            if len(_pngs) >= _PNGS_KEPT:
                _pngs.clear()  # a publication of many titles: memory stays bounded
            made = _pngs[key] = Future()
            mine = True
        else:
            mine = False
    if not mine:
        return made.result()  # another thread's, or its error
    try:
        png = _compile_png(source, fonts_dir=fonts_dir, ppi=ppi, shown=shown)
    except BaseException as exc:
        with _pngs_lock:
            _pngs.pop(key, None)  # not kept: the next one tries again
        made.set_exception(exc)
        raise
    made.set_result(png)
    return png


def _compile_png(source: str, *, fonts_dir: Path, ppi: float, shown: str) -> bytes:
    import typst

    with _locked_down(source, shown=shown, failure="typst failed on the cover") as (root, main):
        compiler = typst.Compiler(root=str(root), font_paths=_fonts(str(fonts_dir)))
        png = compiler.compile(input=str(main), format="png", ppi=ppi)
    if isinstance(png, list):  # one image per page: the cover is the first
        png = png[0]
    if not isinstance(png, bytes):  # pragma: no cover
        raise BitextError("typst returned no cover image", path=shown)
    return png


def compile_pdf(source: str, *, fonts_dir: Path, timestamp: int,
                shown: str) -> tuple[bytes, list[str]]:
    """Compile ``source`` to a PDF; return its bytes and typst's warnings.

    The root holds nothing but ``main.typ``, so nothing else is readable from the document.
    """
    import typst

    with _locked_down(source, shown=shown, failure="typst failed") as (root, main):
        compiler = typst.Compiler(root=str(root), font_paths=_fonts(str(fonts_dir)))
        pdf, warnings = compiler.compile_with_warnings(
            input=str(main), format="pdf", timestamp=timestamp
        )
    if not isinstance(pdf, bytes):  # pragma: no cover - one PDF for one input
        raise BitextError("typst returned no PDF", path=shown)
    return pdf, [getattr(w, "message", str(w)) for w in warnings]


def query_values(source: str, selector: str, *, fonts_dir: Path,
                 shown: str) -> list[Any]:
    """``typst query``: the ``value`` of every element ``selector`` finds, from JSON.

    The bilingual PDF's measuring pass (`pipeline.render.pdf_pages`) reports heights
    as ``#metadata`` this way; the same locked-down root and fonts as `compile_pdf`.
    """
    import json

    import typst

    # query raises RuntimeError too
    with _locked_down(source, shown=shown, failure="typst failed",
                      errors=(RuntimeError,)) as (root, main):
        compiler = typst.Compiler(input=str(main), root=str(root),
                                  font_paths=_fonts(str(fonts_dir)))
        found = compiler.query(selector, field="value", format="json")
    values = json.loads(found)
    if not isinstance(values, list):  # pragma: no cover - a query gives a list
        raise BitextError("typst query returned no list", path=shown)
    return values
