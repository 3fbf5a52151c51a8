"""One language of a document, parsed and made ready for every format.

`prepare` takes pandoc's AST of a `SourceText` and applies, in order:
sanitizing of the body and of the front matter (`pipeline.render.sanitize`),
segment tags (`pipeline.render.source`), language marks (`pipeline.render.langs`),
footnote collection (`pipeline.render.notes`), heading levels (the title is
the only level-1 heading; a body that uses level 1 moves down one level),
unique identifiers (a duplicate loses its identifier) and dead internal
links (a ``#fragment`` with no such identifier loses its target, since
typst refuses a link to a missing label). The result, a `LangDoc`, is
format-neutral; `pipeline.render.formats` finishes it per format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.render.ast import Node, attr_of, map_lists, nodes, span, stringify, words
from pipeline.render.langs import mark_languages
from pipeline.render.metadata import Metadata, PubDate
from pipeline.render.notes import Note, collect_notes
from pipeline.render.sanitize import sanitize, sanitize_meta
from pipeline.render.source import SourceText, tag_segments


@dataclass(frozen=True)
class Overrides:
    """Front-matter values the build config imposes (``[tool.bitext.build] title``)."""

    title: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Front:
    """The title block of one language: title, subtitle, authors, date, notes on the text.

    ``meta``: the publication's resolved metadata (`pipeline.render.metadata`), the same
    in every language; ``date_text``: its date as this language writes it ("" for none).
    """

    title: list[Node]
    subtitle: list[Node]
    authors: list[list[Node]]
    date: PubDate | None
    date_text: str
    note: list[Node]
    abstract: list[Node]
    states: dict[str, str]
    meta: Metadata = field(default_factory=Metadata)


@dataclass
class LangDoc:
    """A document in one language: title block, body blocks, notes (see module docstring)."""

    lang: str
    source: SourceText
    front: Front
    blocks: list[Node]
    notes: list[Note]
    # the same document with identifiers prefixed by its language (for a bilingual file),
    # made once and shared by the formats that need it
    prefixed: LangDoc | None = field(default=None, repr=False, compare=False)


def prepare(
    ast: dict[str, Any], source: SourceText, *, style: str, keys: dict[int, str],
    phrases: dict[str, str], overrides: Overrides, metadata: Metadata,
) -> LangDoc:
    """Turn pandoc's AST of ``source`` into a `LangDoc` (see the module docstring)."""
    lang = source.lang
    marker = re.compile(r"^bitext-" + source.nonce + r"-\d+$")
    # the front matter as the body: pandoc parses its values as Markdown too; a link to a
    # #fragment goes (its target would be the body's, which a bilingual file renames)
    meta = {k: drop_dead_links(v, set()) for k, v in sanitize_meta(ast.get("meta", {})).items()}
    blocks = sanitize(ast["blocks"], keep_id=lambda ident: bool(marker.match(ident)))
    blocks = tag_segments(blocks, source.nonce, len(source.texts))
    # A note in the title block has nowhere to go in a title page; it is dropped.
    meta = {k: map_lists(mark_languages(v, lang=lang, phrases=phrases),
                         inlines=lambda xs: [x for x in xs if x["t"] != "Note"])
            for k, v in meta.items()}
    blocks = mark_languages(blocks, lang=lang, phrases=phrases)
    blocks, notes = collect_notes(blocks, style=style, keys=keys)
    blocks = _shift_headings(blocks)
    for note in notes:
        note.blocks = _shift_headings(note.blocks)
    # an identifier the text gives twice ([a]{#x} [b]{#x}) is kept on its first element only:
    # a duplicate makes an EPUB invalid and typst refuse a label
    seen: set[str] = set()
    blocks = unique_ids(blocks, seen)
    for note in notes:
        note.blocks = unique_ids(note.blocks, seen)
    ids = {a[0] for n in nodes([blocks, [n.blocks for n in notes]])
           if (a := attr_of(n)) is not None and a[0]}
    blocks = drop_dead_links(blocks, ids)
    for note in notes:
        note.blocks = drop_dead_links(note.blocks, ids)
    front = _front(meta, source, overrides, metadata)
    return LangDoc(lang=lang, source=source, front=front, blocks=blocks, notes=notes)


def _shift_headings(blocks: list[Node]) -> list[Node]:
    levels = [n["c"][0] for n in nodes(blocks) if n.get("t") == "Header"]
    if not levels or min(levels) > 1:
        return blocks

    def shift(items: list[Node]) -> list[Node]:
        return [{"t": "Header", "c": [min(b["c"][0] + 1, 6), *b["c"][1:]]}
                if b["t"] == "Header" else b for b in items]

    return map_lists(blocks, blocks=shift)  # type: ignore[no-any-return]


