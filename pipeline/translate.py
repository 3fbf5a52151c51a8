"""Machine-translation draft policy: what is drafted, how it is protected and marked. Pure.

A *draft* is a machine translation of an untranslated segment. It goes
into the msgstr, the entry is marked fuzzy and gets the translator comment
``bitext-mt: <provider>, <YYYY-MM-DD>``, so nobody takes it for reviewed
work (`status` counts these, `check` warns on them). A translator who edits
the text and removes the fuzzy flag makes it an ordinary translation; the
next `bitext translate` drops the stale comment.

For a *fuzzy* entry (its original changed since it was translated) a fresh
machine translation is only a *proposal*: it goes into translator comments
(``bitext-mt-proposal: <provider>, <date>`` then the text, each line after
``> ``) and the msgstr stays as the translator left it. A reviewed
translation (non-empty, not fuzzy) is never touched.

*Protection*: the Markdown a translator must not lose is replaced by
placeholders ``{1}``, ``{2}``, ... before the text goes to the engine, and
put back afterwards (`protect`, `restore`): footnote references, inline
code, URLs and e-mail addresses, autolinks and HTML tags, link and image
targets (and the brackets around the link text), pandoc attributes,
backslash escapes, emphasis markers (``*``, ``_``, ``~~``) and line breaks
inside a footnote. A draft that lost, doubled or invented a placeholder,
swapped an emphasis or link pair, reordered footnote references or would
start a new Markdown block is rejected (`Draft.problem`), never written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from pipeline.catalog import MACHINE_MARK, MEMORY_MARK, Catalog, Entry
from pipeline.errors import BitextError
from pipeline.settings_schema import (
    Context,
    Convert,
    Invalid,
    Key,
    Section,
    check_section,
    got,
    one_of,
)

PROPOSAL_MARK = "bitext-mt-proposal:"
PROPOSAL_LINE = "> "
# Provider name recorded for a segment with nothing to translate (only URLs, references, ...).
COPY = "copy"
ONLY = ("untranslated", "fuzzy")

_PLACEHOLDER = re.compile(r"\{\s*(\d+)\s*\}")
_INNER = r"(?:[^\[\]\n]|\[\^[^\]\s]+\]|\n(?![ \t]*\n))*"
_TOKEN = re.compile(
    r"(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks)(?!`))"
    r"|(?P<angle><(?:https?://|mailto:)[^>\s]*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s[^<>]*)?/?>)"
    r"|(?P<fn>\[\^[^\]\s]+\])"
    r"|(?P<brk>[ \t]*\n(?:[ \t]*\n)+[ \t]*| {2,}\n[ \t]*|\\\n[ \t]*)"
    r"|(?P<soft>[ \t]*\n[ \t]*)"
    r"|(?P<esc>\\[!-/:-@\[-`{-~])"
    r"|(?P<lit>\{\s*\d+\s*\})"
    r"|(?P<attr>\{(?:[#.][^{}\n]*|[A-Za-z-]+=[^{}\n]*)\})"
    rf"|(?P<link>(?P<open>!?\[)(?P<inner>{_INNER})"
    r"(?P<close>\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)|\]\[[^\]\n]*\]"
    r"|\]\{[^{}\n]*\}))"
    r"|(?P<url>(?:https?|ftp)://(?:[^\s<>()\[\]{}]|\([^\s<>()]*\))*"
    r"(?:[^\s<>()\[\]{}.,;:!?'\"”’»]|\([^\s<>()]*\))"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<emph>\*+|_+|~~)",
    re.DOTALL,
)
# What a paragraph must not start with, or it becomes another kind of block.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|\||:\s|~~~|```)")


@dataclass(frozen=True)
class Token:
    """A protected piece of Markdown, shown to the engine as ``{n}``.

    ``role``: "open"/"close" for the two halves of emphasis or a link;
    ``glue_before``/``glue_after``: whitespace the engine puts on that side
    is removed on restore (``**`` must touch its word, a reference its word).
    """

    text: str
    kind: str
    role: str = ""
    glue_before: bool = False
    glue_after: bool = False


@dataclass(frozen=True)
class Protected:
    """A segment as the engine sees it: ``text`` with placeholders, and what they stand for."""

    source: str
    text: str
    tokens: tuple[Token, ...]
    pairs: tuple[tuple[int, int], ...] = ()  # 0-based token indexes: (opener, closer)

    @property
    def needs_engine(self) -> bool:
        """False when nothing but placeholders, digits and punctuation remains."""
        return any(c.isalpha() for c in _PLACEHOLDER.sub("", self.text))


@dataclass(frozen=True)
class Draft:
    """The outcome of restoring an engine's output: ``text``, or why it was rejected."""

    text: str = ""
    problem: str = ""


