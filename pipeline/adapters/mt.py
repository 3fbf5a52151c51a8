"""Machine translation through deep-translator, with what it lacks: timeouts, retries, a cache.

Providers, by bitext's names: ``libre`` (LibreTranslate, usually self-hosted:
the text stays in-house), ``google``, ``deepl``, ``mymemory``. API keys come
from the environment only: ``LIBRE_API_KEY`` (optional; a server without
keys needs none), ``DEEPL_API_KEY`` (required; a key ending in ``:fx`` uses
the Free API), ``MYMEMORY_EMAIL`` (optional, raises MyMemory's daily quota).

deep-translator 1.11 calls ``requests.get``/``requests.post`` with no
timeout, so a hung server would hang bitext for ever. While one of its
translators runs, `MachineTranslator` puts `_Http` in place of the
``requests`` name inside that translator's module: the same ``get``/``post``,
but on one kept-alive session, with bitext's timeout, with 429 and 5xx
answers raised as retryable, and with two repairs: a POST's parameters go in
the body, not the URL (LibreTranslate: no length limit, no text in access
logs), and DeepL's key goes in the ``Authorization`` header, which DeepL
requires since January 2026 (deep-translator still sends ``auth_key`` in a
GET query, which DeepL now refuses).

Each request waits for the provider's rate limit; a failed one is retried
with exponential backoff (honouring ``Retry-After``). When retries run out,
or the provider refuses the key or the request, `MTUnavailable` is raised:
the caller saves what it has and stops. A problem with one text (too long
for the provider, no translation found) is an `Outcome` with a ``problem``.

`TranslationCache` keeps every accepted translation in
``.bitext/mt-cache.json`` under the publication (that folder holds a
``.gitignore`` of its own, so the cache is not committed by accident).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import deep_translator
import requests
from babel import Locale
from deep_translator import exceptions as dt_errors

from pipeline.adapters.fs import read_text, write_atomic
from pipeline.errors import BitextError


@dataclass(frozen=True)
class Provider:
    """What bitext knows about one provider."""

    name: str
    endpoint: str  # the default, shown in messages ("" when a URL must be given)
    key_env: str | None
    rate_limit: float  # default requests per second; 0 means no limit


PROVIDERS: dict[str, Provider] = {
    "libre": Provider("libre", "", "LIBRE_API_KEY", 0.0),
    "google": Provider("google", "https://translate.google.com/m", None, 2.0),
    "deepl": Provider("deepl", "https://api.deepl.com", "DEEPL_API_KEY", 5.0),
    # deep-translator's default is plain http://; the text deserves TLS.
    "mymemory": Provider("mymemory", "https://api.mymemory.translated.net/get",
                         "MYMEMORY_EMAIL", 1.0),
}
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is not waited for in full


class MTUnavailable(BitextError):
    """The provider cannot be used now: unreachable, refusing, or answering nonsense."""

    def __init__(self, message: str, *, answered: int = 0):
        super().__init__(message)
        self.answered = answered


@dataclass(frozen=True)
class Outcome:
    """One text's machine translation, or why this text got none."""

    text: str = ""
    problem: str = ""


class _Busy(Exception):
    """A 429 or 5xx answer: worth another try, after ``retry_after`` seconds if given."""

    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class _Http:
    """Stands in for the ``requests`` module inside a deep-translator module (see above)."""

    def __init__(self, timeout: float, deepl_key: str | None = None):
        self.session = requests.Session()
        self.timeout = timeout
        self.deepl_key = deepl_key
        self.sent = 0

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        params = dict(kwargs.pop("params", None) or {})
        headers = dict(kwargs.pop("headers", None) or {})
        if self.deepl_key is not None:
            params.pop("auth_key", None)
            headers["Authorization"] = f"DeepL-Auth-Key {self.deepl_key}"
            method = "POST"
        if method == "POST" and "data" not in kwargs and "json" not in kwargs:
            kwargs["data"], params = params, {}
        self.sent += 1
        response = self.session.request(method, url, params=params or None, headers=headers,
                                        timeout=self.timeout, **kwargs)
        if response.status_code == 429 or response.status_code >= 500:
            raise _Busy(response.status_code, _retry_after(response))
        return response


