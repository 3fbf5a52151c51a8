"""`bitext serve`: the review page with every translation editable, on 127.0.0.1.

This module is the editor's work on the publication; the web app around it
(routes, the page, the script, the security checks) is `pipeline.serve`.
A `Desk` answers what the page asks:

- ``page``: a document's review page (`bitext review`'s rows, through the
  ``make_page`` the caller passes in) and the **version** it was built from,
  a hash of the PO file's and the translated Markdown's bytes, taken before
  either is read;
- ``check_segment``: the checks of ``bitext check`` on one segment's draft
  (the runner on a catalog of that one entry, with the document's options
  and levels; the checks about the whole catalog need the whole catalog and
  run on save);
- ``preview``: the segment's HTML as the review page and the HTML edition
  render it (one text through `pipeline.render.fragments`: sanitised);
- ``save``: the draft into the PO as ``bitext import`` writes one (the
  publication lock, the journal with the file's stamp taken before it was
  read), then ``bitext update`` (passed in) rewrites the sync state and
  ``source/<lang>/<doc>.md``, so a later update changes nothing. A save
  whose version is not the one on disk is refused with both texts: nothing
  is overwritten that the page has not shown.

No command imports another: ``check``, ``make_page`` and ``update`` come from the CLI.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.adapters.fs import read_text
from pipeline.adapters.journal import Group, commit, stamp
from pipeline.adapters.lock import publication_lock
from pipeline.adapters.pandoc import parse_markdown, write_fragments
from pipeline.adapters.po import parse_catalog, render_catalog, wrap_for
from pipeline.adapters.publication import load_catalog
from pipeline.catalog import MACHINE_MARK, MEMORY_MARK, Catalog, Entry
from pipeline.checks import REGISTRY
from pipeline.checks.model import CatalogRun, CheckOptions, CheckResult, Context
from pipeline.checks.runner import levels, run_checks
from pipeline.clock import po_stamp
from pipeline.commands import UpdateOutcome, UpdateRun
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.fragments import fragment_asts, fragment_source
from pipeline.render.source import strip_draft_marks
from pipeline.review import Issue, Page, note_targets, state_of

CheckRun = Callable[[Config, list[str]], CheckResult]
"""`bitext check` on documents of the publication."""
PageMaker = Callable[[Config, CatalogRun], Page]
"""`pipeline.commands.review.make_page`: one document in one language, rendered."""

# A draft longer than this is refused before any check or pandoc run sees it.
MAX_TEXT = 100_000


class NotFound(BitextError):
    """A document, language or segment the publication does not have."""


@dataclass
class Saved:
    """What a save did: ``conflict`` when refused (then ``theirs`` is what is on disk)."""

    version: str
    conflict: bool = False
    theirs: str = ""
    theirs_state: str = ""
    text: str = ""  # the segment's translation as saved
    state: str = ""
    written: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what update left to resolve


@dataclass
class _Known:
    """What the last page load of a (document, language) learnt: options, entries, notes."""

    options: CheckOptions
    levels: dict[str, str]
    entries: dict[str, Entry]
    notes: dict[str, str]


class Desk:
    """The publication as the editor sees it; every request of the web app ends here."""

    def __init__(self, config: Config, docs: list[str], *, check: CheckRun,
                 make_page: PageMaker, update: UpdateRun) -> None:
        self.config, self.docs = config, list(docs)
        self._check, self._make_page, self._update = check, make_page, update
        self._known: dict[tuple[str, str], _Known] = {}
        self._guard = threading.Lock()  # one save at a time in this process

    # --- names: nothing from a request becomes a path unless it is on these lists ----------

    def document(self, doc: str, lang: str) -> tuple[str, str]:
        """``doc`` and ``lang`` when the publication has them, else `NotFound`."""
        if doc not in self.docs or lang not in self.config.target_langs:
            raise NotFound(f"no document {doc!r} in {lang!r} in this publication")
        return doc, lang

    def _paths(self, doc: str, lang: str) -> tuple[Path, Path]:
        doc, lang = self.document(doc, lang)
        return (self.config.inside(self.config.po_path(lang, doc)),
                self.config.inside(self.config.source_path(lang, doc)))

    def version(self, doc: str, lang: str) -> str:
        """A hash of the PO file and the translated Markdown as they are on disk now."""
        digest = hashlib.sha256()
        for path in self._paths(doc, lang):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                data = b"\xff(none)"  # no file: not the same as an empty one
            digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()[:32]

    # --- the page ------------------------------------------------------------------------

    def page(self, doc: str, lang: str) -> tuple[Page, str]:
        """The review page of ``doc`` in ``lang`` and the version it was read at."""
        doc, lang = self.document(doc, lang)
        version = self.version(doc, lang)  # before reading: a save meanwhile makes it stale
        run = next(r for r in self._check(self.config, [doc]).runs
                   if r.context.target_lang == lang)
        page = self._make_page(self.config, run)
        ctx = run.context
        self._known[doc, lang] = _Known(
            options=ctx.options, levels=levels(ctx.options),
            entries={str(e.key): e for e in ctx.entries if e.msgid and not e.obsolete},
            notes=note_targets(page.rows))
        return page, version

    def _reload_entries(self, doc: str, lang: str) -> None:
        """The catalog's entries as saved (not the whole page: a page costs every check)."""
        catalog = load_catalog(self.config, lang, doc)
        known = self._known.get((doc, lang))
        if catalog is None or known is None:
            return
        known.entries = {str(e.key): e for e in catalog.entries if e.msgid and not e.obsolete}

    def _entry(self, doc: str, lang: str, key: str) -> tuple[_Known, Entry]:
        doc, lang = self.document(doc, lang)
        known = self._known.get((doc, lang))
        if known is None:
            self.page(doc, lang)
            known = self._known[doc, lang]
        entry = known.entries.get(key)
        if entry is None:
            raise NotFound(f"no segment {key!r} in {doc} ({lang})")
        return known, entry

    # --- as the translator types ---------------------------------------------------------

    def check_segment(self, doc: str, lang: str, key: str, text: str) -> list[Issue]:
        """The findings of ``bitext check`` on ``text`` as the translation of segment ``key``.

        The draft is checked as if reviewed (a fuzzy flag would hide it from the
        content checks); its suppressions (``bitext-ignore``) still apply.
        """
        known, entry = self._entry(doc, lang, key)
        draft = replace(entry, msgstr=_bounded(text), fuzzy=False, msgstr_plural={})
        ctx = Context(document=doc, source_lang=self.config.source_lang, target_lang=lang,
                      file=self.config.relative(self.config.po_path(lang, doc)),
                      entries=[draft], options=known.options)
        names = [n for n, spec in REGISTRY.items() if spec.scope != "document"]
        run = run_checks(ctx, names, known.levels)
        return [Issue(f.check, f.severity, f.message, f.line) for f in run.findings]

    def preview(self, doc: str, lang: str, key: str, text: str) -> str:
        """``text`` as HTML, rendered and sanitised as the review page renders a translation."""
        known, _entry = self._entry(doc, lang, key)
        text = _bounded(text)
        if not text.strip():
            return ""
        shown = f"{self.config.relative(self.config.po_path(lang, doc))} (preview)"
        source = fragment_source([text])
        fragments = fragment_asts(parse_markdown(source.markdown, shown=shown), source, [text],
                                  known.notes)
        return write_fragments(fragments.asts, "html", shown=shown)[0]

    # --- saving --------------------------------------------------------------------------

    def save(self, doc: str, lang: str, key: str, text: str, version: str, *,
             reviewed: bool = False) -> Saved:
        """Write ``text`` as segment ``key``'s translation, if the files are at ``version``.

        ``reviewed``: also remove the fuzzy flag and the machine/memory labels.
        """
        text = _bounded(text)
        po, _md = self._paths(doc, lang)
        shown = self.config.relative(po)
        with self._guard:
            # wait=True: a `bitext update` in a terminal takes seconds; queue behind it
            with publication_lock(self.config.root, wait=True):
                read = {po: stamp(po)}
                now = self.version(doc, lang)
                if not po.exists():
                    raise NotFound("no catalog; run `bitext update` first", path=shown)
                old_text = read_text(po, shown=shown)
                catalog = parse_catalog(old_text, shown=shown)
                entry = _find(catalog, key, doc, lang)
                if now != version:
                    return Saved(now, conflict=True, theirs=strip_draft_marks(entry.msgstr),
                                 theirs_state=state_of(entry), text=text)
                if _apply(entry, text, reviewed=reviewed):
                    catalog.header["PO-Revision-Date"] = po_stamp()
                    width, previous = wrap_for(self.config.po_wrap, old_text)
                    done = commit(self.config.root, [Group(
                        {po: render_catalog(catalog, wrap=width, previous=previous)}, read)])
                    if done.changed:  # saved by someone between the version and the write
                        theirs = _find(parse_catalog(read_text(po, shown=shown), shown=shown),
                                       key, doc, lang)
                        return Saved(self.version(doc, lang), conflict=True,
                                     theirs=strip_draft_marks(theirs.msgstr),
                                     theirs_state=state_of(theirs), text=text)
            outcome: UpdateOutcome = self._update(self.config, [doc])
            if shown in outcome.written:  # update changed the PO again (a Markdown edit)
                self._reload_entries(doc, lang)
            elif (doc, lang) in self._known:  # the PO is as written: no second parse
                self._known[doc, lang].entries[key] = entry
            _known, saved = self._entry(doc, lang, key)
            return Saved(self.version(doc, lang), text=strip_draft_marks(saved.msgstr),
                         state=state_of(saved),
                         written=list(dict.fromkeys([shown, *outcome.written])),
                         problems=outcome.problems())