def protect(text: str) -> Protected:
    """Replace the Markdown the engine must not see by ``{n}`` placeholders."""
    tokens: list[Token] = []
    out = _scan(text, tokens)
    return Protected(source=text, text=out.strip(), tokens=tuple(tokens),
                     pairs=tuple(_pairs(tokens)))


def restore(protected: Protected, translated: str) -> Draft:
    """Put the protected Markdown back into the engine's output, or say why it cannot."""
    tokens = protected.tokens
    pieces = _PLACEHOLDER.split(translated.strip())
    texts, numbers = pieces[0::2], [int(n) for n in pieces[1::2]]
    expected = range(1, len(tokens) + 1)
    problem = _placeholder_problem(tokens, numbers, expected)
    if not problem:
        position = {n: i for i, n in enumerate(numbers)}
        for opener, closer in protected.pairs:
            if position[opener + 1] > position[closer + 1]:
                problem = (f"the engine swapped {tokens[opener].text!r} and "
                           f"{tokens[closer].text!r} around {{{opener + 1}}}…{{{closer + 1}}}")
                break
        refs = [n for n in numbers if tokens[n - 1].kind == "fn"]
        if not problem and refs != sorted(refs):
            problem = "the engine reordered the footnote references " + " ".join(
                tokens[n - 1].text for n in refs)
    if problem:
        return Draft(problem=problem)
    for i, number in enumerate(numbers):
        token = tokens[number - 1]
        if token.glue_before:
            texts[i] = texts[i].rstrip()
        if token.glue_after:
            texts[i + 1] = texts[i + 1].lstrip()
    result = texts[0] + "".join(
        tokens[n - 1].text + after for n, after in zip(numbers, texts[1:], strict=True)
    )
    result = result.strip()
    if not result:
        return Draft(problem="the engine returned nothing")
    if _BLOCK_START.match(result) and not _BLOCK_START.match(protected.source):
        return Draft(problem=f"the draft would start a new Markdown block: {result[:20]!r}")
    return Draft(text=result)


def _placeholder_problem(tokens: tuple[Token, ...], numbers: list[int],
                         expected: Iterable[int]) -> str:
    seen: set[int] = set()
    for n in numbers:
        if not 1 <= n <= len(tokens):
            return f"the engine invented the placeholder {{{n}}}"
        if n in seen:
            return f"the engine repeated {{{n}}} ({tokens[n - 1].text!r})"
        seen.add(n)
    lost = [n for n in expected if n not in seen]
    if lost:
        return "the engine lost " + ", ".join(f"{{{n}}} ({tokens[n - 1].text!r})" for n in lost)
    return ""


def code_spans(text: str) -> list[tuple[int, int, Token]]:
    """Where each protected piece of ``text`` is: (start, end, token), in order.

    The same pieces `protect` replaces by placeholders, found by the same scan; the
    exchange formats (`pipeline.exchange`) show them to a CAT tool as inline codes.
    """
    tokens: list[Token] = []
    spans: list[tuple[int, int]] = []
    _scan(text, tokens, spans)
    return [(start, end, token) for (start, end), token in zip(spans, tokens, strict=True)]


def _scan(text: str, tokens: list[Token], spans: list[tuple[int, int]] | None = None,
          offset: int = 0) -> str:
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(text[pos:match.start()])
        pos = match.end()
        kind = match.lastgroup or ""  # the outermost group: it closes last
        piece = match.group()
        before = len(tokens)
        if kind == "soft":
            out.append(" ")
        elif kind == "link":
            if spans is not None:
                spans.append((offset + match.start("open"), offset + match.end("open")))
            out.append(_add(tokens, Token(match.group("open"), "link", "open", glue_after=True)))
            out.append(_scan(match.group("inner"), tokens, spans, offset + match.start("inner")))
            if spans is not None:
                spans.append((offset + match.start("close"), offset + match.end("close")))
            out.append(_add(tokens, Token(match.group("close"), "link", "close",
                                          glue_before=True)))
        elif kind == "emph":
            role = _emphasis_role(piece, text[match.start() - 1: match.start()],
                                  text[match.end(): match.end() + 1])
            if role is None:
                out.append(piece)  # a lone * or an intraword _: plain text
            else:
                out.append(_add(tokens, Token(piece, "emph", role, glue_before=role == "close",
                                              glue_after=role == "open")))
        elif kind == "fn":
            glued = match.start() > 0 and not text[match.start() - 1].isspace()
            out.append(_add(tokens, Token(piece, "fn", glue_before=glued)))
        elif kind == "brk":
            out.append(_add(tokens, Token(piece, "break", glue_before=True, glue_after=True)))
        else:
            out.append(_add(tokens, Token(piece, kind)))
        if spans is not None and kind != "link" and len(tokens) > before:
            spans.append((offset + match.start(), offset + match.end()))
    out.append(text[pos:])
    return "".join(out)


