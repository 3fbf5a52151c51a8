"""bitext's own HTTP clients for LibreTranslate, DeepL and MyMemory (see `pipeline.adapters.mt`).

Each keeps one session and gives ``requests`` its own timeout; `pipeline.adapters.mt`
runs every call within its deadline, retries `Busy`, stops on `Refused` and
`KeyRefused`. Why these three are not deep-translator's: the docstring of
`pipeline.adapters.mt`.
"""

from __future__ import annotations

import re
from typing import Any

import requests
from deep_translator import exceptions as dt_errors


class Busy(Exception):
    """A 429 or 5xx answer: worth another try, after ``retry_after`` seconds if given."""

    def __init__(self, status: int | str, retry_after: float | None = None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class Refused(Exception):
    """The provider refused the request (not the key); not worth another try."""


class KeyRefused(Exception):
    """The provider refused the API key."""


class Client:
    """bitext's own client for one provider: one kept-alive session, requests' own timeout.

    `MachineTranslator._call` runs it within `_with_deadline` too (the whole
    answer within ``timeout``); requests' timeout lets an abandoned call end.
    """

    def __init__(self, timeout: float):
        self.session = requests.Session()
        self.timeout = timeout

    def close(self) -> None:
        self.session.close()

    def _busy(self, response: requests.Response) -> None:
        """`Busy` for a 429 or 5xx answer."""
        if response.status_code == 429 or response.status_code >= 500:
            raise Busy(response.status_code, retry_after(response))

    def _refused(self, response: requests.Response, text: str) -> None:
        """What DeepL and LibreTranslate both mean: busy (429, 5xx), the key refused
        (403), the text too long (413)."""
        self._busy(response)
        if response.status_code == 403:
            raise KeyRefused()
        if response.status_code == 413:
            raise dt_errors.NotValidLength(text, 0, len(text))


class DeepLClient(Client):
    """DeepL's ``/v2/translate``, with the key in the ``Authorization`` header (see above)."""

    def __init__(self, base: str, key: str, source: str, target: str, timeout: float):
        super().__init__(timeout)
        self.url = base.rstrip("/") + "/v2/translate"
        self.session.headers["Authorization"] = f"DeepL-Auth-Key {key}"
        self.source, self.target = source, target

    def translate(self, text: str) -> str:
        if not text.strip():
            return text
        response = self.session.post(self.url, timeout=self.timeout, data={
            "text": text, "source_lang": self.source, "target_lang": self.target})
        self._refused(response, text)
        if response.status_code != 200:
            raise Refused(f"HTTP {response.status_code}")
        return str(response.json()["translations"][0]["text"])


class LibreClient(Client):
    """LibreTranslate's ``POST {url}translate``, the text in the body, a key only when set.

    Not deep-translator's `LibreTranslator`: its constructor refuses an empty key
    (and then sends whatever key it was given), and it only accepts the 17
    languages of its fixed list, while a self-hosted server decides for itself
    (``--load-only``, newer models). Working around either would mean assigning
    its attributes after construction, which bitext does not do.
    """

    def __init__(self, root: str, key: str, source: str, target: str, timeout: float):
        super().__init__(timeout)
        self.url = root + "translate"
        self.key, self.source, self.target = key, source, target

    def translate(self, text: str) -> str:
        if not text.strip() or self.source == self.target:
            return text
        form = {"q": text, "source": self.source, "target": self.target, "format": "text"}
        if self.key:
            form["api_key"] = self.key
        response = self.session.post(self.url, data=form, timeout=self.timeout)
        self._refused(response, text)
        if response.status_code != 200:
            error = _field(response, "error")
            if response.status_code == 400 and "limit" in error:  # "exceeds text limit"
                raise dt_errors.NotValidLength(text, 0, len(text))
            raise Refused(f"HTTP {response.status_code}" + (f": {error}" if error else ""))
        translated = response.json()["translatedText"]
        if not isinstance(translated, str):
            raise TypeError(type(translated).__name__)
        return translated


MYMEMORY_MAX_BYTES = 500  # MyMemory's limit for one request's text, in UTF-8 bytes


class MyMemoryClient(Client):
    """MyMemory's ``GET /get`` over HTTPS.

    Not deep-translator's `MyMemoryTranslator`: its endpoint is fixed to plain
    ``http://`` (translated text would cross the network in clear). MyMemory
    answers most refusals with HTTP 200 and a ``responseStatus`` in the JSON:
    429 with "YOU USED ALL AVAILABLE FREE TRANSLATIONS" once the daily quota is
    gone (refused: a retry within the minute cannot pass), 403 for a bad
    language pair or e-mail address. ``url`` is for the tests' server.
    """

    def __init__(self, source: str, target: str, email: str, timeout: float, *,
                 url: str = "https://api.mymemory.translated.net/get"):
        super().__init__(timeout)
        self.url, self.source, self.target, self.email = url, source, target, email

    def translate(self, text: str) -> str:
        if len(text.encode("utf-8")) > MYMEMORY_MAX_BYTES:
            raise dt_errors.NotValidLength(text, 0, MYMEMORY_MAX_BYTES)
        if not text.strip() or self.source == self.target:
            return text
        query = {"q": text, "langpair": f"{self.source}|{self.target}"}
        if self.email:
            query["de"] = self.email
        response = self.session.get(self.url, params=query, timeout=self.timeout)
        data = _json_or_none(response)
        status = _mymemory_status(data, response.status_code)
        details = _mymemory_details(data)
        if status == 429 and "FREE TRANSLATIONS" in details.upper():
            raise Refused(f"daily quota used up: {details}")
        if response.status_code == 429 or response.status_code >= 500:
            raise Busy(response.status_code, retry_after(response))
        if status == 429 or status >= 500:
            raise Busy(status)
        if status == 403 and "EMAIL" in details.upper():
            raise KeyRefused()
        if status != 200 or response.status_code != 200:
            raise Refused(f"HTTP {response.status_code}, status {status}"
                           + (f": {details}" if details else ""))
        if data is None:
            raise ValueError("not JSON")
        translated = data["responseData"]["translatedText"]
        if not isinstance(translated, str):
            raise TypeError(type(translated).__name__)
        if not translated.strip():
            matches = [m.get("translation") for m in data.get("matches") or []
                       if isinstance(m, dict)]
            translated = next((m for m in matches if isinstance(m, str) and m.strip()), "")
        if not translated.strip():
            raise dt_errors.TranslationNotFound(text)
        return translated


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _mymemory_status(data: Any, http_status: int) -> int:
    """MyMemory's ``responseStatus`` (a number or a numeric string), else the HTTP status."""
    value = data.get("responseStatus") if isinstance(data, dict) else None
    try:
        return int(value) if value is not None else http_status
    except (TypeError, ValueError):
        return http_status


def _mymemory_details(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    details = data.get("responseDetails")
    if not details and isinstance(data.get("responseData"), dict):
        details = data["responseData"].get("translatedText")
    return str(details or "")[:200]


def _field(response: requests.Response, name: str) -> str:
    """A string field of a JSON error answer, "" when there is none."""
    data = _json_or_none(response)
    value = data.get(name) if isinstance(data, dict) else None
    return str(value)[:200] if value else ""


def retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if re.fullmatch(r"\d+(?:\.\d+)?", value.strip()) else None
