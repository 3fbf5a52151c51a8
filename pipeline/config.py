"""The publication's configuration, loaded and validated once.

Read from ``[tool.bitext]`` in the publication's ``pyproject.toml``, or from a
``bitext.toml`` beside it (which wins when both exist). Every problem is
collected and reported at once, each naming its key, as one `BitextError`.

This module holds the `Config` object (the validated values, the paths of a
publication's files, its documents), finding and reading the configuration file
(`locate_config`, `load_config`), and `validate`, which checks every table at
once: the top one (`pipeline.config_schema.TOP`: the keys, their defaults and the
secrets rule), ``check``, ``build`` and ``translate`` (each declared in its own
command's module). Each table is a `pipeline.settings_schema.Section`: every key
declared once.

Paths and document names follow the rules of `pipeline.paths`: every file bitext
reads or writes under ``source_dir``, ``locale_dir`` and ``output_dir`` is named by a
`Config` method (`source_path`, `pot_path`, `po_path`, `output_path`), and each of
them checks it (`Config.inside`, `pipeline.paths.inside`); a document name is checked
by `name_problem`.

The names of `pipeline.config_schema` and `pipeline.paths` that other modules use
are re-exported here, where they have always been imported from.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline.checks.options import CheckOptions
from pipeline.checks.settings import check_check
from pipeline.config_schema import (
    DEFAULT_PROSE_KEYS,
    FOOTNOTE_STYLES,
    SECTIONS,
    TOP,
    take_out_secrets,
)
from pipeline.errors import BitextError
from pipeline.paths import NAME_MAX, TEMP_NAME, inside, name_problem, printable, relative
from pipeline.render.options import EXTENSIONS, BuildOptions, check_build
from pipeline.settings_schema import check_section, got
from pipeline.translate_settings import TranslateSettings, check_translate

__all__ = [
    "DEFAULT_PROSE_KEYS", "FOOTNOTE_STYLES", "NAME_MAX", "SECTIONS", "TOP", "Config",
    "find_config_file", "load_config", "locate_config", "name_problem", "validate",
]

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
    allow_symlinks: bool = False
    po_wrap: int | str = "keep"
    memory: tuple[str, ...] = ()
    memory_sentences: bool = False
    config_file: Path | None = None
    check: CheckOptions = field(default_factory=CheckOptions)
    build: BuildOptions = field(default_factory=BuildOptions)
    translate: TranslateSettings = field(default_factory=TranslateSettings)
    # Folders `inside` found to be real (no link), so that the next file in them costs one
    # lstat; ``fresh=True`` (before a write) looks again.
    _real_folders: set[str] = field(default_factory=set, compare=False, repr=False)
    _folders: dict[tuple[str, ...], Path] = field(default_factory=dict, compare=False,
                                                  repr=False)

    # ``checked=False``: the path only, for a caller that checks it (`inside`) before it
    # reads the file, and only if it does (the no-op update: most files are not read).
    def source_path(self, lang: str, doc: str, *, checked: bool = True) -> Path:
        path = self._folder(self.source_dir, lang) / f"{doc}.md"
        return self.inside(path) if checked else path

    def pot_path(self, doc: str, *, checked: bool = True) -> Path:
        path = self.locale_dir / f"{doc}.pot"
        return self.inside(path) if checked else path

    def po_path(self, lang: str, doc: str, *, checked: bool = True) -> Path:
        path = self._folder(self.locale_dir, lang, "LC_MESSAGES") / f"{doc}.po"
        return self.inside(path) if checked else path

    def _folder(self, base: Path, *parts: str) -> Path:
        """``base / parts``, joined once (a no-op update asks for a thousand files' paths)."""
        key = (str(base), *parts)
        folder = self._folders.get(key)
        if folder is None:
            folder = self._folders[key] = base.joinpath(*parts)
        return folder

    def output_path(self, doc: str, name: str = "") -> Path:
        """``output/<doc>/<name>`` (the folder itself without ``name``), checked."""
        folder = self.output_dir / doc
        return self.inside(folder / name if name else folder)

    def inside(self, path: Path, *, fresh: bool = False) -> Path:
        """``path``, if bitext may read or write it; else a `BitextError` naming it.

        The rule is `pipeline.paths.inside`: nothing outside the publication, no
        symbolic link on the way unless ``allow_symlinks``, none leading out of it.
        Folders seen real before are not looked at again unless ``fresh`` (the writers
        ask for that right before they write).
        """
        return inside(self.root, path, allow_symlinks=self.allow_symlinks,
                      real_folders=self._real_folders, fresh=fresh)

    def relative(self, path: Path) -> str:
        """``path`` relative to the publication root, for messages and PO references."""
        return relative(self.root, path)

    @cached_property  # asked once a document name when the documents are listed
    def max_name_bytes(self) -> int:
        """The longest document name (UTF-8 bytes) whose every derived file name fits."""
        return NAME_MAX - max(len(name.encode("utf-8")) for name in self.derived_names(""))

    def derived_names(self, doc: str) -> list[str]:
        """Every file name bitext makes from ``doc``, temporary files included."""
        langs = (self.source_lang, *self.target_langs)
        stems = [*langs, *(f"{self.source_lang}-{lang}" for lang in self.target_langs)]
        names = [f"{doc}.md", f"{doc}.pot", f"{doc}.po", f"{doc}.sync.json",
                 *(f"{doc}.{stem}.{ext}" for stem in stems for ext in EXTENSIONS.values())]
        return names + [TEMP_NAME.format(name) for name in names]

    def check_name(self, name: str, *, path: Path | None = None) -> None:
        """Refuse a document name that breaks the rule (`name_problem`), naming its file.

        ``path``: the file the name comes from; a name typed on the command line has none.
        """
        problem = name_problem(name, self.max_name_bytes)
        if problem:
            raise BitextError(f"document name {name!r} {problem}",
                              path=None if path is None else printable(self.relative(path)))

    def list_documents(self) -> list[str]:
        """The configured documents, or every ``*.md`` in the source language folder, sorted.

        Hidden files (a leading dot: an editor's lock or backup, a Mac's ``._`` fork) are
        not documents; any other ``*.md`` whose name breaks the rule is refused, as is
        a linked file or folder (`inside`).
        """
        if self.documents:
            for doc in self.documents:
                self.source_path(self.source_lang, doc)
            return list(self.documents)
        folder = self.inside(self.source_dir / self.source_lang)
        if not folder.is_dir():
            return []
        docs = []
        for path in sorted(folder.glob("*.md")):
            if path.name.startswith("."):
                continue
            doc = path.name[: -len(".md")]
            self.check_name(doc, path=path)
            self.source_path(self.source_lang, doc)
            docs.append(doc)
        return docs

    def resolve_documents(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Validate document names given on the command line (default: all)."""
        if not names:
            return self.list_documents()
        for name in names:
            self.check_name(name)
            path = self.source_path(self.source_lang, name)
            if not path.is_file():
                raise BitextError(f"no such document {name!r}",
                                  path=printable(self.relative(path)))
        return list(names)


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


def locate_config(start: Path | str = ".") -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at ``start`` or above it, like git and ruff.

    Each folder from ``start`` up to the filesystem root is asked `find_config_file`
    (a ``pyproject.toml`` without ``[tool.bitext]`` does not count); the publication
    root is the folder of the file found. As with git's ``GIT_CEILING_DIRECTORIES``,
    the folders listed in ``BITEXT_CEILING_DIRECTORIES`` (``os.pathsep``-separated)
    and those above them are not searched unless ``start`` is one of them.
    """
    folder = Path(start).resolve()
    ceilings = {Path(p).resolve() for p in
                os.environ.get("BITEXT_CEILING_DIRECTORIES", "").split(os.pathsep) if p}
    for candidate in (folder, *folder.parents):
        if candidate in ceilings and candidate != folder:
            break
        found = find_config_file(candidate)
        if found is not None:
            return found
        if candidate in ceilings:
            break
    return None


def load_config(root: Path | str = ".") -> Config:
    """Load and validate the configuration of the publication at ``root`` or above it."""
    start = Path(root).resolve()
    found = locate_config(start)
    if found is None:
        raise BitextError(
            "no bitext configuration here or in any folder above: add [tool.bitext] to "
            "pyproject.toml or a bitext.toml (bitext init creates one)",
            path=start.as_posix(),
        )
    path, table = found
    return validate(table, root=path.parent, config_file=path)


def validate(table: dict[str, Any], *, root: Path, config_file: Path | None = None) -> Config:
    """Turn a raw config table into a `Config`, reporting every bad key of every table at once."""
    # Here, not at the top: languages are for loading a configuration, not `bitext --version`.
    from pipeline.languages import UnknownLanguage, known_tag

    where = config_file.name if config_file else "config"
    prefix = "tool.bitext." if config_file and config_file.name == "pyproject.toml" else ""
    errors, table = take_out_secrets(table, prefix)  # errors: every problem of every table
    top = check_section(TOP, table, label=lambda key: f"'{prefix}{key}'", errors=errors,
                        context={"root": root,
                                 "allow_symlinks": table.get("allow_symlinks") is True})
    defaults = Config(root=root)

    # Languages: the checked values (bad types already reported), as canonical BCP 47 tags.
    source_lang: str = top.get("source_lang", defaults.source_lang)
    target_langs = tuple(top.get("target_langs", defaults.target_langs))
    canonical = {}
    for lang in (source_lang, *target_langs):
        try:
            canonical[lang] = known_tag(lang)  # pt_BR -> pt-BR
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
    if not any(e.startswith(f"'{prefix}documents'") for e in errors):
        for doc in config.documents:
            problem = name_problem(doc, config.max_name_bytes)
            if problem:
                errors.append(f"'{prefix}documents': document name {doc!r} "
                              f"{problem}")
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    from pipeline.adapters.fs import read_text  # the one strict UTF-8 read (line, byte)

    try:
        return tomllib.loads(read_text(path, shown=path.name))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise BitextError(
            f"invalid TOML: {exc}", path=path.name, line=int(line.group(1)) if line else None
        ) from exc
