"""The `bitext` command line: the only package that imports click.

It parses options, calls one `pipeline.commands` module per command, and prints
what it returns. `base` holds the group, the global options and exit codes; the
commands are grouped by who uses them: `catalogs` (init, update, status),
`translation` (align, translate, export, import), `editions` (check, review, build),
`desk` (serve).

The command modules are imported when their command runs (`BitextGroup.get_command`),
or all of them for ``--help``: ``bitext --version`` imports click and `base` only.
"""

from pipeline.cli.base import cli, main

__all__ = ["cli", "main"]
