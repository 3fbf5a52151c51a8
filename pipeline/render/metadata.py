"""Publication metadata: date, authors, publisher, the original's first publication, rights.

One shape, `Metadata`, read from two places: the original's YAML front matter
(`front_metadata`, with the line of a bad value) and ``[tool.bitext.build]``
(`pipeline.render.options`, through the same converters). `resolve` merges
them: the front matter wins, key by key; the date falls back to the last
commit that touched the original (given by the caller: `pipeline.adapters.git`),
and never to the day of the build, so an edition rebuilds to the same bytes on
another day. Pure: no I/O.

A date keeps its precision (`PubDate`): ``2021`` is printed as the year,
``2021-10`` as CLDR's month and year (``Ekim 2021``, ``October 2021``),
``2021-10-03`` as CLDR's long date; the EPUB's ``dc:date`` is the same
precision in W3C form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from pipeline.errors import BitextError
from pipeline.languages import known
from pipeline.render.ast import SPACE, Node, attr, link, text, words

_KEY_LINE = re.compile(r"^[\"']?(?:date|author|publisher|original|rights)[\"']?\s*:", re.M)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ORIGINAL_KEYS = ("title", "publisher", "url", "date")


@dataclass(frozen=True)
class PubDate:
    """A date as precise as its author gave it: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """W3C date-time format at this precision: ``2021``, ``2021-10``, ``2021-10-03``."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    def first_day(self) -> dt.date:
        """The first day this date covers (what a format that wants a full date gets)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def text(self, lang: str) -> str:
        """The date as a reader of ``lang`` writes it (Babel: ``Ekim 2021``, ``October 2021``)."""
        from babel.dates import format_date, format_skeleton  # slow to import: when needed

        found = known(lang)
        locale = found.locale if found else lang.replace("-", "_")
        try:
            if self.day:
                return format_date(self.first_day(), format="long", locale=locale)
            if self.month:
                return format_skeleton("yMMMM", self.first_day(), locale=locale)
        except (ValueError, LookupError):  # a language CLDR does not know: ISO form
            return self.iso()
        return str(self.year)


@dataclass(frozen=True)
class Original:
    """The first publication of the text (front matter ``original:``)."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    date: PubDate | None = None

    def __bool__(self) -> bool:
        return bool(self.title or self.publisher or self.url or self.date)


@dataclass(frozen=True)
class Metadata:
    """What an edition says about its publication (every field optional)."""

    date: PubDate | None = None
    authors: tuple[str, ...] = ()
    publisher: str = ""
    original: Original = Original()
    rights: str = ""


def _got(value: Any) -> str:
    """``int 5``: how a bad value is shown (as `pipeline.settings_schema.got` shows it)."""
    return f"{type(value).__name__} {value!r}"


def parse_pub_date(value: Any) -> PubDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (YAML/TOML may give a date); ValueError else."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PubDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PubDate(value)  # YAML reads an unquoted 2021 as a number
    if isinstance(value, str) and (m := _DATE.match(value.strip())):
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"no such date: {value!r}") from exc
        return PubDate(year, month, day)
    raise ValueError(f"expected a date like 2021, 2021-10 or 2021-10-03, got {_got(value)}")


def parse_authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise ValueError(f"expected a name or a list of names, got {_got(value)}")


def parse_text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    raise ValueError(f"expected a string, got {_got(value)}")


def parse_original(value: Any) -> Original:
    """``{title, publisher, url, date}``, each optional; ValueError for anything else."""
    if not isinstance(value, dict):
        raise ValueError("expected a table with title, publisher, url and/or date, "
                         f"got {_got(value)}")
    unknown = sorted(str(k) for k in value if k not in ORIGINAL_KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: {', '.join(ORIGINAL_KEYS)})")
    fields: dict[str, Any] = {}
    for key in ("title", "publisher", "url"):
        if key in value:
            try:
                fields[key] = parse_text(value[key])
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
    url = fields.get("url", "")
    if url and not re.match(r"^https?://[^\s<>\"]+$", url):
        raise ValueError(f"url: expected an http or https address, got {url!r}")
    if "date" in value:
        try:
            fields["date"] = parse_pub_date(value["date"])
        except ValueError as exc:
            raise ValueError(f"date: {exc}") from None
    return Original(**fields)


_PARSERS = {"date": parse_pub_date, "author": parse_authors, "publisher": parse_text,
            "original": parse_original, "rights": parse_text}
_FIELDS = {"author": "authors"}


def front_metadata(text: str, *, path: str) -> tuple[Metadata, frozenset[str]]:
    """The metadata in the front matter of ``text`` and the keys it gives.

    A bad value raises `BitextError` with ``path`` and its line. The front matter has
    already been checked by the segment parser (size, aliases, depth), so it composes.
    """
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Metadata(), frozenset()
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")),
               None)
    if end is None:
        return Metadata(), frozenset()
    source = "\n".join(lines[1:end])
    if not _KEY_LINE.search(source):  # nothing of ours: no YAML work (a no-op build reads all)
        return Metadata(), frozenset()
    import yaml  # only a front matter with our keys needs it (config loading imports us)

    try:
        # libyaml when the wheel has it; its nodes carry the same positions
        root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:  # pragma: no cover - the segment parser refused it first
        raise BitextError(f"broken YAML front matter: {exc}", path=path, line=2) from exc
    if not isinstance(root, yaml.MappingNode):
        return Metadata(), frozenset()
    fields: dict[str, Any] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if key not in _PARSERS:
            continue
        try:
            # YAML makes a date of 2021-02-30 and fails: the value is then its text
            value = yaml.constructor.SafeConstructor().construct_object(value_node, deep=True)
        except ValueError:
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
        if value is None:
            continue
        try:
            fields[_FIELDS.get(key, key)] = _PARSERS[key](value)
        except ValueError as exc:
            raise BitextError(f"front matter {key}: {exc}", path=path,
                              line=value_node.start_mark.line + 2) from None
    return Metadata(**fields), frozenset(fields)


def resolve(front: Metadata, given: frozenset[str], config: Metadata,
            commit_date: PubDate | None = None) -> Metadata:
    """The front matter's values, the config's where the front matter gives none; the date
    then falls back to ``commit_date`` (the original's last commit), else none."""
    merged = replace(
        front,
        date=front.date if "date" in given else config.date,
        authors=front.authors if "authors" in given else config.authors,
        publisher=front.publisher if "publisher" in given else config.publisher,
        original=front.original if "original" in given else config.original,
        rights=front.rights if "rights" in given else config.rights,
    )
    if merged.date is None and commit_date is not None:
        merged = replace(merged, date=commit_date)
    return merged


def original_inlines(original: Original, lang: str, lead: str) -> list[Node]:
    """"First published in Perspektif, October 2021": ``lead`` (the language's words), then
    the original's title (emphasised), publisher and date; the title, or else the publisher,
    links to the original's address. Nothing when there is no original."""
    parts: list[list[Node]] = []
    if original.title:
        parts.append([{"t": "Emph", "c": words(original.title)}])
    if original.publisher:
        parts.append(words(original.publisher))
    if original.url:
        if not parts:
            parts.append(words(original.url))
        parts[0] = [link(attr(""), parts[0], original.url)]
    if original.date:
        parts.append(words(original.date.text(lang)))
    if not parts:
        return []
    out: list[Node] = [*words(lead), dict(SPACE)]
    for k, part in enumerate(parts):
        out += ([text(","), dict(SPACE)] if k else []) + part
    return out


def fingerprint(meta: Metadata) -> str:
    """The metadata as text, for the build cache."""
    return repr(meta)
