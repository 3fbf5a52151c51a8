"""A small machine-translation server on 127.0.0.1 for the tests (standard library only).

It speaks enough of four APIs that bitext's clients (and deep-translator's)
talk to it over HTTP: LibreTranslate (``POST /translate``, ``GET /languages``),
DeepL (``POST /v2/translate``, key in the ``Authorization`` header only, as
DeepL requires since 2026), MyMemory (``GET /get``, refusals as a
``responseStatus`` in a 200 answer, as MyMemory does) and Google's mobile
page (``GET /m``). Translation is deterministic (`fake_translate`): known
Turkish words become English, anything else stays, placeholders ``{n}``
are kept. Failure modes are switched by attributes, between requests:

``fail``          "" (answer), "500", "429" (Retry-After: 0), "400" (a request the
                  server will not take, e.g. a language it lacks), "slow" (wait ``slow``
                  seconds before answering), "malformed" (200 with broken JSON),
                  "drop" (translate, but lose the last placeholder), "html" (200 with a
                  web page, as a wrong URL would give); MyMemory only: "quota" (200 with
                  responseStatus 429 and the daily-quota warning as the text), "bad-email"
                  and "bad-pair" (200 with responseStatus 403), "empty" (200, no text, no
                  matches), "match" (200, no text, the translation among the matches)
``fail_times``    how many translation requests fail before it answers again (None: all)
``ok_first``      how many translation requests succeed before ``fail`` starts
``api_key``       when set, LibreTranslate and DeepL requests must carry this key
``on_request``    called (on the server's thread) as each translation request arrives,
                  while the client waits for the answer

``translations`` counts translation requests (failed ones too) and
``texts`` records the text of each, so tests can assert cache hits and
that a resumed run sends nothing twice. ``libre_params`` keeps the
parameters of each LibreTranslate request (to see that no key was sent),
``libre_query`` those of them that came in the URL rather than the body;
``mymemory_params`` those of each MyMemory request.
"""

from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WORDS = {
    "bu": "this", "bir": "a", "ve": "and", "önemli": "important", "yazı": "article",
    "yazıdır": "is an article", "ilk": "first", "paragraf": "paragraph", "ikinci": "second",
    "kod": "code", "bakınız": "see", "site": "site", "dipnot": "footnote", "için": "for",
    "yeni": "new", "metin": "text", "çok": "very", "kısa": "short", "adres": "address",
    "komut": "command", "başlık": "heading", "örnek": "example", "değişti": "changed",
}
_PIECES = re.compile(r"(\{\s*\d+\s*\}|\w+)")


QUOTA = ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT "
         "AVAILABLE IN  13 HOURS 31 MINUTES 45 SECONDS VISIT "
         "HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE")


def _mymemory(text: str, status: int | str, details: str = "",
              matches: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"responseData": {"translatedText": text, "match": 0}, "responseStatus": status,
            "responseDetails": details, "matches": matches or []}


# MyMemory's answers (HTTP 200) to the failure modes only it has
MYMEMORY_REFUSALS: dict[str, Any] = {
    "quota": lambda t: _mymemory(QUOTA, 429, QUOTA),
    "bad-email": lambda t: _mymemory("INVALID EMAIL PROVIDED", "403", "INVALID EMAIL PROVIDED"),
    "bad-pair": lambda t: _mymemory("'XX' IS AN INVALID TARGET LANGUAGE", 403,
                                    "'XX' IS AN INVALID TARGET LANGUAGE"),
    "empty": lambda t: _mymemory("", 200),
    "match": lambda t: _mymemory("", 200, matches=[{"translation": t, "quality": 70}]),
}


def fake_translate(text: str) -> str:
    """Word by word through `WORDS` (first letter's case kept); everything else as it is."""

    def word(match: re.Match[str]) -> str:
        piece = match.group()
        english = WORDS.get(piece.lower())
        if english is None:
            return piece
        return english[0].upper() + english[1:] if piece[0].isupper() else english

    return _PIECES.sub(word, text)


