"""The names of the registered checks, in report order, without importing any check.

Loading the configuration validates ``[check] severity`` and ``[[check.ignore]]``
names, and `bitext status` loads the configuration too; importing the check
families for that (Babel, rapidfuzz, the Markdown parser) cost a third of the
start-up. This list is what they validate against instead. It cannot drift:
`pipeline.checks.register` refuses a name that is not here, and
``tests/unit/test_checks_registry.py`` fails when a name here is not registered,
or the order differs from the families' import order.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = (
    "footnote-refs", "footnote-defs",                   # footnotes
    "numbers",                                          # numbers
    "dates",                                            # dates
    "urls",                                             # urls
    "markup",                                           # markup
    "untranslated", "fuzzy", "out-of-sync", "unchanged", "length",  # states
    "glossary",                                         # glossary
    "quotes", "brackets", "whitespace",                 # typography
    "suppression-expired", "suppression-invalid",       # suppress
)
