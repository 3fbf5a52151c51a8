"""Make large publications out of the sample, for benchmarks.

``make_publication(root, copies, layout="files"|"one", edited=0)`` writes a
publication with ``copies`` copies of the sample article (Turkish original and
English translation), each copy's text and footnote labels made unique, as
one document per copy or all in one document. ``edit_originals(root, n)``
then edits ``n`` Turkish paragraphs spread over the corpus.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABEL = re.compile(r"\[\^([^\]\s]+)\]")
CONFIG = 'source_lang = "tr"\ntarget_langs = ["en"]\nfootnote_style = "lower-roman"\n'


def _split_front_matter(text: str) -> tuple[str, str]:
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


def _copy(text: str, k: int) -> str:
    """Copy k of a document body: labels suffixed, each paragraph made unique."""
    text = LABEL.sub(lambda m: f"[^{m.group(1)}-{k}]", text)
    lines = []
    for line in text.split("\n"):
        if line and not line.startswith(("#", "    ", "[^")):
            line = f"({k}) {line}"
        elif line.startswith("[^"):
            line = line.replace("]: ", f"]: ({k}) ", 1)
        lines.append(line)
    return "\n".join(lines)


def make_publication(root: Path, copies: int, *, layout: str = "files") -> list[Path]:
    """Write the publication; return the Turkish source files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "bitext.toml").write_text(CONFIG, encoding="utf-8")
    written = []
    for lang in ("tr", "en"):
        head, body = _split_front_matter(
            (REPO / "source" / lang / "article.md").read_text(encoding="utf-8"))
        folder = root / "source" / lang
        folder.mkdir(parents=True, exist_ok=True)
        if layout == "one":
            text = head + "\n".join(_copy(body, k) for k in range(copies))
            (folder / "big.md").write_text(text, encoding="utf-8")
            written.append(folder / "big.md")
        else:
            for k in range(copies):
                path = folder / f"doc-{k:04d}.md"
                path.write_text(head + _copy(body, k), encoding="utf-8")
                written.append(path)
    return [p for p in written if p.parent.name == "tr"]


def edit_originals(files: list[Path], edits: int) -> int:
    """Edit ``edits`` Turkish paragraphs, spread evenly over ``files``; return how many."""
    paragraphs: list[tuple[Path, int]] = []
    texts = {p: p.read_text(encoding="utf-8").split("\n") for p in files}
    for path, lines in texts.items():
        paragraphs.extend((path, i) for i, line in enumerate(lines)
                          if line.startswith("(") and len(line) > 80)
    step = max(1, len(paragraphs) // max(edits, 1))
    chosen = paragraphs[::step][:edits]
    for path, i in chosen:
        texts[path][i] = texts[path][i].replace(" ", " yeniden ", 1)
    for path in {p for p, _ in chosen}:
        path.write_text("\n".join(texts[path]), encoding="utf-8")
    return len(chosen)


def corpus_publication(folder: Path, root: Path, update: Callable[[Path, str], bool]) -> Path:
    """A publication of one folder of ``../shared/corpus``, English into Turkish.

    Each pair ``<name>.en.md``/``<name>.tr.md`` becomes the document ``d<name>``.
    ``update(root, doc)`` runs the document's first update and says whether it could; a
    pair it could not (sides with other segments: `bitext align`'s business) is taken out.
    """
    (root / "source").mkdir(parents=True)
    (root / "bitext.toml").write_text('source_lang = "en"\ntarget_langs = ["tr"]\n',
                                      encoding="utf-8")
    for en in sorted(folder.glob("*.en.md")):
        doc = "d" + en.name.removesuffix(".en.md")
        for lang, path in (("en", en), ("tr", en.with_name(en.name[:-6] + ".tr.md"))):
            (root / "source" / lang).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / "source" / lang / f"{doc}.md")
        if not update(root, doc):
            for lang in ("en", "tr"):
                (root / "source" / lang / f"{doc}.md").unlink()
    return root
