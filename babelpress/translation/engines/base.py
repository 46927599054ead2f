"""The contract every translation engine fulfils."""

from __future__ import annotations

# Part of the engine contract: engines (ours and others') import these from here.
from babelpress.translation.placeholders import (  # noqa: F401
    placeholders_in,
    readable,
    segment_from_readable,
    split_on_placeholders,
)


class EngineError(Exception):
    """An engine failed. The message names the engine and says how to fix the problem.

    ``retryable`` is True for passing trouble (timeouts, 429, 5xx, engine down): the job is
    queued again with backoff. False means retrying will not help (bad key, unsupported pair,
    quota exhausted until next month ...).
    """

    def __init__(self, engine: str, message: str, *, retryable: bool = False, status: int | None = None):
        self.engine = engine
        self.retryable = retryable
        self.status = status
        super().__init__(f"[{engine}] {message}")


class UnsupportedLanguagePair(EngineError):
    def __init__(self, engine: str, source: str, target: str, hint: str = ""):
        super().__init__(engine, f"cannot translate {source} → {target}. {hint}".strip(), retryable=False)
        self.source, self.target = source, target


class TranslationEngine:
    """Base class. Subclasses set ``name`` and implement ``translate_batch`` and ``supports``.

    ``options`` is the OPTIONS dict from settings (already merged with environment overrides).
    """

    #: Short identifier stored in provenance and the translation memory (e.g. "local", "deepl").
    name: str = "engine"
    #: True for engines that cost money per character (metered, optional monthly cap).
    paid: bool = False
    #: Longest text (in characters) one segment may have; longer paragraphs are split by sentence.
    max_segment_chars: int | None = None

    def __init__(self, name: str | None = None, **options):
        if name:
            self.name = name
        self.options = options

    def supports(self, source: str, target: str) -> bool:
        """Can this engine translate ``source`` → ``target`` (ISO 639-1 codes) right now?"""
        raise NotImplementedError

    def check_supports(self, source: str, target: str) -> bool:
        """Like ``supports``, but raises a retryable EngineError when the engine cannot tell right now
        (its service is down), so that work for the pair waits instead of being dropped."""
        return self.supports(source, target)

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        """Translate each segment; returns exactly one string per input segment, in order.

        A segment is an XML fragment: text in which ``&``, ``<`` and ``>`` are escaped
        (``&amp;`` ``&lt;`` ``&gt;``), plus placeholder tags that stand for inline markup or
        protected text: paired ``<g1>…</g1>`` (a link, emphasis: its content is translated) and
        empty ``<x2/>`` (a URL, e-mail, number, glossary term, image: kept as it is). Every tag
        must come back exactly once, well nested; the text inside ``<gN>`` is translated.
        See ``placeholders_in`` below. Raises EngineError (retryable or not) on failure.
        """
        raise NotImplementedError

    def describe(self) -> str:
        """Human-readable description for admin and CLI, e.g. 'local (argos en→fr)'."""
        return self.name

