"""`bitext translate` through the CLI, against the test MT server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.adapters.po import read_catalog, render_catalog
from pipeline.catalog import Entry
from pipeline.cli import cli
from pipeline.commands.translate import translate
from pipeline.commands.update import update
from pipeline.config import load_config
from tests.libretranslate_server import FakeServer

pytestmark = pytest.mark.e2e

CONFIG = """\
source_lang = "tr"
target_langs = ["en"]
footnote_style = "lower-roman"

[translate]
timeout = 0.5
retries = 1
backoff = 0.0
batch_size = 2
rate_limit = 0
"""

# One paragraph per line: see the report of issue 7 on multi-line paragraphs and the sync.
TR = """\
---
title: "Örnek yazı"
lang: tr
---

## Başlık

Bu **önemli** bir yazıdır[^i], bakınız <https://example.org/yol> ve `kod --x` için.

İkinci paragraf çok *kısa* ve [site](https://example.com/a "Site") için yeni metin[^ii].

Komut `make test` ve adres https://example.net/x.

[^i]: https://example.org/dipnot

[^ii]: Dipnot metin, bakınız https://example.net/x.
"""

P1 = "Bu **önemli** bir yazıdır[^i], bakınız <https://example.org/yol> ve `kod --x` için."
P2 = 'İkinci paragraf çok *kısa* ve [site](https://example.com/a "Site") için yeni metin[^ii].'
P3 = "Komut `make test` ve adres https://example.net/x."
# What the test server's word map makes of each segment, markup put back by bitext.
DRAFTS = {
    "Örnek yazı": "Example article",
    "Başlık": "Heading",
    P1: "This **important** a is an article[^i], see <https://example.org/yol> and "
        "`kod --x` for.",
    P2: 'İkinci paragraph very *short* and [site](https://example.com/a "Site") for new '
        "text[^ii].",
    P3: "Command `make test` and address https://example.net/x.",
    "https://example.org/dipnot": "https://example.org/dipnot",
    "Dipnot metin, bakınız https://example.net/x.": "Footnote text, see https://example.net/x.",
}
PO = "locale/en/LC_MESSAGES/yazi.po"
DATE = "2026-09-21"  # SOURCE_DATE_EPOCH from conftest


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LIBRE_API_KEY", "DEEPL_API_KEY", "MYMEMORY_EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


@pytest.fixture
def root(project: Callable[[dict[str, str]], Path]) -> Path:
    return project({"bitext.toml": CONFIG, "source/tr/yazi.md": TR})


def run(runner: CliRunner, root: Path, *args: str) -> Result:
    return runner.invoke(cli, ["-C", str(root), *args])


def entries(root: Path) -> dict[str, Entry]:
    return {e.msgid: e for e in read_catalog(root / PO, shown=PO).entries}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_drafts_are_fuzzy_labelled_protected_and_shown_in_the_markdown(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "yazi [en]: 6 drafted, 1 copied, 0 proposed, 0 from the cache, 0 rejected",
        f"libre at {server.url}/: 6 requests; cache .bitext/mt-cache.json",
    ]
    assert "translating" in result.stderr  # the progress bar
    found = entries(root)
    assert {msgid: e.msgstr for msgid, e in found.items()} == DRAFTS
    assert all(e.fuzzy for e in found.values())
    assert found[P1].translator_comments == [f"bitext-mt: libre, {DATE}"]
    assert found["https://example.org/dipnot"].translator_comments == [f"bitext-mt: copy, {DATE}"]
    markdown = (root / "source/en/yazi.md").read_text(encoding="utf-8")
    assert f"<!-- bitext: fuzzy --> {DRAFTS[P1]}\n" in markdown
    assert "[^ii]: <!-- bitext: fuzzy --> Footnote text, see https://example.net/x.\n" in markdown
    status = run(runner, root, "status", "--format", "json")
    row = json.loads(status.stdout)[0]
    assert (row["machine"], row["fuzzy"], row["translated"]) == (7, 7, 0)
    if shutil.which("msgfmt"):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null",
                               str(root / "locale/en/LC_MESSAGES/yazi.po")],
                              capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, "")
    assert (root / ".bitext/.gitignore").exists()


def test_a_rerun_sends_nothing_and_changes_nothing(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    assert run(runner, root, "translate", "--url", server.url).exit_code == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".lock" not in p.name}
    again = run(runner, root, "translate", "--url", server.url)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[0] == (
        "yazi [en]: 0 drafted, 0 copied, 0 proposed, 0 from the cache, 0 rejected")
    assert server.translations == 6
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".lock" not in p.name}
    assert after == before


def test_the_cache_answers_what_was_translated_before(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    assert run(runner, root, "translate", "--url", server.url).exit_code == 0
    for path in [root / PO, root / "source/en/yazi.md", *root.glob("locale/en/**/*.json")]:
        path.unlink()
    again = run(runner, root, "translate", "--url", server.url)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[:2] == [
        "yazi [en]: 6 drafted, 1 copied, 0 proposed, 6 from the cache, 0 rejected",
        f"libre at {server.url}/: 0 requests; cache .bitext/mt-cache.json",
    ]
    assert server.translations == 6
    assert {msgid: e.msgstr for msgid, e in entries(root).items()} == DRAFTS


def test_a_run_that_fails_midway_keeps_its_batches_and_a_rerun_resumes(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    server.reset("500", ok_first=2)  # the first batch (title, heading) passes, then 500s
    failed = run(runner, root, "translate", "--url", server.url)
    assert failed.exit_code == 2
    assert failed.output.endswith(
        f"Error: the machine translator stopped: libre at {server.url}/: HTTP 500 "
        "(2 attempts); the 2 drafts made before are saved: run `bitext translate` again to "
        "go on\n")
    found = entries(root)
    assert [m for m, e in found.items() if e.msgstr] == ["Örnek yazı", "Başlık"]
    markdown = (root / "source/en/yazi.md").read_text(encoding="utf-8")
    assert "## <!-- bitext: fuzzy --> Heading\n" in markdown  # the closing update ran

    server.reset()
    resumed = run(runner, root, "translate", "--url", server.url)
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stdout.splitlines()[0] == (
        "yazi [en]: 4 drafted, 1 copied, 0 proposed, 0 from the cache, 0 rejected")
    assert {msgid: e.msgstr for msgid, e in entries(root).items()} == DRAFTS
    assert server.texts.count("Örnek yazı") == server.texts.count("Başlık") == 1


def test_an_interrupted_run_keeps_the_batches_it_finished(
    root: Path, server: FakeServer
) -> None:
    def interrupt(done: int, total: int) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate(load_config(root), ["yazi"], update=update, url=server.url,
                  progress=interrupt)
    assert [m for m, e in entries(root).items() if e.msgstr] == ["Örnek yazı", "Başlık"]
    cache = json.loads((root / ".bitext/mt-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache["translations"]["libre tr>en"]) == ["Başlık", "Örnek yazı"]


def test_a_draft_that_lost_a_placeholder_is_reported_and_not_written(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    server.reset("drop")  # the server loses the last placeholder of each text
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    found = entries(root)
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "yazi [en]: 2 drafted, 1 copied, 0 proposed, 0 from the cache, 4 rejected",
        f"  {PO}:{found[P1].line}: draft rejected: the engine lost {{5}} ('`kod --x`')",
        f"  {PO}:{found[P2].line}: draft rejected: the engine lost {{5}} ('[^ii]')",
        f"  {PO}:{found[P3].line}: draft rejected: the engine lost {{2}} "
        "('https://example.net/x')",
        f"  {PO}:{found['Dipnot metin, bakınız https://example.net/x.'].line}: draft "
        "rejected: the engine lost {1} ('https://example.net/x')",
    ]
    for msgid in (P1, P2, P3):
        assert (found[msgid].msgstr, found[msgid].fuzzy) == ("", False)
    assert found["Başlık"].msgstr == "Heading"
    cache = json.loads((root / ".bitext/mt-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache["translations"]["libre tr>en"]) == ["Başlık", "Örnek yazı"]


def test_reviewed_and_human_fuzzy_translations_are_never_touched(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    assert run(runner, root, "update").exit_code == 0
    catalog = read_catalog(root / PO, shown=PO)
    by_id = {e.msgid: e for e in catalog.entries}
    by_id[P1].msgstr = "A reviewed translation[^i]."
    by_id[P1].translator_comments = ["bitext-mt: libre, 2026-01-01", "checked by Ayşe"]
    by_id[P2].msgstr, by_id[P2].fuzzy = "A human draft[^ii].", True
    (root / PO).write_text(render_catalog(catalog), encoding="utf-8")

    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    found = entries(root)
    assert (found[P1].msgstr, found[P1].fuzzy) == ("A reviewed translation[^i].", False)
    assert found[P1].translator_comments == ["checked by Ayşe"]  # stale machine label gone
    assert (found[P2].msgstr, found[P2].fuzzy, found[P2].translator_comments) == (
        "A human draft[^ii].", True, [])
    sent = " ".join(server.texts)
    assert "önemli" not in sent and "kısa" not in sent
    assert found[P3].msgstr == DRAFTS[P3]


def test_only_fuzzy_proposes_beside_the_translation_without_replacing_it(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    assert run(runner, root, "update").exit_code == 0
    catalog = read_catalog(root / PO, shown=PO)
    next(e for e in catalog.entries if e.msgid == P3).msgstr = "Reviewed: command, address."
    (root / PO).write_text(render_catalog(catalog), encoding="utf-8")
    changed = P3.replace("ve adres", "ve yeni adres")
    (root / "source/tr/yazi.md").write_text(TR.replace(P3, changed), encoding="utf-8")

    result = run(runner, root, "translate", "--url", server.url, "--only", "fuzzy")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "yazi [en]: 0 drafted, 0 copied, 1 proposed, 0 from the cache, 0 rejected")
    entry = entries(root)[changed]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "Reviewed: command, address.", True, P3)
    assert entry.translator_comments == [
        f"bitext-mt-proposal: libre, {DATE}",
        "> Command `make test` and new address https://example.net/x.",
    ]
    assert sum(1 for e in entries(root).values() if e.msgstr) == 1  # nothing else drafted
    before = (root / PO).read_bytes()
    assert run(runner, root, "translate", "--url", server.url, "--only", "fuzzy").exit_code == 0
    assert (root / PO).read_bytes() == before


def test_an_unreachable_server_is_exit_2_with_a_message(runner: CliRunner, root: Path) -> None:
    port = closed_port()
    result = run(runner, root, "translate", "--url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert result.output.endswith(
        f"Error: cannot use the machine translator: libre at http://127.0.0.1:{port}/: cannot "
        "connect (Connection refused) (2 attempts); nothing was drafted\n")
    assert not any(e.msgstr for e in entries(root).values())


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("500", "HTTP 500"), ("slow", "no answer within 0.5 s"),
     ("malformed", "its answer is not what a libre server sends (malformed JSON)")],
)
def test_a_failing_server_is_exit_2_with_a_message(
    runner: CliRunner, root: Path, server: FakeServer, mode: str, reason: str
) -> None:
    server.reset(mode)
    server.slow = 30.0  # a client without bitext's timeout would wait this long
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 2
    assert result.output.endswith(
        f"Error: cannot use the machine translator: libre at {server.url}/: {reason} "
        "(2 attempts); nothing was drafted\n")
    assert server.translations == 2  # one request and its retry, then it gave up


def test_429_is_waited_out(runner: CliRunner, root: Path, server: FakeServer) -> None:
    server.reset("429", fail_times=1)
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    assert server.translations == 7
    assert {msgid: e.msgstr for msgid, e in entries(root).items()} == DRAFTS


def test_deepl_with_a_key_from_the_environment(
    runner: CliRunner, root: Path, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.api_key = "team-key:fx"
    monkeypatch.setenv("DEEPL_API_KEY", "team-key:fx")
    result = run(runner, root, "translate", "--provider", "deepl", "--url", server.url)
    assert result.exit_code == 0, result.output
    found = entries(root)
    assert found[P1].msgstr == DRAFTS[P1]
    assert found[P1].translator_comments == [f"bitext-mt: deepl, {DATE}"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"bitext.toml": CONFIG + 'api_key = "x"\n'},
         "Error: bitext.toml: invalid configuration:\n  'translate.api_key': secrets do not "
         "belong in the configuration, which goes into version control; remove it and set it "
         "in the environment: LIBRE_API_KEY (libre), DEEPL_API_KEY (deepl), MYMEMORY_EMAIL "
         "(mymemory)\n"),
        ({"pyproject.toml": "[tool.bitext]\nsource_lang = 'tr'\n[tool.bitext.translate]\n"
                            "timeout = 'soon'\n"},
         "Error: pyproject.toml: invalid configuration:\n  'tool.bitext.translate.timeout': "
         "expected a number, got str 'soon'\n"),
        ({"bitext.toml": CONFIG},
         "Error: the libre provider needs a LibreTranslate server: give --url URL or set url "
         "in the translate settings (e.g. http://localhost:5000)\n"),
    ],
    ids=["key-in-repository", "pyproject", "no-url"],
)
def test_bad_settings_are_exit_2_and_write_nothing(
    runner: CliRunner, project: Callable[[dict[str, str]], Path], files: dict[str, str],
    message: str,
) -> None:
    root = project({**files, "source/tr/yazi.md": TR})
    result = run(runner, root, "translate")
    assert (result.exit_code, result.output) == (2, message)
    assert not (root / "locale").exists()


def test_a_reviewed_draft_whose_original_changes_is_human_work_not_a_machine_draft(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    assert run(runner, root, "translate", "--url", server.url).exit_code == 0
    catalog = read_catalog(root / PO, shown=PO)
    reviewed = next(e for e in catalog.entries if e.msgid == P3)
    reviewed.msgstr, reviewed.fuzzy = "The command is `make test`; the address, " \
        "https://example.net/x.", False  # the translator edits the draft and unfuzzies it
    (root / PO).write_text(render_catalog(catalog), encoding="utf-8")
    changed = P3.replace("ve adres", "ve yeni adres")
    (root / "source/tr/yazi.md").write_text(TR.replace(P3, changed), encoding="utf-8")
    assert run(runner, root, "update").exit_code == 0  # fuzzy again, label still there

    result = run(runner, root, "translate", "--url", server.url, "--only", "fuzzy")
    assert result.exit_code == 0, result.output
    entry = entries(root)[changed]
    assert entry.msgstr.startswith("The command is")
    assert entry.translator_comments == [
        f"bitext-mt-proposal: libre, {DATE}",
        "> Command `make test` and new address https://example.net/x.",
    ]
    row = json.loads(run(runner, root, "status", "--format", "json").stdout)[0]
    assert (row["fuzzy"], row["machine"]) == (7, 6)  # the edited one is no longer counted


def test_every_target_language_is_drafted_and_cached_apart(
    runner: CliRunner, project: Callable[[dict[str, str]], Path], server: FakeServer
) -> None:
    config = CONFIG.replace('target_langs = ["en"]', 'target_langs = ["en", "de"]')
    root = project({"bitext.toml": config, "source/tr/yazi.md": TR})
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "yazi [en]: 6 drafted, 1 copied, 0 proposed, 0 from the cache, 0 rejected",
        "yazi [de]: 6 drafted, 1 copied, 0 proposed, 0 from the cache, 0 rejected",
    ]
    german = read_catalog(root / "locale/de/LC_MESSAGES/yazi.po", shown="de.po")
    assert [e.translator_comments[0].split(",")[0] for e in german.entries] == [
        "bitext-mt: libre"] * 5 + ["bitext-mt: copy", "bitext-mt: libre"]
    cache = json.loads((root / ".bitext/mt-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache["translations"]) == ["libre tr>de", "libre tr>en"]
    assert [p["target"] for p in server.libre_params] == ["en"] * 6 + ["de"] * 6


def test_a_server_failing_mid_batch_keeps_the_drafts_of_that_batch(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    # One batch for the whole file: the three drafts before the failure are only
    # saved by the save that runs when the batch is cut short.
    server.reset("500", ok_first=3)  # title, heading, P1 pass; P2 gets 500s
    failed = run(runner, root, "translate", "--url", server.url, "--batch-size", "50")
    assert failed.exit_code == 2
    assert "the 3 drafts made before are saved" in failed.output
    found = entries(root)
    assert {m: e.msgstr for m, e in found.items() if e.msgstr} == {
        m: DRAFTS[m] for m in ("Örnek yazı", "Başlık", P1)}
    assert all(e.fuzzy for e in found.values() if e.msgstr)
    cache = json.loads((root / ".bitext/mt-cache.json").read_text(encoding="utf-8"))
    assert len(cache["translations"]["libre tr>en"]) == 3

    server.reset()
    resumed = run(runner, root, "translate", "--url", server.url, "--batch-size", "50")
    assert resumed.exit_code == 0, resumed.output
    assert {msgid: e.msgstr for msgid, e in entries(root).items()} == DRAFTS
    assert sum("önemli" in t for t in server.texts) == 1  # P1 was not sent again


def test_an_interrupt_mid_batch_keeps_the_drafts_made_before_it(
    root: Path, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.adapters.mt import MachineTranslator, Outcome

    real = MachineTranslator.translate
    calls: list[str] = []

    def translate_then_ctrl_c(self: MachineTranslator, text: str) -> Outcome:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(MachineTranslator, "translate", translate_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        translate(load_config(root), ["yazi"], update=update, url=server.url, batch_size=50)
    assert [m for m, e in entries(root).items() if e.msgstr] == ["Örnek yazı", "Başlık"]
    cache = json.loads((root / ".bitext/mt-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache["translations"]["libre tr>en"]) == ["Başlık", "Örnek yazı"]


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs gettext's msgcat")
def test_drafting_into_a_wrapped_po_keeps_its_wrapping(
    runner: CliRunner, root: Path, server: FakeServer
) -> None:
    po = root / PO
    assert run(runner, root, "update").exit_code == 0
    subprocess.run(["msgcat", "-w", "79", "-o", str(po), str(po)], check=True)
    result = run(runner, root, "translate", "--url", server.url)
    assert result.exit_code == 0, result.output
    before = po.read_bytes()
    assert "This **important** a is an article" in before.decode("utf-8")
    again = subprocess.run(["msgcat", "-w", "79", str(po)], capture_output=True, check=True)
    assert again.stdout == before  # the drafts are wrapped exactly as gettext wraps them
    assert run(runner, root, "update").exit_code == 0
    assert po.read_bytes() == before  # and update finds nothing to rewrap
