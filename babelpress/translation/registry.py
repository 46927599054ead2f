"""Which translation engines exist and which one translates a given language pair.

Engines come from ``BABELPRESS_TRANSLATION_ENGINES`` ({name: {"CLASS": path, "OPTIONS": {...}}}),
loaded once per process with import_string: a shipped engine or any TranslationEngine subclass
(docs/engines.md). ``BABELPRESS_TRANSLATION_PAIRS`` orders them per language pair; the first
engine whose ``supports()`` says True translates it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from babelpress.translation.engines.base import EngineError, TranslationEngine


@lru_cache(maxsize=None)
def configured_engines() -> dict[str, TranslationEngine]:
    engines = {}
    for name, spec in settings.BABELPRESS_TRANSLATION_ENGINES.items():
        if "CLASS" not in spec:
            raise ImproperlyConfigured(f"BABELPRESS_TRANSLATION_ENGINES[{name!r}] needs a 'CLASS' (a dotted path).")
        try:
            cls = import_string(spec["CLASS"])
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"BABELPRESS_TRANSLATION_ENGINES[{name!r}]: cannot import {spec['CLASS']!r} ({exc})."
            ) from exc
        if not (isinstance(cls, type) and issubclass(cls, TranslationEngine)):
            raise ImproperlyConfigured(
                f"BABELPRESS_TRANSLATION_ENGINES[{name!r}]: {spec['CLASS']!r} is not a subclass of "
                f"babelpress.translation.engines.base.TranslationEngine (see docs/engines.md)."
            )
        options = spec.get("OPTIONS") or {}
        if not isinstance(options, dict):
            raise ImproperlyConfigured(
                f"BABELPRESS_TRANSLATION_ENGINES[{name!r}]['OPTIONS'] must be a dict, e.g. {{\"url\": \"http://…\"}}."
            )
        engines[name] = cls(name=name, **options)
    return engines


_generation = 0


def generation() -> int:
    """Changes each time the engines are configured again: answers cached about them are stale."""
    return _generation


def clear_cache() -> None:
    global _generation
    configured_engines.cache_clear()
    _unreachable_since.clear()
    _generation += 1


def preference(source: str, target: str) -> list[str]:
    """Engine names to try for ``source``→``target``, most preferred first."""
    pairs = settings.BABELPRESS_TRANSLATION_PAIRS
    names = pairs.get(f"{source}-{target}") or pairs.get(f"{source}-*") or pairs.get(f"*-{target}") or pairs.get("*")
    return list(names or configured_engines().keys())


# Engines found unreachable, and when: asked again only after UNREACHABLE_SECONDS, so one outage
# costs one round of timeouts and retries, not one per language of every story being saved.
UNREACHABLE_SECONDS = 60
_unreachable_since: dict[str, float] = {}


@dataclass
class Choice:
    """What asking the engines about a pair found: the engine that translates it (None if none),
    each engine passed over with why ("deepl: pair not supported"), and those unreachable now."""

    engine: TranslationEngine | None
    tried: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def choose(source: str, target: str) -> Choice:
    """Ask the engines in preference order; the first whose ``supports()`` says True is chosen.

    An engine that cannot tell right now (its service is down) is passed over for the next one and
    not asked again for ``UNREACHABLE_SECONDS``. The one home of the rule: ``engine_for`` and the
    engine map (``translation/engine_map.py``) both ask here.
    """
    engines = configured_engines()
    choice = Choice(engine=None)
    for name in preference(source, target):
        engine = engines.get(name)
        if engine is None:
            raise ImproperlyConfigured(
                f"BABELPRESS_TRANSLATION_PAIRS names engine {name!r}, which is not in BABELPRESS_TRANSLATION_ENGINES."
            )
        since = _unreachable_since.get(name)
        if since is not None and time.monotonic() - since < UNREACHABLE_SECONDS:
            choice.tried.append(f"{name}: unreachable a moment ago")
            choice.unreachable.append(name)
            continue
        try:
            if engine.supports(source, target):
                _unreachable_since.pop(name, None)
                choice.engine = engine
                return choice
        except EngineError as exc:
            choice.tried.append(f"{name}: {exc}")
            if exc.retryable:
                choice.unreachable.append(name)
                _unreachable_since[name] = time.monotonic()
            continue
        choice.tried.append(f"{name}: pair not supported")
    return choice


def engine_for(source: str, target: str) -> TranslationEngine:
    """The first configured engine that supports the pair; EngineError saying what to do if none.

    If no engine can do the pair and one of them was unreachable, the error is retryable: the work
    waits for the service instead of being given up.
    """
    choice = choose(source, target)
    if choice.engine is not None:
        return choice.engine
    hint = "; ".join(choice.tried) or "no engine is configured"
    if choice.unreachable:
        raise EngineError(
            "translation",
            f"no engine can translate {source}→{target} right now ({hint}). It will be tried again.",
            retryable=True,
        )
    raise EngineError(
        "translation",
        f"no engine can translate {source}→{target} ({hint}). Install a model with "
        f"`babelpress translation install-model FILE-OR-FOLDER` or configure another engine "
        f"(see BABELPRESS_TRANSLATION_ENGINE in docs/settings.md; `babelpress translation doctor` "
        f"shows every pair).",
        retryable=False,
    )


def can_translate(source: str, target: str) -> bool:
    """True when an engine supports the pair, or may once its service answers again."""
    try:
        engine_for(source, target)
        return True
    except EngineError as exc:
        return exc.retryable
