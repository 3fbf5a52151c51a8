"""What `bitext update` refuses before it computes or writes anything of a document.

A first catalog made from a translated Markdown of another shape than the original
(`bootstrap`: aligning it is `bitext align`'s job), a PO entry that is in no template
(`check_against_template`), a translation the Markdown parser would refuse once
written (`refuse_runaway_translations`). Each raises `BitextError` naming the file
and line, so that nothing is written.
"""

from __future__ import annotations

import re

from pipeline.adapters.fs import read_text
from pipeline.adapters.publication import Original, parse_markdown
from pipeline.catalog import Catalog, Entry, catalog_from_template
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.translation import preview


def bootstrap(config: Config, original: Original, lang: str, template: list[Entry]) -> Catalog:
    """A first catalog; an existing translated Markdown of the same shape fills it in.

    When ``source/<lang>/<doc>.md`` exists and has the same segments (kinds
    and count) as the original, segment i translates segment i. A document
    of another shape is refused: aligning it is `bitext align`'s job.
    """
    catalog = catalog_from_template(template, {})
    path = config.source_path(lang, original.doc)
    if not path.exists():
        return catalog
    shown = config.relative(path)
    translated = parse_markdown(config, read_text(path, shown=shown), shown=shown).segments
    source = original.document.segments
    if [s.kind for s in translated] != [s.kind for s in source]:
        raise BitextError(
            f"exists but has no catalog, and its {len(translated)} segments do not match the "
            f"original's {len(source)} one for one; build the catalog with "
            f"`bitext align {original.path} {shown}`",
            path=shown,
        )
    for entry, segment in zip(catalog.entries, translated, strict=True):
        entry.msgstr = segment.text
    return catalog


def check_against_template(
    config: Config, lang: str, doc: str, catalog: Catalog, template: Catalog,
    template_now: list[Entry],
) -> None:
    """An active PO entry must come from the template it was merged with (not added by hand).

    The template now (from the original) counts too: a run interrupted between
    writing the PO and the POT must not leave a PO every later run refuses.
    """
    known = {e.msgid for e in template.entries} | {e.msgid for e in template_now}
    for entry in catalog.entries:
        if entry.msgid not in known:
            raise BitextError(
                f"msgid {preview(entry.msgid)} is not in the template "
                f"{config.relative(config.pot_path(doc))} and is not obsolete; "
                "remove it or mark it obsolete (#~)",
                path=config.relative(config.po_path(lang, doc)),
                line=entry.line or None,
            )


# A line starting with this many container marks (quotes, bullets, indentation) may nest
# deeper than the parser allows; only such translations are parsed on their own.
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{100,}", re.MULTILINE)


def refuse_runaway_translations(config: Config, lang: str, doc: str, catalog: Catalog) -> None:
    """A translation the Markdown parser would refuse never reaches ``source/<lang>/``.

    Otherwise update writes it, and every later run refuses the Markdown it wrote.
    """
    for entry in catalog.entries:
        if entry.msgstr and _DEEP_PREFIX.search(entry.msgstr):
            try:
                parse_markdown(config, entry.msgstr, shown="msgstr")
            except BitextError as exc:
                raise BitextError(f"msgstr of {preview(entry.msgid)}: {exc.message}",
                                  path=config.relative(config.po_path(lang, doc)),
                                  line=entry.line or None) from None
