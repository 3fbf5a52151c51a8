"""Optional dependencies: which extra of the bitext package each heavy command needs.

The base install (``pip install bitext``) has what ``init``, ``update``, ``status``
and ``check`` import; ``build``, ``align`` and ``translate`` need an extra each
(``pip install 'bitext[build]'``, or ``bitext[all]``). `require` is called by the
command line before such a command starts, so a missing extra is one line, exit 2.
"""

from __future__ import annotations

import importlib.util

from pipeline.errors import BitextError

# extra -> (importable modules it brings, what for)
EXTRAS: dict[str, tuple[tuple[str, ...], str]] = {
    "build": (("pypandoc", "typst"), "pandoc and typst, for the HTML, EPUB and PDF editions"),
    "align": (("numpy",), "numpy, for the aligner's dynamic programming"),
    "translate": (("deep_translator", "requests"), "the machine-translation clients"),
    "memory": (("numpy",), "numpy, for the translation memory's fuzzy index"),
    "serve": (("starlette", "uvicorn"), "Starlette and uvicorn, for the local web editor"),
}


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here."""
    return [name for name in EXTRAS[extra][0] if not _importable(name)]


def require(extra: str, command: str) -> None:
    """Raise a one-line `BitextError` when ``extra`` is not installed."""
    absent = missing(extra)
    if absent:
        raise BitextError(
            f"bitext {command} needs the '{extra}' extra ({', '.join(absent)} not installed): "
            f"pip install 'bitext[{extra}]' (or 'bitext[all]')")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
