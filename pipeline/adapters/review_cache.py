"""The review page's fragment cache: each text's pandoc HTML, in ``.bitext/review/``.

A re-review after an edit should run pandoc on the changed texts only. One JSON
file per document and language (``.bitext/review/<lang>/<doc>.json``) maps the
SHA-256 of a text (and of the note targets it links to) to its HTML and whether
it was shown as plain text. The file records the identity of what made the HTML
(`identity`: the bundled pandoc and the source of the modules that cut, clean
and write the fragments); a file made by anything else is ignored, as is a
file that does not parse (it is a cache: losing it costs time, never text).
Each save keeps only the texts of that run, so the file does not grow with
the history of the document. The folder holds a ``.gitignore`` of its own.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.adapters import pandoc
from pipeline.adapters.fs import working_folder, write_atomic
from pipeline.render import ast, fragments, sanitize

FORMAT = "bitext-review-cache 1"
FOLDER = ".bitext/review"


def identity() -> str:
    """pandoc's identity and the source of every module whose code shapes a cached fragment."""
    digest = hashlib.sha256(pandoc.pandoc_version().encode("utf-8"))
    for module in (pandoc, fragments, sanitize, ast):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def text_key(text: str, targets: dict[str, str]) -> str:
    """The cache key of ``text``: its bytes and the targets of the notes it refers to."""
    linked = sorted((label, targets[label]) for label in fragments.NOTE_LABEL.findall(text)
                    if label in targets)
    data = json.dumps([text, linked], ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class FragmentCache:
    """Text key -> (HTML, shown as plain text), for one document and language."""

    def __init__(self, path: Path, ident: str, *, top: Path):
        self.path, self.ident, self.top = path, ident, top
        self._old: dict[str, list[Any]] = {}
        self._used: dict[str, list[Any]] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") == FORMAT and raw.get("identity") == ident:
                entries = raw["fragments"]
                if isinstance(entries, dict):
                    self._old = entries
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            self._old = {}

    def get(self, key: str) -> tuple[str, bool] | None:
        found = self._old.get(key)
        if (not isinstance(found, list) or len(found) != 2 or not isinstance(found[0], str)
                or not isinstance(found[1], bool)):
            return None
        self._used[key] = found
        return found[0], found[1]

    def put(self, key: str, html: str, plain: bool) -> None:
        self._used[key] = [html, plain]

    def save(self) -> bool:
        """Write what this run used, if it differs from the file; return whether written."""
        if self._used == self._old:
            return False
        working_folder(self.top)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "identity": self.ident, "fragments": self._used}
        return write_atomic(self.path, json.dumps(data, ensure_ascii=False,
                                                  separators=(",", ":")) + "\n")
