"""`bitext align`: build a PO file from an original and a translation never aligned.

Both Markdown files are segmented (`pipeline.markdown.segments.parse_document`), the
segments aligned (`pipeline.align.align_segments`), and a catalog written
with one entry per original segment:

* 1:1  the translation segment is the msgstr;
* 1:2  both translation paragraphs, separated by a blank line, are the msgstr;
* 2:1  the translation goes on the first entry; the second keeps an empty
       msgstr, is fuzzy and carries the translator comment
       ``bitext-align: merged into the previous entry's translation``;
* 1:0  no translation found: an untranslated entry;
* 0:1  translation text with no original is never dropped: it becomes a
       translator comment (``bitext-align: translation text with no
       original, from FILE:LINE:`` and the text) on the entry before it (the
       first entry when it comes first), and that entry is made fuzzy so a
       person sees it. Translator comments survive `bitext update` and msgmerge.

Each entry carries ``#. alignment: 1:1 confidence 0.93`` and is fuzzy
unless its confidence is at least the threshold. Those ``#.`` comments are
bitext's own: the next `bitext update` replaces them with the template's
(the fuzzy flags and the translator comments stay).

When the files are the publication's own (``--doc``, or SRC and TGT in
``source/<lang>/`` with the PO at its usual place), a sync state is written
beside the PO saying that the translated Markdown is now all in the PO, so
the next `bitext update` rewrites that Markdown from the PO rather than
reading the aligned text as conflicting edits.
"""

from __future__ import annotations

import textwrap
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline.adapters.fs import publication_lock, read_text, write_all
from pipeline.adapters.po import render_catalog, wrap_for
from pipeline.adapters.publication import state_path
from pipeline.adapters.workers import Waited, in_child, reap
from pipeline.align import DEFAULT_THRESHOLD, Pair, align_segments, unbold
from pipeline.catalog import Catalog, Entry, template_from_segments
from pipeline.catalog_header import header_for
from pipeline.clock import po_stamp
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.glossary import parse_glossary
from pipeline.keys import digest
from pipeline.markdown.segments import Segment, parse_document
from pipeline.sync import SyncRecord, SyncState, render_state

MERGED_NOTE = "bitext-align: merged into the previous entry's translation"
UNMATCHED_NOTE = "bitext-align: translation text with no original, from {where}:"
ALIGNED = "aligned"  # the fingerprint a sync record gets when its Markdown text was aligned


@dataclass(frozen=True)
class Row:
    """One pair as the report shows it: line ranges (1-based, inclusive), texts, score."""

    shape: str
    source_lines: tuple[int, int] | None
    target_lines: tuple[int, int] | None
    confidence: float
    fuzzy: bool
    note: str
    source_text: str
    target_text: str

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.shape,
            "source": list(self.source_lines) if self.source_lines else None,
            "target": list(self.target_lines) if self.target_lines else None,
            "confidence": self.confidence,
            "fuzzy": self.fuzzy,
            "note": self.note,
        }


@dataclass
class AlignResult:
    """What `align` built: the files, the pairs, the PO text, and whether it was written."""

    source_file: str
    target_file: str
    po_file: str
    source_lang: str
    target_lang: str
    threshold: float
    rows: list[Row] = field(default_factory=list)
    po_text: str = ""
    written: bool = False

    def count(self, shape: str) -> int:
        return sum(1 for r in self.rows if r.shape == shape)

    @property
    def fuzzy(self) -> int:
        return sum(1 for r in self.rows if r.fuzzy)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source_file, "target": self.target_file, "po": self.po_file,
            "source_lang": self.source_lang, "target_lang": self.target_lang,
            "threshold": self.threshold,
            "summary": {shape: self.count(shape) for shape in ("1:1", "1:2", "2:1", "1:0", "0:1")}
            | {"fuzzy": self.fuzzy},
            "pairs": [r.as_dict() for r in self.rows],
        }

    def notices(self) -> list[AlignNotice]:
        """One notice per merge, missing translation and unmatched text, where it is."""
        out = []
        for r in self.rows:
            if r.shape == "2:1" and r.source_lines and r.target_lines:
                out.append(AlignNotice(
                    self.source_file, r.source_lines,
                    f"2 original segments share one translation segment ({self.target_file}:"
                    f"{_span(r.target_lines)}); it is on the first entry"))
            elif r.shape == "1:0" and r.source_lines:
                out.append(AlignNotice(self.source_file, r.source_lines,
                                       "no translation found; the entry is left untranslated"))
            elif r.shape == "0:1" and r.target_lines:
                out.append(AlignNotice(
                    self.target_file, r.target_lines,
                    "translation text with no original; kept as a translator comment in the PO"))
        return out


