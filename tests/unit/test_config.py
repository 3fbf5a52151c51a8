"""pipeline.config: every table declared once, validated when the configuration loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.mt import PROVIDERS
from pipeline.checks.model import CheckOptions
from pipeline.cli import cli
from pipeline.config import DEFAULT_PROSE_KEYS, Config, load_config, validate
from pipeline.errors import BitextError
from pipeline.render.options import BuildOptions
from pipeline.translate import PROVIDER_NAMES, TranslateSettings

ROOT = Path("/pub")


def load(table: dict[str, object], name: str = "bitext.toml") -> Config:
    return validate(table, root=ROOT, config_file=ROOT / name)


def problems(table: dict[str, object], name: str = "bitext.toml") -> list[str]:
    """The messages, one per bad key, of the one error the table raises."""
    with pytest.raises(BitextError) as caught:
        load(table, name)
    assert caught.value.path == name
    head, *lines = str(caught.value).splitlines()
    assert head == f"{name}: invalid configuration:"
    return [line.removeprefix("  ") for line in lines]


def test_defaults() -> None:
    config = load({})
    assert (config.source_lang, config.target_langs, config.footnote_style, config.documents,
            config.prose_keys) == ("tr", ("en",), "arabic", (), DEFAULT_PROSE_KEYS)
    assert (config.source_dir, config.locale_dir, config.output_dir) == (
        ROOT / "source", ROOT / "locale", ROOT / "output")
    assert config.check == CheckOptions()
    assert config.build == BuildOptions()
    assert config.translate == TranslateSettings()


def test_every_key_is_typed_on_the_config() -> None:
    config = load({
        "source_lang": "tr", "target_langs": ["en", "de"], "source_dir": "src",
        "locale_dir": "po", "output_dir": "out/site", "footnote_style": "label",
        "documents": ["a", "b-2"], "prose_keys": ["title"],
        "check": {"strict": True, "severity": {"length": "off"}, "length_outlier": 4},
        "build": {"paper": "a5", "editions": ["de", "bilingual"], "author": "A. Yazar",
                  "date": "2026-11-26", "release_threshold": 90},
        "translate": {"provider": "deepl", "batch_size": 5, "timeout": 2.5},
    })
    assert (config.target_langs, config.source_dir, config.locale_dir, config.output_dir) == (
        ("en", "de"), ROOT / "src", ROOT / "po", ROOT / "out" / "site")
    assert (config.footnote_style, config.documents, config.prose_keys) == (
        "label", ("a", "b-2"), ("title",))
    assert config.check == CheckOptions(strict=True, severity={"length": "off"},
                                        length_outlier=4.0)
    assert config.build == BuildOptions(paper="a5", editions=("de", "bilingual"),
                                        authors=("A. Yazar",), date=dt.date(2026, 11, 26),
                                        release_threshold=90.0)
    assert config.translate == TranslateSettings(provider="deepl", batch_size=5, timeout=2.5)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("source_lang", 5, "expected a string, got int 5"),
    ("target_langs", "en", "expected a list of strings, got str 'en'"),
    ("target_langs", ["en", 3], "expected a list of strings, got list ['en', 3]"),
    ("source_dir", 1, "expected a string, got int 1"),
    ("locale_dir", ["x"], "expected a string, got list ['x']"),
    ("output_dir", True, "expected a string, got bool True"),
    ("footnote_style", 2, "expected a string, got int 2"),
    ("documents", "article", "expected a list of strings, got str 'article'"),
    ("prose_keys", [1], "expected a list of strings, got list [1]"),
    ("check", "strict", "expected a table, got str 'strict'"),
    ("build", [], "expected a table, got list []"),
    ("translate", 1, "expected a table, got int 1"),
])
def test_each_top_level_key_has_a_type(key: str, value: object, message: str) -> None:
    assert f"'tool.bitext.{key}': {message}" in problems({key: value}, "pyproject.toml")


@pytest.mark.parametrize(("section", "key", "value", "message"), [
    ("check", "strict", "yes", "expected true or false, got 'yes'"),
    ("check", "glossary", 3, "expected a file path, got 3"),
    ("check", "unchanged_allow", "X", "expected a list of strings, got 'X'"),
    ("check", "url_map", [], "expected a table of URL prefixes to URL prefixes, got []"),
    ("check", "length_outlier", True, "expected a positive number, got True"),
    ("check", "severity", "off", "expected a table of check = level, got 'off'"),
    ("check", "ignore", {}, "expected an array of tables ([[...check.ignore]])"),
    ("build", "formats", "pdf", "expected a list of strings, got str 'pdf'"),
    ("build", "release_threshold", "90", "expected a number from 0 to 100, got str '90'"),
    ("build", "title", "T", "expected a table of language = title strings, got str 'T'"),
    ("build", "author", [1], "expected a string or a list of strings, got list [1]"),
    ("build", "date", 2026, "expected an ISO date like 2026-11-26, got int 2026"),
    ("build", "publisher", 1, "expected a string, got int 1"),
    ("build", "identifier", False, "expected a string, got bool False"),
    ("translate", "url", 5, "expected an http:// or https:// URL, got 5"),
    ("translate", "batch_size", 2.0, "expected an integer, got float 2.0"),
    ("translate", "rate_limit", "1", "expected a number, got str '1'"),
    ("translate", "timeout", "soon", "expected a number, got str 'soon'"),
    ("translate", "retries", True, "expected an integer, got bool True"),
    ("translate", "backoff", -1, "expected at least 0, got -1"),
])
def test_each_section_key_has_a_type(section: str, key: str, value: object,
                                     message: str) -> None:
    assert problems({section: {key: value}}) == [f"'{section}.{key}': {message}"]


@pytest.mark.parametrize(("section", "known"), [
    ("", "build, check, documents, footnote_style, locale_dir, output_dir, po_wrap, prose_keys, "
         "source_dir, source_lang, target_langs, translate"),
    ("check.", "strict, severity, ignore, glossary, url_map, unchanged_allow, length_outlier"),
    ("build.", "formats, editions, release_threshold, engine, paper, title, author, date, "
               "publisher, identifier"),
    ("translate.", "provider, url, batch_size, rate_limit, timeout, retries, backoff"),
])
def test_unknown_keys_in_every_section(section: str, known: str) -> None:
    table: dict[str, object] = {"colour": 1}
    if section:
        table = {section.rstrip("."): table}
    assert problems(table) == [f"'{section}colour': unknown key (known: {known})"]


def test_choices() -> None:
    assert problems({"footnote_style": "greek", "build": {"paper": "a9", "engine": "tex",
                                                          "editions": ["fr"]},
                     "translate": {"provider": "bing"},
                     "check": {"severity": {"numbers": "fatal"}}}) == [
        "'footnote_style': expected one of arabic, lower-roman, upper-roman, lower-alpha, "
        "upper-alpha, label, got 'greek'",
        "'check.severity.numbers': expected one of error, warning, off, got 'fatal'",
        "'build.editions': expected items among tr, en, bilingual, got 'fr'",
        "'build.engine': expected one of typst, got 'tex'",
        "'build.paper': expected one of a4, a5, a3, b5, us-letter, us-legal, us-executive, "
        "got 'a9'",
        "'translate.provider': expected one of libre, google, deepl, mymemory, got 'bing'",
    ]


def test_editions_follow_the_configured_languages() -> None:
    assert load({"target_langs": ["de"], "build": {"editions": ["de"]}}).build.editions == ("de",)
    assert problems({"target_langs": ["de"], "build": {"editions": ["en"]}}) == [
        "'build.editions': expected items among tr, de, bilingual, got 'en'"]


def test_errors_in_every_section_are_reported_together() -> None:
    got = problems({"source_dir": 3, "target_langs": ["tr"],
                    "check": {"strict": 1}, "build": {"paper": "a9"},
                    "translate": {"timeout": 0}, "documents": ["../x"]}, "pyproject.toml")
    assert got == [
        "'tool.bitext.source_dir': expected a string, got int 3",
        "'tool.bitext.documents': document name '../x' must be a plain slug (letters, digits, "
        "'.', '_', '-'), not a path",
        "'tool.bitext.target_langs': includes the source language 'tr'",
        "'tool.bitext.check.strict': expected true or false, got 1",
        "'tool.bitext.build.paper': expected one of a4, a5, a3, b5, us-letter, us-legal, "
        "us-executive, got 'a9'",
        "'tool.bitext.translate.timeout': expected more than 0, got 0",
    ]


@pytest.mark.parametrize("value", ["..", "../elsewhere", "/tmp", "source/../../x"])
def test_folders_outside_the_publication_are_refused(value: str) -> None:
    assert problems({"output_dir": value}) == [
        f"'output_dir': {value!r} is outside the publication folder"]


def test_the_translate_table_knows_every_provider() -> None:
    assert tuple(PROVIDERS) == PROVIDER_NAMES


def test_load_config_reads_pyproject_and_prefers_bitext_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.bitext]\nsource_lang = 'tr'\n[tool.bitext.build]\npaper = 'a5'\n",
        encoding="utf-8")
    config = load_config(tmp_path)
    assert (config.config_file, config.build.paper) == (tmp_path / "pyproject.toml", "a5")
    (tmp_path / "bitext.toml").write_text("[build]\npaper = 'b9'\n", encoding="utf-8")
    with pytest.raises(BitextError, match=r"'build\.paper': expected one of .*got 'b9'"):
        load_config(tmp_path)


def test_a_bad_build_key_stops_update_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "source" / "tr").mkdir(parents=True)
    (tmp_path / "source" / "tr" / "doc.md").write_text("---\ntitle: Yazı\n---\n\nBir.\n",
                                                       encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.bitext]\nsource_lang = 'tr'\ntarget_langs = ['en']\n"
        "[tool.bitext.build]\npaper = 'a9'\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "update"])
    assert result.exit_code == 2, result.output
    assert result.output == (
        "Error: pyproject.toml: invalid configuration:\n"
        "  'tool.bitext.build.paper': expected one of a4, a5, a3, b5, us-letter, us-legal, "
        "us-executive, got 'a9'\n")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    config = tmp_path / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("a9", "a5"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "update"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "locale" / "en" / "LC_MESSAGES" / "doc.po").is_file()
