"""pipeline.adapters.mt: its clients (bitext's and deep-translator's) against the test server."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from deep_translator.base import BaseTranslator
from deep_translator.exceptions import NotValidLength, TranslationNotFound

from pipeline.adapters.mt import MachineTranslator, MTUnavailable, TranslationCache
from pipeline.adapters.mt_http import (
    Busy,
    KeyRefused,
    LibreClient,
    MyMemoryClient,
    Refused,
)
from pipeline.errors import BitextError
from tests.libretranslate_server import FakeServer

TEXT = "Bu {1}önemli{2} bir yazıdır{3}."
ENGLISH = "This {1}important{2} a is an article{3}."


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


class Sleeps:
    """Records the pauses the translator asks for, on a clock it moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0
        self.pauses: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(round(seconds, 3))
        self.now += seconds


def libre(server: FakeServer, **options: object) -> MachineTranslator:
    settings: dict[str, object] = {"timeout": 0.5, "retries": 1, "backoff": 0.0, "env": {}}
    settings.update(options)
    return MachineTranslator("libre", "tr", "en", url=server.url, **settings)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("provider", "env"), [("libre", {}), ("deepl", {"DEEPL_API_KEY": "k:fx"})],
)
def test_each_provider_with_a_url_translates_over_http(
    server: FakeServer, provider: str, env: dict[str, str]
) -> None:
    server.api_key = env.get("DEEPL_API_KEY")
    translator = MachineTranslator(provider, "tr", "en", url=server.url, env=env, rate_limit=0)
    assert translator.translate(TEXT).text == ENGLISH
    assert (server.translations, server.texts, translator.sent) == (1, [TEXT], 1)


@pytest.mark.parametrize(
    ("provider", "target", "codes"),
    [("google", "zh-Hant", ("tr", "zh-TW")), ("google", "pt_BR", ("tr", "pt"))],
)
def test_google_is_deep_translators_client_with_its_language_codes(
    provider: str, target: str, codes: tuple[str, str]
) -> None:
    built = MachineTranslator(provider, "tr", target, env={})._engine
    assert type(built).__name__ == "GoogleTranslator"
    assert type(built).__module__.startswith("deep_translator.")
    assert (built.source, built.target) == codes


@pytest.mark.parametrize(
    ("provider", "target", "engine", "codes"),
    [("mymemory", "pt-BR", MyMemoryClient, ("tr-TR", "pt-BR")),
     ("mymemory", "zh-Hant", MyMemoryClient, ("tr-TR", "zh-TW")),
     ("mymemory", "sr-Latn", MyMemoryClient, ("tr-TR", "sr-Latn-RS")),
     ("libre", "pt-BR", LibreClient, ("tr", "pt")),
     ("libre", "uk", LibreClient, ("tr", "uk"))],  # not in deep-translator's list for libre
)
def test_libre_and_mymemory_are_bitexts_own_clients(
    provider: str, target: str, engine: type, codes: tuple[str, str]
) -> None:
    url = "http://127.0.0.1:9" if provider == "libre" else None
    built = MachineTranslator(provider, "tr", target, url=url, env={})._engine
    assert type(built) is engine
    assert (built.source, built.target) == codes


def test_mymemory_goes_over_https_only() -> None:
    translator = MachineTranslator("mymemory", "tr", "en", env={"MYMEMORY_EMAIL": "a@b.org"})
    assert translator.endpoint == "https://api.mymemory.translated.net/get"
    assert translator._engine.url == translator.endpoint
    assert translator._engine.email == "a@b.org"


def test_libre_translates_a_language_deep_translator_does_not_list(server: FakeServer) -> None:
    assert MachineTranslator("libre", "tr", "uk", url=server.url, env={}).translate("bir").text
    assert server.libre_params[-1]["target"] == "uk"


def test_libre_sends_the_text_in_the_body_not_the_url(server: FakeServer) -> None:
    libre(server, env={"LIBRE_API_KEY": "s3cret"}).translate("bir")
    assert server.libre_query == [{}]
    assert server.libre_params[0]["q"] == "bir"


def test_a_language_libretranslate_lacks_is_a_refused_request(server: FakeServer) -> None:
    server.reset("400")
    with pytest.raises(MTUnavailable) as caught:
        libre(server, retries=3).translate("bir")
    assert str(caught.value) == (f"libre at {server.url}/: refused the request (HTTP 400: "
                                 "failing on purpose)")
    assert server.translations == 1


