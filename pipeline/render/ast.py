"""The pandoc JSON AST as plain dicts and lists: constructors, walkers, text helpers.

A node is ``{"t": Type, "c": content}`` (``c`` absent for Space, SoftBreak,
LineBreak, HorizontalRule). An Attr is ``[id, [classes], [[key, value], …]]``.
No pandoc-types binding is needed: the walkers below only assume that an
*inline list* is a list of inline nodes and a *block list* a list of blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Node = dict[str, Any]
T = TypeVar("T")
Attr = list[Any]

INLINES = frozenset({
    "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
    "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
    "Image", "Note", "Span",
})
BLOCKS = frozenset({
    "Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList",
    "BulletList", "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div",
})
SPACE: Node = {"t": "Space"}


def attr(ident: str = "", classes: list[str] | None = None,
         pairs: list[tuple[str, str]] | None = None) -> Attr:
    return [ident, list(classes or []), [[k, v] for k, v in (pairs or [])]]


def text(value: str) -> Node:
    return {"t": "Str", "c": value}


def words(value: str) -> list[Node]:
    """``value`` as Str and Space nodes (runs of whitespace become one Space)."""
    if value and value.isspace():
        return [dict(SPACE)]
    out: list[Node] = []
    for i, word in enumerate(value.split()):
        if i:
            out.append(dict(SPACE))
        out.append(text(word))
    if value[:1].isspace() and out:
        out.insert(0, dict(SPACE))
    if value[-1:].isspace() and out:
        out.append(dict(SPACE))
    return out


def span(a: Attr, inlines: list[Node]) -> Node:
    return {"t": "Span", "c": [a, inlines]}


def div(a: Attr, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [a, blocks]}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def header(level: int, a: Attr, inlines: list[Node]) -> Node:
    return {"t": "Header", "c": [level, a, inlines]}


def link(a: Attr, inlines: list[Node], url: str, title: str = "") -> Node:
    return {"t": "Link", "c": [a, inlines, [url, title]]}


def sup(inlines: list[Node]) -> Node:
    return {"t": "Superscript", "c": inlines}


def raw_inline(fmt: str, value: str) -> Node:
    return {"t": "RawInline", "c": [fmt, value]}


def raw_block(fmt: str, value: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, value]}


def document(blocks: list[Node], meta: dict[str, Any] | None = None,
             api: list[int] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": api or [1, 23, 1, 1], "meta": meta or {}, "blocks": blocks}


ListFn = Callable[[list[Node]], list[Node]]


# How deep `map_lists` recurses before it hands a subtree to its iterative walk: recursion is
# twice as fast (a document's walks were half of the build's Python time), the stack walk
# takes any depth. A real document is some 20 levels deep.
RECURSE_DEPTH = 64


def map_lists(value: Any, inlines: ListFn | None = None, blocks: ListFn | None = None) -> Any:
    """Rebuild ``value`` bottom-up, passing every inline list and block list through a function.

    Children are transformed before their parents, in document order, so a
    function sees lists whose own sub-lists are already done. The input is
    not modified. Any depth of nesting: below `RECURSE_DEPTH` levels a subtree
    goes to `map_lists_iterative` (an explicit stack), which gives the same
    result with the same calls in the same order; the same goes for every walker below.
    """

    def walk(x: Any, depth: int) -> Any:
        if isinstance(x, list):
            if not x:
                return x
            head = x[0]
            if len(x) == 1 and isinstance(head, str):
                return list(x)
            if depth > RECURSE_DEPTH:
                return map_lists_iterative(x, inlines, blocks)
            done = []
            for y in x:
                # a Str, Space, … (most of a document) is itself: no call for it
                if isinstance(y, dict):
                    content = y.get("c", "")
                    done.append(y if isinstance(content, str) else walk(y, depth + 1))
                elif isinstance(y, list):
                    done.append(walk(y, depth + 1))
                else:
                    done.append(y)
            return _list_done(head, done, inlines, blocks)
        if isinstance(x, dict):
            if "c" not in x:
                return x
            content = x["c"]
            if isinstance(content, str):
                return x
            if depth > RECURSE_DEPTH:
                return map_lists_iterative(x, inlines, blocks)
            return _dict_done(x, walk(content, depth + 1))
        return x

    return walk(value, 0)


def _list_done(head: Any, done: list[Any], inlines: ListFn | None,
               blocks: ListFn | None) -> Any:
    """A walked list, given to ``inlines`` or ``blocks`` when its first element says it is one."""
    if isinstance(head, dict):
        kind = head.get("t")
        if kind in INLINES:
            return inlines(done) if inlines is not None else done
        if kind in BLOCKS:
            return blocks(done) if blocks is not None else done
    return done


def _dict_done(x: dict[str, Any], content: Any) -> Any:
    """A node with its walked content (a new dict: the AST given is never changed)."""
    return {"t": x["t"], "c": content} if "t" in x else \
        {k: content if k == "c" else v for k, v in x.items()}


def map_lists_iterative(value: Any, inlines: ListFn | None = None,
                        blocks: ListFn | None = None) -> Any:
    """`map_lists` with an explicit stack: no depth of nesting overflows Python's stack."""

    def leaf(x: Any) -> tuple[bool, Any]:
        """(True, result) for a value with nothing to walk under it, else (False, None)."""
        if isinstance(x, list):
            if not x:
                return True, x
            if isinstance(x[0], str) and len(x) == 1:
                return True, list(x)
            return False, None
        if isinstance(x, dict):
            if "c" not in x or isinstance(x["c"], str):
                return True, x
            return False, None
        return True, x

    def done_list(x: list[Any], done: list[Any]) -> Any:
        return _list_done(x[0], done, inlines, blocks)

    done_dict = _dict_done

    simple, result = leaf(value)
    if simple:
        return result
    # A frame: [the list or dict, the next child's index, what its children became].
    stack: list[list[Any]] = [[value, 0, []]]
    while stack:
        frame = stack[-1]
        x, i, done = frame
        if isinstance(x, dict):
            if i == 0:
                frame[1] = 1
                simple, result = leaf(x["c"])
                if not simple:
                    stack.append([x["c"], 0, []])
                    continue
                done.append(result)
            result = done_dict(x, done[0])
        else:
            while i < len(x):
                simple, result = leaf(x[i])
                i += 1
                if not simple:
                    break
                done.append(result)
            else:
                result = done_list(x, done)
                i = -1
            if i >= 0:
                frame[1] = i
                stack.append([x[i - 1], 0, []])
                continue
        stack.pop()
        if not stack:
            return result
        stack[-1][2].append(result)
    raise AssertionError("unreachable")  # pragma: no cover


