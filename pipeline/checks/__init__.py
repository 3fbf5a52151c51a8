"""The drift checks: a registry of plain functions, one module per family.

A check is a function ``(context: Context) -> Iterator[Problem]`` registered
under a stable kebab-case name with its default severity::

    @register("numbers", severity="error")
    def numbers(ctx: Context) -> Iterator[Problem]:
        for unit in ctx.translated:
            ...
            yield Problem(unit, "...")

The name is what the config, ``--only``, suppressions and reports use:
retire a name, never rename it. ``scope`` says what one test case is in a
JUnit report: "translated" (each translated segment), "entry" (each
segment), or "document" (the catalog as a whole). Registering a name twice
fails at import.

Families: `footnotes`, `numbers`, `dates`, `urls`, `markup`, `states`,
`glossary`, `typography`, `suppress`. `extract` holds the locale-aware
extractors they share (and the aligner reuses).

The families are imported the first time ``REGISTRY`` is asked for (PEP 562
``__getattr__``), not when ``pipeline.checks`` is: the configuration, `bitext
status` and the command line import `pipeline.checks.model` and
`pipeline.checks.names` without paying for Babel and rapidfuzz. Every name must
be listed in `pipeline.checks.names.NAMES` (report order, whatever order the
families happen to be imported in).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.checks.names import NAMES

if TYPE_CHECKING:
    from pipeline.checks.model import Context, Problem

CheckFunction = Callable[["Context"], Iterator["Problem"]]
SCOPES = ("translated", "entry", "document")


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: name, default severity, test-case scope, function, summary."""

    name: str
    severity: str
    scope: str
    function: CheckFunction
    summary: str


# Filled by `register` as the families are imported; handed out by `__getattr__` once
# they all are, in the order of NAMES. The same dict object throughout, so that a
# family that imports it while the families load sees it complete when it runs.
_SPECS: dict[str, CheckSpec] = {}
_SEVERITIES = ("error", "warning")  # pipeline.checks.model.SEVERITIES, without importing it


def register(
    name: str, *, severity: str, scope: str = "translated"
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``name`` (see the module docstring)."""
    if severity not in _SEVERITIES or scope not in SCOPES:
        raise ValueError(f"check {name!r}: bad severity {severity!r} or scope {scope!r}")

    def decorate(function: CheckFunction) -> CheckFunction:
        if name in _SPECS:
            raise RuntimeError(f"check {name!r} is registered twice")
        if name not in NAMES:
            raise RuntimeError(f"check {name!r} is not listed in pipeline.checks.names.NAMES")
        summary = (function.__doc__ or "").strip().split("\n")[0]
        _SPECS[name] = CheckSpec(name, severity, scope, function, summary)
        return function

    return decorate


# The families register themselves on import.
FAMILIES = ("footnotes", "numbers", "dates", "urls", "markup", "states", "glossary",
            "typography", "suppress")


def __getattr__(name: str) -> Any:
    """``REGISTRY``: every check, in report order, the families imported on first use."""
    if name != "REGISTRY":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()["REGISTRY"] = _SPECS  # first, so that a family importing it does not recurse
    for family in FAMILIES:
        importlib.import_module(f"pipeline.checks.{family}")
    ordered = [(n, _SPECS[n]) for n in NAMES if n in _SPECS]
    ordered += [(n, spec) for n, spec in _SPECS.items() if n not in NAMES]
    _SPECS.clear()
    _SPECS.update(ordered)
    return _SPECS


if TYPE_CHECKING:
    REGISTRY: dict[str, CheckSpec]

__all__ = ["FAMILIES", "NAMES", "REGISTRY", "SCOPES", "CheckFunction", "CheckSpec", "register"]
