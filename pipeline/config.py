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
``[tool.bitext.check]``, ``[tool.bitext.build]``, ``[tool.bitext.translate]``:
                                  tables for those commands, validated by their modules
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import BitextError
from pipeline.languages import UnknownLanguage, language

FOOTNOTE_STYLES = ("arabic", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha", "label")
DEFAULT_PROSE_KEYS = ("title", "subtitle", "description", "abstract", "summary", "publication-note")
# Tables that belong to one command each; their keys are checked by that command's module.
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
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_file: Path | None = None

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

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})

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


def validate(table: dict[str, Any], *, root: Path, config_file: Path | None = None) -> Config:
    """Turn a raw config table into a `Config`, reporting every bad key at once."""
    errors: list[str] = []
    where = config_file.name if config_file else "config"
    prefix = "tool.bitext." if config_file and config_file.name == "pyproject.toml" else ""

    def want(key: str, kind: type, default: Any) -> Any:
        value = table.get(key, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            errors.append(
                f"'{prefix}{key}': expected {_kind_name(kind)}, got {type(value).__name__} "
                f"{value!r}"
            )
            return default
        return value

    def want_list(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = want(key, list, list(default))
        if not all(isinstance(v, str) for v in value):
            errors.append(f"'{prefix}{key}': expected a list of strings, got {value!r}")
            return default
        return tuple(value)

    known = {
        "source_lang", "target_langs", "source_dir", "locale_dir", "output_dir",
        "footnote_style", "documents", "prose_keys", *SECTIONS,
    }
    for key in table:
        if key not in known:
            errors.append(f"'{prefix}{key}': unknown key (known: {', '.join(sorted(known))})")

    source_lang = want("source_lang", str, "tr")
    target_langs = want_list("target_langs", ("en",))
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
    style = want("footnote_style", str, "arabic")
    if style not in FOOTNOTE_STYLES:
        errors.append(
            f"'{prefix}footnote_style': expected one of {', '.join(FOOTNOTE_STYLES)}, "
            f"got {style!r}"
        )
    documents = want_list("documents", ())
    for doc in documents:
        try:
            check_slug(doc)
        except BitextError as exc:
            errors.append(f"'{prefix}documents': {exc.message}")
    sections: dict[str, dict[str, Any]] = {}
    for name in SECTIONS:
        value = want(name, dict, {})
        sections[name] = value
    dirs = {key: _inside(root, want(key, str, key.removesuffix("_dir")), key, prefix, errors)
            for key in ("source_dir", "locale_dir", "output_dir")}
    config = Config(
        root=root,
        source_lang=source_lang,
        target_langs=target_langs,
        source_dir=dirs["source_dir"],
        locale_dir=dirs["locale_dir"],
        output_dir=dirs["output_dir"],
        footnote_style=style,
        documents=documents,
        prose_keys=want_list("prose_keys", DEFAULT_PROSE_KEYS),
        sections=sections,
        config_file=config_file,
    )
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return config


def _inside(root: Path, value: str, key: str, prefix: str, errors: list[str]) -> Path:
    """A folder setting, which must stay inside the publication."""
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        errors.append(f"'{prefix}{key}': {value!r} is outside the publication folder")
        return root / key.removesuffix("_dir")
    return path


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


def _kind_name(kind: type) -> str:
    return {str: "a string", list: "a list", dict: "a table", int: "an integer",
            bool: "true or false", float: "a number"}.get(kind, kind.__name__)
