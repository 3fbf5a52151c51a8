"""The top table of the configuration (`TOP`): its keys, their converters, the secrets rule.

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
                                  and validated with the rest (``config.check``,
                                  ``config.build``, ``config.translate``)

`TOP` is a `pipeline.settings_schema.Section`: every key declared once, with the
converter whose `Invalid` message the user reads; `pipeline.config.validate` checks
it together with the other tables.

Secrets (API keys, tokens, passwords) never come from the configuration, which is
checked into version control: a key that looks like one, in any table, is refused
with the environment variable to use instead (`take_out_secrets`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipeline.paths import linked
from pipeline.settings_schema import Context, Invalid, Key, Section, got, one_of, strings, typed

FOOTNOTE_STYLES = ("arabic", "lower-roman", "upper-roman", "lower-alpha", "upper-alpha", "label")
DEFAULT_PROSE_KEYS = ("title", "subtitle", "description", "abstract", "summary", "publication-note")
# Tables that belong to one command each; their schemas live in that command's module
# (pipeline.checks.settings, pipeline.render.options, pipeline.translate), checked here.
SECTIONS = ("check", "build", "translate")
# Words that make an unknown key look like a secret ("deepl-token", "email", "secret"); "key"
# does with a word that says which ("api_key", "auth_key", "deepl_key"), or alone.
_SECRET_WORDS = {"apikey", "secret", "secrets", "token", "password", "passwd", "credential",
                 "credentials", "email"}
_KEY_WORDS = {"api", "auth", "access", "private", "secret", "libre", "deepl", "mymemory",
              "google"}


def _folder(default: str) -> Key:
    def convert(value: Any, context: Context) -> Path:
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {got(value)}")
        root: Path = context["root"]
        given = root / value
        path = given.resolve()
        if not path.is_relative_to(root):
            raise Invalid(f"{value!r} is outside the publication folder")
        if not context["allow_symlinks"] and linked(root, given):
            raise Invalid(f"{value!r} is or goes through a symbolic link; bitext follows none "
                          "unless allow_symlinks = true")
        return path
    return Key(f"{default}_dir", convert, f"folder of the {default} files", absent=default)


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


def take_out_secrets(table: dict[str, Any], prefix: str) -> tuple[list[str], dict[str, Any]]:
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
