"""The publication's configuration, loaded and validated once.

Read from ``[tool.bitext]`` in the publication's ``pyproject.toml``, or from a
``bitext.toml`` beside it (which wins when both exist). Every problem is
collected and reported at once, each naming its key, as one `BitextError`.

Keys (all optional; defaults in brackets):

``source_lang`` ["tr"]            language of the originals
``target_langs`` [["en"]]         languages translated into
``source_dir`` ["source"]         holds ``<lang>/<doc>.md``
``locale_dir`` ["locale"]         holds ``<doc>.pot`` and ``<lang>/LC_MESSAGES/<doc>.po``
``output_dir`` ["output"]         built editions
``footnote_style`` ["arabic"]     arabic | lower-roman | upper-roman | lower-alpha |
                                  upper-alpha | label
``documents`` [[]]                document slugs; empty means every ``*.md`` in the source folder
``prose_keys`` [title, subtitle, description, abstract, summary, publication-note]
                                  front-matter keys whose values are translated
``po_wrap`` ["keep"]              width PO/POT strings are wrapped at: 79 (gettext's, Poedit's,
                                  Weblate's), 0 (not wrapped), or "keep" (each file as it is
                                  wrapped; a new file at 79)
``[tool.bitext.check]``, ``[tool.bitext.build]``, ``[tool.bitext.translate]``:
                                  tables for those commands, declared in their modules
                                  and validated here with the rest (``config.check``,
                                  ``config.build``, ``config.translate``)

Each table is a `pipeline.settings_schema.Section`: every key declared once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.checks.model import CheckOptions
from pipeline.checks.settings import check_check
from pipeline.errors import BitextError
from pipeline.languages import UnknownLanguage, language
from pipeline.render.options import BuildOptions, check_build
from pipeline.settings_schema import (
    Context,
    Invalid,
    Key,
    Section,
    check_section,
    got,
    one_of,
    strings,
    typed,
)
from pipeline.translate import TranslateSettings, check_translate

FOOTNOTE_STYLES = ("arabic", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha", "label")
DEFAULT_PROSE_KEYS = ("title", "subtitle", "description", "abstract", "summary", "publication-note")
# Tables that belong to one command each; their schemas live in that command's module
# (pipeline.checks.settings, pipeline.render.options, pipeline.translate), checked here.
SECTIONS = ("check", "build", "translate")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Config:
    """A validated publication configuration. Paths are absolute."""

    root: Path
    source_lang: str = "tr"
    target_langs: tuple[str, ...] = ("en",)
    source_dir: Path = Path("source")
    locale_dir: Path = Path("locale")
    output_dir: Path = Path("output")
    footnote_style: str = "arabic"
    documents: tuple[str, ...] = ()
    prose_keys: tuple[str, ...] = DEFAULT_PROSE_KEYS
    po_wrap: int | str = "keep"
    config_file: Path | None = None
    check: CheckOptions = field(default_factory=CheckOptions)
    build: BuildOptions = field(default_factory=BuildOptions)
    translate: TranslateSettings = field(default_factory=TranslateSettings)

    def source_path(self, lang: str, doc: str) -> Path:
        return self.source_dir / lang / f"{doc}.md"

    def pot_path(self, doc: str) -> Path:
        return self.locale_dir / f"{doc}.pot"

    def po_path(self, lang: str, doc: str) -> Path:
        return self.locale_dir / lang / "LC_MESSAGES" / f"{doc}.po"

    def relative(self, path: Path) -> str:
        """``path`` relative to the publication root, for messages and PO references."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def list_documents(self) -> list[str]:
        """The configured documents, or every ``*.md`` in the source language folder, sorted."""
        if self.documents:
            return list(self.documents)
        folder = self.source_dir / self.source_lang
        return sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []

    def resolve_documents(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Validate document names given on the command line (default: all)."""
        if not names:
            return self.list_documents()
        for name in names:
            check_slug(name)
            if not self.source_path(self.source_lang, name).is_file():
                raise BitextError(
                    f"no such document {name!r}",
                    path=self.relative(self.source_path(self.source_lang, name)),
                )
        return list(names)


def check_slug(name: str) -> None:
    """Refuse a document name that is not a plain file stem (``../x``, ``a/b``)."""
    if not _SLUG.match(name) or name.endswith(".md"):
        raise BitextError(
            f"document name {name!r} must be a plain slug (letters, digits, '.', '_', '-'), "
            "not a path"
        )


def find_config_file(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config table and the file it came from; ``bitext.toml`` wins over pyproject."""
    standalone = root / "bitext.toml"
    if standalone.is_file():
        return standalone, _read_toml(standalone)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("bitext")
        if table is not None:
            return pyproject, table
    return None


def load_config(root: Path | str = ".") -> Config:
    """Load and validate the configuration of the publication at ``root``."""
    root = Path(root).resolve()
    found = find_config_file(root)
    if found is None:
        raise BitextError(
            "no bitext configuration: add [tool.bitext] to pyproject.toml or a bitext.toml "
            "(bitext init creates one)",
            path=root.as_posix(),
        )
    path, table = found
    return validate(table, root=root, config_file=path)


def _folder(default: str) -> Key:
    def convert(value: Any, context: Context) -> Path:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {got(value)}")
        root: Path = context["root"]
        path = (root / value).resolve()
        if not path.is_relative_to(root):
            raise Invalid(f"{value!r} is outside the publication folder")
        return path
    return Key(f"{default}_dir", convert, f"folder of the {default} files", absent=default)


def _style(value: Any, context: Context) -> str:
    return str(one_of(FOOTNOTE_STYLES)(typed(str, "a string")(value, context), context))


def _documents(value: Any, context: Context) -> tuple[str, ...]:
    docs: tuple[str, ...] = strings()(value, context)
    issues = []
    for doc in docs:
        try:
            check_slug(doc)
        except BitextError as exc:
            issues.append(("", exc.message))
    if issues:
        raise Invalid(issues=issues)
    return docs


def _po_wrap(value: Any, context: Context) -> int | str:
    if value == "keep" or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value  # type: ignore[no-any-return]
    raise Invalid(f'expected "keep" or a width (79, or 0 for no wrapping), got {got(value)}')


TOP = Section((
    Key("source_lang", typed(str, "a string"), "language of the originals"),
    Key("target_langs", strings(), "languages translated into"),
    _folder("source"),
    _folder("locale"),
    _folder("output"),
    Key("footnote_style", _style, "how footnotes are numbered"),
    Key("documents", _documents, "document slugs; empty: every *.md in the source folder"),
    Key("prose_keys", strings(), "front-matter keys whose values are translated"),
    Key("po_wrap", _po_wrap, 'PO/POT line width: 79, 0 (none) or "keep" (as each file is)'),
), extra_known=SECTIONS, sort_known=True)


def validate(table: dict[str, Any], *, root: Path, config_file: Path | None = None) -> Config:
    """Turn a raw config table into a `Config`, reporting every bad key of every table at once."""
    errors: list[str] = []
    where = config_file.name if config_file else "config"
    prefix = "tool.bitext." if config_file and config_file.name == "pyproject.toml" else ""
    top = check_section(TOP, table, label=lambda key: f"'{prefix}{key}'", errors=errors,
                        context={"root": root})
    defaults = Config(root=root)

    # Languages: the checked values (bad types already reported), as canonical BCP 47 tags.
    source_lang: str = top.get("source_lang", defaults.source_lang)
    target_langs = tuple(top.get("target_langs", defaults.target_langs))
    canonical = {}
    for lang in (source_lang, *target_langs):
        try:
            canonical[lang] = language(lang).tag  # pt_BR -> pt-BR
        except UnknownLanguage as exc:
            errors.append(f"'{prefix}source_lang/target_langs': {exc.message}")
    source_lang = canonical.get(source_lang, source_lang)
    target_langs = tuple(canonical.get(lang, lang) for lang in target_langs)
    if len(set(target_langs)) < len(target_langs):
        errors.append(f"'{prefix}target_langs': names a language twice {list(target_langs)!r}")
    if source_lang in target_langs:
        errors.append(f"'{prefix}target_langs': includes the source language {source_lang!r}")
    if not target_langs:
        errors.append(f"'{prefix}target_langs': needs at least one language")
    sections: dict[str, dict[str, Any]] = {}
    for name in SECTIONS:
        value = table.get(name, {})
        if not isinstance(value, dict):
            errors.append(f"'{prefix}{name}': expected a table, got {got(value)}")
            value = {}
        sections[name] = value

    def label(section: str) -> Callable[[str], str]:
        return lambda key: f"'{prefix}{section}.{key}'"

    editions = (source_lang, *target_langs, "bilingual")
    top.update(source_lang=source_lang, target_langs=target_langs)
    config = replace(
        defaults, **top, config_file=config_file,
        check=check_check(sections["check"], label=label("check"), errors=errors),
        build=check_build(sections["build"], label=label("build"), errors=errors,
                          editions=editions),
        translate=check_translate(sections["translate"], label=label("translate"),
                                  errors=errors),
    )
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise BitextError(
            f"invalid TOML: {exc}", path=path.name, line=int(line.group(1)) if line else None
        ) from exc
    except UnicodeDecodeError as exc:
        raise BitextError("not UTF-8", path=path.name) from exc
