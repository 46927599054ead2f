"""The HTTP translation engines against local fakes of their APIs (tests/translation/fake_servers.py).

Nothing leaves 127.0.0.1. Waits between retries are recorded, not slept (see ``sleeps``).
"""

from __future__ import annotations

import json
import logging
import socket
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from babelpress.translation.engines import http
from babelpress.translation.engines.base import EngineError, UnsupportedLanguagePair
from babelpress.translation.engines.deepl import DeepLEngine
from babelpress.translation.engines.libretranslate import LibreTranslateEngine
from babelpress.translation.engines.openai_compat import OpenAICompatibleEngine, parse_reply

from .fake_servers import FakeChatCompletions, FakeDeepL, FakeLibreTranslate, Hang, Reply, serve

LT_KEY = "lt-secret-key"
DEEPL_KEY = "deepl-secret-key:fx"
OPENAI_KEY = "sk-secret-key"
FAST = {"retries": 2, "backoff": 0.01, "timeout": 0.5}  # small values keep the module fast

SEGMENTS = ["Le <g1>pont</g1> rouvre.", "Voir <x2/> &amp; R&amp;D.", " et "]
SHOUTED = ["LE <g1>PONT</g1> ROUVRE.", "VOIR <x2/> &amp; R&amp;D.", " ET "]


@pytest.fixture(autouse=True)
def _local_only(monkeypatch):
    # A proxy from the environment would send 127.0.0.1 traffic elsewhere.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(http, "sleep", waits.append)
    return waits


@pytest.fixture
def libre():
    with serve(FakeLibreTranslate(api_key=LT_KEY)) as service:
        yield service


@pytest.fixture
def deepl():
    with serve(FakeDeepL(auth_key=DEEPL_KEY)) as service:
        yield service


@pytest.fixture
def chat():
    with serve(FakeChatCompletions(model="tiny-translator", api_key=OPENAI_KEY)) as service:
        yield service


def libre_engine(service, **options):
    return LibreTranslateEngine(**{"url": service.url, "api_key": LT_KEY, **FAST, **options})


def deepl_engine(service, **options):
    return DeepLEngine(**{"url": service.url, "api_key": DEEPL_KEY, **FAST, **options})


def openai_engine(service, **options):
    return OpenAICompatibleEngine(
        **{"url": service.url + "/v1", "api_key": OPENAI_KEY, "model": "tiny-translator", **FAST, **options}
    )


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- shared helper ---------------------------------------------------------------------------


def test_timeouts_are_explicit():
    assert http.build_timeout(None) == httpx.Timeout(connect=5, read=30, write=30, pool=5)
    assert http.build_timeout(0.2) == httpx.Timeout(connect=0.2, read=0.2, write=0.2, pool=0.2)
    assert http.build_timeout({"read": 60}).read == 60


def test_retry_after_accepts_seconds_and_http_dates():
    assert http.parse_retry_after("3") == 3
    soon = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 < http.parse_retry_after(soon) <= 30
    assert http.parse_retry_after("soon") is None


def test_normalise_fragment_restores_the_segment_format():
    assert http.normalise_fragment("A <x2></x2> R&D <g1 >b</ g1>") == "A <x2/> R&amp;D <g1>b</g1>"
    assert http.normalise_fragment("R&amp;D &lt;3") == "R&amp;D &lt;3"


def test_markup_problem_checks_the_multiset_and_the_nesting():
    assert http.markup_problem("<g1>a</g1> <x2/>", "<x2/> <g1>b</g1>") is None
    assert http.markup_problem("<g1>a</g1> <x2/>", "<g1>b</g1>") == "missing <x2/>"
    assert http.markup_problem("<g1>a</g1>", "</g1>b<g1>") == "badly nested </g1>"


# --- LibreTranslate --------------------------------------------------------------------------


def test_libretranslate_translates_a_batch_in_one_request(libre):
    engine = libre_engine(libre)
    assert engine.translate_batch(SEGMENTS + ["<x3/> 2024"], "fr", "en") == SHOUTED + ["<x3/> 2024"]
    (call,) = libre.calls("/translate")
    # The segment without letters is not sent anywhere.
    assert call.json == {"q": SEGMENTS, "source": "fr", "target": "en", "format": "html", "api_key": LT_KEY}
    assert call.headers["user-agent"].startswith("Babelpress/")
    assert engine.describe() == f"libretranslate (127.0.0.1:{libre.url.rsplit(':', 1)[1]})"


