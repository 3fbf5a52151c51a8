"""The generated EPUB cover: a typographic page in typst, from the editions' own fonts.

`cover_typst` writes a typst source for a 6 × 9.6 inch page (1600 × 2560 pixels at
`COVER_PPI`, the shape of the stores' recommendation, 1:1.6): the title (both titles,
the translation's in italic below a rule, for a bilingual edition), the authors, and
at the foot the publisher and the date. Every text is a typst string literal, so
nothing in a title becomes typst code. `pipeline.adapters.typst.compile_png` renders
it; `pipeline.render.epub` packages the PNG. Pure: no I/O.
"""

from __future__ import annotations

from pipeline.render.formats import typst_lang, typst_string

COVER_PPI = 1600 / 6  # 6 inches wide: 1600 pixels
COVER_SIZE = (1600, 2560)


def cover_typst(*, titles: list[tuple[str, str]], authors: tuple[str, ...], publisher: str,
                date: str) -> str:
    """A cover page: ``titles`` as (language, title), the first the original's."""
    parts = [
        '#set page(width: 6in, height: 9.6in, margin: (x: 0.75in, top: 1.1in, bottom: 0.8in), '
        'fill: rgb("#f3eee4"))',
        '#set text(font: ("Noto Serif", "Noto Naskh Arabic"), fill: rgb("#1d1d1b"), '
        "hyphenate: false)",
        "#set par(justify: false, leading: 0.5em)",
        '#line(length: 100%, stroke: 2pt + rgb("#8c2f1e"))',
        "#v(0.5in)",
    ]
    for index, (lang, title) in enumerate(titles):
        if index:
            parts.append('#v(0.18in)#line(length: 30%, stroke: 0.8pt + rgb("#8c2f1e"))'
                         "#v(0.12in)")
        size, style = ("34pt", "normal") if index == 0 else ("24pt", "italic")
        weight = "bold" if index == 0 else "regular"
        parts.append(f"#text({typst_lang(lang)}, size: {size}, weight: \"{weight}\", "
                     f"style: \"{style}\", {typst_string(title)})")
    if authors:
        parts.append("#v(0.45in)")
        parts.append(f"#text(size: 17pt, {typst_string(', '.join(authors))})")
    parts.append("#v(1fr)")
    foot = [f"#text(size: 13pt, weight: \"bold\", {typst_string(publisher)})"] if publisher else []
    if date:
        foot.append(f"#text(size: 12pt, fill: luma(35%), {typst_string(date)})")
    if foot:
        parts.append('#line(length: 100%, stroke: 0.6pt + rgb("#8c2f1e"))#v(0.1in)')
        parts.append(" #linebreak() ".join(foot))
    return "\n".join(parts) + "\n"
