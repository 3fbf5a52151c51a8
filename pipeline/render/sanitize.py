"""Make a parsed source safe to publish: nothing in it may act, fetch or embed.

The reader already turns raw HTML/TeX/typst into text (see
`pipeline.adapters.pandoc.READER`); this pass is the second lock, on the AST:

- raw blocks and inlines are dropped (none can come from the reader, but a
  later pandoc might change its mind);
- a link whose URL has a scheme other than http, https, mailto, ftp or tel
  (``javascript:``, ``data:``, ``file:``, ``vbscript:``…) keeps its text and
  loses its target; browsers ignore tabs, newlines and leading blanks in a
  scheme, so the check does too;
- images become their description in brackets (a source may not make the
  build read a file: ``![](../../etc/passwd)``, nor load a remote one);
- attributes keep an identifier, classes and ``lang``/``dir`` only, so
  ``{onclick=…}`` or ``{style=…}`` never reach HTML; classes and identifiers
  that bitext uses itself (``bitext-…``, ``fn-…``, ``fnref-…``) are renamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from pipeline.render.ast import Node, map_lists, span, text

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
_LANG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_RESERVED_ID = re.compile(r"^(?:bitext|fn-|fnref-|row-)", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """True for relative URLs, fragments and the http(s)/mailto/ftp/tel schemes.

    Percent-escapes are decoded first, so ``java%09script:`` counts as ``javascript:``.
    """
    squeezed = _IGNORED_IN_URLS.sub("", unquote(url))
    match = _SCHEME.match(squeezed)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def clean_attr(a: list[Any], keep_id: Callable[[str], bool] | None = None) -> list[Any]:
    """An Attr with a safe identifier, no bitext classes, and only lang/dir pairs.

    ``keep_id`` exempts identifiers (bitext's own segment markers) from renaming.
    """
    ident, classes, pairs = a
    if ident and _RESERVED_ID.match(ident) and not (keep_id and keep_id(ident)):
        ident = "x-" + ident
    classes = [c for c in classes if not c.lower().startswith("bitext")]
    kept = []
    for key, value in pairs:
        if (key == "lang" and _LANG.match(value)) or (key == "dir" and value in ("ltr", "rtl")):
            kept.append([key, value])
    return [ident, classes, kept]


def _inlines(inlines: list[Node], keep_id: Callable[[str], bool] | None) -> list[Node]:
    out: list[Node] = []
    for node in inlines:
        kind = node["t"]
        if kind == "RawInline":
            continue
        if kind == "Image":
            a, alt, _target = node["c"]
            out.append(span(clean_attr(a), [text("["), *alt, text("]")]))
            continue
        if kind == "Link":
            a, content, (url, title) = node["c"]
            if not safe_url(url):
                out.append(span(clean_attr(a), content))
                continue
            node = {"t": "Link", "c": [clean_attr(a), content, [url, title]]}
        elif kind in ("Span", "Code"):
            node = {"t": kind, "c": [clean_attr(node["c"][0], keep_id), *node["c"][1:]]}
        out.append(node)
    return out


def _blocks(blocks: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in blocks:
        kind = node["t"]
        if kind == "RawBlock":
            continue
        if kind in ("Div", "CodeBlock", "Table", "Figure"):
            node = {"t": kind, "c": [clean_attr(node["c"][0]), *node["c"][1:]]}
        elif kind == "Header":
            level, a, content = node["c"]
            node = {"t": kind, "c": [level, clean_attr(a), content]}
        out.append(node)
    return out


def sanitize(value: Any, keep_id: Callable[[str], bool] | None = None) -> Any:
    """A copy of an AST (or any part of one) with everything active removed.

    ``keep_id``: span identifiers to leave alone (the renderer's segment markers).
    """
    return map_lists(value, inlines=lambda items: _inlines(items, keep_id), blocks=_blocks)
