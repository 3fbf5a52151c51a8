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
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.checks.model import SEVERITIES, Context, Problem

CheckFunction = Callable[[Context], Iterator[Problem]]
SCOPES = ("translated", "entry", "document")


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: name, default severity, test-case scope, function, summary."""

    name: str
    severity: str
    scope: str
    function: CheckFunction
    summary: str


REGISTRY: dict[str, CheckSpec] = {}


def register(
    name: str, *, severity: str, scope: str = "translated"
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``name`` (see the module docstring)."""
    if severity not in SEVERITIES or scope not in SCOPES:
        raise ValueError(f"check {name!r}: bad severity {severity!r} or scope {scope!r}")

    def decorate(function: CheckFunction) -> CheckFunction:
        if name in REGISTRY:
            raise RuntimeError(f"check {name!r} is registered twice")
        summary = (function.__doc__ or "").strip().split("\n")[0]
        REGISTRY[name] = CheckSpec(name, severity, scope, function, summary)
        return function

    return decorate


# The families register themselves on import; this order is the report order.
FAMILIES = ("footnotes", "numbers", "dates", "urls", "markup", "states", "glossary",
            "typography", "suppress")
for _family in FAMILIES:
    importlib.import_module(f"pipeline.checks.{_family}")

__all__ = ["FAMILIES", "REGISTRY", "SCOPES", "CheckFunction", "CheckSpec", "register"]
