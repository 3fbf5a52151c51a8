"""A corpus of malformed input, through the CLI: one message naming the file (and line),
exit 2 (1 for what the contract calls a conflict), no traceback, and nothing written.

Each case starts from the same small publication, updated once (POT, PO, translated
Markdown, sync state), damages one file or passes one bad name, runs one command and
compares every file's bytes before and after. A damaged sync state is the exception the
contract makes: it is reported (a warning naming it) and rebuilt from the PO and the
Markdown, so there the state file, and only it, may change.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.translation import conflict_block
from tests.conftest import TINY_CONFIG
from tests.e2e.snapshots import snapshot as publication_tree

pytestmark = pytest.mark.e2e

SRC = "source/tr/doc.md"
MD = "source/en/doc.md"
PO = "locale/en/LC_MESSAGES/doc.po"
POT = "locale/doc.pot"
STATE = "locale/en/LC_MESSAGES/doc.sync.json"
TOML = "bitext.toml"

TR = """\
---
title: "Küçük bir yazı"
lang: tr
---

## Giriş

İlk paragraf İstanbul'da yazıldı.[^1]

İkinci paragraf kısa.

> Bir alıntı.

- Bir madde.

[^1]: Bir dipnot.
"""

EN = """\
---
title: "A short piece"
lang: en
---

## Introduction

The first paragraph was written in Istanbul.[^1]

The second paragraph is short.

> A quote.

- An item.

