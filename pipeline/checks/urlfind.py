"""URLs and e-mail addresses in one segment's text, normalised for comparison.

`extract_urls` gives them cleaned (`clean_url`: scheme and host lower-cased,
``mailto:`` dropped, trailing sentence punctuation and unbalanced closing brackets
removed); `url_spans` gives the raw matches with their positions. Code spans hold
none. The patterns are `pipeline.checks.textscan`'s, which the number and date
extractors use to skip URLs. Pure, no I/O.
"""

from __future__ import annotations

import re

from pipeline.checks.textscan import CODE_SPAN, EMAIL, URL

_URL_OR_EMAIL = re.compile(rf"{URL}|{EMAIL}")
_TRAILING = ".,;:!?'\"’”*_"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


def may_hold_url(text: str) -> bool:
    """Whether ``text`` can hold a URL or an e-mail address (cheap: most segments cannot).

    A single character is found many times faster than a string: ":" before "://".
    """
    return "@" in text or (":" in text and "://" in text) or "www." in text


def extract_urls(text: str) -> list[str]:
    """The URLs and e-mail addresses of ``text``, normalised, in order."""
    if not may_hold_url(text):
        return []
    if "`" in text:  # not in code spans
        text = CODE_SPAN.sub(lambda m: " " * len(m.group()), text)
    return [u for u in (clean_url(m.group()) for m in _URL_OR_EMAIL.finditer(text)) if u]


def url_spans(text: str) -> list[re.Match[str]]:
    """The raw matches `extract_urls` cleans (outside code spans), with their positions."""
    if not may_hold_url(text):
        return []
    if "`" in text:
        text = CODE_SPAN.sub(lambda m: " " * len(m.group()), text)
    return list(_URL_OR_EMAIL.finditer(text))


def clean_url(url: str) -> str:
    """Cut at an unbalanced closer, trim sentence punctuation; lower-case scheme and host.

    ``[text](https://a.example/)'nın`` gives ``https://a.example/``: the link's
    ``)`` closes nothing inside the URL; ``Foo_(bar)`` keeps its balanced one.
    """
    depth = {"(": 0, "[": 0}
    for i, char in enumerate(url):
        if char in depth:
            depth[char] += 1
        elif char in ")]":
            opener = _CLOSERS[char]
            if depth[opener] == 0:
                url = url[:i]
                break
            depth[opener] -= 1
    while url and url[-1] in _TRAILING + ")]}>":
        closer = _CLOSERS.get(url[-1])
        if closer and url.count(closer) >= url.count(url[-1]):
            break
        url = url[:-1]
    if "://" not in url and not url.startswith("www."):
        return url.removeprefix("mailto:").lower() if "@" in url else ""
    scheme, sep, rest = url.partition("://") if "://" in url else ("", "", url)
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"
