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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pipeline.checks.names import NAMES
from pipeline.checks.options import LEVELS, CheckOptions, Ignore
from pipeline.errors import BitextError
from pipeline.settings_schema import Context, Invalid, Key, Section, check_section

if TYPE_CHECKING:
    from pipeline.config import Config

IGNORE_KEYS = ("check", "reason", "document", "lang", "text")


def key_prefix(config: Config | None) -> str:
    """How messages name the table: ``tool.bitext.check.`` in pyproject, ``check.`` otherwise."""
    if config is not None and config.config_file is not None \
            and config.config_file.name == "pyproject.toml":
        return "tool.bitext.check."
    return "check."


def _strict(value: Any, context: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def _glossary(value: Any, context: Context) -> str:
    if not isinstance(value, str) or not value:
        raise Invalid(f"expected a file path, got {value!r}")
    return value


def _url_map(value: Any, context: Context) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k for k, v in value.items()
    ):
        raise Invalid(f"expected a table of URL prefixes to URL prefixes, got {value!r}")
    return tuple(sorted(value.items(), key=lambda kv: -len(kv[0])))


def _allow(value: Any, context: Context) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise Invalid(f"expected a list of strings, got {value!r}")
    return frozenset(a.strip() for a in value)


def _severity(value: Any, context: Context) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a table of check = level, got {value!r}")
    out, issues = {}, []
    for name, level in value.items():
        if name not in NAMES:
            issues.append((f".{name}", f"unknown check (known: {', '.join(NAMES)})"))
        elif level not in LEVELS:
            issues.append((f".{name}", f"expected one of {', '.join(LEVELS)}, got {level!r}"))
        else:
            out[name] = level
    if issues:
        raise Invalid(issues=issues)
    return out


def _ignores(value: Any, context: Context) -> tuple[Ignore, ...]:
    if not isinstance(value, list):
        raise Invalid("expected an array of tables ([[...check.ignore]])")
    out, issues = [], []
    for n, item in enumerate(value):
        try:
            out.append(_ignore(item))
        except Invalid as exc:
            issues += [(f"[{n}]{suffix}", message) for suffix, message in exc.issues]
    if issues:
        raise Invalid(issues=issues)
    return tuple(out)


def _ignore(item: Any) -> Ignore:
    if not isinstance(item, dict):
        raise Invalid(f"expected a table, got {item!r}")
    unknown = [k for k in item if k not in IGNORE_KEYS]
    if unknown:
        raise Invalid(issues=[(f".{unknown[0]}",
                               f"unknown key (known: {', '.join(IGNORE_KEYS)})")])
    checks = item.get("check")
    names = [checks] if isinstance(checks, str) else checks
    if not isinstance(names, list) or not names or not all(isinstance(c, str) for c in names):
        raise Invalid(issues=[(".check", "expected a check name, a list of names, or \"*\"")])
    unknown_checks = [c for c in names if c != "*" and c not in NAMES]
    if unknown_checks:
        raise Invalid(issues=[(".check", f"unknown check {', '.join(unknown_checks)}")])
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid(issues=[(".reason", "required: say why these findings do not matter")])
    globs = {k: item.get(k, "*") for k in ("document", "lang")}
    if not all(isinstance(v, str) for v in globs.values()):
        raise Invalid("document and lang must be strings (globs)")
    pattern = None
    if "text" in item:
        try:
            pattern = re.compile(item["text"])
        except (re.error, TypeError) as exc:
            raise Invalid(issues=[(".text", f"not a regular expression: {exc}")]) from exc
    return Ignore(tuple(names), reason.strip(), globs["document"], globs["lang"], pattern)


def _outlier(value: Any, context: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise Invalid(f"expected a positive number, got {value!r}")
    return float(value)


CHECK = Section((
    Key("strict", _strict, "untranslated and fuzzy are errors (a release profile)"),
    Key("severity", _severity, "per check: error, warning or off"),
    Key("ignore", _ignores, "project-wide ignores, counted as suppressed", field="ignores"),
    Key("glossary", _glossary, "the glossary file (see pipeline.checks.glossary)",
        field="glossary_file"),
    Key("url_map", _url_map, "original URL prefix -> translation URL prefix"),
    Key("unchanged_allow", _allow, "segments that may stay as they are"),
    Key("length_outlier", _outlier, "robust z-score beyond which a length ratio stands out"),
))
KEYS = CHECK.known


def check_check(table: dict[str, Any], *, label: Callable[[str], str],
                errors: list[str]) -> CheckOptions:
    """``[tool.bitext.check]`` as `CheckOptions`; problems appended to ``errors``."""
    return CheckOptions(**check_section(CHECK, table, label=label, errors=errors))


def load_options(table: dict[str, Any], config: Config | None = None) -> CheckOptions:
    """Validate the check table into `CheckOptions` (the glossary file is read by the caller).

    The configuration's own table is validated when it loads (``config.check``).
    """
    prefix = key_prefix(config)
    errors: list[str] = []
    options = check_check(table, label=lambda key: f"'{prefix}{key}'", errors=errors)
    if errors:
        where = config.config_file.name if config and config.config_file else "config"
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return options
