"""One build's settings, fixed once when `bitext build` starts (like black's ``Mode``).

Everything a render step needs to know about *this* build, as opposed to
the document it renders: release or draft, the languages, the validated
``[tool.bitext.build]`` options, which formats and editions, each
document's resolved publication metadata (`pipeline.render.metadata`),
``SOURCE_DATE_EPOCH`` (read once, from `pipeline.clock`), the cover image
the config names, where the files go and how many workers. No build day:
an edition never shows or stamps the day it was built. It is frozen, so no step can change what
a later step sees, and it pickles, so a job can carry it to a worker.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import clock
from pipeline.config import Config
from pipeline.errors import BitextError
from pipeline.render.metadata import Metadata, PubDate
from pipeline.render.options import EDITION_FORMATS, BuildOptions, build_options, edition_names

# An edition with no date at all is stamped 1980-01-01 00:00 UTC: the earliest time a zip
# entry can hold, and no day anybody would take for the build's.
FIXED_EPOCH = 315532800

# Called with (editions done, editions to build, the one just finished).
BuildProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BuildSettings:
    """The settings of one build (see the module docstring).

    ``source_date_epoch``: ``SOURCE_DATE_EPOCH`` when set, which fixes EPUB and PDF dates;
    ``metadata``: each document's resolved metadata (`pipeline.commands.build` fills it in
    while planning, from the front matter, the config and git); ``cover``: the bytes of the
    config's ``cover`` image, or None for a generated one.
    """

    source_lang: str
    target_langs: tuple[str, ...] = ()
    release: bool = False
    options: BuildOptions = field(default_factory=BuildOptions)
    formats: tuple[str, ...] = EDITION_FORMATS
    editions: tuple[str, ...] = ()
    footnote_style: str = "arabic"
    source_date_epoch: int | None = None
    metadata: dict[str, Metadata] = field(default_factory=dict)
    cover: bytes | None = None
    output_dir: Path = Path("output")
    jobs: int = 1

    @property
    def draft(self) -> bool:
        """A draft build shows draft marks; a release build has none."""
        return not self.release

    def epoch(self, date: PubDate | None) -> int:
        """The time stamped in an edition dated ``date``: the EPUB's, typst's compile time.

        ``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the first day ``date`` covers,
        else `FIXED_EPOCH`: never the clock, so a rebuild on another day gives the same bytes.
        """
        if self.source_date_epoch is not None:
            return self.source_date_epoch
        if date is None:
            return FIXED_EPOCH
        day = date.first_day()
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())

    def metadata_of(self, doc: str) -> Metadata:
        """``doc``'s resolved metadata (the config's alone when the build did not plan it)."""
        return self.metadata.get(doc) or self.options.metadata()


def build_settings(
    config: Config, *, formats: tuple[str, ...] | None = None,
    editions: tuple[str, ...] | None = None, release: bool = False, jobs: int | None = None,
) -> BuildSettings:
    """The settings from ``config`` and the command line's flags (None: not given).

    A flag wins over ``[tool.bitext.build]``, which wins over the defaults. Bad config
    and an unknown edition raise `BitextError` here, before anything is read or written.
    """
    options = build_options(config)
    known = edition_names(config)
    wanted = editions or options.editions or known
    for name in wanted:
        if name not in known:
            raise BitextError(f"unknown edition {name!r} (known: {', '.join(known)})")
    return BuildSettings(
        source_lang=config.source_lang,
        target_langs=config.target_langs,
        release=release,
        options=options,
        formats=formats or options.formats,
        editions=wanted,
        footnote_style=config.footnote_style,
        source_date_epoch=clock.source_date_epoch(),
        output_dir=config.output_dir,
        jobs=jobs or os.cpu_count() or 2,
    )
