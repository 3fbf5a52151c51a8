"""Declarative settings: each table's keys declared once, checked in one pass. Pure.

A `Section` lists its `Key`\\ s in order; each key names its TOML key, the
field of the section's dataclass it fills, a converter and a one-line doc.
The default is the dataclass field's own default (declared once, there).
A converter takes the raw TOML value and a context (values the checks need
from elsewhere: the publication root, the editions) and returns the typed
value, or raises `Invalid` with the message shown after the key's name::

    'tool.bitext.build.paper': expected one of a4, a5, …, got 'a9'

`check_section` reports every unknown key and every bad value of a table
into one error list, so a caller can collect all sections before raising.
The converters below are the common shapes; a section adds its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Context = Mapping[str, Any]
Convert = Callable[[Any, Context], Any]


class Invalid(Exception):
    """A bad value: ``issues`` are (key suffix, message) pairs, ``""`` for the key itself."""

    def __init__(self, message: str = "", *, issues: Sequence[tuple[str, str]] = ()):
        super().__init__(message)
        self.issues = list(issues) or [("", message)]


@dataclass(frozen=True)
class Key:
    """One setting: TOML ``name``, converter, doc; ``field`` when it differs from ``name``.

    ``absent``: a raw value converted when the key is not given (for defaults that
    depend on the context, like folders under the publication root); otherwise an
    absent key leaves the dataclass default.
    """

    name: str
    convert: Convert
    doc: str
    field: str = ""
    absent: Any = None

    @property
    def attr(self) -> str:
        return self.field or self.name


def _no_hint(key: str) -> str:
    return ""


@dataclass(frozen=True)
class Section:
    """A table of settings: its keys in report order, and how unknown keys are named."""

    keys: tuple[Key, ...]
    extra_known: tuple[str, ...] = ()  # keys handled elsewhere (the command tables)
    sort_known: bool = False
    unknown_hint: Callable[[str], str] = _no_hint  # what to add after "unknown key"

    @property
    def known(self) -> tuple[str, ...]:
        names = (*(k.name for k in self.keys), *self.extra_known)
        return tuple(sorted(names)) if self.sort_known else names


def check_section(section: Section, table: Mapping[str, Any], *, label: Callable[[str], str],
                  errors: list[str], context: Context | None = None) -> dict[str, Any]:
    """The converted values of ``table`` by field name; every problem appended to ``errors``.

    ``label(key)`` names a key in messages (``'tool.bitext.build.paper'``). A bad or
    absent key is left out, so the dataclass default applies.
    """
    context = context or {}
    known = section.known
    for name in table:
        if name not in known:
            errors.append(f"{label(name)}: unknown key{section.unknown_hint(name)} "
                          f"(known: {', '.join(known)})")
    values: dict[str, Any] = {}
    for key in section.keys:
        if key.name in table:
            raw = table[key.name]
        elif key.absent is not None:
            raw = key.absent
        else:
            continue
        try:
            values[key.attr] = key.convert(raw, context)
        except Invalid as exc:
            errors.extend(f"{label(key.name + suffix)}: {message}"
                          for suffix, message in exc.issues)
    return values


# --- common converters ---------------------------------------------------------------------

def got(value: Any) -> str:
    """``int 5``: how a bad value is shown after "got"."""
    return f"{type(value).__name__} {value!r}"


def typed(kind: type, what: str) -> Convert:
    """A value of ``kind`` (a bool is no integer), else "expected <what>, got <type> <value>"."""
    def convert(value: Any, context: Context) -> Any:
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise Invalid(f"expected {what}, got {got(value)}")
        return value
    return convert


def one_of(choices: Sequence[str] | Callable[[Context], Sequence[str]]) -> Convert:
    """One of ``choices`` (or of what ``choices(context)`` gives)."""
    def convert(value: Any, context: Context) -> Any:
        allowed = choices(context) if callable(choices) else choices
        if value not in allowed:
            raise Invalid(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value
    return convert


def strings(what: str = "a list of strings", *, single: bool = False,
            among: Sequence[str] | Callable[[Context], Sequence[str]] | None = None) -> Convert:
    """A list of strings as a tuple; ``single``: a lone string is a list of one."""
    def convert(value: Any, context: Context) -> tuple[str, ...]:
        items = [value] if single and isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise Invalid(f"expected {what}, got {got(items)}")
        if among is not None:
            allowed = among(context) if callable(among) else among
            if unknown := [v for v in items if v not in allowed]:
                raise Invalid(f"expected items among {', '.join(allowed)}, got {unknown[0]!r}")
        return tuple(items)
    return convert
