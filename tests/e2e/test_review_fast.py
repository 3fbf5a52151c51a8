"""`bitext review`'s three ways to render a text give the page pandoc alone gives.

The fast path (`pipeline.render.plain_html`), the fragment cache
(``.bitext/review``) and pandoc in parallel chunks must not change one byte of
the page; the cache must spare pandoc the texts it has seen, and be ignored
when it was made by another pandoc or other code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.commands.review as review_command
from pipeline.adapters import pandoc
from tests.e2e.test_review_cli import PAGE, edit
from tests.e2e.test_update_cli import EN, TR, run

pytestmark = pytest.mark.e2e
CACHE = ".bitext/review/en/doc.json"


class Pandoc:
    """Every pandoc run of a review: its arguments and input."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.inputs: list[str] = []
        self.real = pandoc._run
        monkeypatch.setattr(pandoc, "_run", self.run)

    def run(self, args: list[str], data: bytes, *, shown: str) -> bytes:
        if "json" not in args[:2]:  # the parses, not the writes
            self.inputs.append(data.decode("utf-8"))
        return self.real(args, data, shown=shown)


@pytest.fixture
def pub(project, runner: CliRunner) -> Path:  # type: ignore[no-untyped-def]
    root = project({"source/tr/doc.md": TR, "source/en/doc.md": EN})
    edit(root / "source/tr/doc.md", "İkinci paragraf 29 Eylül 2021'de değişti.",
         "İkinci paragraf 29 Eylül 2021'de *büyük ölçüde* değişti.")
    assert run(runner, root, "update")[0] == 0
    return root


def review(runner: CliRunner, root: Path) -> str:
    code, out = run(runner, root, "review")
    assert code == 0, out
    return (root / PAGE).read_text(encoding="utf-8")


def test_the_page_is_the_one_pandoc_alone_makes(
    pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = Pandoc(monkeypatch)
    fast = review(runner, pub)
    assert len(runs.inputs) == 1  # the texts the fast path left: one chunk
    assert "yazı" not in runs.inputs[0]  # plain prose never reached pandoc
    shutil.rmtree(pub / ".bitext")
    monkeypatch.setattr(review_command, "plain_html", lambda text, targets=None: None)
    slow = review(runner, pub)
    assert len(runs.inputs) == 2
    assert fast == slow
    shutil.rmtree(pub / ".bitext")
    monkeypatch.setattr(review_command, "CHUNK", 1)  # one pandoc run per text, side by side
    runs.inputs.clear()
    assert review(runner, pub) == slow
    assert len(runs.inputs) > 6


def test_a_second_review_runs_no_pandoc_and_an_edit_only_its_text(
    pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = review(runner, pub)
    assert (pub / CACHE).is_file()
    assert (pub / ".bitext/review/.gitignore").read_text(encoding="utf-8").endswith("*\n")
    runs = Pandoc(monkeypatch)
    assert review(runner, pub) == first
    assert runs.inputs == []
    edit(pub / "source/tr/doc.md", "*büyük ölçüde*", "*tamamen*")
    assert run(runner, pub, "update")[0] == 0
    page = review(runner, pub)
    assert "<em>tamamen</em>" in page
    assert len(runs.inputs) == 1 and runs.inputs[0].count(":::") == 2  # one text, one div
    assert "tamamen" in runs.inputs[0]
    # the cache keeps this run's texts only: the old version of the edited one is gone
    assert "büyük ölçüde" not in (pub / CACHE).read_text(encoding="utf-8")


def test_a_cache_of_other_code_or_broken_is_ignored(
    pub: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = review(runner, pub)
    data = json.loads((pub / CACHE).read_text(encoding="utf-8"))
    assert data["fragments"]
    # what another pandoc or other code made: same keys, other HTML
    data["identity"] = "another pandoc"
    data["fragments"] = {k: ["<p>stale</p>", False] for k in data["fragments"]}
    (pub / CACHE).write_text(json.dumps(data), encoding="utf-8")
    runs = Pandoc(monkeypatch)
    assert review(runner, pub) == first
    assert len(runs.inputs) == 1
    (pub / CACHE).write_text("{not json", encoding="utf-8")
    assert review(runner, pub) == first
    assert len(runs.inputs) == 2


def test_json_reads_the_cache_and_writes_none(pub: Path, runner: CliRunner) -> None:
    code, out = run(runner, pub, "review", "--format", "json")
    assert code == 0, out
    assert not (pub / ".bitext/review").exists()  # (update's own caches may be there)