def nodes(value: Any) -> list[Node]:
    """Every node under ``value`` (pre-order, document order), Note contents included."""
    out: list[Node] = []
    stack = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if "t" in x:
                out.append(x)
            if "c" in x:
                stack.append(x["c"])
        elif isinstance(x, list):
            stack.extend(reversed(x))
    return out


def find(
    value: Any, pick: Callable[[Node], T | None], *, skip: Callable[[Node], bool] | None = None
) -> list[T]:
    """What ``pick`` returns for the nodes under ``value``, in document order.

    A node ``pick`` answers (not None) is not searched further; nor is one
    ``skip`` rejects (a Note, say, when only the main text counts).
    """
    out: list[T] = []
    stack = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            if skip is not None and skip(x):
                continue
            found = pick(x) if "t" in x else None
            if found is not None:
                out.append(found)
            elif "c" in x:
                stack.append(x["c"])
    return out


class _Emit(str):
    """Text `stringify` puts out once what comes before it on its stack is done."""


def stringify(value: Any) -> str:
    """The plain text of a node or list (Space/SoftBreak as " ", Code and Math as written)."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, _Emit):
            parts.append(x)
            continue
        if isinstance(x, list):
            stack.extend(reversed(x))
            continue
        if not isinstance(x, dict):
            continue
        kind = x.get("t")
        if kind == "Str":
            parts.append(x["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(x["c"][1])
        elif kind in ("RawInline", "Note"):
            continue
        elif kind == "Quoted":
            quote = "“”" if x["c"][0]["t"] == "DoubleQuote" else "‘’"
            parts.append(quote[0])
            stack.append(_Emit(quote[1]))
            stack.append(x["c"][1])
        elif kind in ("Link", "Image", "Span") or kind == "Cite":
            stack.append(x["c"][1])
        elif "c" in x:
            stack.append(x["c"])
    return "".join(parts)


def attr_of(node: Node) -> Attr | None:
    """The Attr of a node that has one (Span, Div, Link, Image, Code, CodeBlock, Header, …)."""
    kind = node.get("t")
    if kind in ("Span", "Div", "Link", "Image", "Code", "CodeBlock", "Table", "Figure"):
        return node["c"][0]  # type: ignore[no-any-return]
    if kind == "Header":
        return node["c"][1]  # type: ignore[no-any-return]
    return None




def split_runs(inlines: list[Node]) -> list[tuple[bool, list[Node]]]:
    """Cut an inline list into runs: (True, Str/Space/SoftBreak…) text runs and (False, [node])."""
    runs: list[tuple[bool, list[Node]]] = []
    for node in inlines:
        plain_text = node.get("t") in ("Str", "Space", "SoftBreak")
        if plain_text and runs and runs[-1][0]:
            runs[-1][1].append(node)
        else:
            runs.append((plain_text, [node]))
    return runs


def run_text(run: list[Node]) -> str:
    return "".join(n["c"] if n["t"] == "Str" else " " for n in run)


def wrap_ranges(
    inlines: list[Node], find: Callable[[str], list[tuple[int, int, Attr]]]
) -> list[Node]:
    """Wrap the character ranges ``find`` reports in each text run into Spans with its Attr.

    Works on runs of Str/Space/SoftBreak only: a range never crosses emphasis,
    links or notes. Str nodes are split at the range boundaries.
    """
    out: list[Node] = []
    for is_text, run in split_runs(inlines):
        if not is_text:
            out.extend(run)
            continue
        value = run_text(run)
        ranges = sorted(find(value))
        if not ranges:
            out.extend(run)
            continue
        cursor = 0
        for start, end, a in ranges:
            if start < cursor:
                continue
            out.extend(words(value[cursor:start]))
            out.append(span(a, words(value[start:end])))
            cursor = end
        out.extend(words(value[cursor:]))
    return out
