"""The files a build takes from the package: templates, styles and fonts.

One list, `FILES`, feeds both the build cache's digest (`assets_digest`) and
the renderer (`load_assets`), so a file added for rendering cannot be missed
by the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
FONTS = "assets/fonts"
# field of `Assets` -> path under the package; the digest hashes them in this order
FILES = {
    "html_template": "templates/edition.html",
    "typst_template": "templates/edition.typ",
    "html_css": "assets/edition.css",
    "epub_css": "assets/epub.css",
}


@dataclass(frozen=True)
class Assets:
    """Templates and styles (``pipeline/templates``, ``pipeline/assets``) and the fonts' folder."""

    html_template: str
    html_css: str
    epub_css: str
    typst_template: str
    fonts_dir: Path


def load_assets() -> Assets:
    """Read `FILES` from the package."""
    from pipeline.adapters.fs import read_text

    text = {key: read_text(PACKAGE / name, shown=name) for key, name in FILES.items()}
    return Assets(html_template=text["html_template"], html_css=text["html_css"],
                  epub_css=text["epub_css"], typst_template=text["typst_template"],
                  fonts_dir=PACKAGE / FONTS)


@cache
def assets_digest() -> str:
    """A hash of `FILES` and the fonts, and the identity of bitext's own code.

    Once per process: the files do not change under a running build. The code counts by
    file size and time (a stat each), so an edited renderer rebuilds what it renders even
    before the version number moves.
    """
    from pipeline.adapters.pandoc import file_digest, files_identity

    paths = [PACKAGE / name for name in FILES.values()]
    paths += sorted((PACKAGE / FONTS).glob("*.ttf"))
    code = files_identity(sorted(PACKAGE.rglob("*.py")))
    return file_digest(paths) + code