def mymemory(server: FakeServer, email: str = "") -> MyMemoryClient:
    return MyMemoryClient("tr-TR", "en-GB", email, 0.5, url=server.url + "/get")


def test_mymemory_client_sends_the_pair_and_the_email_only_when_set(server: FakeServer) -> None:
    assert mymemory(server).translate(TEXT) == ENGLISH
    assert mymemory(server, "a@b.org").translate("bir") == "a"
    assert server.mymemory_params == [{"q": TEXT, "langpair": "tr-TR|en-GB"},
                                      {"q": "bir", "langpair": "tr-TR|en-GB", "de": "a@b.org"}]


@pytest.mark.parametrize(
    ("mode", "error", "shown"),
    [("quota", Refused, "daily quota used up: MYMEMORY WARNING: YOU USED ALL AVAILABLE"),
     ("bad-pair", Refused, "HTTP 200, status 403: 'XX' IS AN INVALID TARGET LANGUAGE"),
     ("bad-email", KeyRefused, ""),
     ("429", Busy, "HTTP 429"), ("500", Busy, "HTTP 500")],
)
def test_mymemory_client_maps_its_statuses(
    server: FakeServer, mode: str, error: type[Exception], shown: str
) -> None:
    server.reset(mode)
    with pytest.raises(error) as caught:
        mymemory(server).translate("bir")
    assert str(caught.value).startswith(shown)
    if mode == "429":
        assert caught.value.retry_after == 0.0  # type: ignore[attr-defined]


def test_mymemory_client_counts_its_limit_in_utf8_bytes(server: FakeServer) -> None:
    with pytest.raises(NotValidLength):
        mymemory(server).translate("ş" * 260)  # 260 characters, 520 bytes
    assert mymemory(server).translate("ş" * 250) == "ş" * 250
    assert server.texts == ["ş" * 250]


def test_mymemory_client_falls_back_to_a_match_or_finds_none(server: FakeServer) -> None:
    server.reset("match", fail_times=1)
    assert mymemory(server).translate("bir") == "a"
    server.reset("empty")
    with pytest.raises(TranslationNotFound):
        mymemory(server).translate("bir")


@pytest.mark.parametrize("mode", ["malformed", "html"])
def test_mymemory_client_refuses_an_answer_that_is_not_json(server: FakeServer, mode: str) -> None:
    server.reset(mode)
    with pytest.raises(ValueError, match="not JSON"):
        mymemory(server).translate("bir")


@pytest.mark.parametrize("provider", ["google", "mymemory"])
def test_a_url_for_a_provider_with_a_fixed_endpoint_is_refused(provider: str) -> None:
    with pytest.raises(BitextError, match=f"the {provider} provider has a fixed endpoint"):
        MachineTranslator(provider, "tr", "en", url="http://127.0.0.1:9", env={})


def test_libre_without_a_key_sends_none_and_with_one_sends_it(server: FakeServer) -> None:
    libre(server).translate("bir")
    libre(server, env={"LIBRE_API_KEY": "s3cret"}).translate("bir")
    assert [p.get("api_key") for p in server.libre_params] == [None, "s3cret"]
    assert server.libre_params[0] == {"q": "bir", "source": "tr", "target": "en",
                                      "format": "text"}


def test_a_refused_key_stops_at_once_without_showing_the_key(server: FakeServer) -> None:
    server.api_key = "right"
    with pytest.raises(MTUnavailable) as caught:
        libre(server, env={"LIBRE_API_KEY": "wrong"}, retries=3).translate("bir")
    assert str(caught.value) == (
        f"libre at {server.url}/: refused the API key (HTTP 403); check LIBRE_API_KEY"
    )
    assert server.translations == 0  # refused before translating; no retries


def test_deepl_needs_a_key_and_sends_it_in_the_header_only(server: FakeServer) -> None:
    with pytest.raises(BitextError, match="needs an API key in the environment variable "
                                          "DEEPL_API_KEY"):
        MachineTranslator("deepl", "tr", "en", env={})
    server.api_key = "abc:fx"
    translator = MachineTranslator("deepl", "tr", "en_US", url=server.url,
                                   env={"DEEPL_API_KEY": "abc:fx"})
    assert translator.translate("önemli").text == "important"
    assert server.deepl_headers[0]["Authorization"] == "DeepL-Auth-Key abc:fx"
    assert server.texts == ["önemli"]


