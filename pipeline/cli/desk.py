"""The editor's desk on the command line: `bitext serve`, the local web editor."""

from __future__ import annotations

import webbrowser

import click

from pipeline.cli.base import cli, load_publication
from pipeline.extras import require


@cli.command("serve")
@click.argument("docs", nargs=-1)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs the token printed "
                   "at start.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: a free one).")
@click.option("--open/--no-open", "open_browser", default=False, show_default=True,
              help="Open the editor in the default web browser.")
@click.pass_context
def serve_command(ctx: click.Context, docs: tuple[str, ...], host: str, port: int,
                  open_browser: bool) -> None:
    """Edit translations in a browser: the review page, each translation editable.

    DOCS are document names (default: all). Checks run as you type; saving
    writes the PO and the translated Markdown as `bitext update` does, and is
    refused when either file changed on disk since the page was loaded.
    Stop it with Ctrl-C.
    """
    require("build", "serve")
    require("serve", "serve")
    from pipeline.commands.check import check
    from pipeline.commands.review import make_page
    from pipeline.commands.serve import Listening, serve
    from pipeline.commands.update import update

    config = load_publication(ctx)
    names = config.resolve_documents(docs)
    if not names:
        raise click.UsageError("no documents to edit")

    def ready(where: Listening) -> None:
        click.echo(f"bitext serve: editing {len(names)} document(s) at {where.url}")
        if where.token:
            click.echo("  (not loopback: every request needs this token; keep it private)")
        click.echo("  Ctrl-C stops the server.")
        if open_browser:
            webbrowser.open(where.url)

    serve(config, names, host=host, port=port, ready=ready,
          check=lambda c, d: check(c, d, []), make_page=make_page,
          update=lambda c, d: update(c, d, wait=True))
