"""``[tool.bitext.translate]``: the machine-translation settings, declared once. Pure.

`TRANSLATE` is the table's `pipeline.settings_schema.Section`; `check_translate` is
what `pipeline.config.validate` calls; `with_overrides` applies the command line's
options (``--provider``, ``--url``, ``--batch-size``) on top.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from pipeline.errors import BitextError
from pipeline.settings_schema import (
    Context,
    Convert,
    Invalid,
    Key,
    Section,
    check_section,
    got,
    one_of,
)


@dataclass(frozen=True)
class TranslateSettings:
    """``[tool.bitext.translate]``, with the command-line options applied.

    ``rate_limit`` None means the provider's default (see `pipeline.adapters.mt`).
    """

    provider: str = "libre"
    url: str | None = None
    batch_size: int = 20
    rate_limit: float | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    memory_threshold: float = 75.0  # --provider memory: lowest fuzzy score (0..100) taken


# The providers `pipeline.adapters.mt` knows (its PROVIDERS), named here so the
# configuration can be checked without loading the translation clients.
PROVIDER_NAMES = ("libre", "google", "deepl", "mymemory", "memory")
# Not a machine translator: the publication's translation memory (pipeline.memory).
MEMORY_PROVIDER = "memory"


def _number(*, integer: bool = False, above: bool = False, minimum: float = 0) -> Convert:
    def convert(value: Any, context: Context) -> Any:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            what = "an integer" if integer else "a number"
            raise Invalid(f"expected {what}, got {got(value)}")
        if value < minimum or (above and value == minimum):
            bound = f"more than {minimum:g}" if above else f"at least {minimum:g}"
            raise Invalid(f"expected {bound}, got {value!r}")
        return value
    return convert


def _percent(value: Any, context: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise Invalid(f"expected a number from 0 to 100, got {got(value)}")
    return float(value)


def _url(value: Any, context: Context) -> str:
    if not (isinstance(value, str) and re.match(r"https?://[^\s/]+\S*$", value)):
        raise Invalid(f"expected an http:// or https:// URL, got {value!r}")
    return value


def _key_hint(key: str) -> str:
    return (" (API keys are read from the environment, never from the repository)"
            if "key" in key.lower() else "")


TRANSLATE = Section((
    Key("provider", one_of(lambda context: tuple(context["providers"])), "machine translator"),
    Key("url", _url, "the provider's server (needed for libre)"),
    Key("batch_size", _number(integer=True, minimum=1), "segments sent per request"),
    Key("rate_limit", _number(), "requests per second; the provider's default otherwise"),
    Key("timeout", _number(above=True), "seconds to wait for an answer"),
    Key("retries", _number(integer=True), "tries again after a failed request"),
    Key("backoff", _number(), "seconds before the first retry, doubled each time"),
    Key("memory_threshold", _percent, "provider memory: lowest similarity taken, 0..100"),
), unknown_hint=_key_hint)
SETTING_KEYS = TRANSLATE.known


def check_translate(table: Mapping[str, object], *, label: Callable[[str], str],
                    errors: list[str], providers: Iterable[str] = PROVIDER_NAMES,
                    base: TranslateSettings | None = None) -> TranslateSettings:
    """The translate table as `TranslateSettings` (over ``base``); problems go to ``errors``."""
    values = check_section(TRANSLATE, table, label=label, errors=errors,
                           context={"providers": tuple(providers)})
    return replace(base or TranslateSettings(), **values)


def read_settings(
    table: dict[str, object], *, prefix: str, where: str, providers: Iterable[str],
    overrides: dict[str, object] | None = None,
) -> TranslateSettings:
    """Validate the translate table and the options given on the command line (which win).

    Every problem is reported at once, each with its key (``'tool.bitext.translate.url'``)
    or option (``--url``), as one `BitextError` naming the config file.
    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    errors: list[str] = []
    settings = check_translate({**table, **given}, label=_naming(prefix, given), errors=errors,
                               providers=providers)
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return settings


def with_overrides(settings: TranslateSettings, overrides: dict[str, object], *,
                   providers: Iterable[str], where: str) -> TranslateSettings:
    """``settings`` (validated with the configuration) with the command-line options applied."""
    given = {k: v for k, v in overrides.items() if v is not None}
    errors: list[str] = []
    settings = check_translate(given, label=_naming("", given), errors=errors,
                               providers=providers, base=settings)
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return settings


def _naming(prefix: str, given: Mapping[str, object]) -> Callable[[str], str]:
    def name(key: str) -> str:
        return f"--{key.replace('_', '-')}" if key in given else f"'{prefix}{key}'"
    return name
