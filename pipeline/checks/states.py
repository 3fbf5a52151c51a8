"""State checks: ``untranslated``, ``fuzzy``, ``out-of-sync``, ``unchanged``, ``length``."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from pipeline.catalog import MACHINE_MARK, MEMORY_MARK, change_comment
from pipeline.checks import register
from pipeline.checks.model import Context, Problem, Unit
from pipeline.checks.textscan import mask
from pipeline.keys import SegmentKey
from pipeline.translation import unresolved_conflicts


@register("untranslated", severity="warning", scope="entry")
def untranslated(ctx: Context) -> Iterator[Problem]:
    """A segment with no translation at all (an error with ``--strict``)."""
    seen: set[SegmentKey] = set()
    for unit in ctx.units:
        if not unit.entry.has_translation and unit.entry.key not in seen:
            seen.add(unit.entry.key)  # once per entry, plural forms included
            yield Problem(unit, "not translated yet")


@register("fuzzy", severity="warning", scope="entry")
def fuzzy(ctx: Context) -> Iterator[Problem]:
    """A translation marked fuzzy: a machine draft, or its original changed since.

    Fuzzy translations are not checked for drift until a translator reviews
    them and removes the flag (an error with ``--strict``).
    """
    seen: set[SegmentKey] = set()
    for unit in ctx.units:
        entry = unit.entry
        if not (entry.fuzzy and entry.has_translation) or entry.key in seen:
            continue
        seen.add(entry.key)
        machine = next((c for c in entry.translator_comments if c.startswith(MACHINE_MARK)), None)
        memory = next((c for c in entry.translator_comments if c.startswith(MEMORY_MARK)), None)
        if machine:
            why = f"a machine draft ({machine.removeprefix(MACHINE_MARK).strip()})"
        elif memory:
            origin = " ".join(memory.removeprefix(MEMORY_MARK).split()[:2])
            why = f"from the translation memory ({origin})"
        elif entry.previous_msgid is not None:
            why = f"the original changed ({(change_comment(entry) or 'changed').split(': ')[-1]})"
        else:
            why = "marked fuzzy"
        yield Problem(unit, f"needs review: {why}; remove the fuzzy flag when it is right")


@register("out-of-sync", severity="error", scope="document")
def out_of_sync(ctx: Context) -> Iterator[Problem]:
    """The translated Markdown differs from what the PO gives (``bitext update`` not run)."""
    if ctx.sync_problem is not None:
        message, line = ctx.sync_problem
        yield Problem(None, message, line=line)
        return
    if ctx.expected_text is None or ctx.translation_file is None:
        return
    if ctx.translation_text is None:
        yield Problem(None, f"{ctx.translation_file} is missing; run `bitext update`",
                      file=ctx.translation_file)
        return
    if ctx.translation_text == ctx.expected_text:
        return
    line, found, expected = first_difference(ctx.translation_text, ctx.expected_text)
    found_part, expected_part, column = differing_fragment(found, expected)
    conflicts = unresolved_conflicts(ctx.translation_text)
    if conflicts:
        blocks = f"block at line {conflicts[0]}" if len(conflicts) == 1 else \
            f"blocks at lines {', '.join(map(str, conflicts))}"
        todo = (f"resolve the conflict {blocks} (keep one version, delete the other and the "
                "three bitext lines)")
    else:
        todo = "run `bitext update` to bring them together"
    yield Problem(
        None,
        f"differs from {ctx.file} from this line on (found {found_part}, the PO gives "
        f"{expected_part}); {todo}",
        file=ctx.translation_file,
        line=line,
        column=column,
    )


def first_difference(found: str, expected: str) -> tuple[int, str, str]:
    """(1-based line, found line, expected line) of the first line that differs."""
    a, b = found.splitlines(), expected.splitlines()
    for number, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return number, x, y
    number = min(len(a), len(b)) + 1
    if len(a) == len(b):  # same lines, different line endings or final newline
        return max(number - 1, 1), "a different line ending", "another"
    return number, a[number - 1] if number <= len(a) else "the end of the file", \
        b[number - 1] if number <= len(b) else "the end of the file"


_NOT_TEXT = ("the end of the file", "a different line ending", "another")


def _clip(text: str, width: int = 50) -> str:
    if text in _NOT_TEXT:
        return text
    text = text.strip()
    return "“" + (text if len(text) <= width else text[: width - 1] + "…") + "”"


def differing_fragment(found: str, expected: str, width: int = 50,
                       before: int = 20) -> tuple[str, str, int | None]:
    """Both lines quoted around where they first differ, and that 1-based column.

    Each side shows up to ``width`` characters: from the start of the line when
    the difference is near it, else from ``before`` characters ahead of the
    first differing one (``…`` where a side is cut), so a change deep in a
    long paragraph shows on both sides, not the same opening twice.
    """
    if found in _NOT_TEXT or expected in _NOT_TEXT:
        return _clip(found, width), _clip(expected, width), None
    same = 0
    for x, y in zip(found, expected, strict=False):
        if x != y:
            break
        same += 1
    start = 0 if same < width - before else same - before

    def show(text: str) -> str:
        part = text[start : start + width]
        cut = ("…" if start else "") + part + ("…" if start + width < len(text) else "")
        return "“" + cut.replace("\r", "\\r").replace("\n", "\\n") + "”"

    return show(found), show(expected), same + 1


# A citation: a quoted title with names, publishers, dates and page numbers around it.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|„[^“”]*[“”]|‘[^’]*’(?!\w)", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")


def names_only(text: str) -> bool:
    """Whether ``text`` holds nothing to translate: names, a citation, code, numbers, URLs.

    True for a single word (a name, or a word both languages share: "site",
    "model"); else when, outside quoted titles, code and URLs, no word of four
    or more letters starts in lower case, and either a quoted title is there
    (a citation) or there are at most three words ("Recep Tayyip Erdoğan").
    """
    quoted = bool(_QUOTED.search(text))
    rest = _QUOTED.sub(" ", mask(text))
    words = _WORD.findall(rest)
    if len(words) <= 1:
        return True  # one word: a name, or the same word in both languages ("site", "enum")
    if any(w[0].islower() and len(w) >= 4 for w in words):
        return False
    return quoted or len(words) <= 3


@register("unchanged", severity="warning")
def unchanged(ctx: Context) -> Iterator[Problem]:
    """A translation identical to its original, unless it is names, a citation or allowed."""
    allow = ctx.options.unchanged_allow
    reported: set[SegmentKey] = set()
    for unit in ctx.translated:
        if unit.target != unit.source and unit.target.strip() != unit.source.strip():
            continue
        if unit.source.strip() in allow or unit.entry.key in reported:
            continue
        if names_only(unit.source):
            continue
        reported.add(unit.entry.key)  # once per entry, plural forms included
        yield Problem(unit, "the translation is the original, unchanged")


# Shorter segments have noisy ratios ("Giriş" / "Introduction"); a document needs this
# many measured segments before it has a distribution to stand out from.
LENGTH_MIN_CHARS = 40
LENGTH_MIN_SEGMENTS = 10
LENGTH_MIN_FACTOR = 1.5  # and the ratio must be this far from the median ratio,
LENGTH_MIN_GAP = 50  # and the length this many characters from the expected one


def length_outliers(units: list[Unit], limit: float) -> Iterator[tuple[Unit, float, float]]:
    """(unit, ratio, median ratio) for each translation whose length ratio is an outlier.

    Ratio = translation characters / original characters. Outliers by a
    robust z-score on log ratios: |log r - median| / (1.4826 * MAD) > ``limit``
    (MAD floored at 0.1 so a uniform document does not flag small wobbles),
    the ratio at least ``LENGTH_MIN_FACTOR`` from the median either way, and
    the length at least ``LENGTH_MIN_GAP`` characters from the expected one (a
    short heading's ratio wobbles; a missing passage is longer than that).
    """
    measured = [
        (u, math.log(len(u.target) / len(u.source)))
        for u in units
        if max(len(u.source), len(u.target)) >= LENGTH_MIN_CHARS and u.source and u.target
    ]
    if len(measured) < LENGTH_MIN_SEGMENTS:
        return
    import statistics  # with fractions and random: only for a document this long

    logs = [r for _, r in measured]
    median = statistics.median(logs)
    mad = statistics.median(abs(r - median) for r in logs)
    scale = max(1.4826 * mad, 0.1)
    for unit, r in measured:
        gap = abs(len(unit.target) - math.exp(median) * len(unit.source))
        if abs(r - median) / scale > limit and abs(r - median) >= math.log(LENGTH_MIN_FACTOR) \
                and gap >= LENGTH_MIN_GAP:
            yield unit, math.exp(r), math.exp(median)


@register("length", severity="warning", scope="document")
def length(ctx: Context) -> Iterator[Problem]:
    """A translation much longer or shorter than this document's other translations are."""
    for unit, ratio, median in length_outliers(ctx.translated, ctx.options.length_outlier):
        yield Problem(
            unit,
            f"the translation is {ratio:.2f} times as long as the original (this document's "
            f"translations are typically {median:.2f} times); is a passage added or missing?",
        )
