"""The markdown-it-py parser bitext reads block structure with, and what it adds to it.

CommonMark plus pipe tables, YAML front matter, footnote definitions and pandoc's
fenced-div fences (``:::``, `_div_fence`). Its leaf rules (paragraph, headings,
table) are wrapped (`_recording`) so that, for every line they consume, the position
where the line's text starts once the container marks (``>``, list markers,
indentation) are taken off is recorded: that is markdown-it's own reading of the line,
not a second parser's. Front matter needs no blank line after its opening ``---``, as
in pandoc; containers nested deeper than `MAX_NESTING` raise `TooDeep`. Inline
parsing is off: `parse_blocks` gives the block tokens and the recorded positions,
which `pipeline.markdown.blocks` walks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

RuleFn = Callable[[StateBlock, int, int, bool], bool]

_STARTS = "bitext_text_starts"  # env key: line -> absolute position of its text
_DIV_DEPTH = "bitext_div_depth"
_NESTING = "bitext_nesting"  # env key: how many containers the tokenizer is inside

MAX_NESTING = 100
"""How many block containers (block quotes, list items, footnote definitions) may nest.

Deeper input is refused at parse time (`TooDeep`): every later stage (markdown-it itself,
pandoc, the walkers of `pipeline.render.ast`) recurses once or more per level, and
markdown-it would otherwise silently stop segmenting at its own ``maxNesting``."""

_DIV_OPEN = re.compile(r":{3,}[ \t]*(?:\{[^{}\n]*\}|[^\s{}:][^\s{}]*)[ \t]*(?::+[ \t]*)?")
_DIV_CLOSE = re.compile(r":{3,}[ \t]*")


class TooDeep(Exception):
    """The input nests block containers more than `MAX_NESTING` deep, first at ``line``."""

    def __init__(self, line: int):
        super().__init__(f"block quotes, lists or footnotes nested more than {MAX_NESTING} "
                         "levels deep")
        self.line = line


def _recording(rule: RuleFn) -> RuleFn:
    """Wrap a leaf block rule to record where each consumed line's text starts."""

    def wrapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        found = rule(state, start, end, silent)
        if found and not silent:
            starts = state.env.setdefault(_STARTS, {})
            for line in range(start, state.line):
                starts[line] = state.bMarks[line] + state.tShift[line]
        return found

    return wrapped


def _front_matter_guard(rule: RuleFn) -> RuleFn:
    """Like pandoc, no front matter when the opening ``---`` is followed by a blank line."""

    def wrapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if start + 1 < end and state.isEmpty(start + 1):
            return False
        return rule(state, start, end, silent)

    return wrapped


def _div_fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc fenced-div fences as blocks of their own (their content is parsed as usual).

    As in pandoc, an opening fence needs a closing one further down and does not interrupt
    a paragraph; a closing fence inside a div does.
    """
    if state.is_code_block(start):
        return False
    text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    depth = state.env.get(_DIV_DEPTH, 0)
    if _DIV_CLOSE.fullmatch(text):
        if not depth:
            return False
        if not silent:
            state.env[_DIV_DEPTH] = depth - 1
    elif silent or not _DIV_OPEN.fullmatch(text):
        return False
    else:
        closing = (
            _DIV_CLOSE.fullmatch(state.src[state.bMarks[j] + state.tShift[j] : state.eMarks[j]])
            for j in range(start + 1, end)
        )
        if not any(closing):
            return False
        state.env[_DIV_DEPTH] = depth + 1
    if not silent:
        token = state.push("div_fence", "", 0)
        token.map = [start, start + 1]
        state.line = start + 1
    return True


def _bounded(tokenize: Callable[[StateBlock, int, int], None]) -> Callable[
        [StateBlock, int, int], None]:
    """The block tokenizer, counting its nested calls (one per container level)."""

    def wrapped(state: StateBlock, start: int, end: int) -> None:
        depth = state.env.get(_NESTING, 0)
        if depth > MAX_NESTING:
            raise TooDeep(start + 1)
        state.env[_NESTING] = depth + 1
        try:
            tokenize(state, start, end)
        finally:
            state.env[_NESTING] = depth

    return wrapped


def _make_parser() -> MarkdownIt:
    # markdown-it's own limit (token levels: two per list, one per quote) stays above ours,
    # so that input deeper than MAX_NESTING is refused, never silently left unparsed.
    md = MarkdownIt("commonmark", {"maxNesting": 3 * MAX_NESTING + 10}).enable("table")
    md.use(front_matter_plugin).use(footnote_plugin, move_to_end=False)
    ruler = md.block.ruler
    rules = dict(zip(ruler.get_active_rules(), ruler.getRules(""), strict=True))
    chains = ("paragraph", "reference", "blockquote", "list")
    wrappers = {
        "paragraph": _recording,
        "heading": _recording,
        "lheading": _recording,
        "table": _recording,
        "front_matter": _front_matter_guard,
    }
    for name, wrap in wrappers.items():
        alt = [chain for chain in chains if rules[name] in ruler.getRules(chain)]
        ruler.at(name, wrap(rules[name]), {"alt": alt})
    ruler.before("lheading", "div_fence", _div_fence, {"alt": list(chains)})
    # Segmenting needs the block structure only; inline parsing was a quarter of the time.
    # The one inline question (is a paragraph only an image?) is asked by
    # `pipeline.markdown.blocks`, on demand.
    md.disable("inline")
    md.block.tokenize = _bounded(md.block.tokenize)  # type: ignore[method-assign,assignment]
    return md


_MD = _make_parser()


def parse_blocks(text: str) -> tuple[list[Token], dict[int, int]]:
    """markdown-it's block tokens for ``text``, and where the text of each line starts.

    The positions are absolute (offsets into ``text``), for every line a paragraph,
    heading or table consumed. Raises `TooDeep` (with the 1-based line) for containers
    nested deeper than `MAX_NESTING`.
    """
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    return tokens, env.get(_STARTS, {})
