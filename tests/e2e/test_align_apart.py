"""`bitext align` segments a big translation in a forked child beside the original.

The same PO either way; a malformed translation read apart is reported as one read
here (file and line); a malformed original leaves no child behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.adapters import workers
from pipeline.cli import cli
from pipeline.commands import align as align_command

pytestmark = pytest.mark.e2e

EN, TR = "source/en/article.md", "source/tr/article.md"


def _aligned(root: Path, monkeypatch: pytest.MonkeyPatch,
             apart: bool) -> tuple[int, str, list[int]]:
    children: list[int] = []
    real = workers.in_child
    monkeypatch.setattr(align_command, "in_child",
                        lambda compute: children.append(1) or real(compute))
    monkeypatch.setattr(align_command, "APART_FROM", 0 if apart else 10**12)
    out = root / ("apart.po" if apart else "here.po")
    result = CliRunner().invoke(cli, ["-C", str(root), "align", "--doc", "article", "-o",
                                      str(out)])
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    return result.exit_code, result.output + text, children


def test_a_translation_segmented_apart_aligns_as_one_segmented_here(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    here = _aligned(sample, monkeypatch, apart=False)
    others = _children()
    apart = _aligned(sample, monkeypatch, apart=True)
    if Path("/proc/self/status").exists():
        assert _children() - others == set()  # its child waited for, not left a zombie
    assert (here[2], apart[2]) == ([], [1])
    assert here[0] == apart[0] == 0
    assert apart[1].replace("apart.po", "X") == here[1].replace("here.po", "X")
    assert 'msgstr "' in apart[1]


def test_a_malformed_translation_segmented_apart_names_its_line(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sample / EN
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if n > 8 and line and line[0].isalpha())
    lines[at] += " [^nowhere]"
    path.write_text("\n".join(lines), encoding="utf-8")
    outcomes = [_aligned(sample, monkeypatch, apart) for apart in (False, True)]
    assert outcomes[0][0] == outcomes[1][0] == 2
    assert outcomes[0][1] == outcomes[1][1]
    assert f"{EN}:{at + 1}:" in outcomes[1][1]


def _children() -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{os.getpid()}\n" in status.read_text():
                found.add(int(status.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_malformed_original_leaves_no_child(sample: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = sample / TR
    path.write_text(path.read_text(encoding="utf-8") + "\nYeni [^nowhere].\n", encoding="utf-8")
    others = _children()
    code, out, children = _aligned(sample, monkeypatch, apart=True)
    assert code == 2 and children == [1], out
    assert TR in out
    assert _children() - others == set()  # neither running nor a zombie