def test_deepl_picks_the_free_or_pro_api_from_the_key() -> None:
    free = MachineTranslator("deepl", "tr", "en", env={"DEEPL_API_KEY": "k:fx"})
    pro = MachineTranslator("deepl", "tr", "en", env={"DEEPL_API_KEY": "k"})
    assert (free.endpoint, pro.endpoint) == ("https://api-free.deepl.com", "https://api.deepl.com")


def test_libre_needs_a_server_url() -> None:
    with pytest.raises(BitextError, match="the libre provider needs a LibreTranslate server"):
        MachineTranslator("libre", "tr", "en", env={})


def test_a_language_the_provider_lacks_is_bad_input() -> None:
    with pytest.raises(BitextError) as caught:
        MachineTranslator("google", "tr", "kl", env={})
    assert str(caught.value) == "the google provider does not translate 'kl' (languages: tr -> kl)"


def test_too_long_for_mymemory_is_a_problem_with_that_text_only() -> None:
    translator = MachineTranslator("mymemory", "tr", "en", env={}, rate_limit=0)
    # bitext's client refuses it before any request (MyMemory takes 500 bytes)
    assert translator.translate("a" * 600).problem == "too long for mymemory (600 characters)"
    assert translator.answered == 0


def test_500_is_retried_with_doubling_backoff_then_given_up(server: FakeServer) -> None:
    server.reset("500")
    sleeps = Sleeps()
    translator = libre(server, retries=3, backoff=1.0, clock=sleeps.clock, sleep=sleeps.sleep)
    with pytest.raises(MTUnavailable) as caught:
        translator.translate("bir")
    assert str(caught.value) == f"libre at {server.url}/: HTTP 500 (4 attempts)"
    assert (server.translations, sleeps.pauses) == (4, [1.0, 2.0, 4.0])
    assert caught.value.answered == 0


def test_429_then_success(server: FakeServer) -> None:
    server.reset("429", fail_times=2)
    sleeps = Sleeps()
    translator = libre(server, retries=3, backoff=0.5, clock=sleeps.clock, sleep=sleeps.sleep)
    assert translator.translate("yeni metin").text == "new text"
    assert (server.translations, sleeps.pauses) == (3, [0.5, 1.0])


def test_a_slow_server_times_out_instead_of_hanging(server: FakeServer) -> None:
    server.reset("slow")
    server.slow = 30.0  # without bitext's timeout the client would wait, then succeed
    with pytest.raises(MTUnavailable) as caught:
        libre(server, timeout=0.2, retries=1).translate("bir")
    assert str(caught.value) == f"libre at {server.url}/: no answer within 0.2 s (2 attempts)"


@pytest.mark.parametrize("mode", ["malformed", "html"])
def test_an_answer_that_is_not_json_stops_the_provider(server: FakeServer, mode: str) -> None:
    server.reset(mode)
    with pytest.raises(MTUnavailable) as caught:
        libre(server).translate("bir")
    assert str(caught.value) == (f"libre at {server.url}/: its answer is not what a libre server "
                                 "sends (malformed JSON) (2 attempts)")


def test_an_unreachable_server() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    translator = MachineTranslator("libre", "tr", "en", url=f"http://127.0.0.1:{port}",
                                   env={}, retries=2, backoff=0.0)
    with pytest.raises(MTUnavailable) as caught:
        translator.translate("bir")
    assert str(caught.value) == (f"libre at http://127.0.0.1:{port}/: cannot connect "
                                 "(Connection refused) (3 attempts)")
    assert translator.sent == 3


def test_the_rate_limit_spaces_requests(server: FakeServer) -> None:
    sleeps = Sleeps()
    translator = libre(server, rate_limit=4.0, clock=sleeps.clock, sleep=sleeps.sleep)
    for _ in range(3):
        translator.translate("bir")
    assert sleeps.pauses == [0.25, 0.25]
    german = MachineTranslator("libre", "tr", "de", url=server.url, env={}, pace=translator.pace)
    german.translate("bir")  # another language, same provider: the same pace
    assert sleeps.pauses == [0.25, 0.25, 0.25]


