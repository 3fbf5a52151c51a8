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
``documents`` [[]]                document names; empty means every ``*.md`` in the source folder
``allow_symlinks`` [false]        follow symbolic links that stay inside the publication
``prose_keys`` [title, subtitle, description, abstract, summary, publication-note]
                                  front-matter keys whose values are translated
``po_wrap`` ["keep"]              width PO/POT strings are wrapped at: 79 (gettext's, Poedit's,
                                  Weblate's), 0 (not wrapped), or "keep" (each file as it is
                                  wrapped; a new file at 79)
``memory`` [[]]                   more translation memory: PO files or folders of them, TMX files
                                  (globs; relative to the publication, may lead outside it:
                                  read only), besides the publication's own PO files
``memory_sentences`` [false]      look paragraphs up in the memory sentence by sentence too
``[tool.bitext.check]``, ``[tool.bitext.build]``, ``[tool.bitext.translate]``:
                                  tables for those commands, declared in their modules
                                  and validated here with the rest (``config.check``,
                                  ``config.build``, ``config.translate``)

Each table is a `pipeline.settings_schema.Section`: every key declared once.

Paths. Every file bitext reads or writes under ``source_dir``, ``locale_dir`` and
``output_dir`` is named by a `Config` method (`source_path`, `pot_path`, `po_path`,
`output_path`), and each of them checks it (`Config.inside`): a symbolic link on the way
is refused unless ``allow_symlinks``; one that leads out of the publication always is.

Document names. One rule (`name_problem`) for a name listed from the disk, given in
``documents`` or on the command line: letters, marks and digits of any script (in
Unicode NFC), ``.``, ``_``, ``-`` and the plain space; no path, no leading dot; short
enough that every file name bitext derives from it fits in 255 bytes.

Secrets (API keys, tokens, passwords) never come from the configuration, which is
checked into version control: a key that looks like one is refused with the
environment variable to use instead.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.checks.model import CheckOptions
from pipeline.checks.settings import check_check
from pipeline.errors import BitextError
from pipeline.languages import UnknownLanguage, language
from pipeline.render.options import EXTENSIONS, BuildOptions, check_build
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
# NAME_MAX of the common file systems (ext4, APFS, NTFS in UTF-16 units, btrfs): bytes per name.
NAME_MAX = 255
# What `pipeline.adapters.fs` and `.journal` add around a file name for its temporary file:
# ``.<name>.`` + mkstemp's 8 random characters + ``.bitext-tmp`` (fs.TEMP_SUFFIX).
_TEMP_NAME = ".{}.XXXXXXXX.bitext-tmp"
# Words that make an unknown key look like a secret ("deepl-token", "email", "secret"); "key"
# does with a word that says which ("api_key", "auth_key", "deepl_key"), or alone.
_SECRET_WORDS = {"apikey", "secret", "secrets", "token", "password", "passwd", "credential",
                 "credentials", "email"}
