"""Random edits on both sides, original changes and updates: no translator's text is lost.

After every step, every text a translator wrote (and did not replace
themselves) is still in the PO file or in the translated Markdown.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import polib
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pipeline.commands.update import update
from pipeline.config import load_config

TOKEN = re.compile(r"W\d+")
CONFLICT = re.compile(r"<!-- bitext conflict: your[^\n]*\n(.*?)\n<!-- bitext conflict: the[^\n]*"
                      r"\n(.*?)\n<!-- bitext conflict: end -->", re.S)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="bitext-sync-"))
        (self.root / "bitext.toml").write_text('source_lang = "tr"\ntarget_langs = ["en"]\n')
        self.originals = [f"Paragraf {i} metni." for i in range(4)]
        self.counter = 0
        self.tracked: set[str] = set()
        self._write_original()
        (self.root / "source/en").mkdir(parents=True)
        english = [f"Paragraph {i} text {self._token()}." for i in range(4)]
        (self.root / "source/en/d.md").write_text("\n\n".join(english) + "\n")
        self._update()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------
    @property
    def md_path(self) -> Path:
        return self.root / "source/en/d.md"

    @property
    def po_path(self) -> Path:
        return self.root / "locale/en/LC_MESSAGES/d.po"

    def _token(self) -> str:
        self.counter += 1
        token = f"W{self.counter}"
        self.tracked.add(token)
        return token

    def _write_original(self) -> None:
        path = self.root / "source/tr/d.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(self.originals) + "\n")

    def _update(self) -> None:
        update(load_config(self.root), ["d"])

    def _in_conflict(self) -> bool:
        return "bitext conflict" in self.md_path.read_text()

    # -- translators -----------------------------------------------------------
    @precondition(lambda self: not self._in_conflict())
    @rule(index=st.integers(0, 20))
    def edit_markdown(self, index: int) -> None:
        paragraphs = self.md_path.read_text().rstrip("\n").split("\n\n")
        index %= len(paragraphs)
        self.tracked -= set(TOKEN.findall(paragraphs[index]))
        paragraphs[index] = f"Markdown edit {self._token()}."
        self.md_path.write_text("\n\n".join(paragraphs) + "\n")

    @rule(index=st.integers(0, 20))
    def edit_po(self, index: int) -> None:
        po = polib.pofile(str(self.po_path))
        active = [e for e in po if not e.obsolete]
        entry = active[index % len(active)]
        self.tracked -= set(TOKEN.findall(entry.msgstr))
        entry.msgstr = f"PO edit {self._token()}."
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        po.save()

    @precondition(lambda self: self._in_conflict())
    @rule()
    def resolve_conflicts_keeping_the_markdown(self) -> None:
        text = self.md_path.read_text()
        for match in CONFLICT.finditer(text):
            self.tracked -= set(TOKEN.findall(match.group(2))) - set(TOKEN.findall(match.group(1)))
        self.md_path.write_text(CONFLICT.sub(lambda m: m.group(1), text))

    # -- the author of the original ---------------------------------------------
    @rule(index=st.integers(0, 20))
    def edit_original(self, index: int) -> None:
        index %= len(self.originals)
        self.originals[index] = self.originals[index].rstrip(".") + " değişti."
        self._write_original()

    @rule(index=st.integers(0, 20))
    def insert_original(self, index: int) -> None:
        self.originals.insert(index % (len(self.originals) + 1), f"Yeni paragraf {self.counter}.")
        self._write_original()

    @precondition(lambda self: len(self.originals) > 1)
    @rule(index=st.integers(0, 20))
    def delete_original(self, index: int) -> None:
        del self.originals[index % len(self.originals)]
        self._write_original()

    @rule()
    def run_update(self) -> None:
        self._update()

    @invariant()
    def no_translation_is_lost(self) -> None:
        found = set(TOKEN.findall(self.po_path.read_text()))
        found |= set(TOKEN.findall(self.md_path.read_text()))
        missing = self.tracked - found
        assert not missing, f"lost: {sorted(missing)}"


SyncMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_sync_never_loses_a_translation = SyncMachine.TestCase
