"""Machine translation: deep-translator and bitext's own clients, with timeouts, retries, a cache.

Providers, by bitext's names: ``libre`` (LibreTranslate, usually self-hosted:
the text stays in-house), ``google``, ``deepl``, ``mymemory``. API keys come
from the environment only: ``LIBRE_API_KEY`` (optional; a server without
keys needs none), ``DEEPL_API_KEY`` (required; a key ending in ``:fx`` uses
the Free API), ``MYMEMORY_EMAIL`` (optional, raises MyMemory's daily quota).

Who talks to each provider:

- ``google``: deep-translator's `GoogleTranslator`, through its public API
  only (the constructor and ``translate``; `MyMemoryTranslator`'s
  ``get_supported_languages`` gives MyMemory's language codes). No module,
  object or attribute of deep-translator is assigned to, so any 1.x release
  will do; the tests watch every assignment to its objects.
- ``libre``: bitext's `LibreClient`. deep-translator's `LibreTranslator` refuses to
  be built without a key (a self-hosted server usually has none) and then
  sends the key it was given, and it only takes the 17 languages of its
  fixed list; using it for a key-less server, or for a language the server
  has and the list lacks, would mean assigning its attributes.
- ``deepl``: bitext's `DeepLClient`. deep-translator sends the key as ``auth_key``
  in a GET query, which DeepL refuses since January 2026 (it requires the
  ``Authorization`` header).
- ``mymemory``: bitext's `MyMemoryClient`. deep-translator's endpoint for it is
  fixed to plain ``http://``; bitext sends the text over HTTPS only.

bitext's clients keep one session each and give requests its own timeout.
Around every call, whoever makes it, bitext adds:

- a timeout for the whole answer: deep-translator calls ``requests.get``/``post``
  with none (and ``requests`` then waits for ever, ignoring
  ``socket.setdefaulttimeout``), so each call runs on a daemon thread that
  bitext stops waiting for after ``timeout`` seconds (`_with_deadline`); the
  engine that may still be waiting is dropped and the next attempt builds a
  fresh one;
- retries with exponential backoff on what may pass: no answer, no
  connection, a 429 or 5xx answer (`Busy`, with its ``Retry-After``; from
  deep-translator `ServerException`, `TooManyRequests`, `RequestError`), an
  answer that is not JSON;
- the provider's rate limit (`Pace`), shared by its languages.

When retries run out, or the provider refuses the key or the request,
`MTUnavailable` is raised: the caller saves what it has and stops. A
problem with one text (too long for the provider, no translation found) is
an `Outcome` with a ``problem``. Language codes for each provider come from
`pipeline.languages.Language.mt_code`.

`TranslationCache` keeps every accepted translation in
``.bitext/mt-cache.json`` under the publication (that folder holds a
``.gitignore`` of its own, so the cache is not committed by accident).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import deep_translator
import requests
from deep_translator import exceptions as dt_errors

from pipeline.adapters.mt_cache import TranslationCache
from pipeline.adapters.mt_http import (
    Busy,
    Client,
    DeepLClient,
    KeyRefused,
    LibreClient,
    MyMemoryClient,
    Refused,
)
from pipeline.errors import BitextError
from pipeline.languages import language

__all__ = ["PROVIDERS", "MTUnavailable", "MachineTranslator", "Outcome", "Pace", "Provider",
           "TranslationCache"]


@dataclass(frozen=True)
class Provider:
    """What bitext knows about one provider."""

    name: str
    endpoint: str  # the default, shown in messages ("" when a URL must be given)
    key_env: str | None
    rate_limit: float  # default requests per second; 0 means no limit
    custom_url: bool = True  # whether --url may point it elsewhere


PROVIDERS: dict[str, Provider] = {
    "libre": Provider("libre", "", "LIBRE_API_KEY", 0.0),
    # google: deep-translator's own endpoint, its public API has no way to change it;
    # mymemory: bitext's client, fixed to HTTPS (text over TLS only)
    "google": Provider("google", "https://translate.google.com/m", None, 2.0,
                       custom_url=False),
    "deepl": Provider("deepl", "https://api.deepl.com", "DEEPL_API_KEY", 5.0),
    "mymemory": Provider("mymemory", "https://api.mymemory.translated.net/get",
                         "MYMEMORY_EMAIL", 1.0, custom_url=False),
}
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is not waited for in full
# deep-translator's ServerException carries a name, not the status: these may pass on retry.
_BUSY_NAMES = {"ERR_TOO_MANY_REQUESTS": 429, "ERR_INTERNAL_SERVER_ERROR": 500,
               "ERR_SERVICE_NOT_AVAIBLE": 503}


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


class _Deadline(Exception):
    """No answer within the timeout."""


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
        self.retry_after: float | None = None
        self._build: Callable[[], Any]
        self._build, self.endpoint = _engine(provider, source, target, url, key, timeout)
        self._engine = self._build()
        self.sent = 0  # HTTP requests sent so far (retries included)
        self.answered = 0

    def translate(self, text: str) -> Outcome:
        """Translate ``text``; retry what may pass; raise `MTUnavailable` when it will not."""
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self._delay(attempt))
            self.pace.wait()
            self.sent += 1
            try:
                result = self._call(text)
                if not isinstance(result, str):
                    raise TypeError(type(result).__name__)
            except Busy as exc:
                reason, self.retry_after = str(exc), exc.retry_after
                continue
            except (_Deadline, requests.Timeout):
                reason, self.retry_after = f"no answer within {self.timeout:g} s", None
                continue
            except requests.ConnectionError as exc:
                reason, self.retry_after = f"cannot connect ({_why(exc)})", None
                continue
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                reason = f"its answer is not what a {self.name} server sends (malformed JSON)"
                self.retry_after = None
                continue
            except dt_errors.NotValidLength:
                return Outcome(problem=f"too long for {self.name} ({len(text)} characters)")
            except (dt_errors.TranslationNotFound, dt_errors.NotValidPayload, StopIteration):
                return Outcome(problem=f"{self.name} found no translation")
            except (dt_errors.AuthorizationException, KeyRefused):
                raise self._unavailable(
                    f"refused the API key (HTTP 403); check {self.provider.key_env}", 1
                ) from None
            except (Refused, dt_errors.ServerException) as exc:
                raise self._unavailable(f"refused the request ({exc})", 1) from None
            except requests.RequestException as exc:
                raise self._unavailable(f"request failed ({_why(exc)})", 1) from None
            self.answered += 1
            return Outcome(text=result)
        raise self._unavailable(reason, self.retries + 1)

    def close(self) -> None:
        if isinstance(self._engine, Client):
            self._engine.close()  # deep-translator's engines keep no connection open

    def _call(self, text: str) -> Any:
        """One request: the engine's public ``translate``, within the timeout."""
        engine = self._engine
        try:
            return _with_deadline(lambda: engine.translate(text), self.timeout)
        except _Deadline:
            self._engine = self._build()  # the old one may still be waiting: leave it be
            raise
        except dt_errors.ServerException as exc:
            status = _BUSY_NAMES.get(str(exc))
            if status is not None or str(exc) == "API server error":  # 502, 504, ...
                raise Busy(status or "5xx") from None
            raise
        except dt_errors.TooManyRequests:
            raise Busy(429) from None
        except dt_errors.RequestError:
            raise Busy("error") from None

    def _delay(self, attempt: int) -> float:
        delay = float(self.backoff * 2 ** (attempt - 1))
        if self.retry_after is not None:
            delay = max(delay, min(self.retry_after, MAX_RETRY_AFTER))
        return delay

    def _unavailable(self, reason: str, attempts: int) -> MTUnavailable:
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        return MTUnavailable(f"{self.name} at {self.endpoint}: {reason}{tries}",
                             answered=self.answered)


