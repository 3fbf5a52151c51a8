"""Commands for editors and CI: `check`, `review`, `build`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from pipeline.cli.base import InputError, cli, load_publication, publication_if_any
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.extras import require


@cli.command("check")
@click.argument("targets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit"]),
              default="text", show_default=True,
              help="text for people, json for programs, github for workflow annotations, "
                   "junit for CI test reports.")
@click.option("--strict", is_flag=True,
              help="Untranslated and fuzzy segments are errors (for a release).")
@click.option("--only", metavar="NAME[,NAME...]", help="Run only these checks.")
@click.option("--source-lang", metavar="LANG",
              help="PO files only: the language of the msgids (default: the PO header's "
                   "X-Source-Language, else the publication's, else en).")
@click.option("--target-lang", metavar="LANG",
              help="PO files only: the language of the msgstrs (default: the PO header).")
@click.pass_context
def check_command(ctx: click.Context, targets: tuple[str, ...], fmt: str, strict: bool,
                  only: str | None, source_lang: str | None, target_lang: str | None) -> None:
    """Check that the translations still agree with their originals.

    TARGETS are document names (default: all), or paths to any PO files (a
    Django or Sphinx catalog, say), which need no publication around them.
    Exit status: 1 when an error is found, 0 otherwise, 2 on bad input.
    The checks and how to silence one: see the README, section "check".
    """
    import sys

    from pipeline.commands.check import check
    from pipeline.report import fatal, render

    try:
        po_files = [Path(t) for t in targets if t.endswith((".po", ".pot"))]
        docs = [t for t in targets if not t.endswith((".po", ".pot"))]
        if (source_lang or target_lang) and not po_files:
            raise click.UsageError("--source-lang/--target-lang apply to PO files given by path")
        config: Config | None
        if docs or not po_files:
            config = load_publication(ctx)
            doc_names = config.resolve_documents(docs)
        else:  # PO files alone: a publication's check settings apply if there is one
            config, doc_names = publication_if_any(ctx), []
        names = [n.strip() for n in only.split(",") if n.strip()] if only else None
        result = check(config, doc_names, po_files, only=names, strict=strict,
                       source_lang=source_lang, target_lang=target_lang, slim=True,
                       cache=True)
    except BitextError as exc:  # exit 2 as always; a machine format gets it on stdout too
        click.echo(fatal(fmt, exc.message, exc.path, exc.line), nl=False)
        raise InputError(str(exc)) from exc
    except click.UsageError as exc:
        click.echo(fatal(fmt, exc.format_message()), nl=False)
        raise
    colour = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(render(result, fmt, colour=colour), nl=False)
    ctx.exit(1 if result.errors else 0)


@cli.command("review")
@click.argument("docs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html",
              show_default=True,
              help="html writes output/<doc>/review.<lang>.html; json prints the same rows.")
@click.pass_context
def review_command(ctx: click.Context, docs: tuple[str, ...], fmt: str) -> None:
    """Write a review page per document and language: original beside translation.

    DOCS are document names (default: all). Each segment shows its state, its
    `bitext check` findings and, when fuzzy, what changed in its original.
    """
    require("build", "review")
    from pipeline.commands.check import check
    from pipeline.commands.review import review
    from pipeline.review import page_json

    config = load_publication(ctx)
    result = review(config, config.resolve_documents(docs),
                    check=lambda c, names: check(c, names, []), write=fmt == "html")
    if fmt == "json":
        click.echo(json.dumps([page_json(p) for p in result.pages], ensure_ascii=False, indent=2))
        return
    for path, page in zip(result.written, result.pages, strict=True):
        s = page.summary
        click.echo(f"wrote {path} ({s['segments']} segments, {s['percent']}% translated, "
                   f"{s['problems']} to look at)")


@cli.command("build")
@click.argument("docs", nargs=-1)
@click.option("--to", "formats", metavar="FORMATS",
              help="Comma-separated formats among html, epub, pdf (default: all, or the "
                   "config's build.formats).")
@click.option("--edition", "editions", metavar="EDITIONS",
              help="Comma-separated editions: language codes and 'bilingual' (default: all).")
@click.option("--release", is_flag=True,
              help="No draft marks; refuse (exit 1) a translation below the config's "
                   "release_threshold.")
@click.option("--layout", "layouts", metavar="LAYOUTS",
              help="Bilingual PDF layout(s), comma-separated: parallel (two columns, "
                   "<doc>.<src>-<tgt>.pdf) and facing (original on the left-hand pages, "
                   "<doc>.<src>-<tgt>.facing.pdf). Default: the config's build.layout, "
                   "else parallel.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: the number of CPUs).")
@click.option("--force", is_flag=True, help="Rebuild even the outputs that are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and refusals.")
@click.pass_context
def build_command(ctx: click.Context, docs: tuple[str, ...], formats: str | None,
                  editions: str | None, release: bool, layouts: str | None, jobs: int | None,
                  force: bool, quiet: bool) -> None:
    """Render editions into output/<doc>/: each language and the bilingual one.

    DOCS are document names (default: all). Writes <doc>.<lang>.<ext> and
    <doc>.<src>-<tgt>.<ext>, ext in html, epub, pdf; outputs whose inputs,
    options and tools have not changed are not rebuilt.
    """
    require("build", "build")
    import sys
    from dataclasses import replace

    from pipeline.commands.build import build
    from pipeline.render.options import EDITION_FORMATS, LAYOUTS, edition_names, parse_list

    config = load_publication(ctx)
    wanted_layouts = parse_list(layouts, LAYOUTS, "--layout")
    if wanted_layouts is not None:  # the flag wins over [tool.bitext.build] layout
        config = replace(config, build=replace(config.build, layouts=wanted_layouts))
    names = config.resolve_documents(docs)
    bar: Any = None

    def progress(done: int, total: int, label: str) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="building", file=sys.stderr,
                                    show_pos=True, item_show_func=lambda item: item)
            bar.__enter__()
        bar.update(1, label)

    show_bar = not quiet and len(names) > 3
    try:
        result = build(config, names, formats=parse_list(formats, EDITION_FORMATS, "--to"),
                       editions=parse_list(editions, edition_names(config), "--edition"),
                       release=release, jobs=jobs, force=force,
                       progress=progress if show_bar else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for message in result.refused:
        click.echo(f"refused: {message}", err=True)
    if result.refused:
        click.echo("release build refused; nothing written", err=True)
        ctx.exit(1)
    if quiet:
        return
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not show_bar:
        for path in result.written:
            click.echo(f"wrote {path}")
        for path in result.identical:
            click.echo(f"unchanged {path}")
    else:
        click.echo(f"wrote {len(result.written)} files, {len(result.identical)} unchanged")
    if result.unchanged:
        click.echo(f"{len(result.unchanged)} up to date")
