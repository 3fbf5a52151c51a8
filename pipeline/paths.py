"""Which document names and paths bitext accepts: the one rule for each.

Document names (`name_problem`), for a name listed from the disk, given in
``documents`` or on the command line: letters, marks and digits of any script (in
Unicode NFC), ``.``, ``_``, ``-`` and the plain space; no path, no leading dot; short
enough that every file name bitext derives from it fits in `NAME_MAX` bytes.

Paths (`inside`): every file bitext reads or writes under ``source_dir``,
``locale_dir`` and ``output_dir`` is named by a `pipeline.config.Config` method, and
each of them checks it here: a path outside the publication is refused, and so is a
symbolic link on the way, unless ``allow_symlinks``; one that leads out of the
publication always is. `linked` is the same rule for the configured folders
themselves, when the configuration is read.

Kept apart from `pipeline.config` so that the rules can be read (and changed) in one
place, without the loading and the schema around them.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from pipeline.errors import BitextError

# NAME_MAX of the common file systems (ext4, APFS, NTFS in UTF-16 units, btrfs): bytes per name.
NAME_MAX = 255
# What `pipeline.adapters.fs` and `.journal` add around a file name for its temporary file:
# ``.<name>.`` + mkstemp's 8 random characters + ``.bitext-tmp`` (fs.TEMP_SUFFIX).
TEMP_NAME = ".{}.XXXXXXXX.bitext-tmp"


def name_problem(name: str, max_bytes: int = NAME_MAX) -> str | None:
    """What is wrong with a document name, or None. The one rule, for disk and command line.

    Letters, combining marks and digits of any script, ``.``, ``_``, ``-`` and the plain
    space (publishers name files after titles: "Giriş bölümü"); bitext never passes a
    name through a shell. It starts with a letter, a digit or ``_`` (not a dot: hidden;
    not ``-``: an option), does not end with a space or a dot (Windows drops them), has
    no ``..``, is in Unicode NFC (how it is typed, so the command line finds the file),
    and fits in ``max_bytes`` bytes of UTF-8.
    """
    if not name:
        return "is empty"
    for char in name:
        category = unicodedata.category(char)
        if not (category[0] in "LM" or category == "Nd" or char in "._- "):
            return (f"has {char!r}, which is not allowed (letters, digits, '.', "
                    "'_', '-' and spaces; not a path)")
    if unicodedata.normalize("NFC", name) != name:
        return "is not in Unicode NFC form (composed characters); rename the file"
    first = name[0]
    if not (unicodedata.category(first)[0] == "L" or unicodedata.category(first) == "Nd"
            or first == "_"):
        return "must start with a letter, a digit or '_'"
    if name.endswith((" ", ".")):
        return "must not end with a space or a dot"
    if ".." in name:
        return "must not contain '..'"
    if name.endswith(".md"):
        return "is a file name; give the document name without '.md'"
    size = len(name.encode("utf-8"))
    if size > max_bytes:
        return (f"is {size} bytes long in UTF-8; at most {max_bytes} bytes, so that every "
                "file made from it fits the file system's 255")
    return None


def inside(root: Path, path: Path, *, allow_symlinks: bool, real_folders: set[str],
           fresh: bool = False) -> Path:
    """``path``, if bitext may read or write it; else a `BitextError` naming it.

    Refused: a path outside the publication root, and a symbolic link on the
    way from the root to it (the file or any folder above it) unless
    ``allow_symlinks``; even then, one leading out of the publication.
    Nothing is created; a missing part ends the walk (bitext creates folders,
    never links). Folders seen real before are not looked at again unless ``fresh``
    (the writers ask for that right before they write). ``real_folders``:
    the folders seen real so far, one set per configuration (`inside` adds to it).
    """
    # Strings and os.lstat, not pathlib: every command calls this for every file.
    base, full = str(root), str(path)
    if not full.startswith(base + os.sep) and full != base:
        raise BitextError("is outside the publication folder",
                          path=printable(relative(root, path)))
    parts = full[len(base) + 1:].split(os.sep) if full != base else []
    if ".." in parts:
        raise BitextError("is not a plain path inside the publication",
                          path=printable(relative(root, path)))
    current, real = base, real_folders
    for number, part in enumerate(parts, start=1):
        current = f"{current}{os.sep}{part}"
        if not fresh and current in real:
            continue
        try:
            mode = os.lstat(current).st_mode
        except (FileNotFoundError, NotADirectoryError):
            break
        except OSError as exc:
            raise BitextError(f"cannot read: {exc.strerror}",
                              path=printable(relative(root, path))) from exc
        if stat.S_ISLNK(mode):
            _refuse_link(root, path, Path(current), allow_symlinks)
        elif stat.S_ISDIR(mode) and number < len(parts):
            real.add(current)
    if allow_symlinks and not (_resolve(path) or root).is_relative_to(root):
        raise BitextError("leads outside the publication; bitext follows no link out of it",
                          path=printable(relative(root, path)))
    return path


def _refuse_link(root: Path, path: Path, link: Path, allow_symlinks: bool) -> None:
    """Raise for the link ``link`` on the way to ``path``, unless it may be followed."""
    shown = printable(relative(root, path))
    what = "is a symbolic link" if link == path else \
        f"is in {printable(relative(root, link))}, a symbolic link"
    target = _resolve(link)
    if target is None:
        raise BitextError(f"{what} that never ends (a loop)", path=shown)
    if not target.is_relative_to(root):
        raise BitextError(f"{what} to {printable(str(target))}, outside the "
                          "publication; bitext follows no link out of it", path=shown)
    if not allow_symlinks:
        raise BitextError(f"{what}; bitext follows none unless the configuration "
                          "says allow_symlinks = true", path=shown)


def relative(root: Path, path: Path) -> str:
    """``path`` relative to the publication root, for messages and PO references."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _resolve(path: Path) -> Path | None:
    """``path`` with every link followed, or None for a loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13
        return None


def printable(text: str) -> str:
    """``text`` with what a terminal must not be sent (control characters …) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def linked(root: Path, path: Path) -> bool:
    """Whether a part of ``path`` below ``root`` is a symbolic link (``..`` counts as one)."""
    current = root
    for part in path.relative_to(root).parts:
        if part == "..":
            return current.resolve() != current
        current = current / part
        if current.is_symlink():
            return True
    return False
