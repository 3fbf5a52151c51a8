"""The bilingual PDF, page by page: pieces, the measuring document, the paged document.

Three steps, with typst runs in between (`pipeline.render.jobs` runs them):

1. `plan`: the two languages' rows (`pipeline.render.rows`), each side cut
   into *units*: the sentences of its paragraphs when the side is nothing but
   paragraphs, else the whole side (a heading, a list, a quotation); and the
   notes, each language's, plus which notes are identical word for word in
   both (printed once, across both columns, in the parallel layout). Every
   unit and note is a separate piece for pandoc's typst writer (one run).
2. `measuring_source`: every side laid out alone at its final width (a
   column, or the page for facing), a marker after each sentence whose
   position typst reports (`typst query`), every note measured the same way,
   and the text area, the line pitch and the template's fixed spaces.
3. `paged_source`: `pipeline.render.pagination` cuts the pages from those
   heights; each page is an explicit ``#bitext-page`` holding its parts of
   each row and its notes at the foot.

A sentence boundary is a space after ``.``, ``!``, ``?`` or ``…`` (closing
quotes and note references allowed between), not after a number, a roman
numeral or a word of one or two letters ("II. Abdullah", "s. 22"), followed
by a capital; only at the paragraph's top level (never inside a language
span or emphasis, whose typst brackets must stay whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.languages import known
from pipeline.render.ast import Node, plain, raw_block, stringify
from pipeline.render.document import LangDoc
from pipeline.render.formats import (
    FormatContext,
    finish,
    note_blocks,
    note_id,
    typst_lang,
    typst_string,
)
from pipeline.render.pagination import Metrics, Page, Row, Side, paginate
from pipeline.render.pdf import front_blocks
from pipeline.render.rows import align_rows

_REF = re.compile(r"#link\(<fn-[^>]*-(\d+)>")
_END = re.compile(r"[.!?…][”’\"»)]*$")
_ROMAN = re.compile(r"^[IVXLC]+$")
LAYOUT_WIDE = {"parallel": False, "facing": True}


@dataclass
class Unit:
    """A piece of one side of a row: a sentence (of paragraph ``para``) or whole blocks."""

    blocks: list[Node]
    para: int
    sentence: bool
    notes: tuple[int, ...] = ()


@dataclass
class PlanRow:
    left: list[Unit]
    right: list[Unit]
    heading: bool = False


@dataclass
class Plan:
    """What `plan` gives: rows of units, notes as blocks, the shared notes, the titles."""

    left: LangDoc
    right: LangDoc
    rows: list[PlanRow]
    notes_left: dict[int, list[Node]]
    notes_right: dict[int, list[Node]]
    shared: set[int]
    titles: tuple[list[Node], list[Node]]
    facing: bool


def _skippable(node: Node) -> bool:
    """A note reference or the comma between two: may stand between a full stop and a space."""
    return node["t"] == "RawInline" and str(node["c"][1]).startswith(("#link(<fn-", "#super[,]"))


def _boundary(items: list[Node], k: int) -> bool:
    """Whether the Space at ``items[k]`` ends a sentence (see the module docstring)."""
    j = k - 1  # back over note references and the ends of language spans
    while j >= 0 and (_skippable(items[j]) or items[j] == {"t": "RawInline",
                                                            "c": ["typst", "]"]}):
        j -= 1
    n = k + 1  # on over the starts of language spans
    while n < len(items) and items[n]["t"] == "RawInline" and str(
            items[n]["c"][1]).endswith("["):
        n += 1
    if j < 0 or items[j]["t"] != "Str" or n >= len(items) or items[n]["t"] != "Str":
        return False
    before: str = items[j]["c"]
    if not _END.search(before):
        return False
    word = before.rstrip(".!?…”’\"»)").lstrip("(“‘\"«")
    if len(word) <= 2 or word.isdigit() or _ROMAN.match(word):
        return False
    after: str = items[n]["c"]
    first = next((ch for ch in after if ch.isalnum()), "")
    return first.isupper()


def sentences(inlines: list[Node]) -> list[list[Node]]:
    """``inlines`` cut at top-level sentence boundaries (the spaces there dropped)."""
    out: list[list[Node]] = [[]]
    depth = 0
    for k, node in enumerate(inlines):
        if node["t"] == "RawInline":
            value = node["c"][1]
            depth += value.endswith("[") - (value == "]")
        if node["t"] == "Space" and depth == 0 and _boundary(inlines, k):
            out.append([])
            continue
        out[-1].append(node)
    return [s for s in out if s]


def _notes_of(blocks: Any) -> tuple[int, ...]:
    found = [int(m.group(1)) for node in _raws(blocks) for m in _REF.finditer(node)]
    return tuple(dict.fromkeys(found))


def _raws(value: Any) -> list[str]:
    out: list[str] = []
    if isinstance(value, dict):
        if value.get("t") == "RawInline":
            out.append(value["c"][1])
        else:
            out.extend(_raws(value.get("c")))
    elif isinstance(value, list):
        for item in value:
            out.extend(_raws(item))
    return out


def _units(blocks: list[Node], cut: bool) -> list[Unit]:
    if not cut or not blocks or any(b["t"] != "Para" for b in blocks):
        return [Unit(blocks, 0, False, _notes_of(blocks))]
    out = []
    for p, block in enumerate(blocks):
        for sentence in sentences(block["c"]):
            out.append(Unit([plain(sentence)], p, True, _notes_of(sentence)))
    return out


@dataclass
class Body:
    """What the layouts of one bilingual edition share: the body's rows, notes and titles."""

    rows: list[PlanRow]
    notes_left: dict[int, list[Node]]
    notes_right: dict[int, list[Node]]
    shared: set[int]
    titles: tuple[list[Node], list[Node]]