def _bounded(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise BitextError(f"a translation of more than {MAX_TEXT} characters is refused")
    return text.replace("\r\n", "\n")


def _find(catalog: Catalog, key: str, doc: str, lang: str) -> Entry:
    entry = next((e for e in catalog.entries if str(e.key) == key and not e.obsolete), None)
    if entry is None:
        raise NotFound(f"no segment {key!r} in {doc} ({lang}) any more (the original changed?)")
    return entry


def _apply(entry: Entry, text: str, *, reviewed: bool) -> bool:
    """Put the translator's ``text`` (and, when ``reviewed``, the review) on ``entry``."""
    before = (entry.msgstr, entry.fuzzy, entry.previous_msgid, list(entry.translator_comments))
    edited = text != strip_draft_marks(entry.msgstr)
    if edited:
        if not entry.has_translation:
            entry.fuzzy = False  # a first translation, typed by a person
        entry.msgstr = text
    if reviewed:
        entry.fuzzy = False
        entry.previous_msgid = None
    if edited or reviewed:
        # a person's text or a person's review: no longer the machine's or the memory's
        entry.translator_comments = [c for c in entry.translator_comments
                                     if not c.startswith((MACHINE_MARK, MEMORY_MARK))]
    return (entry.msgstr, entry.fuzzy, entry.previous_msgid,
            entry.translator_comments) != before


def open_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), or a one-line error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BitextError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise BitextError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(64)
    return sock


@dataclass(frozen=True)
class Listening:
    """Where the server listens: the address to open (with the token, if any)."""

    url: str
    host: str
    port: int
    token: str | None


def serve(config: Config, docs: list[str], *, host: str, port: int, check: CheckRun,
          make_page: PageMaker, update: UpdateRun,
          ready: Callable[[Listening], None]) -> None:
    """Serve the editor on ``host:port`` until interrupted; ``ready`` is told the address."""
    from pipeline.serve.app import run_server  # starlette and uvicorn: the 'serve' extra
    from pipeline.serve.page import edit_url
    from pipeline.serve.security import Guard

    sock = open_socket(host, port)
    bound = sock.getsockname()[1]
    guard = Guard.for_server(host, bound)
    desk = Desk(config, docs, check=check, make_page=make_page, update=update)
    shown = f"[{host}]" if ":" in host else host
    path = edit_url(docs[0], config.target_langs[0]) if len(docs) == 1 \
        and len(config.target_langs) == 1 else "/"
    url = f"http://{shown}:{bound}{path}" + (f"?token={guard.token}" if guard.token else "")
    ready(Listening(url, host, bound, guard.token))
    with sock:
        run_server(desk, guard, sock)