def unique_ids(value: Any, seen: set[str]) -> Any:
    """``value`` with an identifier kept where it first occurs, cleared where it recurs.

    ``seen`` holds the identifiers already given; those found here are added.
    """

    def fix(node: Node) -> Node:
        a = attr_of(node)
        if a is None or not a[0]:
            return node
        if a[0] not in seen:
            seen.add(a[0])
            return node
        cleared = ["", a[1], a[2]]
        if node["t"] == "Header":
            return {"t": "Header", "c": [node["c"][0], cleared, node["c"][2]]}
        return {"t": node["t"], "c": [cleared, *node["c"][1:]]}

    return map_lists(value, inlines=lambda xs: [fix(x) for x in xs],
                     blocks=lambda xs: [fix(x) for x in xs])


def drop_dead_links(value: Any, ids: set[str]) -> Any:
    """Links to a ``#fragment`` that no element carries become plain spans."""

    def inlines(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node["t"] == "Link" and node["c"][2][0].startswith("#") \
                    and node["c"][2][0][1:] not in ids:
                node = span(node["c"][0], node["c"][1])
            out.append(node)
        return out

    return map_lists(value, inlines=inlines)


def prefix_ids(value: Any, prefix: str, ids: set[str]) -> Any:
    """Prefix identifiers (and links to them) so two languages can share one page."""

    def rename(a: list[Any]) -> list[Any]:
        return [prefix + a[0] if a[0] else "", a[1], a[2]]

    def fix(node: Node) -> Node:
        kind = node["t"]
        if kind == "Header":
            return {"t": kind, "c": [node["c"][0], rename(node["c"][1]), node["c"][2]]}
        if kind in ("Span", "Div", "Code", "CodeBlock", "Table", "Figure"):
            return {"t": kind, "c": [rename(node["c"][0]), *node["c"][1:]]}
        if kind == "Link":
            url, title = node["c"][2]
            if url.startswith("#") and url[1:] in ids:
                url = "#" + prefix + url[1:]
            return {"t": kind, "c": [rename(node["c"][0]), node["c"][1], [url, title]]}
        return node

    return map_lists(value, inlines=lambda xs: [fix(x) for x in xs],
                     blocks=lambda xs: [fix(x) for x in xs])


def ids_in(value: Any) -> set[str]:
    return {a[0] for n in nodes(value) if (a := attr_of(n)) is not None and a[0]}


def meta_inlines(value: Any) -> list[Node]:
    """A metadata value as inlines (a list joined with commas, blocks flattened)."""
    if not isinstance(value, dict):
        return []
    kind = value.get("t")
    content: Any = value.get("c") or []
    if kind == "MetaInlines":
        return list(content)
    if kind == "MetaString":
        return words(content)
    if kind == "MetaBlocks":
        out: list[Node] = []
        for block in content:
            if block["t"] in ("Para", "Plain"):
                out.extend(([{"t": "Space"}] if out else []) + block["c"])
        return out
    if kind == "MetaList":
        out = []
        for item in content:
            out.extend(([{"t": "Str", "c": ","}, {"t": "Space"}] if out else [])
                       + meta_inlines(item))
        return out
    return []


def meta_list(value: Any) -> list[list[Node]]:
    if isinstance(value, dict) and value.get("t") == "MetaList":
        return [inl for item in value["c"] if (inl := meta_inlines(item))]
    inl = meta_inlines(value)
    return [inl] if inl else []


def meta_blocks(value: Any) -> list[Node]:
    if isinstance(value, dict) and value.get("t") == "MetaBlocks":
        return list(value["c"])
    inl = meta_inlines(value)
    return [{"t": "Para", "c": inl}] if inl else []


def _front(meta: dict[str, Any], source: SourceText, overrides: Overrides,
           metadata: Metadata) -> Front:
    lang = source.lang
    title = (words(overrides.title[lang]) if lang in overrides.title
             else meta_inlines(meta.get("title")))
    # the front matter's authors as pandoc read them (Markdown, sanitised: a link in a name
    # keeps its text, loses a bad target), the config's as plain text; every other format
    # (EPUB, PDF, HTML head) gets the plain text of what is shown
    authors = (meta_list(meta.get("author")) if meta.get("author")
               else [words(a) for a in metadata.authors])
    metadata = replace(metadata, authors=tuple(
        name for a in authors if (name := " ".join(stringify(a).split()))))
    date = metadata.date
    abstract = meta_blocks(meta.get("abstract") or meta.get("summary") or meta.get("description"))
    return Front(
        title=title, subtitle=meta_inlines(meta.get("subtitle")),
        authors=authors,
        date=date, date_text=date.text(lang) if date else "",
        note=meta_inlines(meta.get("publication-note")),
        abstract=abstract, states=dict(source.meta_states), meta=metadata,
    )
