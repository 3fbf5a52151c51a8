"""A bad key in any section stops every command at load, with every error listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

pytestmark = pytest.mark.e2e

CONFIG = """\
source_lang = "tr"
target_langs = ["en"]
colour = "blue"

[check]
strict = "yes"

[build]
paper = "a9"

[translate]
batch_size = -3
"""

COMMANDS = [["update"], ["status"], ["check"], ["build"], ["translate"],
            ["align", "--doc", "d"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_every_command_refuses_a_bad_config_listing_every_error(
        tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "bitext.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "source/tr").mkdir(parents=True)
    (tmp_path / "source/tr/d.md").write_text("Bir paragraf.\n", encoding="utf-8")
    (tmp_path / "source/en").mkdir(parents=True)
    (tmp_path / "source/en/d.md").write_text("A paragraph.\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: bitext.toml: invalid configuration:")
    for key in ("'colour'", "'check.strict'", "'build.paper'", "'translate.batch_size'"):
        assert key in result.output, (key, result.output)
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
