"""Run the registered checks on one catalog: severities, suppressions, locations.

`levels` decides each check's severity (default, config, ``--strict``);
`run_checks` calls the check functions, turns each `Problem` into a
`Finding` located in the PO file (and the original), and files it as
reported or as suppressed (a ``bitext-ignore`` comment on the entry, or a
project-wide ignore from the config).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from pipeline.catalog import Entry
from pipeline.checks import REGISTRY, CheckSpec
from pipeline.checks.model import CatalogRun, CheckOptions, Context, Finding, Problem
from pipeline.checks.suppress import active
from pipeline.keys import SegmentKey

STRICT_CHECKS = ("untranslated", "fuzzy")


def levels(options: CheckOptions, *, strict: bool = False) -> dict[str, str]:
    """Each check's level ("error", "warning", "off"): default, then config, then strict."""
    result = {name: spec.severity for name, spec in REGISTRY.items()}
    result.update(options.severity)
    if strict or options.strict:
        result.update(dict.fromkeys(STRICT_CHECKS, "error"))
    return result


def run_checks(ctx: Context, names: list[str], check_levels: dict[str, str]) -> CatalogRun:
    """Run the checks ``names`` (registry order) on ``ctx``."""
    run = CatalogRun(ctx, [n for n in REGISTRY if n in names and check_levels[n] != "off"])
    silenced: dict[SegmentKey, dict[str, str]] = {}
    for name in run.checks:
        spec = REGISTRY[name]
        for problem in spec.function(ctx):
            finding = _locate(ctx, spec, check_levels[name], problem)
            entry = problem.unit.entry if problem.unit is not None else problem.entry
            reason = None
            if entry is not None and not name.startswith("suppression-"):
                if entry.key not in silenced:
                    silenced[entry.key] = active(entry)
                reason = silenced[entry.key].get(name)
            if reason is None:
                reason = _ignored(ctx, name, entry)
            if reason is None:
                run.findings.append(finding)
            else:
                run.suppressed.append(replace(finding, reason=reason))
    return run


def _locate(ctx: Context, spec: CheckSpec, level: str, problem: Problem) -> Finding:
    severity = "warning" if problem.adjust < 0 else "error" if problem.adjust > 0 else level
    unit = problem.unit
    entry = unit.entry if unit is not None else problem.entry
    line, file = problem.line, problem.file
    if file is None and entry is not None and entry.key in ctx.from_markdown:
        file, line = ctx.translation_file, ctx.from_markdown[entry.key]  # what the checks read
    elif line is None and file is None and entry is not None:
        line = entry.line or None
    source_file = source_line = None
    if entry is not None and entry.references:
        source_file, number = entry.references[0]
        source_line = number or None
    where = unit.where if unit is not None and spec.scope != "document" else ""
    column = problem.column
    if column is None and problem.offset is not None and file is None \
            and unit is not None and entry is not None and line == entry.line:
        column = msgid_column(entry, unit.source, problem.offset)
    return Finding(
        check=spec.name,
        severity=severity,
        document=ctx.document,
        lang=ctx.target_lang,
        file=file or ctx.file,
        line=line,
        source_file=source_file,
        source_line=source_line,
        message=where + problem.message,
        key=entry.key if entry is not None else None,
        column=column,
    )


# What polib escapes in a msgid (a newline makes the msgid multi-line, so it is never here).
_PO_ESCAPES = str.maketrans({c: "\\" + e for c, e in zip('\\"\t\r\v\b\f', '\\"trvbf',
                                                           strict=True)})


def msgid_column(entry: Entry, text: str, offset: int) -> int | None:
    """The 1-based column of ``text[offset]`` in the entry's ``msgid "…"`` line, if it has one.

    bitext writes PO files unwrapped (`pipeline.adapters.po`), so a msgid with
    no newline is on its line whole; a multi-line one, or a plural form, is not.
    """
    if text != entry.msgid or "\n" in text or not 0 <= offset <= len(text):
        return None
    return len('msgid "') + len(text[:offset].translate(_PO_ESCAPES)) + 1


def _ignored(ctx: Context, name: str, entry: Entry | None) -> str | None:
    for ignore in ctx.options.ignores:
        if name not in ignore.checks and "*" not in ignore.checks:
            continue
        if not fnmatchcase(ctx.document, ignore.document):
            continue
        if not fnmatchcase(ctx.target_lang, ignore.lang):
            continue
        if ignore.text is not None and (entry is None or not ignore.text.search(entry.msgid)):
            continue
        return ignore.reason
    return None


def check_texts(
    pairs: Sequence[tuple[str, str] | Entry],
    *,
    source_lang: str = "tr",
    target_lang: str = "en",
    names: list[str] | None = None,
    options: CheckOptions | None = None,
    strict: bool = False,
) -> CatalogRun:
    """Run checks on (original, translation) pairs or entries held in memory.

    For tools that want one verdict on a few texts (and for tests): each
    pair becomes a translated entry on PO line ``2 * i + 1``.
    """
    entries: list[Entry] = []
    for i, pair in enumerate(pairs):
        if isinstance(pair, Entry):
            entries.append(pair)
        else:
            entries.append(Entry(msgid=pair[0], msgstr=pair[1], line=2 * i + 1))
    options = options or CheckOptions()
    ctx = Context(document="text", source_lang=source_lang, target_lang=target_lang,
                  file="<text>", entries=entries, options=options)
    return run_checks(ctx, names or list(REGISTRY), levels(options, strict=strict))
