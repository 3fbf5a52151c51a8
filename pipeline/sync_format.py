"""The shape of a sync state file as `pipeline.sync.render_state` writes it.

Here, apart from `pipeline.sync`, so that the no-op update
(`pipeline.adapters.update_digests`) can read a state it wrote without importing the
sync machinery, and the two read the same shape. Pure; no I/O.
"""

from __future__ import annotations

import json
import re
from typing import Any

DIGEST = re.compile(r"[0-9a-f]{12}")
MARKERS = frozenset({"unknown", "aligned"})
FILES = frozenset({"source", "pot", "po", "markdown", "settings"})

# A state exactly as `render_state` writes it, every row well formed: checked by one regex
# (the no-op update reads every document's state; a row-by-row check was most of its time).
# The rows' repeat is possessive (``*+``): rows never need giving back (the last has no
# comma), and the greedy repeat kept a backtracking mark a row (5 MiB for 9,000 rows).
ROW_SHAPE = (r'  \["[0-9a-f]{12}", "(?:[0-9a-f]{12}|unknown|aligned)", '
             r'"(?:[0-9a-f]{12}|unknown|aligned)"\]')
WRITTEN = re.compile(
    r'\{"bitext-sync": 1,\n "conflicts": (0|[1-9][0-9]{0,8}),\n "files": (\{[^\n]*\}),\n'
    rf' "segments": \[\n((?:{ROW_SHAPE},\n)*+{ROW_SHAPE}\n) \]\}}\n')
ROW = re.compile(r'  \["([0-9a-f]{12})", "([0-9a-z]+)", "([0-9a-z]+)"\]')


def are_file_digests(value: Any) -> bool:
    """Whether ``value`` is a state's ``files``: file names bitext keeps, each a digest."""
    return isinstance(value, dict) and all(
        name in FILES and isinstance(digest, str) and DIGEST.fullmatch(digest)
        for name, digest in value.items())


def file_digests(text: str) -> dict[str, str] | None:
    """The ``files`` of a state whose `WRITTEN` match gave ``text``; None if not such."""
    try:
        files = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return files if are_file_digests(files) else None
