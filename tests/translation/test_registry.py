"""Choosing an engine for a language pair, and living with one that is down."""

from __future__ import annotations

import pytest

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
