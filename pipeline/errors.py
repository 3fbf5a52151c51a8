"""The one exception type for bad input.

Findings (check results, merge conflicts) are results, not exceptions. A
`BitextError` means the run cannot go on: the CLI prints it once, as
``path:line: message``, and exits with status 2 without writing anything.
"""

from __future__ import annotations

from pathlib import Path


class BitextError(Exception):
    """Bad input or usage, reported as ``path:line: message``."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps path and line when the error crosses a process boundary (parallel update).
        return (_rebuild, (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.message


class DamagedState(BitextError):
    """A sync state file that is not what `pipeline.sync.render_state` writes (`update`
    rebuilds it). Here, not in `pipeline.sync`, so the no-op update can catch it without
    importing the sync machinery."""


def _rebuild(message: str, path: str | None, line: int | None) -> BitextError:
    return BitextError(message, path=path, line=line)
