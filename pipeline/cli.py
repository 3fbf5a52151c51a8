"""The `bitext` command line. Only parses options and calls `pipeline.commands`.

Exit codes: 0 success; 1 findings (check errors, update conflicts); 2 bad
input or usage, with a ``file:line: message``.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import click

from pipeline.config import Config, load_config
from pipeline.errors import BitextError
from pipeline.extras import require


class InputError(click.ClickException):
    """A `BitextError` on its way to the terminal: printed once, exit status 2."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message


class BitextGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BitextError as exc:
            raise InputError(str(exc)) from exc
        except OSError as exc:  # a file the commands did not expect to fail (name too long…)
            raise InputError(_os_message(exc, ctx.obj)) from exc


def _os_message(exc: OSError, root: object) -> str:
    """``file: reason`` for an OSError, the file relative to the publication when inside it."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    name = Path(os.fsdecode(exc.filename))
    if isinstance(root, Path):
        with contextlib.suppress(ValueError, OSError):
            name = name.relative_to(root.resolve())
    return f"{name.as_posix()}: {reason}"


@click.group(cls=BitextGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bitext")
@click.option(
    "-C", "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    help="Start here instead of the current folder. The configuration (bitext.toml, or "
         "pyproject.toml with [tool.bitext]) is looked for here, then in each folder above.",
)
@click.option("-v", "--verbose", is_flag=True,
              help="Say which configuration file was used (on stderr).")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: bool) -> None:
    """bitext: keep an original and its translations aligned, checked and published."""
    ctx.obj = root
    ctx.meta["bitext.verbose"] = verbose


def _config(ctx: click.Context) -> Config:
    config = load_config(ctx.obj)
    if ctx.meta.get("bitext.verbose"):
        click.echo(f"config: {config.config_file}", err=True)
    return config


def _optional_config(ctx: click.Context) -> Config | None:
    """The publication's config when there is one here or above (PO files need none)."""
    from pipeline.config import locate_config

    return _config(ctx) if locate_config(ctx.obj) else None


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

    config = _config(ctx)
    result = update(config, config.resolve_documents(docs), dry_run=dry_run, wait=wait,
                    prune=prune)
    for note in result.recovered:
        click.echo(f"note: {note}", err=True)
    for item in result.languages:
        if item.unchanged:
            click.echo(f"{item.doc} [{item.lang}]: unchanged")
            continue
        s = item.stats
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
    config = _config(ctx) if docs or not po_files else None
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

    config = _optional_config(ctx)
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
    require("translate", "translate")
    import sys

    from pipeline.commands.translate import translate
    from pipeline.commands.update import UpdateResult, update

    config = _config(ctx)
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

    config = _config(ctx)
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

    config = _config(ctx)
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
    import os
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
            config = _config(ctx)
            doc_names = config.resolve_documents(docs)
        else:  # PO files alone: a publication's check settings apply if there is one
            config, doc_names = _optional_config(ctx), []
        names = [n.strip() for n in only.split(",") if n.strip()] if only else None
        result = check(config, doc_names, po_files, only=names, strict=strict,
                       source_lang=source_lang, target_lang=target_lang)
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

    config = _config(ctx)
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
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: the number of CPUs).")
@click.option("--force", is_flag=True, help="Rebuild even the outputs that are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and refusals.")
@click.pass_context
def build_command(ctx: click.Context, docs: tuple[str, ...], formats: str | None,
                  editions: str | None, release: bool, jobs: int | None, force: bool,
                  quiet: bool) -> None:
    """Render editions into output/<doc>/: each language and the bilingual one.

    DOCS are document names (default: all). Writes <doc>.<lang>.<ext> and
    <doc>.<src>-<tgt>.<ext>, ext in html, epub, pdf; outputs whose inputs,
    options and tools have not changed are not rebuilt.
    """
    require("build", "build")
    import sys

    from pipeline.commands.build import build
    from pipeline.render.options import EDITION_FORMATS, edition_names, parse_list

    config = _config(ctx)
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


def main() -> None:
    """Entry point of the ``bitext`` console script."""
    cli(prog_name="bitext")
