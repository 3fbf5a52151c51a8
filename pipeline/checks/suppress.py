"""Suppressions: a translator silences one check on one segment, with a reason.

In the PO file, as a translator comment (``#`` followed by a space), which
gettext tools and PO editors keep, ``msgmerge`` included::

    # bitext-ignore: numbers -- the English rounds 1,48 to 1.5 [3f2a9c1e]
    msgid "..."

Syntax: ``bitext-ignore:``, one or more check names separated by commas,
`` -- ``, the reason (required), and in brackets the first 8 hex digits of
the SHA-1 of the original (the msgid, UTF-8) the suppression was written for.
``bitext check`` prints the hash to use when it is missing.

When the original changes, the hash no longer matches: the suppression
expires, the finding it silenced comes back, and the stale comment is
reported itself (``suppression-expired``). A comment that does not follow
the syntax, names an unknown check or lacks the hash silences nothing and is
reported as ``suppression-invalid``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.catalog import Entry
from pipeline.checks import register
from pipeline.checks.model import Context, Problem
from pipeline.checks.names import NAMES
from pipeline.keys import SegmentKey

MARK = "bitext-ignore:"
_SYNTAX = re.compile(
    r"^bitext-ignore:\s*(?P<checks>[\w-]+(?:\s*,\s*[\w-]+)*)\s+--\s+(?P<reason>.*?)"
    r"(?:\s*\[(?P<hash>[0-9a-fA-F]{8})\])?\s*$"
)


def msgid_hash(msgid: str) -> str:
    """The 8 hex digits that tie a suppression to one version of an original."""
    return hashlib.sha1(msgid.encode("utf-8")).hexdigest()[:8]


def suppression_comment(checks: list[str], reason: str, msgid: str) -> str:
    """The translator comment (without ``# ``) that silences ``checks`` on ``msgid``."""
    return f"{MARK} {', '.join(checks)} -- {reason} [{msgid_hash(msgid)}]"


@dataclass(frozen=True)
class Suppression:
    """One parsed ``bitext-ignore`` comment of an entry."""

    checks: tuple[str, ...]
    reason: str
    hash: str | None
    comment: str
    problem: str = ""  # why it is invalid ("" when it is well formed)


def parse(comment: str) -> Suppression | None:
    """The suppression in a translator comment line, or None if it is not one."""
    text = comment.strip()
    if not text.startswith(MARK):
        return None
    match = _SYNTAX.match(text)
    if match is None or not match.group("reason").strip():
        return Suppression((), "", None, text, "expected “bitext-ignore: CHECK[, CHECK] -- "
                                                "REASON [HASH]”")
    checks = tuple(c.strip() for c in match.group("checks").split(","))
    unknown = [c for c in checks if c not in NAMES or c.startswith("suppression-")]
    problem = f"unknown check {', '.join(unknown)}" if unknown else ""
    if not problem and match.group("hash") is None:
        problem = "no hash of the original"
    return Suppression(checks, match.group("reason").strip(),
                       (match.group("hash") or "").lower() or None, text, problem)


def suppressions(entry: Entry) -> list[Suppression]:
    """The suppressions written on ``entry``, valid or not."""
    if not entry.translator_comments:
        return []
    return [s for s in (parse(c) for c in entry.translator_comments) if s is not None]


def active(entry: Entry) -> dict[str, str]:
    """check name -> reason, for the valid, unexpired suppressions of ``entry``."""
    current = msgid_hash(entry.msgid)
    return {
        check: s.reason
        for s in suppressions(entry)
        if not s.problem and s.hash == current
        for check in s.checks
    }


def _entries(ctx: Context) -> Iterator[tuple[Entry, list[Suppression]]]:
    seen: set[SegmentKey] = set()
    for unit in ctx.units:
        entry = unit.entry
        if not entry.translator_comments or entry.key in seen:
            continue  # most entries have no comment: their key is not even computed
        seen.add(entry.key)
        found = suppressions(entry)
        if found:
            yield entry, found


@register("suppression-expired", severity="warning", scope="entry")
def suppression_expired(ctx: Context) -> Iterator[Problem]:
    """A ``bitext-ignore`` comment written for an earlier version of the original."""
    for entry, found in _entries(ctx):
        current = msgid_hash(entry.msgid)
        for s in found:
            if not s.problem and s.hash != current:
                yield Problem(
                    None,
                    f"the suppression of {', '.join(s.checks)} (“{s.reason}”) was written for "
                    f"another version of the original and no longer applies; check the segment, "
                    f"then set its hash to [{current}] or delete the comment",
                    entry=entry,
                )


@register("suppression-invalid", severity="warning", scope="entry")
def suppression_invalid(ctx: Context) -> Iterator[Problem]:
    """A ``bitext-ignore`` comment that silences nothing: bad syntax, unknown check, no hash."""
    for entry, found in _entries(ctx):
        for s in found:
            if s.problem:
                checks = list(s.checks) or ["CHECK"]
                fix = suppression_comment(checks, s.reason or "REASON", entry.msgid)
                yield Problem(None, f"the comment “{s.comment}” silences nothing ({s.problem}); "
                                    f"write “# {fix}”", entry=entry)
