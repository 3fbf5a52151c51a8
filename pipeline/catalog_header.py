"""The header fields of a POT or PO file bitext writes. Pure (Babel's locale data only).

``Language:`` is gettext's spelling of the tag (``pt_BR`` for ``pt-BR``; see
`pipeline.languages`), ``Language-Team`` defaults to the English name.

Fields a translator or their tool set (``Last-Translator``, ``Language-Team``,
custom ``X-`` fields) are kept as found; the rest follow gettext's own
templates.
"""

from __future__ import annotations

from babel.messages.plurals import get_plural

from pipeline import __version__
from pipeline.languages import language


def header_for(lang: str | None, doc: str, old: dict[str, str] | None = None) -> dict[str, str]:
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
        header["Language-Team"] = old.get("Language-Team", f"{found.name} <>")
        header["Language"] = found.gettext  # gettext's spelling: pt_BR, zh_Hant
    header.update({
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    if found is not None:
        header["Plural-Forms"] = get_plural(found.locale).plural_forms
    header["X-Generator"] = f"bitext {__version__}"
    for key, value in old.items():
        header.setdefault(key, value)
    return header