class FakeServer:
    """The server; use as a context manager, or `start` / `stop`."""

    def __init__(self, port: int = 0) -> None:
        self.fail = ""
        self.fail_times: int | None = None
        self.ok_first = 0
        self.slow = 5.0
        self.api_key: str | None = None
        self.on_request: Any = None
        self.translations = 0
        self.texts: list[str] = []
        self.libre_params: list[dict[str, str]] = []
        self.libre_query: list[dict[str, str]] = []
        self.mymemory_params: list[dict[str, str]] = []
        self.deepl_headers: list[dict[str, str]] = []
        self._failed = 0
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # wake any "slow" handler at once
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self, fail: str = "", **settings: Any) -> None:
        """Switch the failure mode (and counters of failures); request counts are kept."""
        self.fail, self._failed = fail, 0
        self.fail_times = settings.get("fail_times")
        self.ok_first = settings.get("ok_first", 0)

    def _next_failure(self) -> str:
        """The failure this translation request gets ("" for none); counts it."""
        with self._lock:
            self.translations += 1
            if not self.fail or self.translations <= self.ok_first:
                return ""
            if self.fail_times is not None and self._failed >= self.fail_times:
                return ""
            self._failed += 1
            return self.fail


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

        def do_GET(self) -> None:
            path, params = self._params()
            if path == "/languages":
                codes = ["en", "tr", "de"]
                self._json(200, [{"code": c, "name": c, "targets": codes} for c in codes])
            elif path == "/get":  # MyMemory
                server.mymemory_params.append(dict(params))
                self._translate(params.get("q", ""), lambda t: {
                    "responseData": {"translatedText": t}, "responseStatus": 200, "matches": []},
                    refusals=MYMEMORY_REFUSALS)
            elif path == "/m":  # Google's mobile page
                self._translate(params.get("q", ""), None)
            else:
                self._json(405 if path == "/v2/translate" else 404, {"error": "not here"})

        def do_POST(self) -> None:
            path, params = self._params()
            if path == "/translate":  # LibreTranslate
                server.libre_params.append(dict(params))
                server.libre_query.append({k: v[-1] for k, v in
                                           parse_qs(urlsplit(self.path).query).items()})
                if server.api_key and params.get("api_key") != server.api_key:
                    self._json(403, {"error": "Invalid API key"})
                    return
                self._translate(params.get("q", ""), lambda t: {"translatedText": t})
            elif path == "/v2/translate":  # DeepL
                server.deepl_headers.append(dict(self.headers))
                auth = self.headers.get("Authorization", "")
                if "auth_key" in params or auth != f"DeepL-Auth-Key {server.api_key}":
                    self._json(403, {"message": "Legacy authentication method is no longer "
                                                "supported; use the Authorization header"})
                    return
                self._translate(params.get("text", ""), lambda t: {
                    "translations": [{"detected_source_language": "TR", "text": t}]})
            else:
                self._json(404, {"error": "not here"})

        def _params(self) -> tuple[str, dict[str, str]]:
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            if body and self.headers.get("Content-Type", "").startswith("application/json"):
                params.update({k: str(v) for k, v in json.loads(body).items()})
            elif body:
                params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
            return parts.path, params

        def _translate(self, text: str, shape: Any,
                       refusals: dict[str, Any] | None = None) -> None:
            if server.on_request is not None:
                server.on_request()
            failure = server._next_failure()
            server.texts.append(text)
            if refusals and failure in refusals:
                answer = refusals[failure](fake_translate(text))
                self._json(200, answer)
            elif failure == "slow":
                server._release.wait(server.slow)
            elif failure in ("500", "429", "400"):
                headers = {"Retry-After": "0"} if failure == "429" else {}
                self._json(int(failure), {"error": "failing on purpose"}, headers)
                return
            elif failure == "malformed":
                self._raw(200, b'{"translatedText": "Broken', "application/json")
                return
            elif failure == "html":
                self._raw(200, b"<html><body>Welcome!</body></html>", "text/html")
                return
            translated = fake_translate(text)
            if failure == "drop":
                found = list(_PIECES.finditer(translated))
                marks = [m for m in found if m.group().startswith("{")]
                if marks:
                    last = marks[-1]
                    translated = translated[:last.start()] + translated[last.end():]
            if shape is None:
                page = f'<html><body><div class="result-container">{html.escape(translated)}'
                self._raw(200, (page + "</div></body></html>").encode(), "text/html")
            else:
                self._json(200, shape(translated))

        def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
            self._raw(status, body, "application/json", headers)

        def _raw(self, status: int, body: bytes, kind: str,
                 headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

    return Handler
