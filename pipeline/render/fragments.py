"""Many short Markdown texts rendered in one pandoc run, each on its own, made safe. Pure.

The review page (`pipeline.review`) shows every segment of a document, original
and translation, rendered as an edition renders it: emphasis, links, footnote
references. Running pandoc once per segment would cost seconds per document,
so `fragment_source` puts every text into one Markdown document, each in a
fenced div whose identifier holds a nonce (a hash of all the texts: a text
cannot forge it), and `fragment_asts` cuts pandoc's AST of it back into one
AST per text, for `pipeline.adapters.pandoc.write_fragments`.

What keeps one text from reaching into another:

- a line of a text that would open or close a fenced div (``:::``) or a code
  fence, or define a footnote or a link reference (``[^x]: …``, ``[x]: …``)
  starts with a backslash, so pandoc reads it as the text it shows;
- after parsing, every div must be where it was put, with nothing between
  divs and no div inside another; a text whose div is not is shown as plain,
  escaped text (``broken``), never as what pandoc made of it;
- footnote references (``[^ii]``) are defined once, at the end, with a
  marker each; every Note becomes a superscript label (a link to the row of
  its definition, when the caller knows it), never the note's content.

Each fragment is then sanitised as the editions are (`pipeline.render.sanitize`:
no raw markup, no unsafe URL, no image, no attribute but ``lang``/``dir``), and
loses its identifiers (they would clash with the page's row identifiers) and
its links to ``#fragments`` (there is nothing to point at).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from pipeline.render.ast import Node, attr, map_lists, nodes, para, text
from pipeline.render.sanitize import sanitize

NOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
# lines pandoc would read as structure that spans texts
_STRUCTURE_LINE = re.compile(r"^( {0,3})(:{3,}|`{3,}|~{3,}|\[[^\]\n]*\]:)", re.MULTILINE)
REF_CLASS = "noteref"


@dataclass(frozen=True)
class FragmentSource:
    """The Markdown holding every text, the nonce of its div identifiers, the note labels."""

    markdown: str
    nonce: str
    count: int
    labels: tuple[str, ...]


def _escape_structure(value: str) -> str:
    return _STRUCTURE_LINE.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def fragment_source(texts: list[str]) -> FragmentSource:
    """One Markdown document with each of ``texts`` in its own div (see the module docstring)."""
    nonce = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:12]
    labels = tuple(dict.fromkeys(m.group(1) for t in texts for m in NOTE_LABEL.finditer(t)))
    parts = [f"::: {{#f{nonce}-{i}}}\n{_escape_structure(t)}\n\n:::\n" for i, t in enumerate(texts)]
    parts += [f"[^{label}]: n{nonce}x{j}\n" for j, label in enumerate(labels)]
    return FragmentSource("\n".join(parts), nonce, len(texts), labels)


@dataclass
class Fragments:
    """One AST per text (``asts[i]``); ``broken``: the texts shown as plain text instead."""

    asts: list[dict[str, Any]]
    broken: set[int]


def fragment_asts(ast: dict[str, Any], source: FragmentSource, texts: list[str],
                  note_targets: dict[str, str] | None = None) -> Fragments:
    """Cut pandoc's AST of ``source`` into one safe AST per text.

    ``note_targets``: footnote label -> the ``#fragment`` its references link to.
    """
    ident = re.compile(r"^f" + source.nonce + r"-(\d+)$")
    found: dict[int, list[Node]] = {}
    broken: set[int] = set()
    current: int | None = None
    for block in ast.get("blocks", []):
        match = ident.match(block["c"][0][0]) if block["t"] == "Div" else None
        index = int(match.group(1)) if match else None
        if index is None or index in found or index >= source.count:
            if current is not None:
                broken.add(current)  # something of a text got out of its div
            continue
        content = block["c"][1]
        if any(n.get("t") == "Div" and ident.match(n["c"][0][0]) for n in nodes(content)):
            broken.add(index)  # a text swallowed the div of another
        found[index] = content
        current = index
    broken |= {i for i in range(source.count) if i not in found}
    marker = re.compile(r"^n" + source.nonce + r"x(\d+)$")
    targets = note_targets or {}
    version = ast.get("pandoc-api-version", [1, 23])
    asts = []
    for i in range(source.count):
        if i in broken:
            blocks: list[Node] = [para([text(texts[i])])]
        else:
            blocks = _clean(found[i], marker, source.labels, targets)
        asts.append({"pandoc-api-version": version, "meta": {}, "blocks": blocks})
    return Fragments(asts, broken)


def _clean(blocks: list[Node], marker: re.Pattern[str], labels: tuple[str, ...],
           targets: dict[str, str]) -> list[Node]:
    """Sanitised, without identifiers or links to ``#fragments``, notes made references."""
    cleaned = sanitize(blocks)

    def label_of(note: Node) -> str | None:
        for n in nodes(note["c"]):
            if n.get("t") == "Str":
                m = marker.match(n["c"])
                if m and int(m.group(1)) < len(labels):
                    return labels[int(m.group(1))]
        return None

    def fix(node: Node) -> Node:
        kind = node["t"]
        if kind == "Note":
            label = label_of(node)
            shown = [text(label if label is not None else "?")]
            target = targets.get(label) if label is not None else None
            if target is not None:
                shown = [{"t": "Link", "c": [attr("", [REF_CLASS]), shown, [target, ""]]}]
            return {"t": "Superscript", "c": shown}
        if kind == "Link" and node["c"][2][0].startswith("#"):
            return {"t": "Span", "c": [["", node["c"][0][1], node["c"][0][2]], node["c"][1]]}
        if kind == "Header":
            return {"t": kind, "c": [node["c"][0], ["", *node["c"][1][1:]], node["c"][2]]}
        if kind in _WITH_ATTR and node["c"][0][0]:
            return {"t": kind, "c": [["", *node["c"][0][1:]], *node["c"][1:]]}
        return node

    result: list[Node] = map_lists(cleaned, inlines=lambda xs: [fix(x) for x in xs],
                                   blocks=lambda xs: [fix(x) for x in xs])
    return result


_WITH_ATTR = frozenset({"Span", "Div", "Link", "Code", "CodeBlock", "Table", "Figure"})
