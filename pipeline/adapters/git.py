"""git, asked one thing: when was a file last committed (an undated publication's date).

Only when git is installed and the file is inside a git work tree; anything else
(no git, not a repository, a file never committed, git failing) answers None, so a
publication outside git simply has no date. The commit date (``%cI``), not the
author date: it is when the text entered the history the editions are built from.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path


def last_commit_date(path: Path) -> dt.date | None:
    """The UTC day of the last commit that touched ``path``, or None (see the docstring)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "log", "-1", "--format=%cI", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=30, check=False,
            # no pager, no prompt, nothing from the user's terminal
            stdin=subprocess.DEVNULL, env=_environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = done.stdout.strip()
    if done.returncode != 0 or not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).date()
    except ValueError:
        return None


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")
           or k in ("GIT_CEILING_DIRECTORIES", "GIT_DIR", "GIT_WORK_TREE")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    return env
