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

*Protection* (placeholders for the Markdown an engine must not touch) is in
`pipeline.placeholders`; the ``[tool.bitext.translate]`` settings are in
`pipeline.translate_settings`. Both are re-exported here.
"""

from __future__ import annotations

from pipeline.catalog import MACHINE_MARK, MEMORY_MARK, Catalog, Entry
from pipeline.placeholders import Draft, Protected, Token, code_spans, protect, restore
from pipeline.translate_settings import (
    MEMORY_PROVIDER,
    PROVIDER_NAMES,
    TRANSLATE,
    TranslateSettings,
    check_translate,
    read_settings,
    with_overrides,
)

__all__ = [  # the policy below, and what moved out but old callers import from here
    "COPY", "MEMORY_PROVIDER", "ONLY", "PROPOSAL_LINE", "PROPOSAL_MARK", "PROVIDER_NAMES",
    "TRANSLATE", "Draft", "Protected", "Token", "TranslateSettings", "add_proposal",
    "check_translate", "code_spans", "drop_label", "drop_stale_marks", "is_machine_draft",
    "machine_label", "mark_draft", "proposal", "protect", "read_settings", "restore",
    "wants_draft", "with_overrides",
]

PROPOSAL_MARK = "bitext-mt-proposal:"
PROPOSAL_LINE = "> "
# Provider name recorded for a segment with nothing to translate (only URLs, references, ...).
COPY = "copy"
ONLY = ("untranslated", "fuzzy")


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
