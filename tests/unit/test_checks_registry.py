"""The registry of checks, and the validation of the [tool.bitext.check] table."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import REGISTRY, register
from pipeline.checks.model import CheckOptions
from pipeline.checks.runner import levels
from pipeline.checks.settings import load_options
from pipeline.config import validate
from pipeline.errors import BitextError

# The names the README documents, plus the ones issue 4 adds: stable, kebab-case.
PROMISED = ["footnote-refs", "footnote-defs", "numbers", "dates", "urls", "markup",
            "untranslated", "fuzzy", "out-of-sync", "length", "unchanged", "glossary",
            "quotes", "brackets", "whitespace", "suppression-expired", "suppression-invalid"]


def test_every_promised_check_is_registered_with_a_summary() -> None:
    assert sorted(REGISTRY) == sorted(PROMISED)
    for spec in REGISTRY.values():
        assert spec.summary and spec.severity in ("error", "warning")


def test_a_name_registered_twice_fails_at_import() -> None:
    with pytest.raises(RuntimeError, match="'numbers' is registered twice"):
        register("numbers", severity="error")(lambda ctx: iter(()))


def test_default_severities_and_strict() -> None:
    default = levels(CheckOptions())
    assert (default["numbers"], default["untranslated"], default["fuzzy"]) == \
        ("error", "warning", "warning")
    strict = levels(CheckOptions(severity={"untranslated": "off"}), strict=True)
    assert (strict["untranslated"], strict["fuzzy"]) == ("error", "error")
    assert levels(CheckOptions(strict=True))["fuzzy"] == "error"


def pyproject_config(tmp_path: Path, check: dict[str, object]):  # type: ignore[no-untyped-def]
    return validate({"check": check}, root=tmp_path, config_file=tmp_path / "pyproject.toml")


def test_a_valid_table(tmp_path: Path) -> None:
    table = {
        "strict": True,
        "severity": {"length": "off", "numbers": "warning"},
        "glossary": "glossary.csv",
        "url_map": {"tr.wikipedia.org": "en.wikipedia.org"},
        "unchanged_allow": ["INTERPOL"],
        "length_outlier": 4,
        "ignore": [{"check": ["urls", "dates"], "reason": "archived links", "document": "art*",
                    "text": "archive\\.org"}],
    }
    options = load_options(table, pyproject_config(tmp_path, table))
    assert options.strict and options.severity == {"length": "off", "numbers": "warning"}
    assert options.url_map == (("tr.wikipedia.org", "en.wikipedia.org"),)
    assert options.ignores[0].checks == ("urls", "dates") and options.ignores[0].document == "art*"
    assert options.length_outlier == 4.0 and options.glossary_file == "glossary.csv"


def test_every_bad_key_is_named(tmp_path: Path) -> None:
    table = {
        "severty": {},
        "strict": "yes",
        "severity": {"numbrs": "error", "dates": "fatal"},
        "ignore": [{"check": "urls"}, {"check": "nope", "reason": "x"}],
        "length_outlier": -1,
    }
    with pytest.raises(BitextError) as caught:
        load_options(table, pyproject_config(tmp_path, table))
    assert caught.value.path == "pyproject.toml"
    assert str(caught.value).splitlines()[1:] == [
        "  'tool.bitext.check.severty': unknown key (known: strict, severity, ignore, glossary, "
        "url_map, unchanged_allow, length_outlier)",
        "  'tool.bitext.check.strict': expected true or false, got 'yes'",
        "  'tool.bitext.check.severity.numbrs': unknown check (known: "
        + ", ".join(REGISTRY) + ")",
        "  'tool.bitext.check.severity.dates': expected one of error, warning, off, got 'fatal'",
        "  'tool.bitext.check.ignore[0].reason': required: say why these findings do not matter",
        "  'tool.bitext.check.ignore[1].check': unknown check nope",
        "  'tool.bitext.check.length_outlier': expected a positive number, got -1",
    ]


def test_keys_in_bitext_toml_are_named_without_tool(tmp_path: Path) -> None:
    config = validate({}, root=tmp_path, config_file=tmp_path / "bitext.toml")
    with pytest.raises(BitextError, match=r"'check\.x': unknown key"):
        load_options({"x": 1}, config)
    with pytest.raises(BitextError, match=r"'check\.x': unknown key"):  # checked at load
        validate({"check": {"x": 1}}, root=tmp_path, config_file=tmp_path / "bitext.toml")
