"""The engine of docs/engines.md, tested the way a new engine is: one test file.

A fake of its (made-up) Acme API on 127.0.0.1, the contract checks every engine passes, and a
story translated end to end with the class configured by dotted path in
BABELPRESS_TRANSLATION_ENGINES, as a newsroom would add an engine Babelpress does not ship.
"""

from __future__ import annotations

import socket

import pytest

from babelpress.newsroom.models import Article
from babelpress.translation import pipeline, registry
from babelpress.translation.engines.base import EngineError
from babelpress.translation.engines.testing import check_engine_contract, check_failure
from babelpress.translation.models import EngineUsage, MemoryEntry

from .example_engine import SOURCE, AcmeEngine
from .fake_engines import dotted
from .fake_servers import FakeService, Reply, _json_body, drop_first_tag, serve, shout

KEY = "acme-secret"


class FakeAcme(FakeService):
    """GET /pairs and POST /translate of the made-up Acme API, behind a bearer key."""

    PAIRS = [["fr", "en"], ["en", "fr"], ["fr", "ru"]]

    def handle(self, request, mode):
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return Reply(401, {"error": "bad key"})
        if (request.method, request.path) == ("GET", "/pairs"):
            return Reply(json=self.PAIRS)
        if (request.method, request.path) != ("POST", "/translate"):
            return Reply(404, {"error": "no such endpoint"})
        data, error = _json_body(request)
        if error or [data.get("from"), data.get("to")] not in self.PAIRS or not data.get("texts"):
            return Reply(400, {"error": "bad request"})
        out = [shout(text) for text in data["texts"]]
        return Reply(json=[drop_first_tag(text) for text in out] if mode == "drop_tag" else out)


@pytest.fixture
def acme():
    with serve(FakeAcme()) as service:
        yield service


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_the_example_is_the_documented_code_and_about_thirty_lines():
    assert "class AcmeEngine(TranslationEngine):" in SOURCE
    assert len([line for line in SOURCE.splitlines() if line.strip()]) <= 45


def test_the_example_honours_the_engine_contract(acme):
    check_engine_contract(
        AcmeEngine(url=acme.url, api_key=KEY), ("fr", "en"),
        unsupported=("fr", "hy"),
        unreachable=AcmeEngine(url=closed_port_url(), api_key=KEY),
    )
    check_failure(AcmeEngine(url=acme.url, api_key="wrong"), ("fr", "en"), retryable=False)


def test_a_failing_service_is_retried_later_and_a_bad_key_is_not(acme):
    acme.script("/translate", Reply(503, {"error": "busy"}))
    engine = AcmeEngine(url=acme.url, api_key=KEY)
    with pytest.raises(EngineError) as caught:
        engine.translate_batch(["bonjour"], "fr", "en")
    assert (caught.value.retryable, caught.value.status) == (True, 503)
    with pytest.raises(EngineError) as caught:
        AcmeEngine(url=acme.url, api_key="wrong").supports("fr", "en")
    assert (caught.value.retryable, caught.value.status) == (False, 401)
    assert "check the url and api_key OPTIONS" in str(caught.value) and "wrong" not in str(caught.value)


def test_a_translation_that_lost_a_tag_is_refused(acme):
    acme.script("/translate", "drop_tag")
    with pytest.raises(EngineError) as caught:
        AcmeEngine(url=acme.url, api_key=KEY).translate_batch(["Le <g1>pont</g1>"], "fr", "en")
    assert caught.value.retryable is False and "placeholder tags" in str(caught.value)


def test_configured_by_dotted_path_it_translates_a_story(acme, settings, make_story):
    settings.BABELPRESS_TRANSLATION_ENGINES = {
        "acme": {"CLASS": dotted(AcmeEngine), "OPTIONS": {"url": acme.url, "api_key": KEY}},
    }
    settings.BABELPRESS_TRANSLATION_PAIRS = {}
    settings.BABELPRESS_TRANSLATION_MONTHLY_CAPS = {"acme": 10_000}
    registry.clear_cache()
    try:
        story = make_story(["Le <a href='https://example.org/pont'>pont</a> rouvre."], language="fr",
                           headline="Le pont rouvre")
        assert registry.engine_for("fr", "en").describe() == f"acme (127.0.0.1:{acme.url.rsplit(':', 1)[1]})"
        result = pipeline.translate_article(story, "en")
    finally:
        registry.clear_cache()
    translated = Article.objects.get(translation_key=story.translation_key, language="en")
    assert result.engine == "acme" and result.engine_calls == 1
    assert translated.headline == "LE PONT ROUVRE"
    assert translated.body == '<p>LE <a href="https://example.org/pont" rel="noopener noreferrer">PONT</a> ROUVRE.</p>'
    # The href never went to Acme: the engine saw a placeholder.
    (call,) = acme.calls("/translate")
    assert call.json["texts"] == ["Le pont rouvre", "Le <g1>pont</g1> rouvre."]
    # paid = True: the characters sent are metered under the engine's configured name.
    usage = EngineUsage.objects.get(engine="acme")
    assert usage.characters == result.characters_sent == len("Le pont rouvre") + len("Le <g1>pont</g1> rouvre.")
    assert set(MemoryEntry.objects.values_list("engine", flat=True)) == {"acme"}
