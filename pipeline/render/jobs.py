"""The units of work `pipeline.render.run` hands its pool, and what each gives back.

A job is a frozen dataclass holding everything it needs (plain data: it
pickles, so a process pool could run it as well as the thread pool does);
`run` returns a `JobResult`, the one shape every job returns. Three kinds:

- `HtmlJob`: one pandoc run writes the body of every HTML page and EPUB
  text of a document; the pages and books are put together at once;
- `TypstJob`: one pandoc request writes the typst sources of a document's PDF
  editions (the bilingual ones' pieces too); a single one compiles at once,
  several come back as compile and paged jobs so that they run side by side;
- `CompileJob`: one typst compile;
- `PagedJob`: one bilingual PDF, paged: its pieces (written by the `TypstJob`)
  measured by typst, paged in Python, compiled (`pipeline.render.pdf_pages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.adapters import pandoc, typst
from pipeline.render import epub, pdf_pages
from pipeline.render.assets import Assets
from pipeline.render.ast import document
from pipeline.render.cover import COVER_PPI
from pipeline.render.document import LangDoc
from pipeline.render.editions import (
    _contexts,
    bilingual_docs,
    cover_source,
    epub_info,
    html_ast,
    html_file,
    typst_ast,
    typst_file,
)
from pipeline.render.epub import Cover, cover_of
from pipeline.render.options import Edition
from pipeline.render.settings import BuildSettings

Item = tuple[str, Edition]  # (output file name, its edition)


@dataclass
class JobResult:
    """Output bytes by (document, file name), typst's warnings, and jobs still to run."""

    outputs: dict[tuple[str, str], bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    then: list[CompileJob | PagedJob] = field(default_factory=list)


@dataclass(frozen=True)
class CompileJob:
    """Compile one typst source into one PDF."""

    doc: str
    name: str
    source: str
    fonts_dir: Path
    epoch: int
    shown: str

    def run(self) -> JobResult:
        pdf, notes = typst.compile_pdf(self.source, fonts_dir=self.fonts_dir,
                                       timestamp=self.epoch, shown=f"{self.shown} ({self.name})")
        return JobResult(outputs={(self.doc, self.name): pdf},
                         warnings=[f"{self.name}: {n}" for n in notes])


@dataclass(frozen=True)
class HtmlJob:
    """Every HTML page and EPUB of one document, from one pandoc HTML run.

    An edition wanted in both formats is written once: the same body serves both.
    """

    doc: str
    html: tuple[Item, ...]
    epub: tuple[Item, ...]
    langdocs: dict[str, LangDoc]
    assets: Assets
    settings: BuildSettings
    shown: str

    def run(self) -> JobResult:
        editions = {e.stem: e for _, e in (*self.html, *self.epub)}
        stems = sorted(editions)
        asts = [html_ast(editions[s], self.langdocs, self.settings) for s in stems]
        bodies = dict(zip(stems, pandoc.write_fragments(asts, "html", shown=self.shown),
                          strict=True))
        result = JobResult()
        for name, edition in self.html:
            page = html_file(bodies[edition.stem], edition, self.langdocs, self.assets,
                             __version__, self.settings)
            result.outputs[(self.doc, name)] = page.encode("utf-8")
        for name, edition in self.epub:
            info = epub_info(edition, self.langdocs, self.settings)
            result.outputs[(self.doc, name)] = epub.package(
                bodies[edition.stem], info, css=self.assets.epub_css,
                shown=f"{self.shown} ({name})", cover=self._cover(edition, name))
        return result

    def _cover(self, edition: Edition, name: str) -> Cover:
        """The config's cover image, or one typst sets from the edition's title page."""
        if self.settings.cover is not None:
            return cover_of(self.settings.cover)
        png = typst.compile_png(cover_source(edition, self.langdocs),
                                fonts_dir=self.assets.fonts_dir, ppi=COVER_PPI,
                                shown=f"{self.shown} ({name}, cover)")
        return Cover(png)


@dataclass(frozen=True)
class TypstJob:
    """The typst sources of a document's PDF editions, from one pandoc request.

    Single-language editions come back as compile jobs; a bilingual one as a `PagedJob`
    with its pieces written. The layouts of one bilingual edition share their rows and
    notes (`pdf_pages.body`, made once) and the pieces written (``once``: the facing
    layout's are the parallel one's, bar the titles' row).
    """

    doc: str
    items: tuple[Item, ...]
    langdocs: dict[str, LangDoc]
    assets: Assets
    settings: BuildSettings
    shown: str

    def run(self) -> JobResult:
        singles = [(name, e) for name, e in self.items if not e.bilingual]
        asts = [typst_ast(e, self.langdocs, self.settings) for _, e in singles]
        bodies: dict[tuple[str, ...], pdf_pages.Body] = {}
        paged: list[tuple[str, Edition, pdf_pages.Plan, list[tuple[str, Any]]]] = []
        for name, edition in self.items:
            if not edition.bilingual:
                continue
            ctxs = _contexts(edition, "typst", self.settings)
            left, right = bilingual_docs(edition, self.langdocs)
            if edition.langs not in bodies:
                bodies[edition.langs] = pdf_pages.body(left, right, ctxs[0], ctxs[1])
            plan = pdf_pages.plan(left, right, ctxs[0], ctxs[1],
                                  facing=edition.layout == "facing",
                                  shared_body=bodies[edition.langs])
            blocks, what = pdf_pages.pieces(plan)
            asts.extend(document(b) for b in blocks)
            paged.append((name, edition, plan, what))
        fragments = pandoc.write_fragments(asts, "typst", shown=self.shown, once=True)
        # A bilingual PDF is paged (its own steps: `PagedJob`), first: the longest chain.
        later: list[CompileJob | PagedJob] = []
        start = len(singles)
        for name, edition, plan, what in paged:
            texts = pdf_pages.Texts(what, fragments[start:start + len(what)])
            start += len(what)
            later.append(PagedJob(self, name, edition, plan, texts))
        for (name, edition), fragment in zip(singles, fragments[:len(singles)], strict=True):
            source = typst_file(fragment, edition, self.langdocs, self.assets, self.settings)
            epoch = self.settings.epoch(self.langdocs[edition.langs[0]].front.date)
            later.append(CompileJob(self.doc, name, source, self.assets.fonts_dir, epoch,
                                    self.shown))
        # one step runs here, at once, rather than wait its turn in the pool again
        if len(later) == 1:
            return later[0].run()
        return JobResult(then=later)


@dataclass(frozen=True)
class PagedJob:
    """A bilingual PDF, its pieces written: measured by typst, paged in Python, compiled.

    See `pipeline.render.pdf_pages` (the steps) and `pipeline.render.pagination`.
    """

    of: TypstJob
    name: str
    edition: Edition
    plan: pdf_pages.Plan
    texts: pdf_pages.Texts

    def run(self) -> JobResult:
        job, edition, plan, texts = self.of, self.edition, self.plan, self.texts
        preamble = typst_file("", edition, job.langdocs, job.assets, job.settings)
        shown = f"{job.shown} ({self.name})"
        found = typst.query_values(pdf_pages.measuring_source(preamble, plan, texts),
                                   "<bitext-m>", fonts_dir=job.assets.fonts_dir, shown=shown)
        pages = pdf_pages.layout_pages(plan, found)
        source = pdf_pages.paged_source(preamble, plan, texts, pages,
                                        heads=pdf_pages.running_heads(plan))
        epoch = job.settings.epoch(job.langdocs[edition.langs[0]].front.date)
        return CompileJob(job.doc, self.name, source, job.assets.fonts_dir, epoch,
                          job.shown).run()


Job = HtmlJob | TypstJob | CompileJob | PagedJob
