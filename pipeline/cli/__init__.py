"""The `bitext` command line: the only package that imports click.

It parses options, calls one `pipeline.commands` module per command, and prints
what it returns. `base` holds the group, the global options and exit codes; the
commands are grouped by who uses them: `catalogs` (init, update, status),
`translation` (align, translate, export, import), `editions` (check, review, build),
`desk` (serve).
"""

from pipeline.cli import catalogs, desk, editions, translation  # noqa: F401  (they register commands)
from pipeline.cli.base import cli, main

__all__ = ["cli", "main"]