def test_libretranslate_supports_uses_the_cached_language_list(libre):
    engine = libre_engine(libre)
    assert engine.supports("fr", "en")
    assert engine.supports("en", "zh")  # the server spells it zh-Hans
    assert not engine.supports("fr", "hy")
    assert not engine.supports("hy", "fr")
    assert len(libre.calls("/languages")) == 1
    assert engine.translate_batch(["hello"], "en", "zh") == ["HELLO"]
    assert libre.calls("/translate")[0].json["target"] == "zh-Hans"


def test_libretranslate_language_list_expires(libre):
    engine = libre_engine(libre, languages_ttl=0)
    engine.supports("fr", "en")
    engine.supports("fr", "en")
    assert len(libre.calls("/languages")) == 2


def test_libretranslate_unsupported_pair(libre):
    with pytest.raises(UnsupportedLanguagePair) as caught:
        libre_engine(libre).translate_batch(["bonjour"], "fr", "hy")
    assert caught.value.retryable is False
    assert not libre.calls("/translate")


def test_libretranslate_dropped_markup_is_refused(libre):
    libre.script("/translate", "drop_tag")
    with pytest.raises(EngineError) as caught:
        libre_engine(libre).translate_batch(["Le <g1>pont</g1>."], "fr", "en")
    assert type(caught.value) is EngineError
    assert caught.value.retryable is False
    assert "[libretranslate]" in str(caught.value) and "engine dropped markup" in str(caught.value)
    assert "missing" in str(caught.value)


def test_libretranslate_bad_key_is_not_retried_and_names_the_setting(libre, caplog):
    caplog.set_level(logging.DEBUG)
    engine = LibreTranslateEngine(url=libre.url, api_key="wrong-key-123", **FAST)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    error = caught.value
    assert (error.retryable, error.status) == (False, 403)
    assert "BABELPRESS_LIBRETRANSLATE_API_KEY" in str(error) and "Invalid API key" in str(error)
    assert len(libre.calls("/translate")) == 1
    assert "wrong-key-123" not in str(error) and "wrong-key-123" not in caplog.text


def test_libretranslate_missing_key_says_which_setting(libre):
    engine = LibreTranslateEngine(url=libre.url, **FAST)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (False, 400)
    assert "BABELPRESS_LIBRETRANSLATE_API_KEY" in str(caught.value)


def test_libretranslate_400_shows_the_servers_message(libre):
    libre.script("/translate", Reply(400, {"error": "Invalid request: missing q parameter"}))
    with pytest.raises(EngineError) as caught:
        libre_engine(libre).translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable is False
    assert "Invalid request: missing q parameter" in str(caught.value)


def test_libretranslate_429_waits_as_told_then_succeeds(libre, sleeps):
    libre.script("/translate", Reply(429, {"error": "Slowdown: 30 per 1 minute"}, headers={"Retry-After": "2"}))
    assert libre_engine(libre).translate_batch(["bonjour"], "fr", "en") == ["BONJOUR"]
    assert len(libre.calls("/translate")) == 2
    assert sleeps == [2.0]


def test_libretranslate_5xx_is_retried_then_reported_as_retryable(libre, sleeps):
    libre.script("/translate", *[Reply(500, {"error": "Cannot translate text: boom"})] * 3)
    with pytest.raises(EngineError) as caught:
        libre_engine(libre).translate_batch(["bonjour"], "fr", "en")
    error = caught.value
    assert (error.retryable, error.status) == (True, 500)
    assert "[libretranslate]" in str(error) and "HTTP 500" in str(error) and "3 attempt" in str(error)
    assert len(libre.calls("/translate")) == 3  # retries=2
    # Exponential backoff with jitter: each wait within [ceiling/2, ceiling].
    assert 0.005 <= sleeps[0] <= 0.01 and 0.01 <= sleeps[1] <= 0.02


def test_libretranslate_hang_times_out_and_is_retryable(libre):
    libre.script("/translate", Hang(5), Hang(5))
    engine = libre_engine(libre, retries=1, timeout=0.2)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable is True and caught.value.status is None
    assert "timed out" in str(caught.value) and "timeout" in str(caught.value)
    assert len(libre.calls("/translate")) == 2


def test_libretranslate_hang_then_success(libre):
    libre.script("/translate", Hang(5))
    assert libre_engine(libre, timeout=0.2).translate_batch(["bonjour"], "fr", "en") == ["BONJOUR"]


def test_libretranslate_malformed_json(libre):
    libre.script("/translate", Reply(200, body="<html><body>Welcome to nginx!</body></html>"))
    with pytest.raises(EngineError) as caught:
        libre_engine(libre).translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable is False
    assert "malformed JSON" in str(caught.value) and "BABELPRESS_LIBRETRANSLATE_URL" in str(caught.value)