_KEY_WORDS = {"api", "auth", "access", "private", "secret", "libre", "deepl", "mymemory",
              "google"}


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

    def source_path(self, lang: str, doc: str) -> Path:
        return self.inside(self.source_dir / lang / f"{doc}.md")

    def pot_path(self, doc: str) -> Path:
        return self.inside(self.locale_dir / f"{doc}.pot")

    def po_path(self, lang: str, doc: str) -> Path:
        return self.inside(self.locale_dir / lang / "LC_MESSAGES" / f"{doc}.po")

    def output_path(self, doc: str, name: str = "") -> Path:
        """``output/<doc>/<name>`` (the folder itself without ``name``), checked."""
        folder = self.output_dir / doc
        return self.inside(folder / name if name else folder)

    def inside(self, path: Path, *, fresh: bool = False) -> Path:
        """``path``, if bitext may read or write it; else a `BitextError` naming it.

        Refused: a path outside the publication root, and a symbolic link on the
        way from the root to it (the file or any folder above it) unless
        ``allow_symlinks``; even then, one leading out of the publication.
        Nothing is created; a missing part ends the walk (bitext creates folders,
        never links). Folders seen real before are not looked at again unless ``fresh``
        (the writers ask for that right before they write).
        """
        # Strings and os.lstat, not pathlib: every command calls this for every file.
        base, full = str(self.root), str(path)
        if not full.startswith(base + os.sep) and full != base:
            raise BitextError("is outside the publication folder",
                              path=_printable(self.relative(path)))
        parts = full[len(base) + 1:].split(os.sep) if full != base else []
        if ".." in parts:
            raise BitextError("is not a plain path inside the publication",
                              path=_printable(self.relative(path)))
        current, real = base, self._real_folders
        for number, part in enumerate(parts, start=1):
            current = f"{current}{os.sep}{part}"
            if not fresh and current in real:
                continue
            try:
                mode = os.lstat(current).st_mode
            except (FileNotFoundError, NotADirectoryError):
                break
            except OSError as exc:
                raise BitextError(f"cannot read: {exc.strerror}",
                                  path=_printable(self.relative(path))) from exc
            if stat.S_ISLNK(mode):
                self._refuse_link(path, Path(current))
            elif stat.S_ISDIR(mode) and number < len(parts):
                real.add(current)
        if self.allow_symlinks and not (_resolve(path) or self.root).is_relative_to(self.root):
            raise BitextError("leads outside the publication; bitext follows no link out of it",
                              path=_printable(self.relative(path)))
        return path

    def _refuse_link(self, path: Path, link: Path) -> None:
        """Raise for the link ``link`` on the way to ``path``, unless it may be followed."""
        shown = _printable(self.relative(path))
        what = "is a symbolic link" if link == path else \
            f"is in {_printable(self.relative(link))}, a symbolic link"
        target = _resolve(link)
        if target is None:
            raise BitextError(f"{what} that never ends (a loop)", path=shown)
        if not target.is_relative_to(self.root):
            raise BitextError(f"{what} to {_printable(str(target))}, outside the "
                              "publication; bitext follows no link out of it", path=shown)
        if not self.allow_symlinks:
            raise BitextError(f"{what}; bitext follows none unless the configuration "
                              "says allow_symlinks = true", path=shown)

    def relative(self, path: Path) -> str:
        """``path`` relative to the publication root, for messages and PO references."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def max_name_bytes(self) -> int:
        """The longest document name (UTF-8 bytes) whose every derived file name fits."""
        return NAME_MAX - max(len(name.encode("utf-8")) for name in self.derived_names(""))

    def derived_names(self, doc: str) -> list[str]:
        """Every file name bitext makes from ``doc``, temporary files included."""
        langs = (self.source_lang, *self.target_langs)
        stems = [*langs, *(f"{self.source_lang}-{lang}" for lang in self.target_langs)]
        names = [f"{doc}.md", f"{doc}.pot", f"{doc}.po", f"{doc}.sync.json",
                 *(f"{doc}.{stem}.{ext}" for stem in stems for ext in EXTENSIONS.values())]
        return names + [_TEMP_NAME.format(name) for name in names]

    def check_name(self, name: str, *, path: Path | None = None) -> None:
        """Refuse a document name that breaks the rule (`name_problem`), naming its file.

        ``path``: the file the name comes from; a name typed on the command line has none.
        """
        problem = name_problem(name, self.max_name_bytes)
        if problem:
            raise BitextError(f"document name {name!r} {problem}",
                              path=None if path is None else _printable(self.relative(path)))

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
                                  path=_printable(self.relative(path)))
        return list(names)


def name_problem(name: str, max_bytes: int = NAME_MAX) -> str | None:
    """What is wrong with a document name, or None. The one rule, for disk and command line.

    Letters, combining marks and digits of any script, ``.``, ``_``, ``-`` and the plain
    space (publishers name files after titles: "Giriş bölümü"); bitext never passes a
    name through a shell. It starts with a letter, a digit or ``_`` (not a dot: hidden;
    not ``-``: an option), does not end with a space or a dot (Windows drops them), has
    no ``..``, is in Unicode NFC (how it is typed, so the command line finds the file),
    and fits in ``max_bytes`` bytes of UTF-8.
    """
    if not name:
        return "is empty"
    for char in name:
        category = unicodedata.category(char)
        if not (category[0] in "LM" or category == "Nd" or char in "._- "):
            return (f"has {char!r}, which is not allowed (letters, digits, '.', "
                    "'_', '-' and spaces; not a path)")
    if unicodedata.normalize("NFC", name) != name:
        return "is not in Unicode NFC form (composed characters); rename the file"
    first = name[0]
    if not (unicodedata.category(first)[0] == "L" or unicodedata.category(first) == "Nd"
            or first == "_"):
        return "must start with a letter, a digit or '_'"
    if name.endswith((" ", ".")):
        return "must not end with a space or a dot"
    if ".." in name:
        return "must not contain '..'"
    if name.endswith(".md"):
        return "is a file name; give the document name without '.md'"
    size = len(name.encode("utf-8"))
    if size > max_bytes:
        return (f"is {size} bytes long in UTF-8; at most {max_bytes} bytes, so that every "
                "file made from it fits the file system's 255")
    return None


def _resolve(path: Path) -> Path | None:
    """``path`` with every link followed, or None for a loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13
        return None