class Pace:
    """Spaces the requests to one provider; shared by its translators for several languages."""

    def __init__(self, per_second: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self.interval and self._last is not None:
            wait = self._last + self.interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()


class MachineTranslator:
    """One provider, one language pair; `translate` one text at a time.

    Nothing touches the network until `translate` is called: a bad provider
    name, a missing key or an unsupported language raise `BitextError` here.
    ``clock`` and ``sleep`` are for tests of the rate limit and backoff;
    ``pace`` shares another translator's rate limit (same provider, other language).
    """

    def __init__(
        self, provider: str, source: str, target: str, *, url: str | None = None,
        timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
        rate_limit: float | None = None, env: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
        pace: Pace | None = None,
    ):
        if provider not in PROVIDERS:
            raise BitextError(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})")
        self.provider = PROVIDERS[provider]
        self.name = provider
        env = os.environ if env is None else env
        key = env.get(self.provider.key_env, "") if self.provider.key_env else ""
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        rate = self.provider.rate_limit if rate_limit is None else rate_limit
        self.pace = pace or Pace(rate, clock, sleep)
        self._sleep = sleep
        self._retry_after: float | None = None
        self._engine, self.endpoint = _build(provider, source, target, url, key)
        self._module = sys.modules[type(self._engine).__module__]
        if getattr(self._module, "requests", None) is not requests:
            raise BitextError(
                f"deep-translator {_version()} no longer calls `requests` the way 1.11 did, so "
                "bitext cannot give it a timeout; install deep-translator 1.11.x"
            )
        self._http = _Http(timeout, deepl_key=key if provider == "deepl" else None)
        self.answered = 0

    @property
    def sent(self) -> int:
        """HTTP requests sent so far (retries included)."""
        return self._http.sent

    def translate(self, text: str) -> Outcome:
        """Translate ``text``; retry what may pass; raise `MTUnavailable` when it will not."""
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self._delay(attempt))
            self.pace.wait()
            try:
                with self._through_http():
                    result = self._engine.translate(text)
                if not isinstance(result, str):
                    raise TypeError(type(result).__name__)
            except _Busy as exc:
                reason, self._retry_after = str(exc), exc.retry_after
                continue
            except requests.Timeout:
                reason, self._retry_after = f"no answer within {self.timeout:g} s", None
                continue
            except requests.ConnectionError as exc:
                reason, self._retry_after = f"cannot connect ({_why(exc)})", None
                continue
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                reason = f"its answer is not what a {self.name} server sends (malformed JSON)"
                self._retry_after = None
                continue
            except dt_errors.NotValidLength:
                return Outcome(problem=f"too long for {self.name} ({len(text)} characters)")
            except (dt_errors.TranslationNotFound, dt_errors.NotValidPayload):
                return Outcome(problem=f"{self.name} found no translation")
            except dt_errors.AuthorizationException:
                raise self._unavailable(
                    f"refused the API key (HTTP 403); check {self.provider.key_env}", 1
                ) from None
            except (dt_errors.ServerException, dt_errors.RequestError,
                    dt_errors.TooManyRequests) as exc:
                raise self._unavailable(f"refused the request ({exc})", 1) from None
            except requests.RequestException as exc:
                raise self._unavailable(f"request failed ({_why(exc)})", 1) from None
            self.answered += 1
            return Outcome(text=result)
        raise self._unavailable(reason, self.retries + 1)

    def close(self) -> None:
        self._http.session.close()

    def _delay(self, attempt: int) -> float:
        delay = float(self.backoff * 2 ** (attempt - 1))
        if self._retry_after is not None:
            delay = max(delay, min(self._retry_after, MAX_RETRY_AFTER))
        return delay

    @contextlib.contextmanager
    def _through_http(self) -> Iterator[None]:
        module: Any = self._module
        original = module.requests
        module.requests = self._http
        try:
            yield
        finally:
            module.requests = original

    def _unavailable(self, reason: str, attempts: int) -> MTUnavailable:
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        return MTUnavailable(f"{self.name} at {self.endpoint}: {reason}{tries}",
                             answered=self.answered)


