"""The ``markup`` check: the translation keeps the original's inline markup and structure.

Compared per segment: inline code spans (their content, exactly: code is not
translated), link targets and image sources that are not absolute URLs (those
are the ``urls`` check's), reference-link labels, the number of emphasised
and strong spans, HTML tags, lines that start a heading, a list item or a
quote, the number of paragraphs, and printf/brace placeholders in entries
flagged ``*-format`` (gettext projects). A link's ``#fragment`` is left out
(it names a heading, which a translated page translates); emphasis that is
regrouped or added is only a warning. Segments in reStructuredText (Sphinx
catalogs: ````code````, ``:role:`...```) compare their literals, roles and
``<targets>`` instead of Markdown code spans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.model import Context, Problem, Unit

_MD_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# `like this' (GNU's old quoting, in many gettext catalogs): quotation marks, not code.
_GNU_QUOTE = re.compile(r"`[^`'\n]*'(?!\w)")
_RST_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_RST_HINT = re.compile(r"`_|:[\w:+-]+:`")
_RST_ROLE = re.compile(r":([\w:+-]+):`")
_RST_TARGET = re.compile(r"`[^`]*<([^<>`]+)>`")
_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REF_LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])+\]\[([^\]\^][^\]]*)\]")
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?=[\s/>])[^<>]*>")
_STRUCTURE = {
    "heading": re.compile(r"^#{1,6}[ \t]", re.MULTILINE),
    "list item": re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE),
    "quote": re.compile(r"^[ \t]*>", re.MULTILINE),
}
_PRINTF = re.compile(r"%(?:\([\w.]+\))?[-+ 0#]*(?:\d+|\*)?(?:\.\d+)?[sdifgeExXocr%]")
_BRACE = re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
_URLS = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]]+")
_ABSOLUTE = re.compile(r"^(?:[a-z][\w+.-]*:|//|www\.)", re.IGNORECASE)


def _strip(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _emphasis(text: str) -> tuple[int, int]:
    """(emphasised, strong) span counts: delimiters halved.

    ``**``/``__`` delimit strong spans, single ``*``/``_`` emphasis; an
    underscore inside a word (``snake_case``) and a ``*`` between spaces
    (``3 * 4``) delimit nothing.
    """
    if "*" not in text and "_" not in text:
        return 0, 0
    if "://" in text or "www." in text:
        text = _URLS.sub(" ", text)
    underscores = re.sub(r"(?<=\w)_+(?=\w)", "", text)  # intraword: not delimiters
    strong = text.count("**") + underscores.count("__")
    single = re.sub(r"\*\*|__", "", underscores)
    single = re.sub(r"(?<=\s)\*(?=\s)", "", single)
    return (single.count("*") + single.count("_")) // 2, strong // 2


def features(text: str, *, rst: bool = False) -> dict[str, Counter[str]]:
    """The markup of one text, as counters keyed by what is compared."""
    out: dict[str, Counter[str]] = {}
    if "`" in text and "'" in text:
        text = _GNU_QUOTE.sub(lambda m: " " * len(m.group()), text)
    if "`" in text:
        if rst:
            out["literal"] = Counter(m.group(1) for m in _RST_LITERAL.finditer(text))
            rest = _strip(text, _RST_LITERAL)
            out["role"] = Counter(f":{m.group(1)}:" for m in _RST_ROLE.finditer(rest))
            out["target"] = Counter(m.group(1).strip() for m in _RST_TARGET.finditer(rest))
            text = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), rest)
        else:
            out["code"] = Counter(m.group(2) for m in _MD_CODE.finditer(text))
            text = _strip(text, _MD_CODE)
    if "](" in text:
        links: Counter[str] = Counter()
        images: Counter[str] = Counter()
        for m in _LINK.finditer(text):
            target = m.group(2)
            if m.group(1):
                images[target] += 1
            elif not _ABSOLUTE.match(target):
                # The #fragment names a heading, which the translated page may translate.
                links[target.split("#", 1)[0] or "#"] += 1
        out["link"], out["image"] = links, images
    if "][" in text:
        out["reference"] = Counter(m.group(1).lower() for m in _REF_LINK.finditer(text))
    if "<" in text:
        out["tag"] = Counter(f"<{m.group(1)}{m.group(2).lower()}>" for m in _TAG.finditer(text))
    em, strong = _emphasis(text)
    out["emphasis"] = Counter({"emphasised span": em, "strong span": strong})
    if _may_have_structure(text):
        out["structure"] = Counter(
            {kind: len(p.findall(text)) for kind, p in _STRUCTURE.items()}
        )
        out["structure"]["paragraph"] = len(re.split(r"\n[ \t]*\n", text.strip()))
    else:
        out["structure"] = Counter({"paragraph": 1})
    return out


def _may_have_structure(text: str) -> bool:
    return "\n" in text or (text != "" and text[0] in "#-*+>0123456789 \t")


def _placeholders(unit: Unit, text: str) -> Counter[str]:
    flags = unit.entry.flags
    found: Counter[str] = Counter()
    if any(f in flags for f in ("python-format", "c-format", "php-format", "perl-format")):
        found.update(p for p in _PRINTF.findall(text) if p != "%%")
    if "python-brace-format" in flags:
        found.update(_BRACE.findall(text))
    return found


_LABELS = {
    "code": "inline code", "literal": "literal", "role": "role", "target": "link target",
    "link": "link target", "image": "image", "reference": "reference link", "tag": "HTML tag",
    "placeholder": "placeholder",
}


def compare_markup(unit: Unit) -> list[tuple[str, int]]:
    """(message, severity adjustment) for each markup difference of a unit.

    Emphasis regrouped (both sides have some, in other numbers) or added
    (a translator italicises a foreign word) is a warning; emphasis lost
    altogether, and every other difference, keeps the check's severity.
    """
    rst = bool(_RST_HINT.search(unit.source)) or "``" in unit.source
    a, b = features(unit.source, rst=rst), features(unit.target, rst=rst)
    if unit.entry.flags:
        a["placeholder"] = _placeholders(unit, unit.source)
        b["placeholder"] = _placeholders(unit, unit.target)
    _drop_leading_list_item(unit, a, b)
    messages = []
    for key in dict.fromkeys([*a, *b]):
        x, y = a.get(key, Counter()), b.get(key, Counter())
        x, y = +x, +y  # drop zero counts
        if x == y:
            continue
        if key in ("emphasis", "structure"):
            adjust = -1 if key == "emphasis" and (y or not x) else 0
            messages.append((
                f"{key} differs: the original has {_counts(x)}, the translation {_counts(y)}",
                adjust,
            ))
            continue
        label = _LABELS[key]
        for item in (x - y).elements():
            messages.append((f"{label} {item!r} is in the original but not in the translation", 0))
        for item in (y - x).elements():
            messages.append((f"{label} {item!r} is in the translation but not in the original", 0))
    return messages


_LEADING_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_SAYS_HEADING = re.compile(r"\bheading\b|^type: title\b", re.IGNORECASE)


def says_heading(unit: Unit) -> bool:
    """Whether the entry is a heading: its kind, a ``#.`` comment (po4a's ``type: Title``)
    or a ``#:`` reference says so."""
    entry = unit.entry
    return entry.kind == "heading" or any(_SAYS_HEADING.search(c) for c in entry.comments) \
        or any(_SAYS_HEADING.search(path) for path, _ in entry.references)