def body(left: LangDoc, right: LangDoc, lctx: FormatContext, rctx: FormatContext) -> Body:
    """The rows of units and the notes, the same for the parallel and the facing layout."""
    titles = (front_blocks(left, lctx), front_blocks(right, rctx))
    rows: list[PlanRow] = []
    for a, b in align_rows(left.blocks, right.blocks):
        heading = any(x["t"] == "Header" for x in a + b)
        rows.append(PlanRow(_units(finish(a, left, lctx), not heading),
                            _units(finish(b, right, rctx), not heading), heading))
    notes_l = {n.number: note_blocks(n, left, lctx) for n in left.notes}
    notes_r = {n.number: note_blocks(n, right, rctx) for n in right.notes}
    by_number = {n.number: n for n in right.notes}
    shared = {n.number for n in left.notes
              if (other := by_number.get(n.number)) is not None and n.label == other.label
              and " ".join(stringify(n.blocks).split()) == " ".join(
                  stringify(other.blocks).split())}
    return Body(rows, notes_l, notes_r, shared, titles)


def plan(left: LangDoc, right: LangDoc, lctx: FormatContext, rctx: FormatContext, *,
         facing: bool, shared_body: Body | None = None) -> Plan:
    """Step 1 (see the module docstring); ``shared_body``: `body`, made once for both layouts."""
    b = shared_body if shared_body is not None else body(left, right, lctx, rctx)
    rows = list(b.rows)
    if not facing:  # the titles are the first row; facing gives them a title page
        body_start = raw_block("typst", "#bitext-body-start()")
        rows.insert(0, PlanRow(_units([*b.titles[0], body_start], False),
                               _units([*b.titles[1], body_start], False), heading=True))
    return Plan(left, right, rows, b.notes_left, b.notes_right,
                b.shared if not facing else set(), b.titles, facing)


def pieces(p: Plan) -> tuple[list[list[Node]], list[tuple[str, Any]]]:
    """Every piece to write, and what each is: ("unit", (row, side, k)), ("note", key)…"""
    blocks: list[list[Node]] = []
    what: list[tuple[str, Any]] = []
    for r, row in enumerate(p.rows):
        for side, units in (("l", row.left), ("r", row.right)):
            for k, unit in enumerate(units):
                blocks.append(unit.blocks)
                what.append(("unit", (r, side, k)))
    for side, notes in (("l", p.notes_left), ("r", p.notes_right)):
        for number, note in notes.items():
            blocks.append(note)
            what.append(("note", f"{side}:{number}"))
    blocks += [p.titles[0], p.titles[1]]
    what += [("title", "l"), ("title", "r")]
    return blocks, what


