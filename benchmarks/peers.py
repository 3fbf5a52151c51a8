"""The peers issue 16 compares bitext with: where they are, and the command lines they run.

None of them is a dependency of bitext. ``make bench-peers`` installs them for the
benchmarks only: po4a from Debian (``apt-get install po4a``), mdpo in its own venv
(``.venv-mdpo``: its ``md2po`` and ``po2md`` would shadow translate-toolkit's scripts of
the same names in ``.venv``), and translate-toolkit's Markdown extra (mistletoe) in
``.venv``, since translate-toolkit itself is in bitext's test extra.

Fairness: each peer works on catalogs in its own segmentation (about half of bitext's
msgids differ from po4a's, mdpo's or translate-toolkit's on the same paragraph: footnote
handling, front matter, inline markup), so each peer's "old" catalog is made by the peer
itself from the text before the edits, then filled with translations (bitext's msgstr
where the msgid is the same, else a stand-in of the same length): a translated catalog,
as gettext's fuzzy matching only ever looks at translated entries. Each update then does
what `bitext update` does: read the edited original, merge into the old catalog, write
the translated Markdown; msgmerge alone is timed on the merge alone, on bitext's own
catalog and template, as the issue states.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MDPO_BIN = Path(os.environ.get("BITEXT_MDPO_BIN", REPO / ".venv-mdpo" / "bin"))
# where po4a's programs are looked for (default: PATH); the tests point it at nothing
PO4A_PATH = os.environ.get("BITEXT_PO4A_PATH")


def po4a(program: str) -> str:
    return shutil.which(program, path=PO4A_PATH) or program
# po4a's Markdown support is its text module with the markdown option; without
# nobullets it takes the "(k) " opening each paragraph of the corpus for a list bullet
# and cuts it off the msgid (the copies would share msgids: a far smaller catalog).
PO4A = ["-f", "text", "-o", "markdown", "-o", "nobullets", "-M", "UTF-8"]
LOCALIZED = ["-L", "UTF-8"]  # po4a-translate and po4a-gettextize only
TT = "translate-toolkit"
PEERS = ("po4a", TT, "mdpo")

Steps = list[list[str]]


def missing() -> dict[str, str]:
    """Each peer that cannot run here, with the reason (printed in its column)."""
    why: dict[str, str] = {}
    if not all(shutil.which(t, path=PO4A_PATH)
               for t in ("po4a-updatepo", "po4a-translate", "po4a-gettextize")):
        why["po4a"] = "not installed (make bench-peers)"
    tools = [BIN / t for t in ("md2po", "pot2po", "po2md", "pofilter")]
    if not all(t.exists() for t in tools):
        why[TT] = "not installed (pip install translate-toolkit)"
    elif subprocess.run([sys.executable, "-c", "import translate.storage.markdown"],
                        capture_output=True).returncode:
        why[TT] = "Markdown extra not installed (make bench-peers)"
    if not (MDPO_BIN / "md2po").exists() or not (MDPO_BIN / "po2md").exists():
        why["mdpo"] = "not installed (make bench-peers)"
    return why


def extract(peer: str, original: Path, po: Path) -> Steps:
    """The peer's catalog of ``original`` made from nothing (to prepare an old catalog)."""
    if peer == "po4a":
        return [[po4a("po4a-updatepo"), *PO4A, "-m", str(original), "-p", str(po)]]
    if peer == TT:
        return [[str(BIN / "md2po"), "--progress=none", str(original), str(po)]]
    return [[str(MDPO_BIN / "md2po"), "-q", "-s", "-p", str(po), str(original)]]


def in_place(peer: str) -> bool:
    """Whether the peer's update rewrites the old catalog (a fresh copy before each run)."""
    return peer in ("po4a", "mdpo")


def update(peer: str, original: Path, old_po: Path, work: Path, doc: str) -> Steps:
    """The peer's update after an edit of ``original``: what `bitext update` does.

    po4a and mdpo update ``work/doc.po`` in place (a copy of ``old_po`` made before the
    clock starts); translate-toolkit writes a new catalog from the old one.
    """
    po, md = work / f"{doc}.po", work / f"{doc}.en.md"
    if peer == "po4a":
        # updatepo: extract and `msgmerge --previous` (po4a runs it); translate -k 0: write
        # the translation whatever share of it is translated (bitext writes it always)
        return [[po4a("po4a-updatepo"), *PO4A, "-m", str(original), "-p", str(po)],
                [po4a("po4a-translate"), *PO4A, *LOCALIZED, "-k", "0", "-m", str(original),
                 "-p", str(po), "-l", str(md)]]
    if peer == TT:
        pot = work / f"{doc}.pot"
        return [[str(BIN / "md2po"), "--progress=none", str(original), str(pot)],
                [str(BIN / "pot2po"), "--progress=none", "-t", str(old_po), str(pot), str(po)],
                [str(BIN / "po2md"), "--progress=none", "-t", str(original), str(po), str(md)]]
    return [[str(MDPO_BIN / "md2po"), "-q", "-s", "-p", str(po), str(original)],
            [str(MDPO_BIN / "po2md"), str(original), "-q", "-p", str(po), "-s", str(md)]]


def msgmerge(old_po: Path, pot: Path, out: Path) -> Steps:
    """gettext's merge alone, on bitext's catalog and template (as a Makefile runs it)."""
    return [["msgmerge", "--quiet", "--previous", "-o", str(out), str(old_po), str(pot)]]


def align(peer: str, original: Path, translation: Path, out: Path) -> Steps:
    """A catalog from an original and a translation never aligned."""
    if peer == "po4a":
        return [[po4a("po4a-gettextize"), *PO4A, *LOCALIZED, "-m", str(original),
                 "-l", str(translation), "-p", str(out)]]
    # translate-toolkit: the original as the template, the translation as the input
    return [[str(BIN / "md2po"), "--progress=none", "-t", str(original), str(translation),
             str(out)]]


def fill(po: Path, translations: dict[str, str]) -> None:
    """Translate every entry of a fresh catalog: bitext's msgstr for the same msgid, else
    a stand-in of the msgid's length (so merges and fuzzy matching see a real catalog)."""
    import polib

    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in catalog:
        if not entry.msgstr:
            entry.msgstr = translations.get(entry.msgid) or "EN " + entry.msgid
    catalog.save(str(po))


def translations(po: Path) -> dict[str, str]:
    import polib

    return {e.msgid: e.msgstr for e in polib.pofile(str(po)) if e.msgstr}