@dataclass(frozen=True)
class AlignNotice:
    """Something `bitext align` did that a person should look at: file, lines, what."""

    path: str
    lines: tuple[int, int]  # first and last line of the text concerned
    message: str

    @property
    def line(self) -> int:
        return self.lines[0]

    @property
    def located(self) -> str:
        """``path:line[-last]: message``, as printed."""
        return f"{self.path}:{_span(self.lines)}: {self.message}"


def align(
    config: Config | None,
    source: Path | None,
    target: Path | None,
    *,
    doc: str | None = None,
    output: Path | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    glossary: Path | None = None,
    force: bool = False,
    write: bool = True,
) -> AlignResult:
    """Align ``source`` with ``target`` (or the publication's document ``doc``) into a PO.

    Without ``output`` the PO goes where the publication keeps it
    (``locale/<tgt>/LC_MESSAGES/<doc>.po``), which needs the files to be the
    publication's own. An existing PO is kept unless ``force``; ``write``
    False computes everything and writes nothing (``-o -``).
    """
    if not 0.0 <= threshold <= 1.0:
        raise BitextError(f"--threshold must be between 0 and 1, got {threshold}")
    src_lang, tgt_lang = _languages(config, source_lang, target_lang)
    if doc is not None:
        if config is None:
            raise BitextError("--doc needs a publication (a bitext.toml or [tool.bitext])")
        if source is not None or target is not None:
            raise BitextError("give either --doc or the two files SRC TGT, not both")
        config.check_name(doc)
        if src_lang != config.source_lang or tgt_lang not in config.target_langs:
            raise BitextError(
                f"--doc aligns the publication's languages: source {config.source_lang}, "
                f"target one of {', '.join(config.target_langs)} (got {src_lang} -> {tgt_lang})")
        source, target = config.source_path(src_lang, doc), config.source_path(tgt_lang, doc)
    if source is None or target is None:
        raise BitextError("give the original and the translation (SRC TGT), or --doc DOC")
    name = doc or source.stem
    if output is None and write:
        output = _publication_po(config, source, target, src_lang, tgt_lang)
    shown = [_shown(config, p) for p in (source, target)]
    po_shown = _shown(config, output) if output is not None and write else "-"
    if output is not None and write and output.exists() and not force:
        raise BitextError("exists already; align again with --force to replace it "
                          "(its translations would be lost), or use `bitext update`",
                          path=po_shown)
    terms = _read_glossary(glossary, _shown(config, glossary), src_lang, tgt_lang) \
        if glossary else None

    # A big translation is segmented in a forked child while the original is here (each
    # is half of a 200-copy alignment's time); the child's error comes with its file.
    segment_target = partial(_segments, target, shown[1], config)
    apart = Waited(in_child(segment_target)) if _size(target) >= APART_FROM else None
    try:
        _, original = _segments(source, shown[0], config)
        target_text, translation = apart() if apart is not None else segment_target()
    except BaseException:
        if apart is not None:
            apart.drain()  # waited for all the same
        raise
    finally:
        reap()  # the child's exit, once its result is in (or its error)
    pairs = align_segments(original, translation, source_lang=src_lang, target_lang=tgt_lang,
                           glossary=terms)
    catalog, rows = _catalog(original, translation, pairs, shown, threshold)
    catalog.header = header_for(tgt_lang, name)
    catalog.header["POT-Creation-Date"] = catalog.header["PO-Revision-Date"] = po_stamp()
    catalog.header_comment = (
        f"{name}: translation into {tgt_lang}, aligned by `bitext align` from {shown[0]} and "
        f"{shown[1]}. msgid: the original segment; msgstr: its translation."
    )
    width, _ = wrap_for(config.po_wrap if config is not None else "keep", None)  # a new file
    result = AlignResult(shown[0], shown[1], po_shown, src_lang, tgt_lang, threshold, rows,
                         render_catalog(catalog, wrap=width))
    if output is not None and write:
        files = {output: result.po_text}
        lock: AbstractContextManager[int | None] = nullcontext()
        if config is not None and output.resolve().is_relative_to(config.root):
            lock = publication_lock(config.root)
            if _is_publication_pair(config, target, output, tgt_lang):
                files[state_path(config, tgt_lang, target.stem)] = _consumed(catalog, target_text)
        with lock:
            write_all(files)
        result.written = True
    return result


