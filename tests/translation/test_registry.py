"""Choosing an engine for a language pair, and living with one that is down."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from babelpress.translation import registry
from babelpress.translation.engines.base import EngineError, TranslationEngine


class DownEngine(TranslationEngine):
    name = "down"

    def __init__(self):
        super().__init__()
        self.asked = 0

    def supports(self, source, target):
        self.asked += 1
        raise EngineError(self.name, "connection refused", retryable=True)


class LocalOnlyFrEn(TranslationEngine):
    name = "frEn"

    def supports(self, source, target):
        return (source, target) == ("fr", "en")


@pytest.fixture
def engines(monkeypatch, settings):
    settings.BABELPRESS_TRANSLATION_PAIRS = {}
    found = {"down": DownEngine(), "frEn": LocalOnlyFrEn()}
    registry.clear_cache()
    monkeypatch.setattr(registry, "configured_engines", lambda: found)
    yield found
    registry._unreachable_since.clear()  # the real engines come back with monkeypatch's undo


def test_the_first_engine_that_supports_the_pair_translates_it(engines):
    assert registry.engine_for("fr", "en") is engines["frEn"]


def test_an_unreachable_engine_makes_the_pair_wait_rather_than_fail(engines):
    with pytest.raises(EngineError) as caught:
        registry.engine_for("ru", "hy")
    assert caught.value.retryable and "right now" in str(caught.value)
    assert registry.can_translate("ru", "hy")  # worth queuing: the service may come back


def test_an_outage_is_asked_about_once_a_minute_not_once_per_language(engines):
    for target in ("en", "hy", "ru"):
        registry.can_translate("fr", target)
        registry.can_translate("en", target)
    assert engines["down"].asked == 1


class NotAnEngine:
    def __init__(self, name=None, **options):
        pass


@pytest.mark.parametrize("spec, message", [
    ({"OPTIONS": {}}, "needs a 'CLASS'"),
    ({"CLASS": "babelpress.translation.engines.nowhere.Engine"}, "cannot import"),
    ({"CLASS": f"{__name__}.NotAnEngine"}, "is not a subclass of babelpress.translation.engines.base.TranslationEngine"),
    ({"CLASS": f"{__name__}.LocalOnlyFrEn", "OPTIONS": "url=http://x"}, "'OPTIONS'] must be a dict"),
])
def test_a_misconfigured_engine_says_what_is_wrong(settings, spec, message):
    settings.BABELPRESS_TRANSLATION_ENGINES = {"mine": spec}
    registry.clear_cache()
    try:
        with pytest.raises(ImproperlyConfigured, match=message):
            registry.configured_engines()
    finally:
        registry.clear_cache()


def test_an_engine_class_of_ones_own_is_built_with_its_name_and_options(settings):
    settings.BABELPRESS_TRANSLATION_ENGINES = {"mine": {"CLASS": f"{__name__}.LocalOnlyFrEn", "OPTIONS": {"x": 1}}}
    registry.clear_cache()
    try:
        engine = registry.configured_engines()["mine"]
    finally:
        registry.clear_cache()
    assert isinstance(engine, LocalOnlyFrEn) and engine.name == "mine" and engine.options == {"x": 1}
