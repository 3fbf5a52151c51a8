"""Untrusted source text: nothing in it may act, read a file, or be embedded in an edition."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli
from tests.e2e.build_helpers import anchors, epub_files, pdf_text

pytestmark = pytest.mark.e2e

HOSTILE = """---
title: "Başlık <script>alert('title')</script>"
---

Betik <script>alert(1)</script> ve \\input{{/etc/hostname}} ve \\input{{{secret}}} ile
`#read("/etc/hostname")`{{=typst}} ve `#read("{secret}")`{{=typst}} ve
![parola](../../../../etc/passwd) ve ![gizli]({secret_rel}) ve
[tıkla](javascript:alert(2)) ve [sekme](java%09script:alert(3)) ve <javascript:alert(4)>
ve [veri](data:text/html,<script>alert(5)</script>) ve [iyi](https://example.org){{onclick="alert(6)"}}.

```{{=html}}
<script>alert(7)</script><img src=x onerror=alert(8)>
```

```{{=typst}}
#read("{secret}")
#image("{secret}")
```

```{{=latex}}
\\input{{{secret}}}
```

<iframe src="{secret}"></iframe>

Dipnot[^a].

[^a]: Not <img src="{secret}" onerror="alert(9)"> `#read("{secret}")`{{=typst}}.
"""


@pytest.fixture
def hostile(project: Callable[[dict[str, str]], Path], tmp_path: Path) -> tuple[Path, str]:
    token = "SECRET-" + secrets.token_hex(8)
    secret = tmp_path / "secret.txt"
    secret.write_text(token + "\n", encoding="utf-8")
    text = HOSTILE.format(secret=secret, secret_rel="../../secret.txt")
    root = project({"source/tr/evil.md": text})
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(root), "update"]).exit_code == 0
    result = runner.invoke(cli, ["-C", str(root), "build"])
    assert result.exit_code == 0, result.output
    return root, token


def all_texts(root: Path) -> dict[str, str]:
    """Every output as text: HTML as is, each EPUB entry, each PDF's extracted text."""
    texts = {}
    for path in sorted((root / "output" / "evil").glob("evil.*")):
        if path.suffix == ".html":
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".epub":
            for name, data in epub_files(path).items():
                texts[f"{path.name}:{name}"] = data.decode("utf-8", "replace")
        else:
            texts[path.name] = pdf_text(path)
    return texts


def test_nothing_is_read_from_disk(hostile: tuple[Path, str]) -> None:
    root, token = hostile
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    for name, text in all_texts(root).items():
        assert token not in text, name
        assert "root:x:0:0" not in text, name
        if len(hostname) >= 6:  # a short hostname occurs in ordinary words
            assert hostname not in text, name
    for path in (root / "output" / "evil").glob("evil.*"):
        assert token.encode() not in path.read_bytes(), path.name


def test_html_and_epub_have_no_active_content(hostile: tuple[Path, str]) -> None:
    root, _ = hostile
    for name, text in all_texts(root).items():
        if name.endswith(".pdf") or not (name.endswith((".html", ".xhtml"))):
            continue
        page = anchors(text)
        # bitext's cover page shows its one image, the cover it made
        allowed = ("img",) if name.endswith("EPUB/text/cover.xhtml") else ()
        for tag, attrs in page.tags:
            if tag in allowed:
                assert attrs.get("src") == "../images/cover.png", (name, attrs)
                continue
            assert tag not in ("script", "iframe", "img", "object", "embed"), (name, tag)
            assert not any(k.startswith("on") for k in attrs), (name, tag, attrs)
            for key in ("href", "src"):
                value = re.sub(r"[\x00-\x20]|%09|%0a", "", attrs.get(key, "")).lower()
                assert not value.startswith(("javascript:", "data:", "file:", "vbscript:")), \
                    (name, attrs)
        if not name.endswith(("nav.xhtml", "cover.xhtml")):  # the source's tries, as text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, name
    epub = next(p for p in (root / "output" / "evil").glob("evil.tr.epub"))
    assert not [n for n in epub_files(epub) if n.startswith("EPUB/media")]


def test_pdfs_show_the_markup_as_text_and_embed_nothing(hostile: tuple[Path, str]) -> None:
    root, _ = hostile
    for path in (root / "output" / "evil").glob("evil.*.pdf"):
        # line breaks and hyphenation out, the source's code is on the page, as text:
        # typst did not run it
        text = re.sub(r"\xad|-?\s+", "", pdf_text(path))
        assert '#read("/etc/hostname")' in text, path.name
        assert "\\input{/etc/hostname}" in text, path.name
        reader = PdfReader(path)
        assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
        for page in reader.pages:
            xobjects = page.get("/Resources", {}).get_object().get("/XObject", {})
            assert not xobjects, path.name  # no image made it in
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A", {})
                assert action.get("/S") != "/JavaScript"
                uri = str(action.get("/URI", ""))
                assert uri in ("", "https://example.org"), uri


def test_the_only_link_left_is_the_safe_one(hostile: tuple[Path, str]) -> None:
    root, _ = hostile
    page = anchors((root / "output" / "evil" / "evil.tr.html").read_text(encoding="utf-8"))
    # besides the language switch's links to the other editions of the document
    siblings = {"evil.en.html", "evil.tr-en.html"}
    external = [a["href"] for a in page.links
                if not a["href"].startswith("#") and a["href"] not in siblings]
    assert external == ["https://example.org"]
    assert all(set(a) <= {"href", "id", "class", "role", "hreflang"} for a in page.links)
