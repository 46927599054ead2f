"""The contract every translation engine fulfils."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class RouteStep:
    """One hop of the way an engine translates a pair: fr→hy is one step, or two through English.

    ``model`` names the installed model that makes the hop ("" for a service such as DeepL);
    ``family`` is the model family ("argos", "opus-mt", "nllb", "m2m100", "madlad"; "" for a
    service); ``licence`` is the model's licence as recorded at install ("" when unknown) and
    ``non_commercial`` is True when that licence forbids commercial use (NLLB-200's CC-BY-NC).
    """

    source: str
    target: str
    model: str = ""
    family: str = ""
    licence: str = ""
    non_commercial: bool = False


@dataclass(frozen=True)
class TermInstruction:
    """A glossary term of a segment, for an engine that takes the glossary as instructions
    (``glossary_mode = "instructions"``): translate ``source``, as the segment writes it, as
    ``target``. With ``inflect``, the term takes the form the sentence needs (``forms`` lists the
    inflected forms the glossary accepts, maybe not all of them); without, it is written exactly
    as ``target``."""

    source: str
    target: str
    forms: tuple[str, ...] = ()
    inflect: bool = False


class TranslationEngine:
    """Base class of every engine; docs/engines.md is the contract in full, with an example.

    Subclasses set ``name`` and implement ``supports`` and ``translate_batch``. ``options`` is the
    OPTIONS dict from ``BABELPRESS_TRANSLATION_ENGINES``. Check an engine with
    ``babelpress.translation.engines.testing.check_engine_contract``.
    """

    #: Short identifier stored in provenance and the translation memory (e.g. "local", "deepl").
    name: str = "engine"
    #: True for engines that cost money per character (metered, optional monthly cap).
    paid: bool = False
    #: Longest segment, in characters, the service accepts (None: no limit). The segmenter splits
    #: longer paragraphs between sentences for this engine.
    max_segment_chars: int | None = None
    #: How the glossary reaches this engine (docs/engines.md, "The glossary"; the choice per engine
    #: is in docs/decisions.md):
    #: "placeholders" — a term that never changes form is an ``<xN/>`` placeholder, put back as
    #: the glossary's form; a term that inflects (its target entry lists inflected forms or matches
    #: by stem, or the source has it in an inflected form) stays in the text for the engine to
    #: translate, and QA checks the result. "instructions" — no term is a placeholder;
    #: ``translate_batch`` is also given ``glossary=``, one tuple of ``TermInstruction`` per
    #: segment, to tell the engine (a prompt) how to translate each term; QA checks the result.
    glossary_mode: str = "placeholders"

    def __init__(self, name: str | None = None, **options):
        if name:
            self.name = name
        self.options = options

    def supports(self, source: str, target: str) -> bool:
        """Can this engine translate ``source`` → ``target`` (ISO 639-1 codes, maybe with a region)?

        True or False as far as the engine can tell now; never True for ``source == target``. When
        it cannot tell (its service is unreachable or failing), raise a *retryable* EngineError:
        the registry passes over the engine for a minute and work for the pair waits for it rather
        than being dropped. A misconfiguration (bad key, wrong URL) raises a non-retryable
        EngineError that says what to fix. Called for every language on each publish: keep it
        cheap (cache what it fetches).
        """
        raise NotImplementedError

    def translate_batch(self, segments: list[str], source: str, target: str) -> list[str]:
        """Translate each segment; returns exactly one string per input segment, in order.

        A segment is an XML fragment: text in which ``&``, ``<`` and ``>`` are escaped
        (``&amp;`` ``&lt;`` ``&gt;``), plus placeholder tags that stand for inline markup or
        protected text: paired ``<g1>…</g1>`` (a link, emphasis: its content is translated) and
        empty ``<x2/>`` (a URL, e-mail, number, glossary term, image: kept as it is). Every tag
        must come back exactly once, well nested; the text inside ``<gN>`` is translated, and
        the output text is escaped the same way. See ``placeholders_in`` below.
        An engine whose ``glossary_mode`` is "instructions" takes a keyword argument
        ``glossary``: one tuple of ``TermInstruction`` per segment (maybe empty), or None.
        Raises EngineError on failure: retryable for passing trouble, not for the rest (an
        unsupported pair raises UnsupportedLanguagePair).
        """
        raise NotImplementedError

    def route(self, source: str, target: str) -> list[RouteStep] | None:
        """How this engine would translate ``source`` → ``target``: its steps, or None when it cannot.

        Services translate every pair they support in one step; the local engine says which
        installed model makes each hop and whether it goes through English. Shown by
        ``babelpress translation doctor``, the engine map page and the coverage page's notices.
        """
        return [RouteStep(source, target)] if self.supports(source, target) else None

    def describe(self) -> str:
        """Human-readable description for admin and CLI, e.g. 'local (argos en→fr)'."""
        return self.name

