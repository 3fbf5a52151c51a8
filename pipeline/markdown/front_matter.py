"""YAML front matter: its prose values read with their places, and written back.

`front_matter_values` parses the front matter that `pipeline.markdown.blocks` found
(with PyYAML's node positions) and gives each top-level value whose key is a prose key
(`PROSE_KEYS` by default) as a `FrontMatterValue`: where its scalar stands in the
source and its text. Refused, with the file and line: broken YAML, front matter
longer than `MAX_FRONT_MATTER`, anchors and aliases, collections nested deeper than
`MAX_YAML_DEPTH`, escapes that give lone surrogates. `yaml_scalar` writes a
translated value back as a YAML scalar. Pure: no file or process I/O here.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import yaml

from pipeline.errors import BitextError
from pipeline.markdown.blocks import Blocks, Lines

PROSE_KEYS = frozenset(
    {"title", "subtitle", "description", "abstract", "publication-note", "summary"}
)
"""Front-matter keys whose (string) value is prose to translate."""

_YAML_STR = "tag:yaml.org,2002:str"
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_YAML_DEPTH = 50
"""How deep YAML collections may nest in front matter."""

MAX_FRONT_MATTER = 64 * 1024
"""Characters of YAML front matter bitext reads (a title page's worth, many times over).

With aliases refused (`_check_yaml`), the YAML work, bitext's and pandoc's, is linear in
this size: a "billion laughs" document cannot reach pandoc."""


def yaml_scalar(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line (JSON escaping is valid YAML)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# libyaml when the wheel has it (ten times faster); positions are the same.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(source: str) -> yaml.Node | None:
    """YAML node tree, fast; on an error, PyYAML's own message (the same on every machine)."""
    try:
        return yaml.compose(source, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return yaml.compose(source, Loader=yaml.SafeLoader)


@dataclass(frozen=True)
class FrontMatterValue:
    """A front-matter value: its span in the source and its parsed value."""

    key: str
    start: tuple[int, int]
    end: tuple[int, int]
    value: str


def front_matter_values(
    lines: Lines, blocks: Blocks, path: str, prose_keys: Collection[str]
) -> list[FrontMatterValue]:
    """The prose values of the front matter, parsed with their positions."""
    if blocks.front_matter_end is None:
        return []
    body = lines.texts[1 : blocks.front_matter_end]
    source = "".join(line + "\n" for line in body)
    starts = [0]
    for line in body:
        starts.append(starts[-1] + len(line) + 1)

    def where(index: int) -> tuple[int, int]:
        row = bisect_right(starts, index) - 1
        return row + 1, index - starts[row]

    if len(source) > MAX_FRONT_MATTER:
        raise BitextError(
            f"YAML front matter longer than {MAX_FRONT_MATTER // 1024} KiB; move long text "
            "into the document's body", path=path, line=where(MAX_FRONT_MATTER)[0] + 1)
    try:
        _check_yaml(source, path)
        root = _compose(source)
    except yaml.YAMLError as exc:
        # An unclosed quote or bracket is found at the end of the stream; the line where
        # the construct began (context_mark) is the one the author has to fix.
        context = getattr(exc, "context", None)
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        index = mark.index if mark is not None else getattr(exc, "position", 0)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        if context:
            problem = f"{problem} ({context})"
        raise BitextError(
            f"broken YAML front matter: {problem}", path=path, line=where(index)[0] + 1
        ) from exc
    if not isinstance(root, yaml.MappingNode):
        return []
    metas: list[FrontMatterValue] = []
    after = 0
    for key, value in root.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value in prose_keys
            and isinstance(value, yaml.ScalarNode)
            and value.tag == _YAML_STR
            and value.value.strip()
            and value.start_mark.index >= max(after, key.end_mark.index)
        ):
            raw = source[value.start_mark.index : value.end_mark.index].rstrip(" \t\n")
            text = value.value.rstrip("\n") if value.style in ("|", ">") else value.value
            end = value.start_mark.index + len(raw)
            start = where(value.start_mark.index)
            metas.append(FrontMatterValue(key.value, start, where(end), text))
            after = end
    return metas


def _check_yaml(source: str, path: str) -> None:
    """Refuse what would make reading the front matter unbounded: YAML anchors and aliases
    (a "billion laughs" document is a few lines long), collections nested more than
    `MAX_YAML_DEPTH` deep (PyYAML's composer and pandoc recurse), and escapes that give lone
    surrogates (no UTF-8 for them). Broken YAML is left to `_compose` to report."""
    for loader in dict.fromkeys((_YAML_LOADER, yaml.SafeLoader)):
        try:
            _check_events(yaml.parse(source, Loader=loader), path, "\\" in source)
            return
        except yaml.YAMLError:
            continue  # libyaml refuses what PyYAML reads (surrogate escapes): ask PyYAML


def _check_events(events: Iterator[yaml.Event], path: str, escapes: bool) -> None:
    depth = 0
    for event in events:
        # the front matter's first line is the file's second
        line = event.start_mark.line + 2 if event.start_mark is not None else 2
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise BitextError(
                "YAML anchors and aliases (&name, *name) are not allowed in front matter; "
                "write the value out", path=path, line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise BitextError(
                    f"YAML front matter nested more than {MAX_YAML_DEPTH} levels deep",
                    path=path, line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif escapes and isinstance(event, yaml.ScalarEvent) and _SURROGATE.search(event.value):
            raise BitextError(
                "a YAML escape gives a lone surrogate (\\uD800-\\uDFFF), which is no "
                "character; write the character itself, or its pair as one \\U escape",
                path=path, line=line)
