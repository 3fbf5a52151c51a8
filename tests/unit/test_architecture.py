"""The layering that docs/architecture.md promises, checked on the source itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
PURE = ["pipeline.keys", "pipeline.markdown", "pipeline.catalog", "pipeline.catalog_header",
        "pipeline.sync", "pipeline.translation", "pipeline.checks", "pipeline.align",
        "pipeline.translate", "pipeline.placeholders", "pipeline.translate_settings",
        "pipeline.languages", "pipeline.settings_schema", "pipeline.glossary",
        "pipeline.markdown.block_parser", "pipeline.markdown.front_matter",
        "pipeline.checks.textscan", "pipeline.checks.numberfind", "pipeline.checks.urlfind",
        "pipeline.exchange.xliff", "pipeline.exchange.tmx",
        "pipeline.memory",
        "pipeline.review", "pipeline.review_html", "pipeline.sentences", "pipeline.memory_sketch",
        "pipeline.memory_text",
        "pipeline.untrusted_xml", "pipeline.sync_format", "pipeline.collector",
        *(f"pipeline.render.{name}" for name in (
            "source", "document", "editions", "rows", "notes", "formats", "html", "pdf", "epub",
            "sanitize", "langs", "settings", "fragments"))]
# What a pure module must not bring in: files, processes, the network, the terminal.
IMPURE = ["polib", "click", "subprocess", "pypandoc", "typst", "requests", "deep_translator",
          "urllib3", "pipeline.adapters", "pipeline.commands", "pipeline.cli"]


def _modules() -> dict[str, ast.Module]:
    return {p.relative_to(PIPELINE.parent).with_suffix("").as_posix().replace("/", "."):
            ast.parse(p.read_text(encoding="utf-8")) for p in PIPELINE.rglob("*.py")}


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("module", PURE)
def test_the_domain_imports_no_io(module: str) -> None:
    code = (f"import sys, {module}; "
            "print('\\n'.join(sorted(m for m in sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    bad = [m for m in loaded for prefix in IMPURE if m == prefix or m.startswith(prefix + ".")]
    assert bad == []


def test_no_command_imports_another_command() -> None:
    for name, tree in _modules().items():
        if name.startswith("pipeline.commands.") and name != "pipeline.commands.__init__":
            others = {m for m in _imports(tree) if m.startswith("pipeline.commands.")}
            assert others == set(), name


def test_only_the_cli_imports_click() -> None:
    users = {name for name, tree in _modules().items()
             if any(m == "click" or m.startswith("click.") for m in _imports(tree))}
    assert users and all(u.startswith("pipeline.cli.") for u in users), users


def test_no_object_identity_is_used_as_a_key() -> None:
    calls = [(name, node.lineno) for name, tree in _modules().items() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id == "id"]
    assert calls == []


def test_merge_sync_check_and_render_share_one_segment_key() -> None:
    modules = _modules()
    for name in ("pipeline.catalog", "pipeline.sync", "pipeline.translation",
                 "pipeline.checks.runner", "pipeline.render.source",
                 "pipeline.markdown.segments", "pipeline.adapters.po"):
        assert "pipeline.keys" in _imports(modules[name]), name