class Texts:
    """The written pieces, looked up by what they are."""

    def __init__(self, what: list[tuple[str, Any]], fragments: list[str]):
        self.by = dict(zip([(kind, key) for kind, key in what], fragments, strict=True))

    def unit(self, r: int, side: str, k: int) -> str:
        return self.by[("unit", (r, side, k))]

    def note(self, key: str) -> str:
        return self.by[("note", key)]

    def title(self, side: str) -> str:
        return self.by[("title", side)]


def _lang_set(doc: LangDoc) -> str:
    return f"#set text({typst_lang(doc.lang)})"  # an RTL language's `dir: rtl` included


def _cell(doc: LangDoc, markup: str) -> str:
    return f"[{_lang_set(doc)}\n{markup}\n]"


def _range_markup(units: list[Unit], texts: list[str], start: int, end: int,
                  marker: str | None = None) -> str:
    """Units ``start..end-1`` as markup: sentences of a paragraph joined by spaces.

    With ``marker``, ``#bitext-m("<marker>:<k>")`` follows unit k (the measuring pass).
    """
    paras: list[tuple[int, list[str]]] = []
    for k in range(start, end):
        text = texts[k]
        if marker is not None:
            text += f'#bitext-m("{marker}:{k}")'
        if paras and units[k].sentence and paras[-1][0] == units[k].para:
            paras[-1][1].append(text)
        else:
            paras.append((units[k].para, [text]))
    return "\n\n".join(" ".join(parts) for _, parts in paras)


def _side(p: Plan, t: Texts, r: int, side: str) -> tuple[LangDoc, list[Unit], list[str]]:
    row = p.rows[r]
    units = row.left if side == "l" else row.right
    doc = p.left if side == "l" else p.right
    return doc, units, [t.unit(r, side, k) for k in range(len(units))]


def _note_markup(p: Plan, t: Texts, key: str, *, labels: bool) -> str:
    side, number = key.split(":")
    doc = p.left if side in ("l", "s") else p.right
    text = t.note(("l" if side == "s" else side) + ":" + number)
    label = f" <{note_id(doc.lang, int(number))}>" if labels else ""
    also = ""
    if side == "s" and labels:  # the other language's references link here too
        also = f"#metadata(none)<{note_id(p.right.lang, int(number))}>"
    shared = "true" if side == "s" else "false"
    return f"[#bitext-pnote({shared})[{_lang_set(doc)}\n{also}{text}\n]{label}]"


def measuring_source(preamble: str, p: Plan, t: Texts) -> str:
    """Step 2: the measuring document (see the module docstring)."""
    wide = "true" if p.facing else "false"
    # links change no geometry, and resolving their labels costs typst a layout pass: here
    # they are their text (a third less work for the measuring pass)
    out = [preamble, "#let link(dest, ..body) = body.pos().at(0, default: "
           "if type(dest) == str { dest } else { [] })", "#bitext-metrics()",
           "#set page(height: auto, margin: (x: bitext-margins.x, top: 0pt, bottom: 0pt), "
           "header: none, footer: none)"]
    for r in range(len(p.rows)):
        for side in ("l", "r"):
            doc, units, texts = _side(p, t, r, side)
            body = _range_markup(units, texts, 0, len(units), marker=f"{r}{side}")
            out.append(f'#bitext-measure("{r}{side}", {wide}, {_cell(doc, body)})')
    keys = [f"l:{n}" for n in p.notes_left] + [f"r:{n}" for n in p.notes_right]
    for key in keys + [f"s:{n}" for n in sorted(p.shared)]:
        width = "true" if p.facing or key.startswith("s") else "false"
        out.append(f'#bitext-measure("n{key}", {width}, '
                   f'{_note_markup(p, t, key, labels=key[0] != "s")})')
    return "\n".join(out) + "\n"


