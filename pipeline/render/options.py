"""``[tool.bitext.build]``: the build's settings, validated once, every error reported.

=====================  ==========================  =========================================
key                    default                     meaning
=====================  ==========================  =========================================
``formats``            ``["html", "epub", "pdf"]``  formats built when ``--to`` is not given
``editions``           all                          editions built when ``--edition`` is not
                                                    given: language codes and ``"bilingual"``
``release_threshold``  ``100``                      ``--release`` refuses a translation whose
                                                    translated share (reviewed segments, in
                                                    percent) is below this
``engine``             ``"typst"``                  PDF engine (typst is the only one)
``paper``              ``"a4"``                     PDF paper: a4, a5, us-letter, …
``title``              ``{}``                       per-language title override:
                                                    ``title = { en = "…" }``
``author``             ``[]``                       author name(s), a string or a list; the
                                                    front matter's ``author`` otherwise
``date``               the build date               ISO date shown (``2026-11-26``) and used
                                                    for reproducible files; the front
                                                    matter's ``date`` wins over the build date
``publisher``          ``""``                       EPUB publisher
``identifier``         ``"bitext"``                 seed of each EPUB's fixed identifier
=====================  ==========================  =========================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pipeline.config import Config
from pipeline.errors import BitextError

EDITION_FORMATS = ("html", "epub", "pdf")
EXTENSIONS = {"html": "html", "epub": "epub", "pdf": "pdf"}
PAPERS = ("a4", "a5", "a3", "b5", "us-letter", "us-legal", "us-executive")
ENGINES = ("typst",)


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = EDITION_FORMATS
    editions: tuple[str, ...] = ()
    release_threshold: float = 100.0
    engine: str = "typst"
    paper: str = "a4"
    title: dict[str, str] = field(default_factory=dict)
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    publisher: str = ""
    identifier: str = "bitext"

    def fingerprint(self) -> str:
        """Everything here that changes an output, as text, for the build cache."""
        return repr((self.engine, self.paper, sorted(self.title.items()), self.authors,
                     self.date, self.publisher, self.identifier))


def edition_names(config: Config) -> tuple[str, ...]:
    return (config.source_lang, *config.target_langs, "bilingual")


def build_options(config: Config) -> BuildOptions:
    """Validate ``[tool.bitext.build]`` (every bad key reported at once)."""
    table: dict[str, Any] = config.section("build")
    is_pyproject = config.config_file is not None and config.config_file.name == "pyproject.toml"
    prefix = "tool.bitext.build." if is_pyproject else "build."
    where = config.config_file.name if config.config_file else "config"
    errors: list[str] = []

    def bad(key: str, expected: str, value: Any) -> None:
        errors.append(f"'{prefix}{key}': expected {expected}, got {type(value).__name__} "
                      f"{value!r}")

    known = ("formats", "editions", "release_threshold", "engine", "paper", "title", "author",
             "date", "publisher", "identifier")
    for key in table:
        if key not in known:
            errors.append(f"'{prefix}{key}': unknown key (known: {', '.join(known)})")
    values: dict[str, Any] = {}
    for key, choices in (("formats", EDITION_FORMATS), ("editions", edition_names(config))):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(key, "a list of strings", value)
        elif unknown := [v for v in value if v not in choices]:
            errors.append(f"'{prefix}{key}': expected items among {', '.join(choices)}, "
                          f"got {unknown[0]!r}")
        else:
            values[key] = tuple(value)
    threshold = table.get("release_threshold", 100)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 0 <= threshold <= 100:
        bad("release_threshold", "a number from 0 to 100", threshold)
    else:
        values["release_threshold"] = float(threshold)
    for key, choices in (("engine", ENGINES), ("paper", PAPERS)):
        value = table.get(key)
        if value is not None and value not in choices:
            errors.append(f"'{prefix}{key}': expected one of {', '.join(choices)}, "
                          f"got {value!r}")
        elif value is not None:
            values[key] = value
    title = table.get("title", {})
    if not isinstance(title, dict) or not all(isinstance(v, str) for v in title.values()):
        bad("title", "a table of language = title strings", title)
    else:
        values["title"] = dict(title)
    author = table.get("author", [])
    author = [author] if isinstance(author, str) else author
    if not isinstance(author, list) or not all(isinstance(a, str) for a in author):
        bad("author", "a string or a list of strings", author)
    else:
        values["authors"] = tuple(author)
    date = table.get("date")
    if isinstance(date, dt.datetime):
        values["date"] = date.date()
    elif isinstance(date, dt.date):
        values["date"] = date
    elif isinstance(date, str):
        try:
            values["date"] = dt.date.fromisoformat(date)
        except ValueError:
            bad("date", "an ISO date like 2026-11-26", date)
    elif date is not None:
        bad("date", "an ISO date like 2026-11-26", date)
    for key in ("publisher", "identifier"):
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            bad(key, "a string", value)
        elif value is not None:
            values[key] = value
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return BuildOptions(**values)


def parse_list(value: str | None, choices: tuple[str, ...], what: str) -> tuple[str, ...] | None:
    """A comma-separated command-line list, checked against ``choices`` (None: not given)."""
    if value is None:
        return None
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in items if v not in choices]
    if unknown or not items:
        raise BitextError(f"{what}: expected a comma-separated list of {', '.join(choices)}, "
                          f"got {value!r}")
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class Edition:
    """One edition of a document: its name (a language or "bilingual") and languages."""

    doc: str
    name: str
    langs: tuple[str, ...]

    @property
    def stem(self) -> str:
        return f"{self.doc}.{'-'.join(self.langs)}"

    @property
    def bilingual(self) -> bool:
        return len(self.langs) == 2

    def filename(self, fmt: str) -> str:
        return f"{self.stem}.{EXTENSIONS[fmt]}"


def editions_for(doc: str, source_lang: str, target_langs: tuple[str, ...],
                 wanted: tuple[str, ...]) -> list[Edition]:
    """The editions of ``doc`` among ``wanted`` (languages, "bilingual": one per target)."""
    out: list[Edition] = []
    for name in wanted:
        if name == "bilingual":
            out.extend(Edition(doc, name, (source_lang, t)) for t in target_langs)
        else:
            out.append(Edition(doc, name, (name,)))
    return out
