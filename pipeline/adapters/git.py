"""git, asked one thing: when were files last committed (undated originals' dates).

Only when git is installed and the files are inside a git work tree; anything else
(no git, not a repository, a file never committed, git failing) gives no date, so a
publication outside git simply has none. The commit date (``%cI``), not the author
date: it is when the text entered the history the editions are built from. One git
process per folder of files, however many files.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

_MARK = "\x01bitext-commit "


def last_commit_dates(paths: list[Path]) -> dict[Path, dt.date]:
    """The UTC day of the last commit that touched each of ``paths`` (those git knows)."""
    git = shutil.which("git")
    out: dict[Path, dt.date] = {}
    if git is None or not paths:
        return out
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        by_folder.setdefault(path.parent, []).append(path)
    for folder, files in by_folder.items():
        names = {p.name: p for p in files}
        log = _log(git, folder, sorted(names))
        day: dt.date | None = None
        for line in log.splitlines():
            if line.startswith(_MARK):
                day = _day(line[len(_MARK):])
            elif day is not None and line in names and names[line] not in out:
                out[names[line]] = day  # the log is newest first: the first one is the last
            if len(out) == len(paths):
                break
    return out


def last_commit_date(path: Path) -> dt.date | None:
    """The UTC day of the last commit that touched ``path``, or None."""
    return last_commit_dates([path]).get(path)


def _log(git: str, folder: Path, names: list[str]) -> str:
    try:
        done = subprocess.run(
            [git, "-c", "core.quotePath=off", "log", f"--format={_MARK}%cI", "--name-only",
             "--relative", "--no-renames", "--", *names],
            cwd=folder, capture_output=True, text=True, timeout=60, check=False,
            stdin=subprocess.DEVNULL, env=_environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _day(stamp: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(stamp.strip()).astimezone(dt.UTC).date()
    except ValueError:
        return None


def _environment() -> dict[str, str]:
    # no pager, no prompt, no locale in the output; the caller's repository settings kept
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")
           or k in ("GIT_CEILING_DIRECTORIES", "GIT_DIR", "GIT_WORK_TREE")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    return env
