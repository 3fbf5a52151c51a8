"""The ``[tool.bitext.check]`` table (or ``[check]`` in bitext.toml), validated.

Keys (all optional)::

    [tool.bitext.check]
    strict = false                  # untranslated and fuzzy are errors (a release profile)
    glossary = "glossary.csv"       # see pipeline.checks.glossary
    unchanged_allow = ["INTERPOL"]  # segments that may stay as they are
    length_outlier = 3.5            # robust z-score beyond which a length ratio stands out

    [tool.bitext.check.severity]    # per check: "error", "warning" or "off"
    length = "off"
    numbers = "warning"

    [tool.bitext.check.url_map]     # original URL prefix -> translation URL prefix
    "tr.wikipedia.org" = "en.wikipedia.org"

    [[tool.bitext.check.ignore]]    # project-wide ignores, counted as suppressed
    check = "urls"                  # a name, a list of names, or "*"
    reason = "the archive links differ by design"   # required
    document = "article"            # glob, default "*"
    lang = "en"                     # glob, default "*"
    text = "web\\.archive\\.org"      # regex searched in the original segment

Every problem is reported at once, each naming its key, as one `BitextError`.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.checks import REGISTRY
from pipeline.checks.model import LEVELS, CheckOptions, Ignore
from pipeline.config import Config
from pipeline.errors import BitextError

KEYS = ("strict", "severity", "ignore", "glossary", "url_map", "unchanged_allow",
        "length_outlier")
IGNORE_KEYS = ("check", "reason", "document", "lang", "text")


def key_prefix(config: Config | None) -> str:
    """How messages name the table: ``tool.bitext.check.`` in pyproject, ``check.`` otherwise."""
    if config is not None and config.config_file is not None \
            and config.config_file.name == "pyproject.toml":
        return "tool.bitext.check."
    return "check."


def load_options(table: dict[str, Any], config: Config | None = None) -> CheckOptions:
    """Validate the check table into `CheckOptions` (the glossary file is read by the caller)."""
    prefix = key_prefix(config)
    errors: list[str] = []

    def bad(key: str, message: str) -> None:
        errors.append(f"'{prefix}{key}': {message}")

    for key in table:
        if key not in KEYS:
            bad(key, f"unknown key (known: {', '.join(KEYS)})")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        bad("strict", f"expected true or false, got {strict!r}")
        strict = False
    severity = _severity(table.get("severity", {}), bad)
    ignores = _ignores(table.get("ignore", []), bad)
    glossary = table.get("glossary")
    if glossary is not None and (not isinstance(glossary, str) or not glossary):
        bad("glossary", f"expected a file path, got {glossary!r}")
        glossary = None
    url_map = table.get("url_map", {})
    if not isinstance(url_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k for k, v in url_map.items()
    ):
        bad("url_map", f"expected a table of URL prefixes to URL prefixes, got {url_map!r}")
        url_map = {}
    allow = table.get("unchanged_allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        bad("unchanged_allow", f"expected a list of strings, got {allow!r}")
        allow = []
    outlier = table.get("length_outlier", 3.5)
    if isinstance(outlier, bool) or not isinstance(outlier, int | float) or outlier <= 0:
        bad("length_outlier", f"expected a positive number, got {outlier!r}")
        outlier = 3.5
    if errors:
        where = config.config_file.name if config and config.config_file else "config"
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return CheckOptions(
        strict=strict,
        severity=severity,
        ignores=ignores,
        glossary_file=glossary,
        url_map=tuple(sorted(url_map.items(), key=lambda kv: -len(kv[0]))),
        unchanged_allow=frozenset(a.strip() for a in allow),
        length_outlier=float(outlier),
    )


def _severity(value: Any, bad: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        bad("severity", f"expected a table of check = level, got {value!r}")
        return {}
    out = {}
    for name, level in value.items():
        if name not in REGISTRY:
            bad(f"severity.{name}", f"unknown check (known: {', '.join(REGISTRY)})")
        elif level not in LEVELS:
            bad(f"severity.{name}", f"expected one of {', '.join(LEVELS)}, got {level!r}")
        else:
            out[name] = level
    return out


def _ignores(value: Any, bad: Any) -> tuple[Ignore, ...]:
    if not isinstance(value, list):
        bad("ignore", "expected an array of tables ([[...check.ignore]])")
        return ()
    out = []
    for n, item in enumerate(value):
        key = f"ignore[{n}]"
        if not isinstance(item, dict):
            bad(key, f"expected a table, got {item!r}")
            continue
        unknown = [k for k in item if k not in IGNORE_KEYS]
        if unknown:
            bad(f"{key}.{unknown[0]}", f"unknown key (known: {', '.join(IGNORE_KEYS)})")
            continue
        checks = item.get("check")
        names = [checks] if isinstance(checks, str) else checks
        if not isinstance(names, list) or not names or not all(isinstance(c, str) for c in names):
            bad(f"{key}.check", "expected a check name, a list of names, or \"*\"")
            continue
        unknown_checks = [c for c in names if c != "*" and c not in REGISTRY]
        if unknown_checks:
            bad(f"{key}.check", f"unknown check {', '.join(unknown_checks)}")
            continue
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            bad(f"{key}.reason", "required: say why these findings do not matter")
            continue
        strings = {k: item.get(k, "*") for k in ("document", "lang")}
        if not all(isinstance(v, str) for v in strings.values()):
            bad(key, "document and lang must be strings (globs)")
            continue
        pattern = None
        if "text" in item:
            try:
                pattern = re.compile(item["text"])
            except (re.error, TypeError) as exc:
                bad(f"{key}.text", f"not a regular expression: {exc}")
                continue
        out.append(Ignore(tuple(names), reason.strip(), strings["document"], strings["lang"],
                          pattern))
    return tuple(out)