def _printable(text: str) -> str:
    """``text`` with what a terminal must not be sent (control characters …) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


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
    root is the folder of the file found.
    """
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        found = find_config_file(candidate)
        if found is not None:
            return found
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


def _folder(default: str) -> Key:
    def convert(value: Any, context: Context) -> Path:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {got(value)}")
        root: Path = context["root"]
        given = root / value
        path = given.resolve()
        if not path.is_relative_to(root):
            raise Invalid(f"{value!r} is outside the publication folder")
        if not context["allow_symlinks"] and _linked(root, given):
            raise Invalid(f"{value!r} is or goes through a symbolic link; bitext follows none "
                          "unless allow_symlinks = true")
        return path
    return Key(f"{default}_dir", convert, f"folder of the {default} files", absent=default)


def _linked(root: Path, path: Path) -> bool:
    """Whether a part of ``path`` below ``root`` is a symbolic link (``..`` counts as one)."""
    current = root
    for part in path.relative_to(root).parts:
        if part == "..":
            return current.resolve() != current
        current = current / part
        if current.is_symlink():
            return True
    return False


def _style(value: Any, context: Context) -> str:
    return str(one_of(FOOTNOTE_STYLES)(typed(str, "a string")(value, context), context))


def _boolean(value: Any, context: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {got(value)}")
    return value


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
    Key("documents", strings(), "document names; empty: every *.md in the source folder"),
    Key("prose_keys", strings(), "front-matter keys whose values are translated"),
    Key("allow_symlinks", _boolean, "follow symbolic links that stay inside the publication"),
    Key("po_wrap", _po_wrap, 'PO/POT line width: 79, 0 (none) or "keep" (as each file is)'),
    Key("memory", strings(), "more translation memory: PO files or folders, TMX files (globs)"),
    Key("memory_sentences", _boolean, "look up the memory sentence by sentence too"),
), extra_known=SECTIONS, sort_known=True)


def _secrets(table: dict[str, Any], prefix: str) -> tuple[list[str], dict[str, Any]]:
    """Messages for keys that look like secrets, and ``table`` without them (every table).

    Only keys no schema declares are looked at (``prose_keys`` is no secret).
    """
    errors: list[str] = []
    sections = {name: table.get(name) for name in SECTIONS}
    known = {"": set(TOP.known)}
    provider = ""
    if isinstance(sections["translate"], dict):
        provider = str(sections["translate"].get("provider", ""))
    cleaned = dict(table)
    tables: list[tuple[str, dict[str, Any]]] = [("", table)]
    tables += [(f"{name}.", value) for name, value in sections.items() if isinstance(value, dict)]
    for where, values in tables:
        bad = [key for key in values if where or key not in known[""]]
        bad = [key for key in bad if _looks_secret(key)]
        if not bad:
            continue
        if where:
            cleaned[where[:-1]] = {k: v for k, v in values.items() if k not in bad}
        else:
            cleaned = {k: v for k, v in cleaned.items() if k not in bad}
        errors += [f"'{prefix}{where}{key}': {_secret_message(key, provider)}" for key in bad]
    return errors, cleaned


def _looks_secret(key: str) -> bool:
    words = set(re.split(r"[^a-z0-9]+", key.lower())) - {""}
    return bool(_SECRET_WORDS & words) or ("key" in words and (words == {"key"}
                                                                or bool(_KEY_WORDS & words)))


def _secret_message(key: str, provider: str) -> str:
    from pipeline.adapters.mt import PROVIDERS  # only here: it imports the MT libraries

    envs = {name: p.key_env for name, p in PROVIDERS.items() if p.key_env}
    named = [name for name in envs if name in key.lower()] or [
        name for name in envs if name == provider]
    where = envs[named[0]] if named else ", ".join(
        f"{env} ({name})" for name, env in envs.items())
    return ("secrets do not belong in the configuration, which goes into version control; "
            f"remove it and set it in the environment: {where}")


def validate(table: dict[str, Any], *, root: Path, config_file: Path | None = None) -> Config:
    """Turn a raw config table into a `Config`, reporting every bad key of every table at once."""
    where = config_file.name if config_file else "config"
    prefix = "tool.bitext." if config_file and config_file.name == "pyproject.toml" else ""
    errors, table = _secrets(table, prefix)  # errors: every problem of every table, in order
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