def _add(tokens: list[Token], token: Token) -> str:
    tokens.append(token)
    return f"{{{len(tokens)}}}"


def _emphasis_role(run: str, before: str, after: str) -> str | None:
    """CommonMark's flanking rules: "open", "close", "" (could be either) or None (no marker)."""
    before, after = before or " ", after or " "
    left = not after.isspace() and (
        not _punct(after) or before.isspace() or _punct(before))
    right = not before.isspace() and (
        not _punct(before) or after.isspace() or _punct(after))
    if run.startswith("_"):
        opens = left and (not right or _punct(before))
        closes = right and (not left or _punct(after))
    else:
        opens, closes = left, right
    if opens and closes:
        return ""
    if opens:
        return "open"
    if closes:
        return "close"
    return None


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _pairs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Openers matched to their closers (same marker, innermost first)."""
    pairs: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        key = token.kind if token.kind == "link" else token.text
        if token.role == "open":
            stacks.setdefault(key, []).append(i)
        elif token.role == "close" and stacks.get(key):
            pairs.append((stacks[key].pop(), i))
    return sorted(pairs)


# --- which entries, and how they are marked -------------------------------------------------


def wants_draft(entry: Entry, only: str) -> bool:
    """Does ``entry`` get a draft (``only="untranslated"``) or a proposal (``"fuzzy"``)?"""
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    if only == "untranslated":
        return not entry.has_translation
    # A fuzzy entry whose text is a machine draft of this very original needs no new proposal.
    fresh_draft = is_machine_draft(entry) and entry.previous_msgid is None
    return entry.fuzzy and entry.has_translation and not fresh_draft


def is_machine_draft(entry: Entry) -> bool:
    return entry.machine_draft


def mark_draft(entry: Entry, text: str, provider: str, date: str) -> None:
    """Fill an untranslated entry with a machine draft: fuzzy, labelled with its provenance."""
    # Label first, text last: an interrupted run can never leave an unlabelled machine text.
    entry.fuzzy = True
    entry.previous_msgid = None
    entry.translator_comments = [*_without_marks(entry.translator_comments),
                                 f"{MACHINE_MARK} {provider}, {date}"]
    entry.msgstr = text


def add_proposal(entry: Entry, text: str, provider: str, date: str) -> bool:
    """Put a fresh machine translation beside a fuzzy entry's msgstr, which stays as it is.

    The same proposal made again keeps its old date, so a rerun changes nothing
    (and returns False).
    """
    old = proposal(entry)
    if old is not None and old[1] == text:
        return False
    entry.translator_comments = [
        *_without_marks(entry.translator_comments, keep_machine=True),
        f"{PROPOSAL_MARK} {provider}, {date}",
        *(PROPOSAL_LINE + line for line in text.split("\n")),
    ]
    return True


def proposal(entry: Entry) -> tuple[str, str] | None:
    """The (provenance, text) of the entry's machine proposal, if it has one."""
    lines = entry.translator_comments
    for i, line in enumerate(lines):
        if line.startswith(PROPOSAL_MARK):
            body = []
            for follow in lines[i + 1:]:
                if not follow.startswith(PROPOSAL_LINE.rstrip()):
                    break
                body.append(follow[len(PROPOSAL_LINE):])
            return line[len(PROPOSAL_MARK):].strip(), "\n".join(body)
    return None


def machine_label(entry: Entry) -> str | None:
    """The provider named in the entry's machine label, if it has one."""
    for line in entry.translator_comments:
        if line.startswith(MACHINE_MARK):
            return line[len(MACHINE_MARK):].split(",")[0].strip()
    return None


def drop_label(entry: Entry) -> None:
    """Remove the machine label (the text is no longer the machine's)."""
    entry.translator_comments = [c for c in entry.translator_comments
                                 if not c.startswith(MACHINE_MARK)]


def drop_stale_marks(catalog: Catalog) -> int:
    """Remove machine labels from reviewed (non-fuzzy) entries; return how many changed."""
    changed = 0
    for entry in catalog.entries:
        if entry.has_translation and not entry.fuzzy:
            kept = _without_marks(entry.translator_comments)
            if kept != entry.translator_comments:
                entry.translator_comments = kept
                changed += 1
    return changed