def rows_from(p: Plan, found: list[dict[str, Any]]) -> tuple[list[Row], Metrics]:
    """The heights typst reported, as `pagination` rows and metrics."""
    y: dict[str, float] = {}
    metrics: dict[str, float] = {}
    for item in found:
        if item.get("id") == "metrics":
            metrics = {k: float(v) for k, v in item.items() if k != "id"}
        else:
            y[str(item["id"])] = float(item["y"])
    rows = []
    for r, row in enumerate(p.rows):
        sides = []
        for side, units in (("l", row.left), ("r", row.right)):
            whole = y[f"{r}{side}"]
            cuts = [y.get(f"{r}{side}:{k}", whole) for k in range(len(units))]
            cuts[-1] = whole
            notes = tuple(tuple(str(n) for n in u.notes) for u in units)
            sides.append(Side(tuple(cuts), notes))
        rows.append(Row(sides[0], sides[1], row.heading))
    heights = {key[1:]: h for key, h in y.items() if key.startswith("n")}
    return rows, Metrics(area=metrics["area"], row_gap=metrics["row_gap"],
                         note_gap=metrics["note_gap"], rule=metrics["rule"],
                         pitch=metrics["pitch"], note_heights=heights)


def layout_pages(p: Plan, found: list[dict[str, Any]]) -> list[Page]:
    rows, metrics = rows_from(p, found)
    return paginate(rows, metrics, facing=p.facing, shared={str(n) for n in p.shared})


def paged_source(preamble: str, p: Plan, t: Texts, pages: list[Page], *,
                 heads: tuple[str, str]) -> str:
    """Step 3: the paged document, every page explicit (see the module docstring)."""
    out = [preamble]
    if p.facing:
        out.append(f"#set page(header: bitext-head-facing({heads[0]}, {heads[1]}), "
                   "footer: bitext-foot-facing())")
        out.append(f"#bitext-title-page({_cell(p.left, t.title('l'))}, "
                   f"{_cell(p.right, t.title('r'))})")
    else:
        out.append(f"#set page(header: bitext-head-parallel({heads[0]}, {heads[1]}), "
                   "footer: none)")
    for n, page in enumerate(pages):
        if p.facing:
            for side, doc in (("l", p.left), ("r", p.right)):
                out.append('#pagebreak(to: "even")' if side == "l" else '#pagebreak(to: "odd")')
                cells = []
                for part in page.parts:
                    _, units, texts = _side(p, t, part.row, side)
                    span = part.left if side == "l" else part.right
                    cells.append(_cell(doc, _range_markup(units, texts, *span)))
                notes = page.notes_left if side == "l" else page.notes_right
                foot = "(" + "".join(_note_markup(p, t, f"{side}:{k}", labels=True) + ", "
                                     for k in notes) + ")"
                overflow = any(part.overflow for part in page.parts)
                out.append(f"#bitext-page(({''.join(c + ', ' for c in cells)}), "
                           f"bitext-foot((), (), {foot}), overflow: "
                           f"{'true' if overflow else 'false'})")
            continue
        if n:
            out.append("#pagebreak()")
        rows = []
        for part in page.parts:
            cells = []
            for side, doc in (("l", p.left), ("r", p.right)):
                _, units, texts = _side(p, t, part.row, side)
                span = part.left if side == "l" else part.right
                cells.append(_cell(doc, _range_markup(units, texts, *span)))
            rows.append(f"bitext-row({cells[0]}, {cells[1]})")

        def note_list(keys: list[str], side: str) -> str:
            return "(" + "".join(_note_markup(p, t, f"{side}:{k}", labels=True) + ", "
                                 for k in keys) + ")"
        overflow = any(part.overflow for part in page.parts)
        out.append(f"#bitext-page(({''.join(r + ', ' for r in rows)}), bitext-foot("
                   f"{note_list(page.notes_left, 'l')}, {note_list(page.notes_right, 'r')}, "
                   f"{note_list(page.shared, 's')}), overflow: {'true' if overflow else 'false'})")
    return "\n".join(out) + "\n"


def running_heads(p: Plan) -> tuple[str, str]:
    """The running heads' texts as typst strings: the titles, or (facing) the languages."""
    if p.facing:
        names = []
        for doc in (p.left, p.right):
            found = known(doc.lang)
            name = found.display_name(doc.lang) if found else doc.lang
            names.append(typst_string(name[:1].upper() + name[1:]))
        return names[0], names[1]
    return (typst_string(short_title(stringify(p.left.front.title))),
            typst_string(short_title(stringify(p.right.front.title))))


def short_title(title: str, limit: int = 56) -> str:
    """A title for a running head: one line of a column's half, cut after a word if longer."""
    words = title.split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            return out + " …"
        out = f"{out} {word}".strip()
    return out
