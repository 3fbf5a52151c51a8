"""Commands that bring translations in and out: `align`, `translate`, `export`, `import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from pipeline.cli.base import cli, load_publication, publication_if_any
from pipeline.config import Config
from pipeline.extras import require


@cli.command("align")
@click.argument("source", metavar="[SRC]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", metavar="[TGT]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", metavar="PO",
              help="PO file to write; '-' prints it. Default: the publication's own "
                   "locale/<tgt>/LC_MESSAGES/<doc>.po.")
@click.option("--doc", metavar="DOC",
              help="A document of this publication: source/<src>/DOC.md with source/<tgt>/DOC.md.")
@click.option("--source-lang", metavar="L", help="Language of SRC (default: the publication's).")
@click.option("--target-lang", metavar="L",
              help="Language of TGT (default: the publication's first target language).")
@click.option("--threshold", type=float, metavar="X",
              help="Pairs with a lower confidence are fuzzy (0..1, default 0.9).")
@click.option("--glossary", type=click.Path(dir_okay=False, path_type=Path),
              help="Bilingual terms as anchors: the check's glossary format (CSV or TSV with "
                   "a source,target header, or TBX).")
@click.option("--report", is_flag=True, help="Print the low-confidence pairs side by side.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the pairs as line ranges with scores.")
@click.option("--force", is_flag=True, help="Replace an existing PO file.")
@click.pass_context
def align_command(
    ctx: click.Context, source: Path | None, target: Path | None, output: str | None,
    doc: str | None, source_lang: str | None, target_lang: str | None,
    threshold: float | None, glossary: Path | None, report: bool, fmt: str, force: bool,
) -> None:
    """Build a PO file from an original SRC and a translation TGT never aligned.

    Pairs segments 1:1, 1:2 (a split paragraph), 2:1 (a merge), 1:0 (not
    translated) and 0:1 (text with no original, kept as a translator comment).
    Every entry gets its confidence in a comment; below the threshold it is fuzzy.
    """
    require("align", "align")
    from pipeline.commands.align import align, side_by_side

    config = publication_if_any(ctx)
    to_stdout = output == "-"
    if to_stdout and fmt == "json":
        raise click.UsageError("-o - prints the PO; it cannot go with --format json")
    kwargs: dict[str, Any] = {} if threshold is None else {"threshold": threshold}
    result = align(
        config, source, target, doc=doc, output=None if output in (None, "-") else Path(output),
        source_lang=source_lang, target_lang=target_lang, glossary=glossary, force=force,
        write=not to_stdout, **kwargs,
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    if to_stdout:
        click.echo(result.po_text, nl=False)
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("1:1", "1:2", "2:1", "1:0", "0:1"))
    verb = "wrote" if result.written else "aligned"
    click.echo(f"{verb} {result.po_file}: {counts}; {result.fuzzy} marked fuzzy "
               f"(threshold {result.threshold:g})", err=to_stdout)
    for notice in result.notices():
        click.echo(notice.located, err=to_stdout)
    if report:
        low = [r for r in result.rows if r.confidence < result.threshold or r.fuzzy]
        click.echo(f"\n{len(low)} pairs to check (fuzzy, or confidence below "
                   f"{result.threshold:g}):", err=to_stdout)
        for row in low:
            click.echo("", err=to_stdout)
            for line in side_by_side(result, row):
                click.echo(line, err=to_stdout)


@cli.command("translate")
@click.argument("docs", nargs=-1)
@click.option("--provider", metavar="NAME",
              help="libre, google, deepl, mymemory, or memory (the translation memory; "
                   "no network) (default: config, else libre).")
@click.option("--url", metavar="URL",
              help="The provider's server, e.g. a self-hosted LibreTranslate "
                   "(http://localhost:5000).")
@click.option("--only", type=click.Choice(["untranslated", "fuzzy"]), default="untranslated",
              show_default=True,
              help="untranslated: fill empty translations; fuzzy: add a fresh proposal as a "
                   "comment to changed paragraphs, leaving their text alone.")
@click.option("--batch-size", type=int, metavar="N",
              help="Segments per batch; the PO file is saved after each (default 20).")
@click.pass_context
def translate_command(ctx: click.Context, docs: tuple[str, ...], provider: str | None,
                      url: str | None, only: str, batch_size: int | None) -> None:
    """Draft translations by machine, marked fuzzy and labelled as machine output.

    DOCS are document names (default: all). Keys come from the environment:
    LIBRE_API_KEY (if the server wants one), DEEPL_API_KEY, MYMEMORY_EMAIL.
    Reviewed translations are never touched.
    """
    # which extra: the command knows once the provider is settled (flag or config)
    import sys

    from pipeline.commands.translate import translate
    from pipeline.commands.update import UpdateResult, update

    config = load_publication(ctx)
    updates: list[UpdateResult] = []

    def run_update(config: Config, docs: list[str]) -> UpdateResult:
        updates.append(update(config, docs))
        return updates[-1]

    bars: list[Any] = []

    def progress(done: int, total: int) -> None:
        if not bars and total:  # on stderr, so stdout stays the report
            bar = click.progressbar(length=total, label="translating", file=sys.stderr)
            bars.append(bar.__enter__())
        if bars:
            bars[0].update(done - bars[0].pos)

    try:
        result = translate(config, config.resolve_documents(docs), update=run_update,
                           provider=provider, url=url,
                           only=only, batch_size=batch_size, progress=progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    for c in result.catalogs:
        click.echo(f"{c.doc} [{c.lang}]: {c.drafted} drafted, {c.copied} copied, "
                   f"{c.proposed} proposed, {c.cached} from the cache, "
                   f"{len(c.rejected)} rejected")
        for rejection in c.rejected:
            click.echo(f"  {rejection}")
    if result.provider == "memory":
        click.echo(f"memory: {result.endpoint}; cache {result.cache_file}")
    else:
        click.echo(f"{result.provider} at {result.endpoint}: {result.requests} requests; "
                   f"cache {result.cache_file}")
    for path in result.written:
        click.echo(f"wrote {path}")
    # The closing `update` rewrote source/<lang>/*.md; what it could not do, say as it would.
    for item in updates[-1].languages if result.update else []:
        for issue in item.issues:
            click.echo(("error: " if issue.blocking else "warning: ") + issue.located, err=True)
    if result.update is not None and result.update.failed:
        ctx.exit(1)


@cli.command("export")
@click.argument("docs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["xliff", "xliff2", "tmx"]), default="xliff",
              show_default=True,
              help="xliff: XLIFF 1.2; xliff2: XLIFF 2.0 (one language); tmx: TMX 1.4b memory "
                   "of the reviewed translations.")
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True,
              help="File to write; '-' prints it.")
@click.option("--lang", "langs", metavar="L", multiple=True,
              help="Target language (repeatable; default: all, which XLIFF 2.0 allows only "
                   "for a publication with one).")
@click.pass_context
def export_command(ctx: click.Context, docs: tuple[str, ...], fmt: str, output: str,
                   langs: tuple[str, ...]) -> None:
    """Export the catalogs for a CAT tool (XLIFF) or a translation memory (TMX).

    DOCS are document names (default: all). Units are the segments, their id
    the segment key; inline Markdown (footnote references, code, links,
    emphasis, URLs) becomes inline codes the CAT tool protects.
    """
    import sys

    from pipeline.adapters.fs import write_atomic
    from pipeline.commands.export import export

    config = load_publication(ctx)
    result = export(config, config.resolve_documents(docs), fmt=fmt, langs=list(langs))
    if output == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        return
    write_atomic(Path(output), result.data)
    what = "pairs" if fmt == "tmx" else "units"
    click.echo(f"wrote {output}: {result.units} {what} of {result.documents} document"
               f"{'s' if result.documents != 1 else ''} ({', '.join(result.langs)})", err=True)


@cli.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", metavar="L",
              help="Target language of files that do not say (default: the only one).")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], lang: str | None) -> None:
    """Take translations from XLIFF files (1.2, 2.0, or po2xliff's) into the PO files.

    Then runs `bitext update`, so the translated Markdown follows. A unit whose
    inline codes were lost, repeated or reordered, or whose id is unknown, is
    not imported (exit 1); a unit whose original changed since the export is
    imported as fuzzy.
    """
    from pipeline.commands.import_ import import_files
    from pipeline.commands.update import UpdateResult, update

    config = load_publication(ctx)
    updates: list[UpdateResult] = []

    def run_update(config: Config, docs: list[str]) -> UpdateResult:
        updates.append(update(config, docs))
        return updates[-1]

    result = import_files(config, list(files), update=run_update, lang=lang)
    click.echo(f"imported {result.imported} units, {result.unchanged} unchanged, "
               f"{len(result.refused)} refused")
    for notice in result.notices:
        click.echo(f"notice: {notice}")
    for refusal in result.refused:
        click.echo(f"error: {refusal}", err=True)
    for path in result.changed:
        click.echo(f"error: {path}: changed while bitext import ran; left as saved (run "
                   "`bitext import` again)", err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    for problem in result.update.problems() if result.update else []:
        click.echo(f"error: {problem}", err=True)
    if result.failed:
        ctx.exit(1)
