"""The pandoc session gives the command line's bytes: ASTs, HTML and typst, errors too.

`pipeline.adapters.pandoc` sends every run to a long-lived ``pandoc lua`` process; the
command line (one process per run, ``--sandbox``) is the reference. Both read and write
the same texts here (the sample, the shared corpus when it is beside the clone, and
Markdown with every construct pandoc's reader knows) and must agree byte for byte; the
session's reader is sandboxed as ``--sandbox`` is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.adapters import pandoc
from pipeline.errors import BitextError
from tests.conftest import CORPUS, REPO

pytestmark = pytest.mark.e2e

CONSTRUCTS = """\
---
title: "Başlık *vurgu*"
author: [Ayşe, "Ali [bağlantı](https://example.org)"]
abstract: |
  Özet paragrafı[^x].
---

# Başlık {#baslik .sinif lang=tr}

Bir paragraf, *vurgu*, **kalın**, ~~üstü çizili~~, ^üst^, ~alt~, `kod`, [bağlantı](https://a.b "t"),
<https://otomatik.org>, e@posta.com, "tırnak" ve 'tek', --- tire -- ... üç nokta.[^1]

[^1]: Not, iki paragraf.

    İkinci paragraf.

[^x]: Özetteki not.

> Alıntı
>
> > iç içe

- madde
  - alt madde
1. sıralı
2. ikinci

Terim
:   tanımı

| a | b |
|---|---|
| 1 | 2 |

```python
print("kod")
```

    girintili kod

$x^2$ ve $$\\int x$$

<script>alert(1)</script> \\input{/etc/passwd} `raw`{=typst} ![resim](../../etc/passwd)

::: {.kutu lang=en}
Div içi.
:::

[span]{.x lang=ar dir=rtl} وقال  @perspektif [@doe2020]

Satır\\
sonu  ve  boşluklar\ttab.

Abbreviations pandoc's data file knows and pandoc.read's defaults do not: Esad,No. Esad,
No. 5, s. 22, Prof. Dr. Ahmet, Mr. Smith, vs. them, e.g. this, Fig. 3, Vol. II.

| a head | b |
|---|------|
| a cell of a row whose line is longer than 72 columns, not than 80 ones | 2 |

---

Son.
"""


def texts() -> list[str]:
    found = [CONSTRUCTS, "", "\n", "Tek satır", "\r\nCRLF\r\n\r\nsatırları\r\n",
             "> " * 40 + "derin\n", "*" * 30 + "a" + "*" * 30 + "\n"]
    for lang in ("tr", "en"):
        found.append((REPO / "source" / lang / "article.md").read_text(encoding="utf-8"))
    if CORPUS.is_dir():
        found += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))[:40]]
    return found


def test_the_session_reads_as_the_command_line_does(monkeypatch: pytest.MonkeyPatch) -> None:
    got = [pandoc.parse_markdown(text, shown="t") for text in texts()]
    monkeypatch.setattr(pandoc, "orjson", None)  # the reference's JSON read by json
    for text, ast in zip(texts(), got, strict=True):
        assert ast == pandoc.parse_markdown_cli(text, shown="t"), text[:60]


@pytest.mark.parametrize("to", ["html", "typst"])
@pytest.mark.parametrize("once", [False, True])
def test_the_session_writes_as_the_command_line_does(
    to: str, once: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    asts = [pandoc.parse_markdown_cli(text, shown="t") for text in texts()]
    empty: dict[str, Any] = {**asts[0], "meta": {}, "blocks": []}
    # the ASTs one by one, and together with empty ones first, between and last
    batches = [[ast] for ast in asts] + [[empty, *asts[:3], empty, empty, asts[0], empty]]
    got = [pandoc.write_fragments(batch, to, shown="t", once=once) for batch in batches]
    # the reference: the command line, its JSON written by json (orjson writes the session's)
    monkeypatch.setattr(pandoc, "orjson", None)
    for batch, fragments in zip(batches, got, strict=True):
        assert fragments == pandoc.write_fragments_cli(batch, to, shown="t", once=once)
        assert len(fragments) == len(batch)
    assert any(got[-1])  # not vacuous


def test_identical_asts_written_once_are_the_same_text() -> None:
    ast = pandoc.parse_markdown("Bir *cümle*.\n", shown="t")
    other = pandoc.parse_markdown("Başka bir cümle.\n", shown="t")
    assert pandoc.write_fragments([ast, other, ast], "typst", shown="t", once=True) == \
        pandoc.write_fragments([ast, other, ast], "typst", shown="t")


def test_an_error_is_the_command_lines_and_the_session_lives_on() -> None:
    bad = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Bogus"}]}
    with pytest.raises(BitextError) as session:
        pandoc.write_fragments([bad], "typst", shown="t")
    with pytest.raises(BitextError) as cli:
        pandoc.write_fragments_cli([bad], "typst", shown="t")
    assert session.value.message == cli.value.message
    assert session.value.message.startswith("pandoc failed: JSON parse error")
    assert pandoc.parse_markdown("Yine.\n", shown="t")["blocks"]


def test_the_sessions_reader_is_sandboxed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("gizli\n", encoding="utf-8")
    # the LaTeX reader includes files (markdown's cannot): the sandbox must refuse
    out = pandoc._request("read", "latex", f"\\input{{{secret}}}".encode(), shown="t")
    assert b"gizli" not in out
    assert b'"blocks":[]' in out


def test_the_sessions_writers_fetch_nothing(tmp_path: Path) -> None:
    # the writers get sanitised ASTs (no images: pipeline.render.sanitize); one with an image
    # and a link to a secret file still reads neither, in either format
    secret = tmp_path / "secret.txt"
    secret.write_text("gizli\n", encoding="utf-8")
    ast = pandoc.parse_markdown(f"![resim]({secret}) [bağ]({secret})\n", shown="t")
    for to in ("html", "typst"):
        out = pandoc.write_fragments([ast], to, shown="t")[0]
        assert "gizli" not in out
        assert str(secret) in out  # the path is only text
