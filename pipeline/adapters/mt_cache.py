"""The machine-translation cache: every accepted translation, in ``.bitext/mt-cache.json``.

The folder holds a ``.gitignore`` of its own, so the cache is not committed by accident.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.adapters.fs import read_text, working_folder, write_atomic
from pipeline.errors import BitextError


class TranslationCache:
    """Accepted machine translations, keyed by provider, languages and (protected) text.

    A JSON file: ``{"format": ..., "translations": {"libre tr>en": {text: translation}}}``,
    sorted, so it diffs well if a team decides to commit it after all.
    """

    FORMAT = "bitext-mt-cache 1"

    def __init__(self, path: Path, *, shown: str):
        self.path, self.shown = path, shown
        self._data: dict[str, dict[str, str]] = {}
        self._dirty = False
        if path.exists():
            try:
                raw = json.loads(read_text(path, shown=shown))
                ok = raw.get("format") == self.FORMAT and isinstance(raw["translations"], dict)
            except (ValueError, AttributeError, KeyError):
                ok = False
            if not ok:
                raise BitextError("not a bitext machine-translation cache; delete it to start "
                                  "afresh", path=shown)
            self._data = raw["translations"]

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        return self._data.get(f"{provider} {source}>{target}", {}).get(text)

    def put(self, provider: str, source: str, target: str, text: str, translation: str) -> None:
        table = self._data.setdefault(f"{provider} {source}>{target}", {})
        if table.get(text) != translation:
            table[text] = translation
            self._dirty = True

    def __len__(self) -> int:
        return sum(len(t) for t in self._data.values())

    def save(self) -> bool:
        """Write the cache if anything was added; return whether it was written."""
        if not self._dirty:
            return False
        working_folder(self.path.parent)
        data = {"format": self.FORMAT, "translations": self._data}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                     + "\n")
        self._dirty = False
        return True
