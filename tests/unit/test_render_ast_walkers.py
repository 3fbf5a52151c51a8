"""The AST walkers take any depth, and give the same results, in the same order, as the
recursive walk they replaced (kept here as the reference). `map_lists` recurses, then hands
a deep subtree to its iterative walk: both paths, and their mix, are held to the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.render.ast as ast_module
from pipeline.render.ast import (
    BLOCKS,
    INLINES,
    find,
    map_lists,
    map_lists_iterative,
    nodes,
    stringify,
)


def reference_map_lists(value: Any, inlines: Callable[..., Any], blocks: Callable[..., Any]) -> Any:
    def walk(x: Any) -> Any:
        if isinstance(x, list):
            if not x:
                return x
            head = x[0]
            done = [walk(item) for item in x] if not isinstance(head, str) or len(x) > 1 \
                else list(x)
            if isinstance(head, dict):
                kind = head.get("t")
                if kind in INLINES:
                    return inlines(done)
                if kind in BLOCKS:
                    return blocks(done)
            return done
        if isinstance(x, dict):
            if "c" not in x:
                return x
            content = x["c"]
            if isinstance(content, str):
                return x
            return {"t": x["t"], "c": walk(content)} if "t" in x else \
                {k: walk(v) if k == "c" else v for k, v in x.items()}
        return x

    return walk(value)


def reference_nodes(value: Any) -> list[Any]:
    out: list[Any] = []

    def visit(x: Any) -> None:
        if isinstance(x, dict):
            if "t" in x:
                out.append(x)
            if "c" in x:
                visit(x["c"])
        elif isinstance(x, list):
            for item in x:
                visit(item)

    visit(value)
    return out


def reference_find(value: Any, pick: Any, skip: Any) -> list[Any]:
    out: list[Any] = []

    def visit(x: Any) -> None:
        if isinstance(x, list):
            for item in x:
                visit(item)
        elif isinstance(x, dict):
            if skip is not None and skip(x):
                return
            found = pick(x) if "t" in x else None
            if found is not None:
                out.append(found)
            elif "c" in x:
                visit(x["c"])

    visit(value)
    return out


inline_leaf = st.one_of(
    st.builds(lambda s: {"t": "Str", "c": s}, st.text(max_size=3)),
    st.just({"t": "Space"}),
    st.builds(lambda s: {"t": "Code", "c": [["", [], []], s]}, st.text(max_size=3)),
    st.builds(lambda s: {"t": "RawInline", "c": ["html", s]}, st.text(max_size=3)),
)
inlines_ = st.recursive(
    st.lists(inline_leaf, max_size=3),
    lambda children: st.lists(st.one_of(
        inline_leaf,
        st.builds(lambda c: {"t": "Emph", "c": c}, children),
        st.builds(lambda c: {"t": "Span", "c": [["x", ["k"], [["a", "b"]]], c]}, children),
        st.builds(lambda c: {"t": "Quoted", "c": [{"t": "DoubleQuote"}, c]}, children),
        st.builds(lambda c: {"t": "Note", "c": [{"t": "Para", "c": c}]}, children),
        st.builds(lambda c: {"t": "Link", "c": [["", [], []], c, ["u", ""]]}, children),
    ), max_size=3),
    max_leaves=12,
)
blocks_ = st.recursive(
    st.lists(st.builds(lambda c: {"t": "Para", "c": c}, inlines_), max_size=2),
    lambda children: st.lists(st.one_of(
        st.builds(lambda c: {"t": "BlockQuote", "c": c}, children),
        st.builds(lambda c: {"t": "BulletList", "c": [c, c]}, children),
        st.builds(lambda c: {"t": "Div", "c": [["", ["d"], []], c]}, children),
        st.builds(lambda c: {"t": "Plain", "c": c}, inlines_),
        st.builds(lambda s: {"t": "CodeBlock", "c": [["", [], []], s]}, st.text(max_size=3)),
    ), max_size=3),
    max_leaves=8,
)


def recorder(log: list[Any], tag: str) -> Callable[[list[Any]], list[Any]]:
    def fn(items: list[Any]) -> list[Any]:
        log.append((tag, items))
        return [*items, {"t": "Str", "c": tag}] if tag == "i" else items[::-1]
    return fn


@settings(max_examples=300, deadline=None)
@given(blocks_)
def test_the_walkers_agree_with_the_recursive_reference(value: list[Any]) -> None:
    doc = {"t": "Div", "c": [["", [], []], value]}  # a node: the walkers look under "c"
    log_new: list[Any] = []
    log_old: list[Any] = []
    assert map_lists(doc, recorder(log_new, "i"), recorder(log_new, "b")) == \
        reference_map_lists(doc, recorder(log_old, "i"), recorder(log_old, "b"))
    assert log_new == log_old
    assert len(log_new) >= bool(value)  # not vacuous: the callbacks ran
    assert [id(n) for n in nodes(doc)] == [id(n) for n in reference_nodes(doc)]
    def pick(n: Any) -> Any:
        return n["c"] if n["t"] in ("Str", "Code") else None

    def skip(n: Any) -> bool:
        return bool(n.get("t") == "Note")

    assert find(doc, pick, skip=skip) == reference_find(doc, pick, skip)
    assert find(doc, lambda n: n["t"] if n["t"] == "Emph" else None) == reference_find(
        doc, lambda n: n["t"] if n["t"] == "Emph" else None, None)


@settings(max_examples=200, deadline=None)
@given(blocks_, st.sampled_from([0, 1, 2, 3, 5]))
def test_map_lists_gives_the_reference_at_every_switch_depth(value: list[Any], depth: int) -> None:
    doc = {"t": "Div", "c": [["", [], []], value]}
    saved = ast_module.RECURSE_DEPTH
    ast_module.RECURSE_DEPTH = depth  # the iterative walk takes over this far down
    try:
        log_new: list[Any] = []
        got = map_lists(doc, recorder(log_new, "i"), recorder(log_new, "b"))
    finally:
        ast_module.RECURSE_DEPTH = saved
    log_old: list[Any] = []
    assert got == reference_map_lists(doc, recorder(log_old, "i"), recorder(log_old, "b"))
    assert log_new == log_old
    log_iter: list[Any] = []
    assert map_lists_iterative(doc, recorder(log_iter, "i"), recorder(log_iter, "b")) == got
    assert log_iter == log_old


def test_stringify() -> None:
    value = [{"t": "Str", "c": "a"}, {"t": "Space"},
             {"t": "Quoted", "c": [{"t": "SingleQuote"}, [{"t": "Emph", "c": [
                 {"t": "Str", "c": "b"}, {"t": "Note", "c": [{"t": "Str", "c": "no"}]}]}]]},
             {"t": "Code", "c": [["", [], []], "c()"]}, {"t": "Str", "c": "!"}]
    assert stringify(value) == "a ‘b’c()!"


def deep(levels: int) -> dict[str, Any]:
    value: Any = [{"t": "Para", "c": [{"t": "Str", "c": "dip"}]}]
    for _ in range(levels):
        value = [{"t": "BlockQuote", "c": value}]
    inline: Any = [{"t": "Str", "c": "x"}]
    for _ in range(levels):
        inline = [{"t": "Emph", "c": inline}]
    return {"t": "Div", "c": [["", [], []], [*value, {"t": "Para", "c": inline}]]}


def test_the_walkers_take_any_depth() -> None:
    doc = deep(50_000)
    assert len(nodes(doc)) == 2 * 50_000 + 5
    assert find(doc, lambda n: n["c"] if n["t"] == "Str" else None) == ["dip", "x"]
    assert stringify(doc) == "dipx"
    counted = map_lists(doc, inlines=lambda xs: xs, blocks=lambda xs: xs)
    assert len(nodes(counted)) == 2 * 50_000 + 5
