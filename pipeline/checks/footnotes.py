"""Footnote checks: references per segment (``footnote-refs``), definitions (``footnote-defs``).

References compare as ordered lists of labels, so where a reference sits
around punctuation (``sözdür[^i].`` / ``word.[^i]``) never matters; which
labels, how many, and in what order do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.model import Context, Problem, Unit

_REF = re.compile(r"\[\^([^\]\s]+)\]")


def refs(text: str) -> list[str]:
    """The footnote labels referenced in ``text``, in order (not in code spans)."""
    if "^" not in text or "[^" not in text:  # "^" first: one character is found faster
        return []
    if "`" in text or "]:" in text:
        # The segmenter's rules for the rare hard cases, imported only for them:
        # markdown-it is a fifth of `bitext check`'s start-up.
        from pipeline.markdown.segments import footnote_refs

        return footnote_refs(text)
    return _REF.findall(text)


def unit_refs(unit: Unit, side: str) -> list[str]:
    """`refs` of the unit's ``side`` ("source" or "target"), found once for both checks."""
    text = unit.source if side == "source" else unit.target
    if "^" not in text or "[^" not in text:
        return []  # most segments: no reference, nothing to remember
    key = ("refs", side)
    found: list[str] | None = unit.memo.get(key)
    if found is None:
        found = unit.memo[key] = refs(text)
    return found


def _show(labels: list[str]) -> str:
    return " ".join(f"[^{label}]" for label in labels) or "none"


def compare_refs(source: list[str], target: list[str]) -> list[str]:
    """Messages for the differences between two ordered reference lists (empty: same).

    Missing and extra labels are reported one by one; among the labels both
    share, two exchanged positions are "swapped", any other change of order
    "reordered".
    """
    if source == target:
        return []
    messages = []
    src_count, tgt_count = Counter(source), Counter(target)
    sides = ((source, src_count, tgt_count, "original", "translation"),
             (target, tgt_count, src_count, "translation", "original"))
    for labels, mine, theirs, here, there in sides:
        for label in dict.fromkeys(labels):
            if mine[label] <= theirs[label]:
                continue
            if theirs[label] == 0:
                messages.append(f"footnote [^{label}] is in the {here} but not in the {there}")
            else:
                messages.append(
                    f"footnote [^{label}] is referenced {mine[label]} times in the {here}, "
                    f"{theirs[label]} in the {there}"
                )
    common = src_count & tgt_count
    a, b = _keep(source, common), _keep(target, common)
    if a != b:
        moved = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(moved) == 2 and a[moved[0]] == b[moved[1]] and a[moved[1]] == b[moved[0]]:
            first, second = a[moved[0]], a[moved[1]]
            messages.append(
                f"footnotes [^{first}] and [^{second}] are swapped: the original has "
                f"[^{first}] first, the translation [^{second}]"
            )
        else:
            messages.append(
                f"footnotes are in another order: the original has {_show(a)}, "
                f"the translation {_show(b)}"
            )
    return messages


def _keep(labels: list[str], budget: Counter[str]) -> list[str]:
    """``labels`` in order, each kept at most as often as ``budget`` allows."""
    left = Counter(budget)
    out = []
    for label in labels:
        if left[label] > 0:
            left[label] -= 1
            out.append(label)
    return out


@register("footnote-refs", severity="error")
def footnote_refs(ctx: Context) -> Iterator[Problem]:
    """Each translated segment refers to the same footnotes as its original, in the same order."""
    for unit in ctx.translated:
        s, t = unit.source, unit.target
        if ("^" not in s or "[^" not in s) and ("^" not in t or "[^" not in t):
            continue
        for message in compare_refs(unit_refs(unit, "source"), unit_refs(unit, "target")):
            yield Problem(unit, message)


@register("footnote-defs", severity="error", scope="document")
def footnote_defs(ctx: Context) -> Iterator[Problem]:
    """Footnote definitions: each defined once, each referenced; no reference to nothing.

    Only catalogs made by bitext know their definitions (``#. footnote <label>``).
    A reference a translated segment lost is ``footnote-refs``' business; this
    check sees the document: a label defined twice, a translation referring to
    a label defined nowhere (pandoc prints it as text), a definition nothing
    refers to (pandoc drops it). The definitions' own numbers, dates and URLs
    are compared by those checks, which name the footnote.
    """
    defined: dict[str, Unit] = {}
    for unit in ctx.units:
        if unit.kind != "footnote" or not unit.label:
            continue
        if unit.label in defined:
            yield Problem(unit, f"footnote [^{unit.label}] is defined twice "
                                f"(first at PO line {defined[unit.label].entry.line})")
            continue
        defined[unit.label] = unit
    if not defined:
        return
    referenced: set[str] = set()
    for unit in ctx.units:
        referenced.update(unit_refs(unit, "source"))
        if unit.translated:
            for label in unit_refs(unit, "target"):
                referenced.add(label)
                if label not in defined:
                    yield Problem(unit, f"footnote [^{label}] is referenced in the translation "
                                        "but defined nowhere")
    for label, definition in defined.items():
        if label not in referenced:
            yield Problem(definition, f"footnote [^{label}] is defined, but nothing refers to it "
                                      "(pandoc would drop it)")
