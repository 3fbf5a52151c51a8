"""The `bitext` group: global options, the config, how errors become exit codes.

Exit codes: 0 success; 1 findings (check errors, update conflicts); 2 bad
input or usage, with a ``file:line: message``.
"""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline import __version__
from pipeline.errors import BitextError

if TYPE_CHECKING:
    from pipeline.config import Config


class InputError(click.ClickException):
    """A `BitextError` on its way to the terminal: printed once, exit status 2."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message


# Which module of pipeline.cli registers each command, so that `bitext check` imports the
# one it needs and `bitext --version` none. A command missing here is still found (every
# module is imported then); tests/unit/test_startup.py checks that each entry is right.
COMMAND_MODULES = ("catalogs", "translation", "editions", "desk")
WHERE = {"init": "catalogs", "update": "catalogs", "status": "catalogs",
         "align": "translation", "translate": "translation", "export": "translation",
         "import": "translation", "check": "editions", "review": "editions",
         "build": "editions", "serve": "desk"}


class BitextGroup(click.Group):
    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            _import_commands([WHERE[cmd_name]] if cmd_name in WHERE else COMMAND_MODULES)
        if cmd_name not in self.commands:  # WHERE was wrong or incomplete
            _import_commands(COMMAND_MODULES)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _import_commands(COMMAND_MODULES)
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BitextError as exc:
            raise InputError(str(exc)) from exc
        except OSError as exc:  # a file the commands did not expect to fail (name too long…)
            raise InputError(_os_message(exc, ctx.obj)) from exc


def _import_commands(modules: tuple[str, ...] | list[str]) -> None:
    """Import command modules (each registers its commands on `cli` as it loads)."""
    import importlib

    for module in modules:
        importlib.import_module(f"pipeline.cli.{module}")


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
# The version as a constant: asking importlib.metadata costs a fifth of the start-up
# (tests/unit/test_startup.py compares it with the installed package's).
@click.version_option(__version__, prog_name="bitext")
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


def load_publication(ctx: click.Context) -> Config:
    from pipeline.config import load_config  # here: `bitext --version` needs no configuration

    config = load_config(ctx.obj)
    if ctx.meta.get("bitext.verbose"):
        click.echo(f"config: {config.config_file}", err=True)
    return config


def publication_if_any(ctx: click.Context) -> Config | None:
    """The publication's config when there is one here or above (PO files need none)."""
    from pipeline.config import locate_config

    return load_publication(ctx) if locate_config(ctx.obj) else None


def main() -> None:
    """Entry point of the ``bitext`` console script."""
    try:
        cli(prog_name="bitext")
    finally:
        # The process ends here. Its exit collects cycles through every object it holds,
        # ~10 ms of a no-op update's 0.1 s (issue 16); frozen, they are not walked. What
        # needs finishing is finished before: files are written and closed by then, and
        # objects are still freed as their modules are, by reference counting.
        gc.freeze()
