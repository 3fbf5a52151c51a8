"""The validated ``[tool.bitext.check]`` table: `CheckOptions` and what it holds.

Pure data, no I/O. Apart from `pipeline.checks.model` (which re-exports it) because
every command loads a configuration and so imports this; the checks' own data
(`Context`, `Finding`, ...) is imported only by what checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEVERITIES = ("error", "warning")
LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Term:
    """A glossary line: an original term, its accepted and its forbidden translations.

    Patterns: plain words; a trailing ``*`` allows any ending (``mülteci*``).
    An empty ``source`` makes the forbidden translations forbidden everywhere.
    """

    source: str
    targets: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Ignore:
    """A project-wide ignore from the config: which findings it silences, and why."""

    checks: tuple[str, ...]
    reason: str
    document: str = "*"  # a glob on the document name
    lang: str = "*"
    text: re.Pattern[str] | None = None  # searched in the original segment


@dataclass(frozen=True)
class CheckOptions:
    """The validated ``[tool.bitext.check]`` table (see `pipeline.checks.settings`)."""

    strict: bool = False
    severity: dict[str, str] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()
    glossary_file: str | None = None
    glossary: tuple[Term, ...] = ()
    url_map: tuple[tuple[str, str], ...] = ()
    unchanged_allow: frozenset[str] = frozenset()
    length_outlier: float = 3.5