def test_libretranslate_down_is_retryable_and_names_the_url_setting():
    engine = LibreTranslateEngine(url=closed_port_url(), **FAST)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable is True
    assert "could not connect" in str(caught.value) and "BABELPRESS_LIBRETRANSLATE_URL" in str(caught.value)
    with pytest.raises(EngineError) as caught:  # it cannot tell right now: the pair waits, it is not dropped
        engine.supports("fr", "en")
    assert caught.value.retryable is True


def test_libretranslate_halves_batches_above_the_servers_limit():
    with serve(FakeLibreTranslate(batch_limit=2)) as service:
        engine = LibreTranslateEngine(url=service.url, **FAST)
        assert engine.translate_batch(["un", "deux", "trois"], "fr", "en") == ["UN", "DEUX", "TROIS"]
        assert [len(c.json["q"]) for c in service.calls("/translate")] == [3, 1, 2]


# --- DeepL -----------------------------------------------------------------------------------


def test_deepl_request_shape(deepl):
    engine = deepl_engine(deepl)
    assert engine.translate_batch(SEGMENTS, "fr", "en") == SHOUTED
    (call,) = deepl.calls("/v2/translate")
    assert call.headers["authorization"] == f"DeepL-Auth-Key {DEEPL_KEY}"
    assert call.json == {
        "text": SEGMENTS,
        "source_lang": "FR",
        "target_lang": "EN-US",
        "tag_handling": "xml",
        "non_splitting_tags": ["g1"],
        "ignore_tags": ["x2"],
    }


def test_deepl_variants_and_formality(deepl):
    engine = deepl_engine(deepl, english_variant="en-gb", portuguese_variant="PT-BR", formality="less")
    engine.translate_batch(["bonjour"], "fr", "en")
    engine.translate_batch(["bonjour"], "fr", "pt")
    first, second = deepl.calls("/v2/translate")
    assert (first.json["target_lang"], second.json["target_lang"]) == ("EN-GB", "PT-BR")
    assert first.json["formality"] == "prefer_less"  # never a 400 for languages without formality


def test_deepl_default_endpoint_follows_the_key():
    assert DeepLEngine(api_key="abc:fx").describe() == "deepl (api-free.deepl.com)"
    assert DeepLEngine(api_key="abc").describe() == "deepl (api.deepl.com)"


def test_deepl_batches_at_most_50_texts(deepl):
    segments = [f"phrase {i}" for i in range(120)]
    assert deepl_engine(deepl).translate_batch(segments, "fr", "en") == [s.upper() for s in segments]
    assert [len(c.json["text"]) for c in deepl.calls("/v2/translate")] == [50, 50, 20]


def test_deepl_413_splits_the_batch():
    with serve(FakeDeepL(auth_key=DEEPL_KEY, max_body_bytes=400)) as service:
        segments = [f"phrase numéro {i} " * 3 for i in range(8)]
        engine = deepl_engine(service)
        assert engine.translate_batch(segments, "fr", "en") == [s.upper() for s in segments]
        sizes = [len(c.json["text"]) for c in service.calls("/v2/translate")]
        assert sizes[0] == 8 and sum(sizes) > 8
        assert len(service.calls("/v2/translate")) < 16


def test_deepl_quota_exceeded_is_not_retryable(deepl):
    deepl.script("/v2/translate", Reply(456, {"message": "Quota exceeded"}))
    with pytest.raises(EngineError) as caught:
        deepl_engine(deepl).translate_batch(["bonjour"], "fr", "en")
    error = caught.value
    assert (error.retryable, error.status) == (False, 456)
    assert "[deepl]" in str(error) and "quota" in str(error) and "billing period" in str(error)
    assert len(deepl.calls("/v2/translate")) == 1


def test_deepl_bad_key(deepl, caplog):
    caplog.set_level(logging.DEBUG)
    engine = DeepLEngine(url=deepl.url, api_key="not-the-key", **FAST)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (False, 403)
    assert "check BABELPRESS_DEEPL_API_KEY" in str(caught.value)
    assert "not-the-key" not in str(caught.value) and "not-the-key" not in caplog.text
    with pytest.raises(EngineError):  # a bad key is a configuration error, not "unsupported"
        engine.supports("fr", "en")


@pytest.mark.parametrize("status", [429, 500, 503, 529])
def test_deepl_retries_passing_trouble(deepl, status, sleeps):
    deepl.script("/v2/translate", Reply(status, {"message": "Too many requests"}, headers={"Retry-After": "1"}))
    assert deepl_engine(deepl).translate_batch(["bonjour"], "fr", "en") == ["BONJOUR"]
    assert len(deepl.calls("/v2/translate")) == 2
    assert sleeps == [1.0]