def test_the_cache_round_trips_and_ignores_itself_in_git(tmp_path: Path) -> None:
    path = tmp_path / ".bitext" / "mt-cache.json"
    cache = TranslationCache(path, shown=".bitext/mt-cache.json")
    assert not cache.save()  # nothing to write
    cache.put("libre", "tr", "en", "Bir {1}.", "One {1}.")
    assert cache.save()
    again = TranslationCache(path, shown=".bitext/mt-cache.json")
    assert again.get("libre", "tr", "en", "Bir {1}.") == "One {1}."
    assert again.get("deepl", "tr", "en", "Bir {1}.") is None
    assert again.get("libre", "tr", "de", "Bir {1}.") is None
    assert json.loads(path.read_text(encoding="utf-8"))["translations"] == {
        "libre tr>en": {"Bir {1}.": "One {1}."}}
    assert (path.parent / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")


def test_a_broken_cache_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mt-cache.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BitextError) as caught:
        TranslationCache(path, shown=".bitext/mt-cache.json")
    assert str(caught.value) == (".bitext/mt-cache.json: not a bitext machine-translation "
                                 "cache; delete it to start afresh")


def _deep_translator_names() -> dict[str, dict[str, int]]:
    """Every name in every deep_translator module, with the identity of its value."""
    return {name: {key: id(value) for key, value in vars(module).items()}
            for name, module in sorted(sys.modules.items())
            if name == "deep_translator" or name.startswith("deep_translator.")}


class AttributeSpy:
    """Every attribute assignment to a deep-translator object, and where it came from.

    `BaseTranslator.__setattr__` is wrapped for the test only: an assignment
    made by deep-translator's own code (its constructors, its ``translate``) is
    its business and is remembered; one from anywhere else is an outsider's.
    `changed_behind_its_back` also compares each object's ``vars()`` with what
    deep-translator itself assigned, for a write to ``__dict__`` that bypasses
    ``__setattr__``.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.outsiders: list[tuple[str, str, str]] = []
        self.objects: dict[int, tuple[object, dict[str, int]]] = {}
        plain = object.__setattr__

        def spy(obj: object, name: str, value: object) -> None:
            caller = str(sys._getframe(1).f_globals.get("__name__", ""))
            if caller.split(".")[0] == "deep_translator":
                self.objects.setdefault(id(obj), (obj, {}))[1][name] = id(value)
            else:
                self.outsiders.append((type(obj).__name__, name, caller))
            plain(obj, name, value)

        monkeypatch.setattr(BaseTranslator, "__setattr__", spy)

    def changed_behind_its_back(self) -> list[str]:
        return [f"{type(obj).__name__}.{name}" for obj, assigned in self.objects.values()
                for name, value in vars(obj).items() if assigned.get(name) != id(value)]


def test_no_deep_translator_module_or_object_is_patched_even_during_a_call(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _deep_translator_names()
    spy = AttributeSpy(monkeypatch)
    during: list[dict[str, dict[str, int]]] = []
    server.on_request = lambda: during.append(_deep_translator_names())
    translator = libre(server, retries=1)
    assert translator.translate("bir").text == "a"
    assert libre(server, env={"LIBRE_API_KEY": "s3cret"}).translate("bir").text == "a"
    server.reset("500")
    with pytest.raises(MTUnavailable):
        translator.translate("bir")
    server.reset("slow")
    server.slow = 2.0
    with pytest.raises(MTUnavailable, match=r"no answer within 0\.5 s"):
        translator.translate("bir")  # builds a fresh engine after each timeout
    assert len(during) == 6
    assert all(names == before for names in during)
    for provider, target in (("google", "zh-Hant"), ("google", "pt-BR"),
                             ("mymemory", "sr-Latn"), ("mymemory", "en")):
        MachineTranslator(provider, "tr", target, env={"MYMEMORY_EMAIL": "a@b.org"})
    assert _deep_translator_names() == before
    assert spy.objects  # the spy did see deep-translator's own constructors at work
    assert spy.outsiders == []
    assert spy.changed_behind_its_back() == []


def test_the_attribute_spy_sees_an_outsider(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = AttributeSpy(monkeypatch)
    engine = MachineTranslator("google", "tr", "en", env={})._engine
    engine.target = "de"  # what the old libre() did to its LibreTranslator
    vars(engine)["_source"] = "en"
    assert spy.outsiders == [("GoogleTranslator", "target", __name__)]
    assert spy.changed_behind_its_back() == ["GoogleTranslator._source"]