def _drop_leading_list_item(unit: Unit, a: dict[str, Counter[str]],
                            b: dict[str, Counter[str]]) -> None:
    """A leading ``1. `` is no list item in a heading ("1. Gün Sabah"), nor, in a PO without
    segment kinds, in a translation whose original does not start a list itself."""
    heading = says_heading(unit)
    if not heading and (unit.kind or _LEADING_LIST_ITEM.match(unit.source)):
        return
    for text, found in ((unit.source, a), (unit.target, b)):
        if (heading or found is b) and "structure" in found \
                and found["structure"]["list item"] and _LEADING_LIST_ITEM.match(text):
            found["structure"]["list item"] -= 1


def _counts(counter: Counter[str]) -> str:
    if not counter:
        return "none"
    return ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in counter.items() if n)


def _plain(text: str) -> bool:
    """No character that could start markup: most prose segments, skipped cheaply.

    (Spelled out: `any` over a tuple of them costs a generator per text.)
    """
    return not ("`" in text or ("]" in text and ("](" in text or "][" in text)) or "<" in text
                or "*" in text or "_" in text or "\n" in text) and not _may_have_structure(text)


@register("markup", severity="error")
def markup(ctx: Context) -> Iterator[Problem]:
    """The same inline code, links, images, emphasis, tags, placeholders and line structure."""
    for unit in ctx.translated:
        if _plain(unit.source) and _plain(unit.target) and not unit.entry.flags:
            continue
        for message, adjust in compare_markup(unit):
            yield Problem(unit, message, adjust=adjust)