def _build(provider: str, source: str, target: str, url: str | None,
           key: str) -> tuple[Any, str]:
    """The deep-translator object for ``provider`` and the endpoint it will talk to."""
    dt: Any = deep_translator
    try:
        if provider == "libre":
            if not url:
                raise BitextError(
                    "the libre provider needs a LibreTranslate server: give --url URL or set "
                    "url in the translate settings (e.g. http://localhost:5000)"
                )
            root = url.rstrip("/") + "/"
            # deep-translator refuses to build a LibreTranslator without a key, even for a
            # server that needs none: give it a stand-in, then send none at all.
            engine = dt.LibreTranslator(source="en", target="es", api_key=key or "-",
                                        custom_url=root)
            engine.api_key = key or None
            # Its language list is fixed and short; a self-hosted server decides for itself.
            engine.source, engine.target = _base(source), _base(target)
            return engine, root
        if provider == "deepl":
            if not key:
                raise BitextError("the deepl provider needs an API key in the environment "
                                  "variable DEEPL_API_KEY")
            engine = dt.DeeplTranslator(source="de", target="en", api_key=key,
                                        use_free_api=key.endswith(":fx"))
            if url:
                engine._base_url = url.rstrip("/") + "/v2/"
            engine.source = _base(source).upper()
            engine.target = _deepl_target(target)
            return engine, engine._base_url.removesuffix("/v2/")
        if provider == "google":
            engine = dt.GoogleTranslator(source=_google(source), target=_google(target))
        else:
            engine = dt.MyMemoryTranslator(source=_english_name(source),
                                           target=_english_name(target),
                                           email=key or None)
        engine._base_url = url or PROVIDERS[provider].endpoint
        return engine, engine._base_url
    except dt_errors.LanguageNotSupportedException as exc:
        raise BitextError(
            f"the {provider} provider does not translate {exc.val!r} "
            f"(languages: {source} -> {target})"
        ) from None


def _base(lang: str) -> str:
    return re.split(r"[_-]", lang)[0].lower()


def _google(lang: str) -> str:
    full = lang.replace("_", "-")
    return full if full in ("zh-CN", "zh-TW") else _base(lang)


def _deepl_target(lang: str) -> str:
    full = lang.replace("_", "-").upper()
    return full if full in ("EN-GB", "EN-US", "PT-BR", "PT-PT", "ZH-HANS", "ZH-HANT") \
        else _base(lang).upper()


def _english_name(lang: str) -> str:
    try:
        return (Locale.parse(lang).get_language_name("en") or lang).lower()
    except (ValueError, LookupError):
        return lang


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if re.fullmatch(r"\d+(?:\.\d+)?", value.strip()) else None


def _why(exc: Exception) -> str:
    """The useful end of a requests/urllib3 error ("Connection refused")."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        return found.group(1).strip()
    return type(exc).__name__


def _version() -> str:
    from importlib.metadata import version

    try:
        return version("deep-translator")
    except Exception:  # pragma: no cover - metadata missing
        return "?"


class TranslationCache:
    """Accepted machine translations, keyed by provider, languages and (protected) text.

    A JSON file: ``{"format": ..., "translations": {"libre tr>en": {text: translation}}}``,
    sorted, so it diffs well if a team decides to commit it after all.
    """

    FORMAT = "bitext-mt-cache 1"
    IGNORE = "# bitext's working files (machine-translation cache); not for the repository\n*\n"

    def __init__(self, path: Path, *, shown: str):
        self.path, self.shown = path, shown
        self._data: dict[str, dict[str, str]] = {}
        self._dirty = False
        if path.exists():
            try:
                raw = json.loads(read_text(path, shown=shown))
                ok = raw.get("format") == self.FORMAT and isinstance(raw["translations"], dict)
            except (ValueError, AttributeError, KeyError):
                ok = False
            if not ok:
                raise BitextError("not a bitext machine-translation cache; delete it to start "
                                  "afresh", path=shown)
            self._data = raw["translations"]

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        return self._data.get(f"{provider} {source}>{target}", {}).get(text)

    def put(self, provider: str, source: str, target: str, text: str, translation: str) -> None:
        table = self._data.setdefault(f"{provider} {source}>{target}", {})
        if table.get(text) != translation:
            table[text] = translation
            self._dirty = True

    def __len__(self) -> int:
        return sum(len(t) for t in self._data.values())

    def save(self) -> bool:
        """Write the cache if anything was added; return whether it was written."""
        if not self._dirty:
            return False
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True)
            write_atomic(folder / ".gitignore", self.IGNORE)
        data = {"format": self.FORMAT, "translations": self._data}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                     + "\n")
        self._dirty = False
        return True
