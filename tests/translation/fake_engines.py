"""A deterministic in-process translation engine for the workflow specifications.

``PhrasebookEngine`` answers from its ``phrases`` option ({segment: translation}, placeholder tags
included) and otherwise writes the text outside the tags in capitals, keeping every tag: readable
in a test ("Le pont rouvre." → "LE PONT ROUVRE."), and stable from run to run. It records each
``translate_batch`` call in ``engine.calls`` and can be told to fail (``engine.fail_with``).
"""

from __future__ import annotations

import html

from babelpress.translation.engines.base import (
    EngineError,
    TranslationEngine,
    UnsupportedLanguagePair,
    split_on_placeholders,
)


def shout(segment: str) -> str:
    return "".join(
        run if kind == "tag" else html.escape(html.unescape(run).upper(), quote=False)
        for kind, run in split_on_placeholders(segment)
    )


class PhrasebookEngine(TranslationEngine):
    name = "phrasebook"

    def __init__(self, name: str | None = None, **options):
        super().__init__(name, **options)
        self.pairs = set(options.get("pairs", ["fr-en", "en-fr", "fr-hy", "en-hy", "fr-ru", "en-ru"]))
        self.phrases: dict[str, str] = dict(options.get("phrases", {}))
        self.paid = bool(options.get("paid", False))
        self.max_segment_chars = options.get("max_segment_chars")
        self.calls: list[list[str]] = []
        self.fail_with: EngineError | None = None

    def supports(self, source: str, target: str) -> bool:
        return f"{source}-{target}" in self.pairs

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        self.calls.append(list(segments))
        if self.fail_with is not None:
            raise self.fail_with
        if not self.supports(source, target):
            raise UnsupportedLanguagePair(self.name, source, target, "Add the pair to OPTIONS['pairs'].")
        return [self.phrases.get(segment, shout(segment)) for segment in segments]


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
