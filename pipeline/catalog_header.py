"""The header fields of a POT or PO file bitext writes. Pure (Babel's locale data only).

The template (``lang`` None) has the header of gettext's own templates (what
``xgettext`` writes, so ``msginit`` makes a catalog from it as from any
other): the translator's fields hold gettext's placeholders, ``Language`` is
empty, no ``Plural-Forms`` (xgettext writes one only for plural messages, and
there are none), and the header entry is fuzzy (`TEMPLATE_HEADER_FUZZY`).

In a catalog, ``Language:`` is gettext's spelling of the tag (``pt_BR`` for
``pt-BR``; see `pipeline.languages`) and ``Language-Team`` defaults to the
English name of the language.

Both say ``X-Source-Language`` (the language of the msgids, as Poedit and
translate-toolkit read it). Fields a translator or their tool set
(``Last-Translator``, ``Language-Team``, custom ``X-`` fields) are kept as
found; the rest follow gettext's own templates.
"""

from __future__ import annotations

from babel.messages.plurals import get_plural

from pipeline import __version__
from pipeline.languages import language

SOURCE_LANGUAGE = "X-Source-Language"
# xgettext's placeholders, which msginit replaces.
_TEMPLATE_FIELDS = {
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "Language": "",
}
TEMPLATE_HEADER_FUZZY = True


def header_for(lang: str | None, doc: str, old: dict[str, str] | None = None,
               *, source_lang: str | None = None) -> dict[str, str]:
    """PO (or, with ``lang`` None, POT) header fields; translator-set fields are kept."""
    old = old or {}
    header = {
        "Project-Id-Version": old.get("Project-Id-Version", doc),
        "Report-Msgid-Bugs-To": old.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": old.get("POT-Creation-Date", ""),
    }
    found = language(lang) if lang is not None else None
    if found is not None:
        header["PO-Revision-Date"] = old.get("PO-Revision-Date", "")
        header["Last-Translator"] = old.get("Last-Translator", "")
        header["Language-Team"] = _team(old.get("Language-Team", found.name))
        header["Language"] = found.gettext  # gettext's spelling: pt_BR, zh_Hant
    else:
        header.update(_TEMPLATE_FIELDS)
    header.update({
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    if found is not None:
        header["Plural-Forms"] = get_plural(found.locale).plural_forms
    if source_lang is not None:
        header[SOURCE_LANGUAGE] = language(source_lang).gettext
    header["X-Generator"] = f"bitext {__version__}"
    for key, value in old.items():
        header.setdefault(key, value)
    return header


def _team(value: str) -> str:
    """``English <>`` (an empty address, as bitext once wrote it) is ``English``."""
    name, bracket, rest = value.rpartition(" <")
    return name if bracket and rest.strip() == ">" else value
