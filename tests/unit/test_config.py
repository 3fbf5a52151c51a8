"""pipeline.config: every table declared once, validated when the configuration loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters.mt import PROVIDERS
from pipeline.checks.model import CheckOptions
from pipeline.cli import cli
from pipeline.config import (
    DEFAULT_PROSE_KEYS,
    NAME_MAX,
    Config,
    load_config,
    name_problem,
    validate,
)
from pipeline.errors import BitextError
from pipeline.render.metadata import PubDate
from pipeline.render.options import BuildOptions
from pipeline.translate_settings import PROVIDER_NAMES, TranslateSettings

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
                                        authors=("A. Yazar",), date=PubDate(2026, 11, 26),
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
    ("allow_symlinks", 1, "expected true or false, got int 1"),
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
    ("build", "date", "26.11.2026",
     "expected a date like 2021, 2021-10 or 2021-10-03, got str '26.11.2026'"),
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
    ("", "allow_symlinks, build, check, documents, footnote_style, locale_dir, memory, "
         "memory_sentences, output_dir, po_wrap, prose_keys, source_dir, source_lang, "
         "target_langs, translate"),
    ("check.", "strict, severity, ignore, glossary, url_map, unchanged_allow, length_outlier"),
    ("build.", "formats, editions, release_threshold, engine, paper, title, author, date, "
               "publisher, identifier, original, rights, cover, layout"),
    ("translate.", "provider, url, batch_size, rate_limit, timeout, retries, backoff, "
                   "memory_threshold"),
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
        "'translate.provider': expected one of libre, google, deepl, mymemory, memory, "
        "got 'bing'",
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
        "'tool.bitext.target_langs': includes the source language 'tr'",
        "'tool.bitext.check.strict': expected true or false, got 1",
        "'tool.bitext.build.paper': expected one of a4, a5, a3, b5, us-letter, us-legal, "
        "us-executive, got 'a9'",
        "'tool.bitext.translate.timeout': expected more than 0, got 0",
        "'tool.bitext.documents': document name '../x' has '/', which is not allowed (letters, "
        "digits, '.', '_', '-' and spaces; not a path)",
    ]


@pytest.mark.parametrize("value", ["..", "../elsewhere", "/tmp", "source/../../x"])
def test_folders_outside_the_publication_are_refused(value: str) -> None:
    assert problems({"output_dir": value}) == [
        f"'output_dir': {value!r} is outside the publication folder"]


def test_the_translate_table_knows_every_provider() -> None:
    assert (*PROVIDERS, "memory") == PROVIDER_NAMES  # memory: the translation memory


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


# --- document names: one rule --------------------------------------------------------------

@pytest.mark.parametrize("name", ["article", "yazı", "Çalışma_2.taslak-1", "my doc", "_draft",
                                  "日本語", "हिन्दी", "2026-11-26", "a.b"])
def test_names_publishers_use_are_documents(name: str) -> None:
    assert name_problem(name) is None
    assert load({"documents": [name]}).documents == (name,)


@pytest.mark.parametrize(("name", "why"), [
    ("", "is empty"),
    ("a/b", "has '/'"),
    ("a\\b", "has '\\\\'"),
    ("../x", "has '/'"),
    ("..", "must start with"),
    ("a..b", "'..'"),
    (".hidden", "must start with"),
    ("-x", "must start with"),
    (" doc", "must start with"),
    ("doc ", "must not end with a space"),
    ("doc.", "must not end with a space or a dot"),
    ("doc.md", "without '.md'"),
    ("a\x00b", "has '\\x00'"),
    ("a\nb", "has '\\n'"),
    ("a\tb", "has '\\t'"),
    ("a\x1b[2Jb", "has '\\x1b'"),
    ("a\u00a0b", "has '\\xa0'"),
    ("a\u202eb", "has '\\u202e'"),
    ("a:b", "has ':'"),
    ("a*b", "has '*'"),
    ("yazc\u0327", "NFC"),
    ("x" * 256, "256 bytes"),
])
def test_names_that_break_the_rule(name: str, why: str) -> None:
    problem = name_problem(name)
    assert problem is not None and why in problem, problem
    assert len(problems({"documents": [name]})) == 1


def test_the_length_limit_keeps_every_derived_name_within_255_bytes() -> None:
    config = load({"target_langs": ["en", "sr-Latn-RS"]})
    limit = config.max_name_bytes
    name = "ğ" * (limit // 2) + "x" * (limit % 2)
    assert name_problem(name, limit) is None
    names = config.derived_names(name)
    assert max(len(n.encode()) for n in names) == NAME_MAX
    assert f".{name}.sync.json.XXXXXXXX.bitext-tmp" in names
    assert f"{name}.tr-sr-Latn-RS.epub" in names
    assert name_problem(name + "x", limit) is not None
    assert load({"target_langs": ["en"]}).max_name_bytes > limit  # shorter tags, longer names


def test_the_temporary_name_is_the_one_fs_makes(tmp_path: Path) -> None:
    import tempfile

    from pipeline.adapters import fs

    made: list[str] = []
    real = tempfile.mkstemp

    def spy(**kwargs: str) -> tuple[int, str]:
        fd, name = real(**kwargs)
        made.append(Path(name).name)
        return fd, name

    tempfile.mkstemp = spy  # type: ignore[assignment]
    try:
        fs.write_atomic(tmp_path / "doc.po", "x")
    finally:
        tempfile.mkstemp = real
    template = load({}).derived_names("doc")
    assert len(made) == 1 and len(made[0]) == len(".doc.po.XXXXXXXX.bitext-tmp")
    assert ".doc.po.XXXXXXXX.bitext-tmp" in template


# --- secrets ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("table", "key", "where"), [
    ({"api_key": "s"}, "'api_key'", "LIBRE_API_KEY (libre), DEEPL_API_KEY (deepl), "
                                    "MYMEMORY_EMAIL (mymemory)"),
    ({"translate": {"provider": "deepl", "api_key": "s"}}, "'translate.api_key'",
     "DEEPL_API_KEY"),
    ({"translate": {"deepl-auth-key": "s"}}, "'translate.deepl-auth-key'", "DEEPL_API_KEY"),
    ({"translate": {"LIBRE_API_KEY": "s"}}, "'translate.LIBRE_API_KEY'", "LIBRE_API_KEY"),
    ({"translate": {"provider": "mymemory", "email": "a@b.c"}}, "'translate.email'",
     "MYMEMORY_EMAIL"),
    ({"build": {"token": "s"}}, "'build.token'", "LIBRE_API_KEY (libre), DEEPL_API_KEY"),
    ({"check": {"password": "s"}}, "'check.password'", "DEEPL_API_KEY (deepl)"),
    ({"secret": "s"}, "'secret'", "MYMEMORY_EMAIL"),
    ({"translate": {"key": "s"}}, "'translate.key'", "DEEPL_API_KEY"),
    ({"translate": {"auth_key": "s"}}, "'translate.auth_key'", "DEEPL_API_KEY"),
])
def test_a_secret_is_refused_naming_the_environment_variable(
        table: dict[str, object], key: str, where: str) -> None:
    (message,) = problems(table)
    assert message.startswith(f"{key}: secrets do not belong in the configuration")
    assert where in message and "'s'" not in message


def test_declared_keys_that_contain_key_are_no_secrets() -> None:
    assert load({"prose_keys": ["title"]}).prose_keys == ("title",)
    assert problems({"prose_key": ["title"]})[0].startswith("'prose_key': unknown key")


def test_every_provider_with_a_key_is_named() -> None:
    (message,) = problems({"api_key": "s"})
    assert all(p.key_env in message for p in PROVIDERS.values() if p.key_env)


# --- the configuration file -----------------------------------------------------------------

def test_a_config_that_is_not_utf8_names_its_line_and_byte(tmp_path: Path) -> None:
    (tmp_path / "bitext.toml").write_bytes(b'source_lang = "tr"\n\ntitle = "Yaz\xfd"\n')
    with pytest.raises(BitextError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == ("bitext.toml:3: not valid UTF-8 (byte 0xfd); save the file "
                                 "as UTF-8")
    (tmp_path / "bitext.toml").unlink()
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.bitext]\nsource_lang = "\xc3"\n')
    with pytest.raises(BitextError, match=r"^pyproject\.toml:2: not valid UTF-8 \(byte 0xc3\)"):
        load_config(tmp_path)


# --- paths: Config.inside --------------------------------------------------------------------

def publication(tmp_path: Path, extra: str = "") -> Config:
    root = tmp_path / "pub"
    (root / "source" / "tr").mkdir(parents=True)
    (root / "source" / "tr" / "doc.md").write_text("Bir.\n", encoding="utf-8")
    (root / "bitext.toml").write_text('source_lang = "tr"\n' + extra, encoding="utf-8")
    return load_config(root)


def test_every_path_helper_refuses_a_link_out(tmp_path: Path) -> None:
    config = publication(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (config.root / "locale").mkdir()
    (config.root / "locale" / "en").symlink_to(tmp_path / "elsewhere")
    (config.root / "locale" / "doc.pot").symlink_to(tmp_path / "elsewhere" / "x")
    (config.root / "output").mkdir()
    (config.root / "output" / "doc").symlink_to(tmp_path / "elsewhere")
    (config.root / "source" / "en").symlink_to("../../elsewhere")
    calls = {"locale/en/LC_MESSAGES/doc.po": lambda: config.po_path("en", "doc"),
             "locale/doc.pot": lambda: config.pot_path("doc"),
             "output/doc": lambda: config.output_path("doc"),
             "output/doc/doc.tr.html": lambda: config.output_path("doc", "doc.tr.html"),
             "source/en/doc.md": lambda: config.source_path("en", "doc")}
    for shown, call in calls.items():
        with pytest.raises(BitextError) as caught:
            call()
        assert caught.value.path == shown
        assert "outside the publication" in caught.value.message, caught.value.message
    assert config.source_path("tr", "doc") == config.root / "source" / "tr" / "doc.md"
    assert config.po_path("de", "doc").name == "doc.po"  # missing folders: nothing to follow


def test_a_link_that_stays_inside_needs_allow_symlinks(tmp_path: Path) -> None:
    config = publication(tmp_path)
    (config.root / "source" / "tr" / "copy.md").symlink_to("doc.md")
    with pytest.raises(BitextError, match="allow_symlinks = true"):
        config.list_documents()
    allowed = publication(tmp_path / "b", "allow_symlinks = true\n")
    (allowed.root / "source" / "tr" / "copy.md").symlink_to("doc.md")
    assert allowed.list_documents() == ["copy", "doc"]
    (allowed.root / "source" / "tr" / "loop.md").symlink_to("loop.md")  # resolves to itself
    with pytest.raises(BitextError, match="a loop") as caught:
        allowed.list_documents()
    assert caught.value.path == "source/tr/loop.md"


def test_a_path_given_outside_the_root_is_refused(tmp_path: Path) -> None:
    config = publication(tmp_path)
    with pytest.raises(BitextError, match="outside the publication folder"):
        config.inside(tmp_path / "x")


def test_the_search_upward_stops_at_a_ceiling(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.config import locate_config

    (tmp_path / "bitext.toml").write_text('source_lang = "tr"\n', encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    monkeypatch.setenv("BITEXT_CEILING_DIRECTORIES", "")
    found = locate_config(inner)
    assert found is not None and found[0] == tmp_path / "bitext.toml"
    monkeypatch.setenv("BITEXT_CEILING_DIRECTORIES", str(tmp_path / "a"))
    assert locate_config(inner) is None  # "a" and everything above it are not searched
    assert locate_config(tmp_path / "a") is None
    assert locate_config(tmp_path) is not None  # the start itself is always searched
