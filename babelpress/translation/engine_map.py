"""The engine map: for every ordered pair of the site's content languages, which engine would
translate it and how — directly, through another language, or not at all — with the models, their
licences and whether they forbid commercial use.

The one home of that answer: ``babelpress translation doctor`` prints it, the *Translation engines*
admin page draws it as a grid (``translation/engine_page.py``), and the notice on the admin home
page and the coverage page's "no engine" cells read it through ``availability.current_map()``,
which keeps it two minutes. Engines are asked as ``registry.engine_for`` asks them (the preference
order of ``BABELPRESS_TRANSLATION_PAIRS``, an unreachable service passed over), then the chosen
engine says its steps (``TranslationEngine.route``). Speeds are measured and kept apart
(``translation/engine_speed.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from babelpress.translation import registry
from babelpress.translation.engines.base import EngineError, RouteStep
# The language the local engine goes through when a pair has no model of its own.
from babelpress.translation.engines.local import PIVOT as PIVOT_LANGUAGE, LocalEngine

#: The route kinds: one model; two or more (through another language); no engine now but one whose
#: service is down (its work waits for it); no engine at all.
DIRECT, THROUGH, WAITING, NONE = "direct", "pivot", "waiting", "none"
#: Languages the Argos Translate package index had no model for when this was written: advice names
#: the other model families (OPUS-MT, NLLB-200) for them.
NOT_IN_ARGOS_INDEX = frozenset({"hy"})


@dataclass(frozen=True)
class PairRoute:
    """How one pair would be translated now."""

    source: str
    target: str
    engine: str = ""  # the engine chosen, "" when none
    steps: tuple[RouteStep, ...] = ()
    waiting: bool = False  # no engine now, but one was unreachable: the pair's work waits for it
    passed_over: tuple[str, ...] = ()  # each engine asked first, with why it was passed over
    problem: str = ""  # the chosen engine could not say its steps (its message)

    @property
    def kind(self) -> str:
        if self.engine:
            return DIRECT if len(self.steps) <= 1 else THROUGH
        return WAITING if self.waiting else NONE

    @property
    def translatable(self) -> bool:
        return bool(self.engine)

    @property
    def via(self) -> list[str]:
        """The languages between source and target ([] for a direct route)."""
        return [step.target for step in self.steps[:-1]]

    @property
    def models(self) -> list[str]:
        return [step.model for step in self.steps if step.model]

    @property
    def non_commercial(self) -> bool:
        return any(step.non_commercial for step in self.steps)

    @property
    def key(self) -> str:
        """Names the engine and its exact steps: a speed measured for it no longer applies once a
        model is replaced (``engine_speed``)."""
        hops = "|".join(f"{s.source}>{s.target}:{s.model}" for s in self.steps)
        return f"{self.engine}|{hops}"


@dataclass(frozen=True)
class Need:
    """What would give a pair with no engine one: its own model, or the halves of a route through
    ``PIVOT_LANGUAGE`` not installed yet (empty when the pivot is not a content language)."""

    source: str
    target: str
    through: str = ""
    halves_missing: tuple[tuple[str, str], ...] = ()


@dataclass
class EngineMap:
    languages: list[str]
    pairs: dict[tuple[str, str], PairRoute] = field(default_factory=dict)

    def get(self, source: str, target: str) -> PairRoute | None:
        return self.pairs.get((source, target))

    def routes(self) -> list[PairRoute]:
        """Every pair, source by source in the order of the content languages."""
        return [self.pairs[(s, t)] for s in self.languages for t in self.languages if s != t]

    def untranslatable(self) -> list[tuple[str, str]]:
        """Pairs no engine can translate (a pair waiting for its service is not one), target by target."""
        return [(s, t) for t in self.languages for s in self.languages
                if s != t and self.pairs[(s, t)].kind == NONE]

    def unreachable_languages(self) -> list[str]:
        """Content languages no other content language can be translated into now."""
        if len(self.languages) < 2:
            return []
        return [t for t in self.languages
                if not any(self.pairs[(s, t)].translatable for s in self.languages if s != t)]

    def through_another_language(self) -> list[PairRoute]:
        return [route for route in self.routes() if route.kind == THROUGH]

    def non_commercial_models(self) -> dict[str, dict]:
        """{model: {"licence": …, "pairs": [(source, target), …]}} for models whose licence
        forbids commercial use, with the pairs they translate."""
        found: dict[str, dict] = {}
        for route in self.routes():
            for step in route.steps:
                if step.non_commercial:
                    entry = found.setdefault(step.model or route.engine, {"licence": step.licence, "pairs": []})
                    if (route.source, route.target) not in entry["pairs"]:
                        entry["pairs"].append((route.source, route.target))
        return found

    def needs(self) -> list[Need]:
        """For each pair no engine can translate, what would give it one (``Need``)."""
        result = []
        for source, target in self.untranslatable():
            through, halves = "", ()
            if PIVOT_LANGUAGE in self.languages and PIVOT_LANGUAGE not in (source, target):
                through = PIVOT_LANGUAGE
                halves = tuple(half for half in ((source, through), (through, target))
                               if not self.pairs[half].translatable)
            result.append(Need(source, target, through, halves))
        return result

    def models_to_install(self) -> list[tuple[str, str]]:
        """The fewest models that would give every pair no engine translates one: its own, or the
        halves of the way through the pivot language that are missing; a language's two
        directions side by side, in the order of the content languages."""
        wanted = set()
        for need in self.needs():
            wanted.update(need.halves_missing if need.through and need.halves_missing else [(need.source, need.target)])

        def order(pair):
            other = pair[1] if pair[0] == PIVOT_LANGUAGE else pair[0]
            rank = self.languages.index(other) if other in self.languages else len(self.languages)
            return (rank, pair[0] != PIVOT_LANGUAGE, pair)

        return sorted(wanted, key=order)

    def without_argos_models(self) -> list[str]:
        """Languages of ``models_to_install()`` the Argos Translate index has no model for."""
        codes = dict.fromkeys(code for pair in self.models_to_install() for code in pair)
        return [code for code in codes if _base(code) in NOT_IN_ARGOS_INDEX]


def _base(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def engines_or_error() -> dict:
    """The configured engines; ImproperlyConfigured saying what to fix when their settings are wrong
    (an engine's constructor refusing its OPTIONS included)."""
    try:
        return registry.configured_engines()
    except EngineError as exc:
        raise ImproperlyConfigured(f"{exc} (BABELPRESS_TRANSLATION_ENGINES)") from exc


def local_engines() -> list[str]:
    """Names of the configured engines that run installed models (what `install-model` feeds)."""
    return [name for name, engine in engines_or_error().items() if isinstance(engine, LocalEngine)]


def models_stamp() -> tuple:
    """When the local engines' model folders last changed (installing or removing a model renames
    a folder in them): a map kept by one process is stale once another process installed a model."""
    stamps = []
    for name in local_engines():
        try:
            folder = registry.configured_engines()[name].models_dir
            # The names too: two changes within one tick of the file system's clock keep its time.
            stamps.append((name, folder.stat().st_mtime_ns, tuple(sorted(os.listdir(folder)))))
        except (EngineError, OSError):
            stamps.append((name, None))
    return tuple(stamps)


def route_of(source: str, target: str) -> PairRoute:
    """How ``source`` → ``target`` would be translated now (engines asked as ``engine_for`` asks)."""
    choice = registry.choose(source, target)
    passed_over = tuple(choice.tried)
    if choice.engine is None:
        return PairRoute(source, target, waiting=bool(choice.unreachable), passed_over=passed_over)
    problem = ""
    try:
        steps = choice.engine.route(source, target)
    except EngineError as exc:
        steps, problem = None, str(exc)
    # supports() said yes: an engine that cannot name its steps still translates in one.
    return PairRoute(source, target, engine=choice.engine.name, steps=tuple(steps or [RouteStep(source, target)]),
                     passed_over=passed_over, problem=problem)


def build(languages: list[str] | None = None) -> EngineMap:
    """The map for ``languages`` (default: the content languages), asking the engines now.

    Raises ImproperlyConfigured when the engine settings are wrong (a class that does not import,
    a pair rule naming an engine that does not exist, options an engine refuses).
    """
    codes = list(languages if languages is not None else settings.BABELPRESS_CONTENT_LANGUAGES)
    engines_or_error()
    engine_map = EngineMap(codes)
    for source in codes:
        for target in codes:
            if source != target:
                engine_map.pairs[(source, target)] = route_of(source, target)
    return engine_map
