"""The one clock: what time bitext stamps on what it writes.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: seconds since
1970, UTC), when set to digits, stands in for the current time everywhere:
PO revision dates, machine-draft dates, the review page's date, and the
stamps (never the shown date) of EPUBs and PDFs. An edition's date is the
publication's (`pipeline.render.metadata`): the build never asks this clock
what day it is. Nothing else in ``pipeline/`` reads the time or that variable.
"""

from __future__ import annotations

import datetime as dt
import os
import time


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` when it is set to digits, else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch and epoch.isdigit() else None


def now_epoch() -> int:
    """Seconds since 1970 (UTC): ``SOURCE_DATE_EPOCH`` when set, else the real time."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else int(time.time())


def today() -> dt.date:
    """The current UTC date by `now_epoch`."""
    return dt.datetime.fromtimestamp(now_epoch(), dt.UTC).date()


def po_stamp() -> str:
    """The current time in the PO header format (``2026-12-01 10:23+0000``)."""
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(now_epoch()))
