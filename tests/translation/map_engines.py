"""Engines for the engine-map specifications (test_engine_map.py, test_doctor.py, test_engine_page.py).

``RoutedEngine`` translates the pairs of its ``routes`` option, each with the steps given
(``"hy-fr": [("hy", "en", "opus-hy-en", "opus-mt", "Apache-2.0", False), …]``), and moves the shared
``CLOCK`` forward ``seconds_per_call`` at each call, so a speed is measured without sleeping.
``DownEngine`` cannot be reached; ``RefusingEngine`` says it supports every pair, then refuses
every call, as a service with a bad key does.
"""

from __future__ import annotations

from babelpress.translation.engines.base import EngineError, RouteStep, TranslationEngine

from .fake_engines import shout


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


class RoutedEngine(TranslationEngine):
    name = "routed"

    def __init__(self, name=None, **options):
        super().__init__(name, **options)
        self.routes = {pair: [RouteStep(*step) for step in steps] for pair, steps in options.get("routes", {}).items()}
        self.seconds_per_call = float(options.get("seconds_per_call", 0.5))
        self.calls: list[tuple[str, str, int]] = []

    def supports(self, source, target):
        return f"{source}-{target}" in self.routes

    def route(self, source, target):
        return self.routes.get(f"{source}-{target}")

    def translate_batch(self, segments, source, target):
        self.calls.append((source, target, len(segments)))
        CLOCK.now += self.seconds_per_call
        return [shout(segment) for segment in segments]


class DownEngine(TranslationEngine):
    name = "down"

    def supports(self, source, target):
        raise EngineError(self.name, "cannot connect to http://127.0.0.1:9 (connection refused): is it running?",
                          retryable=True)

    def translate_batch(self, segments, source, target):
        raise EngineError(self.name, "cannot connect", retryable=True)


class RefusingEngine(TranslationEngine):
    name = "refusing"

    def supports(self, source, target):
        return source != target

    def translate_batch(self, segments, source, target):
        raise EngineError(self.name, "the service refused the key (HTTP 403): set BABELPRESS_REFUSING_KEY.")


def step(source, target, model="", family="", licence="", non_commercial=False):
    return (source, target, model, family, licence, non_commercial)
