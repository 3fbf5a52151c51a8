"""Make a parsed source safe to publish: nothing in it may act, fetch or embed.

The reader already turns raw HTML/TeX/typst into text (see
`pipeline.adapters.pandoc.READER`); this pass is the second lock, on the AST:

- raw blocks and inlines are dropped (none can come from the reader, but a
  later pandoc might change its mind);
- a link keeps its target only when it is a valid ``http(s)://`` URL, a
  ``mailto:`` URL or an in-document ``#fragment`` (`clean_url`): anything else
  (``javascript:``, ``data:``, ``file:``, ``vbscript:``, ``ftp:``, a relative
  path, a broken URL such as ``java`` + backslash, newline + ``script:``) keeps its text and
  loses its target. Browsers ignore tabs, newlines and blanks in a URL, so
  these are stripped first; what is left is percent-encoded where a URL may
  not hold it, so every target is one a browser, epubcheck and a PDF agree on;
- images become their description in brackets (a source may not make the
  build read a file: ``![](../../etc/passwd)``, nor load a remote one);
- attributes keep an identifier, classes and ``lang``/``dir`` only, so
  ``{onclick=…}`` or ``{style=…}`` never reach HTML; classes and identifiers
  that bitext uses itself (``bitext-…``, ``fn-…``, ``fnref-…``, ``title-…``) are renamed.

`sanitize_meta` applies the same to the front matter (title, subtitle,
author, abstract, publication note…), whose values pandoc parses as Markdown
too; an identifier in the front matter is dropped (the title block is shown
once per language, so it would be a duplicate in a bilingual edition).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from pipeline.render.ast import Node, map_lists, span, text

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# what browsers drop from a URL before they read it: ASCII controls and blanks
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
# a percent sign that does not start an escape
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# ASCII a URL may hold as is (RFC 3986 unreserved, reserved but "#[]", and "%")
_URL_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                       "-._~!$&'()*+,;=:@/?%")
_PORT = re.compile(r"^(?::\d{1,5})?:?$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_LANG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_RESERVED_ID = re.compile(r"^(?:bitext|fn-|fnref-|row-|title-)", re.IGNORECASE)


def _encode(part: str) -> str:
    """``part`` of a URL with what a URL may not hold percent-encoded.

    Letters beyond ASCII stay (an IRI: ``#giriş`` must still match the heading's
    identifier); controls, format characters and blanks beyond ASCII are encoded.
    """
    out = []
    for ch in _LONE_PERCENT.sub("%25", part):
        if ch in _URL_ASCII or (ord(ch) > 127 and unicodedata.category(ch)[0] not in "CZ"):
            out.append(ch)
        else:
            out.append(quote(ch, safe=""))
    return "".join(out)


def _host(host: str) -> str | None:
    """A host name, IPv4 or bracketed IPv6 address, lower case; None if it is not one."""
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1] if host.endswith("]") else "")
        except ValueError:
            return None
        return host.lower()
    name = host.lower().rstrip(".")
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        return None
    labels = ascii_name.split(".")
    if not name or not all(_HOST_LABEL.match(label) for label in labels):
        return None
    return name


def clean_url(url: str) -> str | None:
    """The target a link may keep, or None when it must lose it.

    Kept: ``http(s)://`` with a valid host (no user name, a valid port),
    ``mailto:`` and in-document ``#fragment``, the scheme in any case, after
    ASCII blanks and controls are removed (as browsers do), with anything a
    URL may not hold percent-encoded. Everything else (other schemes, relative
    paths, a scheme hidden by percent-escapes or a backslash) is None.
    """
    squeezed = _IGNORED_IN_URLS.sub("", url)
    if squeezed.startswith("#"):
        return "#" + _encode(squeezed[1:])
    match = _SCHEME.match(squeezed)
    if match is None or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    scheme = match.group(1).lower()
    rest = squeezed[match.end():]
    if scheme == "mailto":
        return "mailto:" + _encode(rest) if rest else None
    if not rest.startswith("//") or "\\" in rest:
        return None
    try:
        parts = urlsplit(squeezed)
    except ValueError:  # a bracketed host that is no IP address
        return None
    netloc = parts.netloc
    if netloc.startswith("["):
        end = netloc.find("]") + 1
        host_text, port_text = netloc[:end], netloc[end:]
    else:
        host_text, colon, port_text = netloc.partition(":")
        port_text = colon + port_text
    if "@" in netloc or not _PORT.match(port_text) or int(port_text[1:] or 0) > 65535:
        return None
    host = _host(host_text)
    if host is None:
        return None
    out = f"{scheme}://{host}" + (port_text if len(port_text) > 1 else "")
    out += _encode(parts.path)
    if parts.query or squeezed.split("#", 1)[0].endswith("?"):
        out += "?" + _encode(parts.query)
    if parts.fragment or squeezed.endswith("#"):
        out += "#" + _encode(parts.fragment)
    return out


def safe_url(url: str) -> bool:
    """True when a link may keep ``url`` as its target (see `clean_url`)."""
    return clean_url(url) is not None


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
            target = clean_url(url)
            if target is None:
                out.append(span(clean_attr(a), content))
                continue
            node = {"t": "Link", "c": [clean_attr(a), content, [target, title]]}
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


def _no_ids(value: Any) -> Any:
    def clear(node: Node) -> Node:
        kind = node["t"]
        if kind == "Header":
            level, a, content = node["c"]
            return {"t": kind, "c": [level, ["", *a[1:]], content]}
        if kind in ("Span", "Div", "Link", "Code", "CodeBlock", "Table", "Figure"):
            return {"t": kind, "c": [["", *node["c"][0][1:]], *node["c"][1:]]}
        return node

    return map_lists(value, inlines=lambda xs: [clear(x) for x in xs],
                     blocks=lambda xs: [clear(x) for x in xs])


def sanitize_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The front matter (pandoc's ``meta``) with everything active removed, as `sanitize`.

    Every value is cleaned, however deep (lists, maps), and loses its identifiers.
    """

    def value(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        kind, content = item.get("t"), item.get("c")
        if kind == "MetaMap" and isinstance(content, dict):
            return {"t": kind, "c": {k: value(v) for k, v in content.items()}}
        if kind == "MetaList" and isinstance(content, list):
            return {"t": kind, "c": [value(v) for v in content]}
        if kind in ("MetaInlines", "MetaBlocks"):
            return {"t": kind, "c": _no_ids(sanitize(content))}
        if kind in ("MetaString", "MetaBool"):
            return item
        return None

    cleaned = {key: value(item) for key, item in meta.items()}
    return {key: item for key, item in cleaned.items() if item is not None}
