"""bitext: a bilingual publishing pipeline.

A Turkish original and its translations are kept aligned segment by segment
in gettext PO files; drift between them is checked; editions are rendered
with pandoc and typst.
"""

__version__ = "0.1.0"