def side_by_side(result: AlignResult, row: Row, width: int = 100, lines: int = 8) -> list[str]:
    """A pair as two text columns under a header line naming both places and the score."""
    column = (width - 3) // 2
    where_s = f"{result.source_file}:{_span(row.source_lines)}" if row.source_lines else "—"
    where_t = f"{result.target_file}:{_span(row.target_lines)}" if row.target_lines else "—"
    note = f", {row.note}" if row.note else ""
    out = [f"{row.shape} confidence {row.confidence:.2f}{note}: {where_s} ↔ {where_t}"]
    left = _wrap(row.source_text, column, lines)
    right = _wrap(row.target_text, column, lines)
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        out.append(f"{a:<{column}} │ {b}".rstrip())
    return out


def _catalog(original: list[Segment], translation: list[Segment], pairs: list[Pair],
             shown: list[str], threshold: float) -> tuple[Catalog, list[Row]]:
    entries = template_from_segments(original, shown[0])
    made: list[tuple[Pair, list[str]]] = []
    last: Entry | None = None
    waiting: list[str] = []  # comments of unmatched text seen before any entry
    for pair in pairs:
        fuzzy = pair.confidence < threshold
        texts = [translation[j].text for j in pair.target]
        if pair.note == "heading ↔ bold paragraph":
            texts = [unbold(t) for t in texts]
        comment = f"alignment: {pair.shape} confidence {pair.confidence:.2f}"
        comment += f", {pair.note}" if pair.note else ""
        if not pair.source:
            note = [UNMATCHED_NOTE.format(where=f"{shown[1]}:{translation[pair.target[0]].line}"),
                    *texts[0].split("\n")]
            if last is None:
                waiting.extend(note)
            else:
                last.translator_comments.extend(note)
                last.fuzzy = last.fuzzy or bool(last.msgstr)
        else:
            first = entries[pair.source[0]]
            first.msgstr = "\n\n".join(texts)
            first.fuzzy = fuzzy and bool(first.msgstr)
            first.comments.append(comment + ("" if pair.target else ", no translation found"))
            for i in pair.source[1:]:
                entries[i].fuzzy = bool(pair.target)
                entries[i].comments.append(comment)
                entries[i].translator_comments.append(MERGED_NOTE)
            if waiting:
                first.translator_comments[:0] = waiting
                first.fuzzy = first.fuzzy or bool(first.msgstr)
                waiting = []
            last = entries[pair.source[-1]]
        made.append((pair, texts))
    if waiting and entries:  # only unmatched text, or it all came after the last entry
        entries[-1].translator_comments.extend(waiting)
    rows = [
        Row(
            shape=pair.shape,
            source_lines=_lines([original[i] for i in pair.source]),
            target_lines=_lines([translation[j] for j in pair.target]),
            confidence=pair.confidence,
            # 0:1 text waits in a comment: always shown as needing a look.
            fuzzy=entries[pair.source[0]].fuzzy if pair.source else True,
            note=", ".join(filter(None, [pair.note, _attached(entries, pair)])),
            source_text="\n\n".join(original[i].text for i in pair.source),
            target_text="\n\n".join(texts),
        )
        for pair, texts in made
    ]
    return Catalog(entries=entries), rows


