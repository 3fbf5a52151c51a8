"""The ``urls`` check: the same URLs and e-mail addresses on both sides.

URLs are compared after `pipeline.checks.urlfind.clean_url` (scheme and host
lower-cased) and without their scheme and a leading ``www.``, so moving a
link from ``http`` to ``https`` is not a finding. Legitimately localised URLs are declared in the
config's ``url_map`` (``"tr.wikipedia.org" = "en.wikipedia.org"``): an
original URL starting with a key is expected in the translation with that
prefix replaced by the value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pipeline.checks import register
from pipeline.checks.model import Context, Problem
from pipeline.checks.urlfind import clean_url, extract_urls, may_hold_url, url_spans


def _bare(url: str) -> str:
    """The URL without its scheme and a leading ``www.`` (neither changes the page)."""
    url = url.split("://", 1)[1] if "://" in url else url
    return url.removeprefix("www.")


def localise(url: str, url_map: tuple[tuple[str, str], ...]) -> str:
    """``url`` with the first matching ``url_map`` prefix replaced (scheme ignored)."""
    bare = _bare(url)
    for prefix, replacement in url_map:
        if bare.startswith(_bare(prefix)):
            return _bare(replacement) + bare[len(_bare(prefix)):]
    return bare


def compare_urls(
    source: str, target: str, url_map: tuple[tuple[str, str], ...] = ()
) -> list[str]:
    """Messages for URLs or addresses on one side only (empty: the same)."""
    return [message for message, _ in url_problems(source, target, url_map)]


def url_problems(
    source: str, target: str, url_map: tuple[tuple[str, str], ...] = ()
) -> list[tuple[str, str | None]]:
    """(message, the original's URL it is about, as compared, or None) per difference."""
    a = [localise(u, url_map) for u in extract_urls(source)]
    b = [_bare(u) for u in extract_urls(target)]
    if Counter(a) == Counter(b):
        return []
    missing = list((Counter(a) - Counter(b)).elements())
    extra = list((Counter(b) - Counter(a)).elements())
    if len(missing) == 1 and len(extra) == 1:
        return [(f"URL differs: the original has {missing[0]}, the translation {extra[0]}",
                 missing[0])]
    return [(f"{u} is in the original but not in the translation", u) for u in missing] + [
        (f"{u} is in the translation but not in the original", None) for u in extra
    ]


def url_offset(source: str, url: str, url_map: tuple[tuple[str, str], ...] = ()) -> int | None:
    """Where (0-based) in ``source`` the URL that compares as ``url`` starts."""
    for match in url_spans(source):
        if localise(clean_url(match.group()), url_map) == url:
            return match.start()
    return None


@register("urls", severity="error")
def urls(ctx: Context) -> Iterator[Problem]:
    """The same URLs and e-mail addresses on both sides (localised ones per ``url_map``)."""
    url_map = ctx.options.url_map
    for unit in ctx.translated:
        s, t = unit.source, unit.target
        if not (may_hold_url(s) or may_hold_url(t)):
            continue
        for message, url in url_problems(s, t, url_map):
            offset = url_offset(s, url, url_map) if url is not None else None
            yield Problem(unit, message, offset=offset)
