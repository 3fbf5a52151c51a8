"""The pieces of a publication every command reads: originals, catalogs, translations.

`load_original` parses ``source/<src>/<doc>.md``; `load_catalog` reads a PO
file; `pair_entries` lines a catalog's entries up with a document's
segments; `render_translation` writes the translated Markdown from them.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel import Locale
from babel.messages.plurals import get_plural

from pipeline import __version__
from pipeline.adapters.fs import read_text
from pipeline.adapters.po import read_catalog
from pipeline.catalog import Catalog, Entry
from pipeline.config import Config
from pipeline.errors import BitextError

if TYPE_CHECKING:
    from pipeline.segments import Document, Segment

# Shown at the start of a segment in the translated Markdown when it has no reviewed translation.
UNTRANSLATED_MARK = "<!-- bitext: untranslated -->"
FUZZY_MARK = "<!-- bitext: fuzzy -->"


@dataclass(frozen=True)
class Original:
    """A parsed original: its document, its path relative to the root, its text."""

    doc: str
    path: str
    text: str
    document: Document


def load_original(config: Config, doc: str) -> Original:
    """Read and segment the original of ``doc``; missing or malformed input raises."""
    from pipeline.segments import parse_document  # markdown-it is slow to import: only here

    path = config.source_path(config.source_lang, doc)
    shown = config.relative(path)
    text = read_text(path, shown=shown)
    document = parse_document(text, path=shown, prose_keys=config.prose_keys)
    return Original(doc=doc, path=shown, text=text, document=document)


def load_catalog(config: Config, lang: str, doc: str) -> Catalog | None:
    """The PO catalog of ``doc`` in ``lang``, or None when there is none yet."""
    path = config.po_path(lang, doc)
    if not path.exists():
        return None
    return read_catalog(path, shown=config.relative(path))


def pair_entries(document: Document, catalog: Catalog) -> list[tuple[Segment, Entry]]:
    """Each segment with its catalog entry; they share document order after a merge."""
    segments = document.segments
    if len(segments) != len(catalog.entries) or any(
        s.text != e.msgid for s, e in zip(segments, catalog.entries, strict=True)
    ):
        raise BitextError("catalog is out of date with its original; run `bitext update`")
    return list(zip(segments, catalog.entries, strict=True))


def segment_translation(entry: Entry) -> str:
    """What the translated Markdown shows for an entry's segment (marked when not reviewed)."""
    if entry.msgstr and not entry.fuzzy:
        return entry.msgstr
    if entry.msgstr:
        return f"{FUZZY_MARK} {entry.msgstr}"
    return f"{UNTRANSLATED_MARK} {entry.msgid}"


def render_translation(document: Document, catalog: Catalog, lang: str) -> str:
    """The translated Markdown of a document: its structure, the catalog's texts."""
    by_segment = {id(s): e for s, e in pair_entries(document, catalog)}
    text = document.render(lambda seg: segment_translation(by_segment[id(seg)]))
    return set_front_matter_lang(text, lang)


_LANG_LINE = re.compile(r"^(lang:[ \t]*)(['\"]?)[A-Za-z_-]+\2([ \t]*\r?)$", re.MULTILINE)


def set_front_matter_lang(text: str, lang: str) -> str:
    """Set the ``lang:`` key of the front matter (if the document has one) to ``lang``."""
    start = 1 if text.startswith("\ufeff") else 0
    if not text.startswith("---", start):
        return text
    end = text.find("\n---", start + 3)
    end = text.find("\n...", start + 3) if end < 0 else end
    if end < 0:
        return text
    head = _LANG_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}{lang}{m.group(2)}{m.group(3)}",
                          text[:end], count=1)
    return head + text[end:]


def header_for(lang: str | None, doc: str, old: dict[str, str] | None = None) -> dict[str, str]:
    """PO (or, with ``lang`` None, POT) header fields; translator-set fields are kept."""
    old = old or {}
    header = {
        "Project-Id-Version": old.get("Project-Id-Version", doc),
        "Report-Msgid-Bugs-To": old.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": old.get("POT-Creation-Date", ""),
    }
    if lang is not None:
        locale = Locale.parse(lang)
        header["PO-Revision-Date"] = old.get("PO-Revision-Date", "")
        header["Last-Translator"] = old.get("Last-Translator", "")
        header["Language-Team"] = old.get(
            "Language-Team", f"{locale.get_display_name('en')} <>"
        )
        header["Language"] = lang
    header.update({
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    if lang is not None:
        header["Plural-Forms"] = get_plural(lang).plural_forms
    header["X-Generator"] = f"bitext {__version__}"
    for key, value in old.items():
        header.setdefault(key, value)
    return header


def now_stamp() -> str:
    """The PO date format; honours ``SOURCE_DATE_EPOCH`` so runs can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(seconds))


def preview(text: str, width: int = 40) -> str:
    """A segment's text shortened to one line, quoted, for messages."""
    text = text.replace("\n", " ")
    return repr(text if len(text) <= width else text[: width - 1] + "…")