def _attached(entries: list[Entry], pair: Pair) -> str:
    """Why an entry is fuzzy when its own pair is sure: unmatched text waits in its comments."""
    prefix = UNMATCHED_NOTE.split("{")[0]
    if pair.source and any(c.startswith(prefix) for c in
                           entries[pair.source[0]].translator_comments):
        return "translation text with no original in its comments"
    return ""


# From this size (bytes), the translation is segmented in a child beside the original.
APART_FROM = 512 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # missing: read here, where the error names it


def _segments(path: Path, shown: str, config: Config | None) -> tuple[str, list[Segment]]:
    text = read_text(path, shown=shown)
    if config is not None:
        return text, parse_document(text, path=shown, prose_keys=config.prose_keys).segments
    return text, parse_document(text, path=shown).segments


def _is_publication_pair(config: Config, target: Path, output: Path, lang: str) -> bool:
    """Whether ``target`` and ``output`` are the publication's Markdown and PO of one document."""
    doc = target.stem
    return (target.resolve() == config.source_path(lang, doc).resolve()
            and output.resolve() == config.po_path(lang, doc).resolve())


def _consumed(catalog: Catalog, markdown: str) -> str:
    """A sync state saying: this Markdown is all in the PO now, the PO is the newer side.

    So the next `bitext update` rewrites the translated Markdown from the PO
    (fuzzy marks and all) instead of taking the aligned text for edits that
    conflict with it.
    """
    state = SyncState(records=[SyncRecord(e.key, ALIGNED, ALIGNED) for e in catalog.entries],
                      files={"markdown": digest(markdown)})
    return render_state(state)


def _languages(config: Config | None, source: str | None,
               target: str | None) -> tuple[str, str]:
    """Languages from the options, else the publication's, as canonical BCP 47 tags."""
    from pipeline.languages import UnknownLanguage, language

    src = source or (config.source_lang if config else None)
    tgt = target or (config.target_langs[0] if config else None)
    if src is None or tgt is None:
        raise BitextError("outside a publication, give --source-lang and --target-lang")
    try:
        src, tgt = language(src).tag, language(tgt).tag
    except UnknownLanguage as exc:
        option = "--source-lang" if exc.tag == src else "--target-lang"
        raise BitextError(f"{option}: {exc.message}") from None
    if src == tgt:
        raise BitextError(f"source and target language are both {src!r}")
    return src, tgt


def _publication_po(config: Config | None, source: Path, target: Path, src: str,
                    tgt: str) -> Path:
    """Where the publication keeps the PO of this pair of files (if they are its own)."""
    if config is not None and source.suffix == ".md":
        doc = source.stem
        if (source.resolve() == config.source_path(src, doc).resolve()
                and target.resolve() == config.source_path(tgt, doc).resolve()):
            return config.po_path(tgt, doc)
    raise BitextError("name the PO file to write with -o (or -o - to print it)")


def _read_glossary(path: Path, shown: str, source_lang: str, target_lang: str) -> dict[str, str]:
    """A glossary file (CSV, TSV or TBX, `pipeline.glossary`): term -> its first translation."""
    return parse_glossary(read_text(path, shown=shown), shown=shown).pairs(source_lang,
                                                                            target_lang)


def _shown(config: Config | None, path: Path) -> str:
    if config is not None:
        try:
            return path.resolve().relative_to(config.root).as_posix()
        except ValueError:
            pass
    return str(path)


def _lines(segments: list[Segment]) -> tuple[int, int] | None:
    if not segments:
        return None
    last = segments[-1]
    return segments[0].line, last.line + last.text.count("\n")


def _span(lines: tuple[int, int] | None) -> str:
    if lines is None:
        return "?"
    return str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"


def _wrap(text: str, width: int, limit: int) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(textwrap.wrap(paragraph, width) or [""])
    if len(out) > limit:
        out = [*out[: limit - 1], "…"]
    return out