def _without_marks(lines: list[str], *, keep_machine: bool = False) -> list[str]:
    """``lines`` without the machine label (unless kept) and without any proposal block."""
    out, in_proposal = [], False
    for line in lines:
        if line.startswith(PROPOSAL_MARK):
            in_proposal = True
            continue
        if in_proposal and line.startswith(PROPOSAL_LINE.rstrip()):
            continue
        in_proposal = False
        if line.startswith((MACHINE_MARK, MEMORY_MARK)) and not keep_machine:
            continue
        out.append(line)
    return out


# --- settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslateSettings:
    """``[tool.bitext.translate]``, with the command-line options applied.

    ``rate_limit`` None means the provider's default (see `pipeline.adapters.mt`).
    """

    provider: str = "libre"
    url: str | None = None
    batch_size: int = 20
    rate_limit: float | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    memory_threshold: float = 75.0  # --provider memory: lowest fuzzy score (0..100) taken


# The providers `pipeline.adapters.mt` knows (its PROVIDERS), named here so the
# configuration can be checked without loading the translation clients.
PROVIDER_NAMES = ("libre", "google", "deepl", "mymemory", "memory")
# Not a machine translator: the publication's translation memory (pipeline.memory).
MEMORY_PROVIDER = "memory"


def _number(*, integer: bool = False, above: bool = False, minimum: float = 0) -> Convert:
    def convert(value: Any, context: Context) -> Any:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            what = "an integer" if integer else "a number"
            raise Invalid(f"expected {what}, got {got(value)}")
        if value < minimum or (above and value == minimum):
            bound = f"more than {minimum:g}" if above else f"at least {minimum:g}"
            raise Invalid(f"expected {bound}, got {value!r}")
        return value
    return convert


def _percent(value: Any, context: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise Invalid(f"expected a number from 0 to 100, got {got(value)}")
    return float(value)


def _url(value: Any, context: Context) -> str:
    if not (isinstance(value, str) and re.match(r"https?://[^\s/]+\S*$", value)):
        raise Invalid(f"expected an http:// or https:// URL, got {value!r}")
    return value


def _key_hint(key: str) -> str:
    return (" (API keys are read from the environment, never from the repository)"
            if "key" in key.lower() else "")


TRANSLATE = Section((
    Key("provider", one_of(lambda context: tuple(context["providers"])), "machine translator"),
    Key("url", _url, "the provider's server (needed for libre)"),
    Key("batch_size", _number(integer=True, minimum=1), "segments sent per request"),
    Key("rate_limit", _number(), "requests per second; the provider's default otherwise"),
    Key("timeout", _number(above=True), "seconds to wait for an answer"),
    Key("retries", _number(integer=True), "tries again after a failed request"),
    Key("backoff", _number(), "seconds before the first retry, doubled each time"),
    Key("memory_threshold", _percent, "provider memory: lowest similarity taken, 0..100"),
), unknown_hint=_key_hint)
SETTING_KEYS = TRANSLATE.known


def check_translate(table: Mapping[str, object], *, label: Callable[[str], str],
                    errors: list[str], providers: Iterable[str] = PROVIDER_NAMES,
                    base: TranslateSettings | None = None) -> TranslateSettings:
    """The translate table as `TranslateSettings` (over ``base``); problems go to ``errors``."""
    values = check_section(TRANSLATE, table, label=label, errors=errors,
                           context={"providers": tuple(providers)})
    return replace(base or TranslateSettings(), **values)


def read_settings(
    table: dict[str, object], *, prefix: str, where: str, providers: Iterable[str],
    overrides: dict[str, object] | None = None,
) -> TranslateSettings:
    """Validate the translate table and the options given on the command line (which win).

    Every problem is reported at once, each with its key (``'tool.bitext.translate.url'``)
    or option (``--url``), as one `BitextError` naming the config file.
    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    errors: list[str] = []
    settings = check_translate({**table, **given}, label=_naming(prefix, given), errors=errors,
                               providers=providers)
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return settings


def with_overrides(settings: TranslateSettings, overrides: dict[str, object], *,
                   providers: Iterable[str], where: str) -> TranslateSettings:
    """``settings`` (validated with the configuration) with the command-line options applied."""
    given = {k: v for k, v in overrides.items() if v is not None}
    errors: list[str] = []
    settings = check_translate(given, label=_naming("", given), errors=errors,
                               providers=providers, base=settings)
    if errors:
        raise BitextError("invalid configuration:\n  " + "\n  ".join(errors), path=where)
    return settings


def _naming(prefix: str, given: Mapping[str, object]) -> Callable[[str], str]:
    def name(key: str) -> str:
        return f"--{key.replace('_', '-')}" if key in given else f"'{prefix}{key}'"
    return name
