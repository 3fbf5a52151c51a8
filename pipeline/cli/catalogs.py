"""Commands on the catalogs: `init`, `update`, `status`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from pipeline.cli.base import cli, load_publication
from pipeline.config import Config


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--source-lang", default="tr", show_default=True)
@click.option("--target-lang", multiple=True, metavar="LANG[,LANG...]",
              help="Languages translated into: comma-separated, or the option repeated "
                   "(default: en).")
def init_command(directory: Path, source_lang: str, target_lang: tuple[str, ...]) -> None:
    """Scaffold a publication in DIRECTORY: config, folders, a sample document."""
    from pipeline.commands.init import init

    for path in init(directory, source=source_lang, target=target_lang or "en"):
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && bitext update && bitext status")


@cli.command("update")
@click.argument("docs", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--wait", is_flag=True,
              help="If another bitext run holds the lock, wait for it instead of failing.")
@click.option("--prune", is_flag=True,
              help="Retire documents whose original is gone: translations kept in "
                   "attic/<lang>/<doc>.po, their other files removed.")
@click.pass_context
def update_command(ctx: click.Context, docs: tuple[str, ...], dry_run: bool, wait: bool,
                   prune: bool) -> None:
    """Regenerate templates, merge them into the PO files, rewrite the translations.

    DOCS are document names (file stems under source/<lang>/); default: all.
    """
    from pipeline.commands.update import CHANGED_UNDER_RUN, update

    config = load_publication(ctx)
    result = update(config, config.resolve_documents(docs), dry_run=dry_run, wait=wait,
                    prune=prune)
    for note in result.recovered:
        click.echo(f"note: {note}", err=True)
    unchanged: list[str] = []  # one write for a run of them (a no-op: every document)
    for item in result.languages:
        if item.unchanged:
            unchanged.append(f"{item.doc} [{item.lang}]: unchanged\n")
            continue
        _echo_all(unchanged)
        from pipeline.catalog import MergeStats  # here: a no-op update merges nothing

        s = item.stats or MergeStats()
        how = " (new catalog" + (", from the existing translation)" if item.bootstrapped
                                 else ")") if item.created else ""
        click.echo(
            f"{item.doc} [{item.lang}]{how}: {s.kept} kept, {s.fuzzy} newly fuzzy, {s.new} new, "
            f"{s.obsoleted} obsolete, {s.rewrapped} rewrapped, {s.revived} revived; "
            f"{item.from_markdown} taken from the Markdown, {item.from_po} from the PO, "
            f"{item.conflicts} conflicts"
            + (f"; {item.from_memory} from the translation memory (fuzzy)"
               if item.from_memory else "")
        )
        for issue in item.issues:
            click.echo(("error: " if issue.blocking else "warning: ") + issue.located, err=True)
    _echo_all(unchanged)
    verb = "would write" if dry_run else "wrote"
    if dry_run or result.written:
        for path in result.written:
            click.echo(f"{verb} {path}")
    elif not (prune and result.retired):
        click.echo("nothing changed")
    _report_retired(config, result.retired, prune=prune, dry_run=dry_run)
    for path in result.changed:
        click.echo(f"error: {path}: {CHANGED_UNDER_RUN}", err=True)
    if not dry_run:
        _next_after_update(config, result)
    if result.failed:
        ctx.exit(1)


def _todo(items: list[tuple[str, int, int]]) -> str:
    """``translate the 3 untranslated segments in F`` for (file, untranslated, fuzzy) rows."""
    items = [i for i in items if i[1] or i[2]]
    untranslated, fuzzy = sum(i[1] for i in items), sum(i[2] for i in items)
    what = " and ".join(
        ([f"translate the {untranslated} untranslated"] if untranslated else [])
        + ([f"review the {fuzzy} fuzzy"] if fuzzy else []))
    files = ", ".join(i[0] for i in items[:3]) + (f" and {len(items) - 3} more"
                                                   if len(items) > 3 else "")
    return f"{what} segment{'s' if untranslated + fuzzy > 1 else ''} in {files}"


def _next_after_update(config: Config, result: Any) -> None:
    """The next step after an update, when there is one (on stdout, last)."""
    blocked = sorted({i.path for lang in result.languages for i in lang.issues if i.blocking})
    if blocked:
        click.echo(f"next: resolve what is reported in {', '.join(blocked)}, "
                   "then bitext update")
        return
    if result.changed:
        click.echo("next: bitext update (to take in the files saved while it ran)")
        return
    seen = [item for item in result.languages if item.untranslated is not None]
    todo = [(config.relative(config.po_path(i.lang, i.doc)), i.untranslated, i.fuzzy)
            for i in seen if i.untranslated or i.fuzzy]
    if todo:
        click.echo(f"next: {_todo(todo)}, then bitext build")
    elif seen and result.written:
        click.echo("next: bitext check, then bitext build")


def _report_retired(config: Config, retired: list[Any], *, prune: bool, dry_run: bool) -> None:
    for item in retired:
        original = config.relative(config.source_path(config.source_lang, item.doc))
        if not prune:
            click.echo(f"warning: {item.doc}: its original {original} is gone; left behind: "
                       f"{', '.join(item.files)} (`bitext update --prune` keeps the "
                       "translations in attic/ and removes the rest)", err=True)
            continue
        would = "would " if dry_run else ""
        kept = f"; {would}keep translations in {', '.join(item.archived)}" \
            if item.archived else ""
        click.echo(f"retired {item.doc} ({original} is gone){kept}; {would}remove "
                   f"{', '.join(item.removed) or 'nothing'}")
        if item.kept:
            click.echo(f"warning: {item.doc}: changed while pruning, left as they are: "
                       f"{', '.join(item.kept)}; run `bitext update --prune` again", err=True)


@cli.command("status")
@click.argument("targets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def status_command(ctx: click.Context, targets: tuple[str, ...], fmt: str) -> None:
    """Per document and language: segments, translated, fuzzy, untranslated, percent.

    TARGETS are document names, or paths to any PO files (a Django or Sphinx
    catalog, say), which need no publication around them.
    """
    from pipeline.commands.status import status, table

    po_files = [Path(t) for t in targets if t.endswith((".po", ".pot"))]
    docs = [t for t in targets if not t.endswith((".po", ".pot"))]
    config = load_publication(ctx) if docs or not po_files else None
    rows = status(config, config.resolve_documents(docs) if config else [], po_files)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    for line in table(rows):
        click.echo(line)
    then = ", then bitext build" if config is not None else ""
    conflicts = [r for r in rows if r.conflicts]
    if conflicts and config is not None:
        files = ", ".join(config.relative(config.source_path(r.lang, r.document))
                          for r in conflicts)
        count = sum(r.conflicts for r in conflicts)
        click.echo(f"next: resolve the {count} open conflict{'s' if count > 1 else ''} in "
                   f"{files}, then bitext update")
    elif todo := [(r.file, r.untranslated, r.fuzzy) for r in rows if r.untranslated or r.fuzzy]:
        click.echo(f"next: {_todo(todo)}{then}")
    elif rows and config is not None:
        click.echo("next: bitext build --release")


def _echo_all(lines: list[str]) -> None:
    """Print ``lines`` (each ending in a newline) at once, and forget them."""
    if lines:
        click.echo("".join(lines), nl=False)
        lines.clear()