def test_deepl_gives_up_when_retry_after_is_too_long(deepl, sleeps):
    deepl.script("/v2/translate", Reply(429, {"message": "Too many requests"}, headers={"Retry-After": "3600"}))
    with pytest.raises(EngineError) as caught:
        deepl_engine(deepl).translate_batch(["bonjour"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (True, 429)
    assert sleeps == [] and len(deepl.calls("/v2/translate")) == 1


@pytest.mark.parametrize("retry_after", ["²", "-5", "Thu, 01 Jan 99999 00:00:00 GMT", "garbage", "NaN"])
def test_a_hostile_retry_after_falls_back_to_the_engines_own_backoff(deepl, sleeps, retry_after):
    deepl.script("/v2/translate", Reply(429, {"message": "Too many requests"}, headers={"Retry-After": retry_after}))
    assert deepl_engine(deepl).translate_batch(["bonjour"], "fr", "en") == ["BONJOUR"]
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= FAST["backoff"]  # "-5" means "now"; the rest: backoff


@pytest.mark.parametrize("retry_after", ["100000000000000000", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_huge_retry_after_is_clamped_and_the_job_retried_later(deepl, sleeps, retry_after):
    deepl.script("/v2/translate", Reply(429, {"message": "Too many requests"}, headers={"Retry-After": retry_after}))
    with pytest.raises(EngineError) as caught:
        deepl_engine(deepl).translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable and "asks to wait 86400 s (more than max_retry_after=60 s)" in str(caught.value)
    assert sleeps == []


def test_deepl_400_and_dropped_markup(deepl):
    deepl.script("/v2/translate", Reply(400, {"message": "Value for 'target_lang' not supported."}), "drop_tag")
    engine = deepl_engine(deepl)
    with pytest.raises(EngineError, match="target_lang") as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert caught.value.retryable is False
    with pytest.raises(EngineError, match="engine dropped markup"):
        engine.translate_batch(["le <g1>pont</g1>"], "fr", "en")


def test_deepl_supports_reads_both_language_lists_once(deepl):
    engine = deepl_engine(deepl)
    assert engine.supports("fr", "en") and engine.supports("en", "pt") and engine.supports("en", "zh")
    assert not engine.supports("fr", "hy") and not engine.supports("en", "en")
    calls = deepl.calls("/v2/languages")
    assert sorted(c.query["type"][0] for c in calls) == ["source", "target"]


# --- OpenAI-compatible -----------------------------------------------------------------------


def test_openai_request_shape_and_answer(chat):
    engine = openai_engine(chat)
    assert engine.translate_batch(SEGMENTS, "fr", "hy") == SHOUTED
    (call,) = chat.calls(FakeChatCompletions.PATH)
    body = call.json
    assert call.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert body["model"] == "tiny-translator" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and "from French to Armenian" in system["content"]
    assert "<g1>" in system["content"] and "<x2/>" in system["content"] and "exactly 3 strings" in system["content"]
    assert user == {"role": "user", "content": '["Le <g1>pont</g1> rouvre.", "Voir <x2/> &amp; R&amp;D.", " et "]'}
    assert engine.describe() == f"openai (tiny-translator @ {chat.url.removeprefix('http://')})"


@pytest.mark.parametrize("mode", ["fenced", "prose", "think"])
def test_openai_tolerates_wrapping_around_the_json(chat, mode):
    chat.script(FakeChatCompletions.PATH, mode)
    translated = openai_engine(chat).translate_batch(["bonjour", "le <g1>pont</g1>"], "fr", "en")
    assert translated == ["BONJOUR", "LE <g1>PONT</g1>"]
    assert len(chat.calls()) == 1


def test_openai_wrong_count_gets_one_correction(chat):
    chat.script(FakeChatCompletions.PATH, "wrong_count")
    assert openai_engine(chat).translate_batch(["un", "deux"], "fr", "en") == ["UN", "DEUX"]
    first, second = chat.calls()
    messages = second.json["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "expected 2 translations, got 1" in messages[3]["content"]


def test_openai_falls_back_to_one_segment_at_a_time(chat):
    chat.script(FakeChatCompletions.PATH, "drop_tag", "drop_tag")
    segments = ["le <g1>pont</g1>", "la <g2>rue</g2>", "sans balise"]
    translated = openai_engine(chat).translate_batch(segments, "fr", "en")
    assert translated == ["LE <g1>PONT</g1>", "LA <g2>RUE</g2>", "SANS BALISE"]
    calls = chat.calls()
    # Two batch attempts, then only the two segments that lost their tags, alone.
    assert len(calls) == 4
    assert [c.json["messages"][1]["content"] for c in calls[2:]] == ['["le <g1>pont</g1>"]', '["la <g2>rue</g2>"]']


def test_openai_gives_up_when_the_model_never_complies(chat):
    chat.script(FakeChatCompletions.PATH, "not_json", "not_json", "not_json")
    with pytest.raises(EngineError) as caught:
        openai_engine(chat).translate_batch(["un", "deux"], "fr", "en")
    assert caught.value.retryable is False
    assert "[openai] model did not follow the translation format" in str(caught.value)
    assert len(chat.calls()) == 3


def test_openai_chunks_requests(chat):
    segments = [f"phrase {i}" for i in range(45)]
    assert openai_engine(chat).translate_batch(segments, "fr", "en") == [s.upper() for s in segments]
    assert [len(json.loads(c.json["messages"][1]["content"])) for c in chat.calls()] == [20, 20, 5]


def test_openai_bad_key_and_unknown_model(chat, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(EngineError) as caught:
        openai_engine(chat, api_key="sk-wrong").translate_batch(["un"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (False, 401)
    assert "BABELPRESS_OPENAI_API_KEY" in str(caught.value) and "sk-wrong" not in caplog.text
    with pytest.raises(EngineError) as caught:
        openai_engine(chat, model="missing-model").translate_batch(["un"], "fr", "en")
    assert caught.value.status == 404 and "BABELPRESS_OPENAI_MODEL" in str(caught.value)


def test_openai_server_errors_are_retried(chat, sleeps):
    chat.script(FakeChatCompletions.PATH, Reply(503, {"error": {"message": "Loading model"}}), Hang(5))
    assert openai_engine(chat, timeout=0.2).translate_batch(["un"], "fr", "en") == ["UN"]
    assert len(chat.calls()) == 3 and len(sleeps) == 2


def test_openai_supports_configured_languages():
    engine = OpenAICompatibleEngine(url="http://127.0.0.1:9/v1", model="m")
    assert engine.supports("fr", "hy") and engine.supports("ar", "ru")
    assert not engine.supports("fr", "fr") and not engine.supports("fr", "xx")
    narrow = OpenAICompatibleEngine(url="http://127.0.0.1:9/v1", model="m", languages="fr, en")
    assert narrow.supports("en", "fr") and not narrow.supports("fr", "hy")
    with pytest.raises(UnsupportedLanguagePair):
        narrow.translate_batch(["bonjour"], "fr", "hy")


def test_deepl_glossary_from_options(deepl):
    # A glossary the operator keeps in the DeepL account, made there beforehand.
    made = httpx.post(
        deepl.url + "/v2/glossaries",
        headers={"Authorization": f"DeepL-Auth-Key {DEEPL_KEY}"},
        json={"name": "newsroom", "source_lang": "fr", "target_lang": "en", "entries": "maire\tmayor",
              "entries_format": "tsv"},
    )
    glossary_id = made.json()["glossary_id"]
    engine = deepl_engine(deepl, glossaries={"fr-en": glossary_id})
    assert engine.translate_batch(["le maire"], "fr", "en") == ["LE mayor"]
    assert deepl.calls("/v2/translate")[-1].json["glossary_id"] == glossary_id
    deepl.glossaries.clear()
    with pytest.raises(EngineError) as caught:  # a configured id that is gone needs a person
        engine.translate_batch(["le maire"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (False, 404)
    assert "'glossaries' option" in str(caught.value)


def test_parse_reply():
    assert parse_reply('{"translations": ["a", "b"]}', 2) == ["a", "b"]
    assert parse_reply('```json\n{"translations": ["a"]}\n```', 1) == ["a"]
    assert parse_reply('Voici {"x": 1} puis {"translations": ["a"]} fin', 1) == ["a"]
    with pytest.raises(ValueError, match="expected 2 translations, got 1"):
        parse_reply('{"translations": ["a"]}', 2)
    with pytest.raises(ValueError, match="not JSON"):
        parse_reply("Je ne peux pas.", 1)


def test_an_openai_compatible_engine_is_metered_only_when_said_to_be_paid():
    from babelpress.translation.engines.openai_compat import OpenAICompatibleEngine

    local = OpenAICompatibleEngine(url="http://127.0.0.1:9/v1", model="m")
    hosted = OpenAICompatibleEngine(url="http://127.0.0.1:9/v1", model="m", paid="true")
    assert (local.paid, hosted.paid) == (False, True)
