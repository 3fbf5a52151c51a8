"""`bitext check`'s results cache: a cached run reports exactly what an uncached one does.

Each scenario edits one input of the sample (the PO, the translated Markdown, the
original, the sync state, the configuration, the glossary), then compares the four
report formats of an uncached run with those of a cached run (which must have
checked afresh) and of the run after it (which must have read nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.adapters import check_cache
from pipeline.commands import check as check_command
from pipeline.config import load_config
from pipeline.report import FORMATS, render


def reports(root: Path, *, cache: bool) -> list[str]:
    config = load_config(root)
    result = check_command.check(config, config.resolve_documents([]), [], slim=True,
                                 cache=cache)
    return [render(result, fmt) for fmt in FORMATS]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The catalogs `check` reads (not taken from the cache), in a list; a salt of our own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    seen: list[str] = []
    real = check_command._publication_context

    def counted(config, doc, lang, options, **kw):  # type: ignore[no-untyped-def]
        seen.append(doc)
        return real(config, doc, lang, options, **kw)

    monkeypatch.setattr(check_command, "_publication_context", counted)
    return seen


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PO = "locale/en/LC_MESSAGES/article.po"
EDITS: dict[str, Callable[[Path], None]] = {
    "po": lambda r: _edit(r / PO, 'msgstr "Again, on October 3,', 'msgstr "Again, on October 4,'),
    "markdown": lambda r: _edit(r / "source/en/article.md", "October 3", "October 5"),
    "original": lambda r: _edit(r / "source/tr/article.md", "3 Ekim'de", "6 Ekim'de"),
    "sync state": lambda r: (r / "locale/en/LC_MESSAGES/article.sync.json").write_text(
        "not json", encoding="utf-8"),
    "config": lambda r: _edit(r / "pyproject.toml", "[tool.bitext]",
                              '[tool.bitext.check.severity]\nquotes = "off"\n\n[tool.bitext]'),
    "glossary": lambda r: (r / "glossary.csv").write_text(
        "source,target,forbidden\nEsad,Damascus,\n", encoding="utf-8"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_cached_equals_uncached_after_each_kind_of_edit(edit: str, sample: Path,
                                                        loads: list[str]) -> None:
    _edit(sample / "pyproject.toml", "[tool.bitext]",
          '[tool.bitext.check]\nglossary = "glossary.csv"\n\n[tool.bitext]')
    (sample / "glossary.csv").write_text("source,target,forbidden\nEsad,Assad,\n",
                                         encoding="utf-8")
    if edit == "sync state":  # the state counts when the translated Markdown was edited
        EDITS["markdown"](sample)
    before = reports(sample, cache=False)
    assert reports(sample, cache=True) == before  # fills the cache
    loads.clear()
    assert reports(sample, cache=True) == before
    assert loads == []  # from the cache: nothing read

    EDITS[edit](sample)
    after = reports(sample, cache=False)
    assert after != before  # the edit shows in the findings
    loads.clear()
    assert reports(sample, cache=True) == after
    assert loads == ["article"]  # checked afresh
    loads.clear()
    assert reports(sample, cache=True) == after
    assert loads == []


def test_findings_of_every_kind_come_back_from_the_cache(sample: Path, loads: list[str]) -> None:
    """Errors, warnings, suppressed findings, a column, JUnit keys: all survive the round trip."""
    _edit(sample / PO, 'msgstr "Again, on October 3,', 'msgstr "Again, on October 4,')
    text = (sample / PO).read_text(encoding="utf-8")
    (sample / PO).write_text(text.replace('msgstr "Turkey’s Border Security"',
                                          'msgstr "Turkey’s Border (Security"', 1),
                             encoding="utf-8")
    _edit(sample / PO, 'msgstr "This piece was originally published in Turkish by Perspektif."',
          'msgstr "This piece (was originally published in Turkish by Perspektif."')
    _edit(sample / "pyproject.toml", "[tool.bitext]",
          '[[tool.bitext.check.ignore]]\ncheck = "brackets"\nreason = "kept"\n'
          'text = "Sınır"\n\n[tool.bitext]')
    first = reports(sample, cache=True)
    assert "error dates" in first[0] and "warning brackets" in first[0]
    assert "error out-of-sync" in first[0] and "1 suppressed" in first[0]
    assert "<failure" in first[3] and "<skipped" in first[3]
    assert (sample / ".bitext" / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
    loads.clear()
    assert reports(sample, cache=True) == first
    assert loads == []


def test_an_entry_made_with_another_salt_is_not_used(sample: Path, loads: list[str],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    """A cache committed to the repository, or written by hand, cannot hide a finding.

    The forger has the files and the code, so computes the digest of the edited
    files on their own machine, and files the clean outcome under it.
    """
    import json

    reports(sample, cache=True)  # clean, on this machine
    cache_file = sample / ".bitext" / "check-cache.json"
    clean = json.loads(cache_file.read_text(encoding="utf-8"))
    _edit(sample / PO, 'msgstr "Again, on October 3,', 'msgstr "Again, on October 4,')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "the-forgers-machine"))
    reports(sample, cache=True)
    theirs = json.loads(cache_file.read_text(encoding="utf-8"))
    clean["catalogs"]["en/article"]["digest"] = theirs["catalogs"]["en/article"]["digest"]
    cache_file.write_text(json.dumps(clean), encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))  # back on this machine
    loads.clear()
    found = reports(sample, cache=True)
    assert loads == ["article"] and "error dates" in found[0]


def test_the_code_identity_follows_every_file_of_the_package(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    package = tmp_path / "pipeline"
    (package / "checks").mkdir(parents=True)
    module = package / "checks" / "numbers.py"
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(check_cache, "_PACKAGE", package)
    first = check_cache.code_identity()
    module.write_text("x = 2\n", encoding="utf-8")
    import os

    os.utime(module, ns=(1, 1))
    assert check_cache.code_identity() != first


def test_no_home_no_cache(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    reports(sample, cache=True)
    assert not (sample / ".bitext" / "check-cache.json").exists()
