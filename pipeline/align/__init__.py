"""Align an original with a translation that was never aligned (``bitext align``).

`pipeline.align.aligner` scores and chooses the pairs, `pipeline.align.dp`
is the banded dynamic programme under it, `pipeline.align.features` what it
knows of each segment (kind, visible length, anchors). Pure: no file I/O.
"""

from pipeline.align.aligner import (
    DEFAULT_THRESHOLD,
    STRUCTURAL_CAP,
    Pair,
    align_segments,
    anchors,
    fold,
    kind_of,
    unbold,
    value_anchors,
    visible_length,
)

__all__ = [
    "DEFAULT_THRESHOLD", "STRUCTURAL_CAP", "Pair", "align_segments", "anchors", "fold",
    "kind_of", "unbold", "value_anchors", "visible_length",
]
