"""pipeline.adapters.mt: deep-translator's real clients against the test server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.adapters.mt import MachineTranslator, MTUnavailable, TranslationCache
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
    ("provider", "target", "engine", "codes"),
    [("google", "zh-Hant", "GoogleTranslator", ("tr", "zh-TW")),
     ("google", "pt_BR", "GoogleTranslator", ("tr", "pt")),
     ("mymemory", "pt-BR", "MyMemoryTranslator", ("tr-TR", "pt-BR")),
     ("mymemory", "zh-Hant", "MyMemoryTranslator", ("tr-TR", "zh-TW")),
     ("mymemory", "sr-Latn", "MyMemoryTranslator", ("tr-TR", "sr-Latn-RS")),
     ("libre", "pt-BR", "LibreTranslator", ("tr", "pt"))],
)
def test_web_providers_are_deep_translators_with_its_language_codes(
    provider: str, target: str, engine: str, codes: tuple[str, str]
) -> None:
    url = "http://127.0.0.1:9" if provider == "libre" else None
    translator = MachineTranslator(provider, "tr", target, url=url, env={})
    built = translator._engine
    assert type(built).__name__ == engine
    assert type(built).__module__.startswith("deep_translator.")
    assert (built.source, built.target) == codes


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
    # deep-translator refuses it before any request
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


def test_no_deep_translator_module_is_patched_even_during_a_call(server: FakeServer) -> None:
    before = _deep_translator_names()
    during: list[dict[str, dict[str, int]]] = []
    server.on_request = lambda: during.append(_deep_translator_names())
    translator = libre(server, retries=1)
    assert translator.translate("bir").text == "a"
    server.reset("500")
    with pytest.raises(MTUnavailable):
        translator.translate("bir")
    server.reset("slow")
    server.slow = 2.0
    with pytest.raises(MTUnavailable, match=r"no answer within 0\.5 s"):
        translator.translate("bir")
    assert len(during) == 5
    assert all(names == before for names in during)
    assert _deep_translator_names() == before
