"""The engine contract as checks, for any engine's test file (docs/engines.md)::

    from babelpress.translation.engines.testing import check_engine_contract

    def test_my_engine_honours_the_contract(my_service):
        check_engine_contract(MyEngine(url=my_service.url), ("fr", "en"), unsupported=("fr", "xx"),
                              unreachable=MyEngine(url="http://127.0.0.1:9"))

Each check raises AssertionError naming the rule broken and what the engine did. The sample
segments are French; pass ``samples`` when the engine needs text in another source language.
Nothing here needs pytest or a database.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Sequence

from .base import EngineError, TermInstruction, TranslationEngine, split_on_placeholders
from .http import markup_problem

#: Segments as the segmenter makes them: placeholders paired, empty, nested, escaped text, a
#: segment with nothing to translate and a repeat. Different tags at each position, so outputs
#: given back in the wrong order are caught.
SAMPLES = (
    "Le <g1>pont</g1> de Valmont rouvre.",
    "Voir <x1/> : fish &amp; chips, R&amp;D &lt;3 &gt; 2.",
    "<g1>Vite</g1> et <g2><g3>bien</g3> fait</g2>, dit <x4/>.",
    "Une phrase sans balise.",
    "<x1/> 2024",
    "Une phrase sans balise.",
)
#: The values of ``TranslationEngine.glossary_mode``.
GLOSSARY_MODES = ("placeholders", "instructions")
#: Enough segments to cross the per-request limits of the shipped engines (20 to 50 segments).
LONG_BATCH = tuple(f"Phrase numéro <x{i}/> du jour." for i in range(1, 61))


class ContractBroken(AssertionError):
    """An engine does not do what docs/engines.md says every engine does."""


def _require(condition: bool, rule: str, detail: str = "") -> None:
    # Not `assert`: these checks must also run under python -O.
    if not condition:
        raise ContractBroken(f"{rule}{': ' + detail if detail else ''}")


def check_attributes(engine: TranslationEngine) -> None:
    """The class attributes and ``describe()`` are what the registry, the meter and the admin read."""
    _require(isinstance(engine, TranslationEngine), "an engine is a TranslationEngine subclass", type(engine).__name__)
    name = engine.name
    _require(isinstance(name, str) and 0 < len(name) <= 100 and name.strip() == name,
             "name is a short identifier (1–100 characters, stored with every translation)", repr(name))
    _require(name != "human", "name is not 'human' (the memory's mark for reviewers' edits)")
    _require(isinstance(engine.paid, bool), "paid is True or False", repr(engine.paid))
    size = engine.max_segment_chars
    _require(size is None or (isinstance(size, int) and not isinstance(size, bool) and size > 0),
             "max_segment_chars is None or a positive whole number", repr(size))
    _require(engine.glossary_mode in GLOSSARY_MODES, f"glossary_mode is one of {', '.join(GLOSSARY_MODES)}",
             repr(engine.glossary_mode))
    if engine.glossary_mode == "instructions":
        glossary = inspect.signature(engine.translate_batch).parameters.get("glossary")
        _require(glossary is not None and glossary.kind is inspect.Parameter.KEYWORD_ONLY and glossary.default is None,
                 "an engine that takes the glossary as instructions has translate_batch(segments, source, target, "
                 "*, glossary=None)")
    described = engine.describe()
    _require(isinstance(described, str) and bool(described.strip()), "describe() returns text", repr(described))


def _supports(engine: TranslationEngine, source: str, target: str):
    try:
        answer = engine.supports(source, target)
    except EngineError:
        raise
    except Exception as exc:
        raise ContractBroken(f"supports() raises EngineError or nothing: it raised {exc!r}") from exc
    _require(isinstance(answer, bool), "supports() returns True or False", f"{source}→{target} gave {answer!r}")
    return answer


def check_supports(engine: TranslationEngine, pair: tuple[str, str], unsupported: tuple[str, str] | None = None) -> None:
    """``supports`` says True for ``pair``, the same when asked again, False for a language into
    itself and for ``unsupported``; ``translate_batch`` refuses an unsupported pair for good."""
    source, target = pair
    _require(_supports(engine, source, target) is True, f"supports({source!r}, {target!r}) is True")
    _require(_supports(engine, source, target) is True, "supports() gives the same answer when asked again")
    _require(_supports(engine, source, source) is False, f"supports({source!r}, {source!r}) is False")
    if unsupported is None:
        return
    _require(_supports(engine, *unsupported) is False, f"supports{unsupported!r} is False")
    try:
        out = engine.translate_batch([SAMPLES[0]], *unsupported)
    except EngineError as exc:
        _require(exc.retryable is False, "an unsupported pair is refused with a non-retryable EngineError", str(exc))
    except Exception as exc:
        raise ContractBroken(f"an unsupported pair raises EngineError, not {exc!r}") from exc
    else:
        raise ContractBroken(f"translate_batch refuses a pair supports() says False to: it returned {out!r}")


def _check_output(segment: str, out, position: int) -> None:
    where = f"output {position} for {segment!r} is {out!r}"
    _require(isinstance(out, str), "every output is a string", where)
    problem = markup_problem(segment, out)
    _require(problem is None, "every placeholder comes back exactly once, well nested, in the same segment",
             f"{problem} in {where}")
    for kind, run in split_on_placeholders(out):
        if kind == "text":
            _require(html.escape(html.unescape(run), quote=False) == run,
                     "output text is escaped once: &amp; &lt; &gt; and nothing else", where)


def check_translate_batch(engine: TranslationEngine, pair: tuple[str, str], samples: Sequence[str] = SAMPLES) -> None:
    """One output per input, in order, every placeholder kept, text escaped; inputs left alone (an
    engine that takes instructions is given a glossary term for every other segment)."""
    source, target = pair
    empty = engine.translate_batch([], source, target)
    _require(empty == [], "an empty batch gives an empty list", repr(empty))
    for batch in (list(samples), list(LONG_BATCH)):
        sent = list(batch)
        if engine.glossary_mode == "instructions":  # a term for every other segment, as the pipeline sends them
            terms = [(TermInstruction(source="pont", target="bridge", inflect=True),) if k % 2 else ()
                     for k in range(len(sent))]
            translated = engine.translate_batch(sent, source, target, glossary=terms)
        else:
            translated = engine.translate_batch(sent, source, target)
        _require(sent == batch, "translate_batch leaves its input list unchanged")
        _require(isinstance(translated, list), "translate_batch returns a list", type(translated).__name__)
        _require(len(translated) == len(batch), "one output per input segment",
                 f"{len(translated)} outputs for {len(batch)} segments")
        for position, (segment, out) in enumerate(zip(batch, translated)):
            _check_output(segment, out, position)


def check_failure(engine: TranslationEngine, pair: tuple[str, str], *, retryable: bool) -> EngineError:
    """An engine that cannot work (service down, bad key, broken model) fails with an EngineError
    in its own name, ``retryable`` as given; ``supports`` answers or raises EngineError too."""
    source, target = pair
    try:
        out = engine.translate_batch(list(SAMPLES[:2]), source, target)
    except EngineError as exc:
        error = exc
    except Exception as exc:
        raise ContractBroken(f"failures are raised as EngineError, not {exc!r}") from exc
    else:
        raise ContractBroken(f"a failing engine raises EngineError: it returned {out!r}")
    _require(error.engine == engine.name, "the error names the engine", f"{error.engine!r} for {engine.name!r}")
    _require(error.retryable is retryable, f"this failure is {'' if retryable else 'not '}retryable", str(error))
    try:
        _supports(engine, source, target)
    except EngineError:
        pass  # "cannot tell right now" (retryable) or a misconfiguration: both are allowed
    return error


def check_engine_contract(
    engine: TranslationEngine,
    pair: tuple[str, str],
    *,
    unsupported: tuple[str, str] | None = None,
    unreachable: TranslationEngine | None = None,
    samples: Sequence[str] = SAMPLES,
) -> None:
    """Every check above: ``engine`` translates ``pair``; ``unsupported`` is a pair it cannot do;
    ``unreachable`` is the same engine configured so its service cannot be reached (its errors
    must be retryable, so the work waits for the service)."""
    check_attributes(engine)
    check_supports(engine, pair, unsupported)
    check_translate_batch(engine, pair, samples)
    if unreachable is not None:
        check_failure(unreachable, pair, retryable=True)


__all__ = [
    "GLOSSARY_MODES",
    "LONG_BATCH",
    "SAMPLES",
    "ContractBroken",
    "check_attributes",
    "check_engine_contract",
    "check_failure",
    "check_supports",
    "check_translate_batch",
]