[^1]: A footnote.
"""

BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)

Edit = Callable[[Path], None]


def put(name: str, content: str | bytes) -> Edit:
    def edit(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return edit


def sub(name: str, old: str, new: str, count: int = 1) -> Edit:
    def edit(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)
    return edit


def state_json(change: Callable[[dict[str, object]], object]) -> Edit:
    def edit(root: Path) -> None:
        path = root / STATE
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(change(data) or data), encoding="utf-8")
    return edit


def front(fields: str, body: str = "\nMetin.\n") -> str:
    return f"---\ntitle: Bir\n{fields}---\n{body}"


@dataclass(frozen=True)
class Case:
    edit: Edit | None
    where: str  # what the message must name: "file", "file:line", or a name
    args: tuple[str, ...] = ("update",)
    code: int = 2
    changes: frozenset[str] = field(default_factory=frozenset)  # files allowed to change
    warning: bool = False  # the message is a warning (the run goes on)


def case(edit: Edit | None, where: str, *args: str, code: int = 2,
         changes: tuple[str, ...] = (), warning: bool = False) -> Case:
    return Case(edit, where, args or ("update",), code, frozenset(changes), warning)


LONG = "x" * 300
CASES: dict[str, Case] = {
    # ---- the original, source/tr/doc.md ----
    "src-not-utf8": case(lambda root: (root / SRC).write_bytes(
        (root / SRC).read_bytes().replace("İkinci".encode(), b"\xffkinci")), f"{SRC}:10"),
    "src-utf16": case(put(SRC, TR.encode("utf-16")), f"{SRC}:1"),
    "src-yaml-unclosed-quote": case(sub(SRC, 'title: "Küçük bir yazı"', 'title: "Küçük'),
                                    f"{SRC}:2"),
    "src-yaml-bad-indent": case(sub(SRC, "lang: tr", "lang: tr\n  - x: [\n"), f"{SRC}:"),
    "src-yaml-surrogate": case(sub(SRC, 'title: "Küçük bir yazı"', 'title: "\\uD800 yazı"'),
                               f"{SRC}:2"),
    "src-yaml-surrogate-low": case(sub(SRC, "lang: tr", 'subtitle: "a\\udc00"'), f"{SRC}:3"),
    "src-yaml-surrogate-U": case(sub(SRC, "lang: tr", 'abstract: "\\U0000DBFF"'), f"{SRC}:3"),
    "src-yaml-alias-bomb": case(put(SRC, front(BOMB)), f"{SRC}:3"),
    "src-yaml-alias": case(put(SRC, front("a: x\nb: *a\n")), f"{SRC}:4"),
    "src-yaml-anchor": case(put(SRC, front("a: &x [1]\n")), f"{SRC}:3"),
    "src-yaml-merge-key": case(put(SRC, front("base: &b {a: 1}\nmore:\n  <<: *b\n")),
                               f"{SRC}:3"),
    "src-yaml-deep-flow": case(put(SRC, front("x: " + "[" * 5000 + "]" * 5000 + "\n")),
                               f"{SRC}:3"),
    "src-yaml-deep-map": case(put(SRC, front("x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n")),
                              f"{SRC}:3"),
    "src-yaml-too-long": case(put(SRC, front("".join(f"k{i}: {'a' * 990}\n"
                                                    for i in range(80)))), f"{SRC}:"),
    "src-yaml-tab-indent": case(put(SRC, front("x:\n\t- 1\n")), f"{SRC}:4"),
    "src-yaml-unclosed-flow": case(put(SRC, front("keywords: [bir, iki\n")), f"{SRC}:3"),
    "src-deep-quote": case(put(SRC, "Giriş.\n\n" + "> " * 10_000 + "derin\n"), f"{SRC}:3"),
    "src-deep-quote-tight": case(put(SRC, ">" * 10_000 + " derin\n"), f"{SRC}:1"),
    "src-deep-list": case(put(SRC, "- " * 10_000 + "derin\n"), f"{SRC}:1"),
    "src-deep-ordered": case(put(SRC, "1. " * 10_000 + "derin\n"), f"{SRC}:1"),
    "src-deep-indented-list": case(put(SRC, "".join("  " * i + "- x\n" for i in range(150))),
                                   f"{SRC}:101"),
    "src-deep-mixed": case(put(SRC, "Bir.\n\n" + "> - " * 60 + "derin\n"), f"{SRC}:3"),
    "src-deep-footnotes": case(put(SRC, "Bir.[^a]\n\n" + "[^a]: " * 500 + "x\n"), f"{SRC}:3"),
    "src-footnote-undefined": case(sub(SRC, "İkinci paragraf kısa.", "İkinci[^yok] kısa."),
                                   f"{SRC}:10"),
    "src-footnote-twice": case(sub(SRC, "[^1]: Bir dipnot.", "[^1]: Bir.\n\n[^1]: İki."),
                               f"{SRC}:18"),
    "src-is-a-folder": case(lambda root: ((root / SRC).unlink(), (root / SRC).mkdir()),
                            SRC),
    "build-deep-quote": case(put(SRC, "Giriş.\n\n" + "> " * 10_000 + "derin\n"), f"{SRC}:3",
                             "build", "--to", "html"),
    "build-alias-bomb": case(put(SRC, front(BOMB)), f"{SRC}:3", "build", "--to", "html"),
    "build-surrogate": case(sub(SRC, 'title: "Küçük bir yazı"', 'title: "\\uD800"'),
                            f"{SRC}:2", "build", "--to", "html"),
    "build-not-utf8": case(lambda root: (root / SRC).write_bytes(b"\xfe" + (root / SRC)
                                                                 .read_bytes()),
                           f"{SRC}:1", "build", "--to", "html"),
    "check-deep-list": case(put(SRC, "- " * 10_000 + "derin\n"), f"{SRC}:1", "check"),
    "check-alias": case(put(SRC, front("a: *b\n")), f"{SRC}:3", "check"),
    "status-bad-po": case(put(PO, 'msgid "x"\nmsgstr "unterminated\n'), f"{PO}:2", "status",
                          "doc"),
    # ---- the translation, source/en/doc.md ----
    "md-not-utf8": case(lambda root: (root / MD).write_bytes(
        (root / MD).read_bytes().replace(b"second", b"sec\xc3ond")), f"{MD}:10"),
    "md-yaml-unclosed": case(sub(MD, 'title: "A short piece"', 'title: "A short'), f"{MD}:2"),
    "md-yaml-alias": case(sub(MD, "lang: en", "lang: &l en\nother: *l"), f"{MD}:3"),
    "md-yaml-surrogate": case(sub(MD, 'title: "A short piece"', 'title: "\\uDFFF"'),
                              f"{MD}:2"),
    "md-deep-quote": case(sub(MD, "> A quote.", "> " * 10_000 + "A quote."), f"{MD}:"),
    "md-deep-list": case(sub(MD, "- An item.", "- " * 10_000 + "An item."), f"{MD}:14"),
    "md-footnote-undefined": case(sub(MD, "is short.", "is short.[^9]"), f"{MD}:10"),
    "md-footnote-twice": case(sub(MD, "[^1]: A footnote.", "[^1]: A.\n\n[^1]: B."),
                              f"{MD}:18"),
    "md-unresolved-conflict": case(sub(MD, "The second paragraph is short.",
                                       conflict_block("Mine.", "Theirs.")), f"{MD}:10", code=1),
    "md-merged-paragraphs": case(sub(MD, "Istanbul.[^1]\n\nThe second",
                                     "Istanbul.[^1] The second"), f"{MD}:8", code=1),
    "md-inserted-paragraph": case(sub(MD, "The second paragraph is short.\n",
                                      "The second paragraph is short.\n\nA new one.\n\n"
                                      "And another one, quite unlike the rest.\n"),
                                  f"{MD}:", code=1),
    # ---- the catalog, locale/en/LC_MESSAGES/doc.po ----
    "po-not-utf8": case(lambda root: (root / PO).write_bytes(
        (root / PO).read_bytes().replace(b"Giri\xc5\x9f", b"Giri\xc5")), f"{PO}:"),
    "po-unterminated": case(sub(PO, 'msgid "Giriş"', 'msgid "Giriş'), f"{PO}:"),
    "po-bad-escape": case(sub(PO, 'msgid "Giriş"', 'msgid "Gi\\qriş"'), f"{PO}:"),
    "po-cut-in-entry": case(lambda root: (root / PO).write_text(
        (root / PO).read_text(encoding="utf-8").rsplit("msgstr", 1)[0], encoding="utf-8"),
        f"{PO}:"),
    "po-emptied": case(put(PO, ""), PO, code=1),
    "po-header-only": case(lambda root: (root / PO).write_text(
        (root / PO).read_text(encoding="utf-8").split("\n\n")[0] + "\n", encoding="utf-8"),
        PO, code=1),
    "po-garbage": case(put(PO, "hello world\nthis is not a catalog\n"), f"{PO}:1"),
    "po-binary": case(put(PO, b"\xde\x12\x04\x95\x00\x00\x00\x00" * 8), f"{PO}:1"),
    "po-duplicate-entry": case(lambda root: (root / PO).write_text(
        (root / PO).read_text(encoding="utf-8") + '\nmsgid "Giriş"\nmsgstr "Again"\n',
        encoding="utf-8"), f"{PO}:"),
    "po-unknown-msgid": case(lambda root: (root / PO).write_text(
        (root / PO).read_text(encoding="utf-8") + '\nmsgid "Hiç olmayan"\nmsgstr "None"\n',
        encoding="utf-8"), f"{PO}:"),
    "po-msgstr-without-msgid": case(lambda root: (root / PO).write_text(
        (root / PO).read_text(encoding="utf-8") + '\nmsgstr "orphan"\n', encoding="utf-8"),
        f"{PO}:"),
    "po-msgstr-nested-too-deep": case(sub(PO, 'msgstr "The second paragraph is short."',
                                          'msgstr "' + "> " * 150 + 'deep"'), f"{PO}:"),
    "po-stray-text": case(sub(PO, 'msgid "Giriş"', 'msgid "Giriş"\nstray words'), f"{PO}:"),
    "build-po-unterminated": case(sub(PO, 'msgid "Giriş"', 'msgid "Giriş'), f"{PO}:",
                                  "build", "--to", "html"),
    "check-po-bad-escape": case(sub(PO, 'msgid "Giriş"', 'msgid "Gi\\qriş"'), f"{PO}:",
                                "check"),
    # ---- the template, locale/doc.pot ----
    "pot-not-utf8": case(lambda root: (root / POT).write_bytes(
        b"\xff" + (root / POT).read_bytes()), f"{POT}:1",
        "update"),
    "pot-unterminated-header": case(sub(POT, 'msgstr ""', 'msgstr "'), f"{POT}:"),
    "pot-garbage": case(both(put(POT, "garbage\n"), sub(PO, "A short piece", "A piece")),
                        f"{POT}:1"),
    # ---- the settings, bitext.toml ----
    "toml-syntax": case(put(TOML, TINY_CONFIG + "this is = = not toml\n"), f"{TOML}:"),
    "toml-unclosed-string": case(put(TOML, 'source_lang = "tr\n'), f"{TOML}:"),
    "toml-target-not-list": case(put(TOML, TINY_CONFIG.replace('["en"]', '"en"')), TOML),
    "toml-bad-lang": case(put(TOML, TINY_CONFIG.replace('["en"]', '["not a language"]')),
                          TOML),
    "toml-source-is-target": case(put(TOML, TINY_CONFIG.replace('["en"]', '["tr"]')), TOML),
    "toml-footnote-style": case(put(TOML, TINY_CONFIG.replace("lower-roman", "klingon")),
                                TOML),
    "toml-number-lang": case(put(TOML, TINY_CONFIG.replace('"tr"', "7", 1)), TOML),
    "toml-empty-targets": case(put(TOML, TINY_CONFIG.replace('["en"]', "[]")), TOML),
    "toml-unknown-key": case(put(TOML, TINY_CONFIG + "sorce_lang = 'tr'\n"), TOML),
    "toml-build-check": case(put(TOML, TINY_CONFIG.replace('["en"]', '"en"')), TOML,
                             "build", "--to", "html"),
    # ---- the sync state: reported, rebuilt, never trusted, never a traceback ----
    "state-not-json": case(put(STATE, "{not json"), STATE, code=0, changes=(STATE,),
                           warning=True),
    "state-empty": case(put(STATE, ""), STATE, code=0, changes=(STATE,), warning=True),
    "state-a-list": case(put(STATE, "[1, 2, 3]"), STATE, code=0, changes=(STATE,),
                         warning=True),
    "state-conflicts-overflow": case(sub(STATE, '"conflicts": 0', '"conflicts": 1e999'),
                                     STATE, code=0, changes=(STATE,), warning=True),
    "state-conflicts-string": case(sub(STATE, '"conflicts": 0', '"conflicts": "many"'),
                                   STATE, code=0, changes=(STATE,), warning=True),
    "state-row-short": case(state_json(lambda d: d["segments"][0].pop()),  # type: ignore
                            f"{STATE}:", code=0, changes=(STATE,), warning=True),
    "state-row-a-number": case(state_json(lambda d: d["segments"].insert(0, 7)),  # type: ignore
                               STATE, code=0, changes=(STATE,), warning=True),
    "state-key-a-number": case(state_json(
        lambda d: d["segments"][1].__setitem__(0, 12)),  # type: ignore[index]
        STATE, code=0, changes=(STATE,), warning=True),
    "state-files-a-list": case(state_json(lambda d: d.__setitem__("files", [1])),
                               STATE, code=0, changes=(STATE,), warning=True),
    "state-segments-missing": case(state_json(lambda d: d.pop("segments")), STATE, code=0,
                                   changes=(STATE,), warning=True),
    "state-deep-json": case(put(STATE, "[" * 100_000), STATE, code=0, changes=(STATE,),
                            warning=True),
    "state-damaged-and-both-edited": case(
        both(put(STATE, "{"), sub(PO, 'msgstr "The second paragraph is short."',
                                  'msgstr "The second paragraph, edited in the PO."'),
             sub(MD, "The second paragraph is short.", "The second, edited in Markdown.")),
        f"{MD}:10", code=1, changes=(STATE, MD), warning=True),
    # ---- names on the command line ----
    "name-slash": case(None, "'a/b'", "update", "a/b"),
    "name-dotdot": case(None, "'..'", "update", ".."),
    "name-parent-path": case(None, "'../doc'", "update", "../doc"),
    "name-absolute": case(None, "'/etc/passwd'", "update", "/etc/passwd"),
    "name-empty": case(None, "''", "update", ""),
    "name-with-md": case(None, "'doc.md'", "update", "doc.md"),
    "name-300-chars": case(None, "is 300 bytes long in UTF-8", "update", LONG),
    "name-missing": case(None, "source/tr/nosuch.md", "update", "nosuch"),
    "name-build-dotdot": case(None, "'../doc'", "build", "../doc"),
    "name-build-300": case(None, "is 300 bytes long in UTF-8", "build", LONG),
    "name-check-slash": case(None, "'a/b'", "check", "a/b"),
    "name-status-300": case(None, "is 300 bytes long in UTF-8", "status", LONG),
    "name-translate-dotdot": case(None, "'..'", "translate", ".."),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base")
    for name, text in {TOML: TINY_CONFIG, SRC: TR, MD: EN}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1790000000")
        result = CliRunner().invoke(cli, ["-C", str(root), "update"])
    assert result.exit_code == 0, result.output
    return root


def snapshot(root: Path) -> dict[str, bytes | None]:
    return publication_tree(root, folders=True)  # folders too: none made by a refused run


@pytest.mark.parametrize("name", CASES)
def test_malformed_input(name: str, base: Path, tmp_path: Path, runner: CliRunner) -> None:
    spec = CASES[name]
    root = tmp_path / "pub"
    shutil.copytree(base, root)
    if spec.edit is not None:
        spec.edit(root)
    before = snapshot(root)
    result = runner.invoke(cli, ["-C", str(root), *spec.args])
    output = result.output
    assert result.exit_code == spec.code, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert str(tmp_path) not in output  # files are named as the user sees them
    lines = [line for line in output.splitlines()
             if line.startswith(("Error:", "error:", "warning:"))]
    if spec.warning:
        assert any(line.startswith("warning: " + STATE) for line in lines), output
        lines = [line for line in lines if not line.startswith("warning:")]
    if spec.code == 2:
        assert len(lines) == 1, output  # one message
        assert spec.where in lines[0], output
    elif spec.code == 1:
        assert any(spec.where in line for line in lines), output
    after = snapshot(root)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == set(spec.changes), output
    if STATE in spec.changes:  # rebuilt, and now trusted again
        second = runner.invoke(cli, ["-C", str(root), "update"])
        assert "warning" not in second.output
        assert second.exit_code == spec.code, second.output