def _with_deadline(call: Callable[[], Any], timeout: float) -> Any:
    """``call()`` on a daemon thread; `_Deadline` if it has not returned after ``timeout`` s.

    A call still waiting is left to finish (or hang) on its own thread, which
    does not keep bitext from exiting.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="bitext-mt", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _Deadline()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _engine(provider: str, source: str, target: str, url: str | None, key: str,
            timeout: float) -> tuple[Callable[[], Any], str]:
    """How to build the engine for ``provider`` (checked once, here), and its endpoint."""
    src, tgt = language(source), language(target)
    dt: Any = deep_translator
    if url and not PROVIDERS[provider].custom_url:
        raise BitextError(f"the {provider} provider has a fixed endpoint "
                          f"({PROVIDERS[provider].endpoint}); --url is for libre and deepl")
    if provider == "deepl":
        if not key:
            raise BitextError("the deepl provider needs an API key in the environment "
                              "variable DEEPL_API_KEY")
        base = (url or ("https://api-free.deepl.com" if key.endswith(":fx")
                        else PROVIDERS["deepl"].endpoint)).rstrip("/")
        codes = src.mt_code("deepl", target=False), tgt.mt_code("deepl")
        return (lambda: DeepLClient(base, key, *codes, timeout)), base
    if provider == "libre":
        if not url:
            raise BitextError(
                "the libre provider needs a LibreTranslate server: give --url URL or set "
                "url in the translate settings (e.g. http://localhost:5000)"
            )
        root = url.rstrip("/") + "/"
        libre_codes = src.mt_code("libre"), tgt.mt_code("libre")
        return (lambda: LibreClient(root, key, *libre_codes, timeout)), root
    if provider == "mymemory":
        # deep-translator's language table, through its public get_supported_languages
        names = dt.MyMemoryTranslator(target="english").get_supported_languages(as_dict=True)
        mm_codes: list[str] = []
        for lang in (src, tgt):
            code = lang.mt_code("mymemory")
            if code not in names.values():
                if code not in names:
                    raise BitextError(f"the mymemory provider does not translate {code!r} "
                                      f"(languages: {source} -> {target})")
                code = names[code]
            mm_codes.append(str(code))
        mm_source, mm_target = mm_codes
        return (lambda: MyMemoryClient(mm_source, mm_target, key, timeout),
                PROVIDERS[provider].endpoint)

    def google() -> Any:
        return dt.GoogleTranslator(source=src.mt_code("google"), target=tgt.mt_code("google"))

    try:
        google()
    except dt_errors.LanguageNotSupportedException as exc:
        raise BitextError(
            f"the {provider} provider does not translate {exc.val!r} "
            f"(languages: {source} -> {target})"
        ) from None
    return google, PROVIDERS[provider].endpoint


def _why(exc: Exception) -> str:
    """The useful end of a requests/urllib3 error ("Connection refused")."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        return found.group(1).strip()
    return type(exc).__name__


