"""Which installed model translates a pair, when several could.

1. the operator's choice for the pair: the local engine's OPTIONS ``MODELS`` ({"en-hy": "name"}),
   else ``babelpress translation prefer en-hy NAME`` (``preferences.json`` in the models folder);
2. a bilingual model made for exactly that pair (Argos before OPUS-MT, then by name);
3. a multilingual model that knows both languages (one step, no pivot), models free for
   commercial use before non-commercial ones (NLLB-200), then by name;
4. two steps through English, each step chosen the same way.

A choice that names a model that is not installed, or that does not serve the pair, is passed over
(with a warning in the log; ``list-models`` shows it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from babelpress.translation.model_store import LocalModel

logger = logging.getLogger(__name__)

PIVOT = "en"
_BILINGUAL_ORDER = {"argos": 0, "opus-mt": 1}
_warned: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Hop:
    """One model call of a translation: ``model`` translates ``source`` → ``target``."""

    model: LocalModel
    source: str
    target: str

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"

    @property
    def sentencepiece_path(self) -> Path:
        return self.model.source_spm_path


def candidates(models: list[LocalModel], source: str, target: str) -> list[LocalModel]:
    """Every model that serves source→target directly, in the default order (no operator choice)."""
    serving = [m for m in models if m.serves(source, target)]
    bilingual = sorted((m for m in serving if not m.multilingual),
                       key=lambda m: (_BILINGUAL_ORDER.get(m.family, 9), m.name))
    multilingual = sorted((m for m in serving if m.multilingual), key=lambda m: (m.non_commercial, m.name))
    return bilingual + multilingual


def direct(models: list[LocalModel], source: str, target: str, choices: dict[str, str]) -> LocalModel | None:
    """The model for one direct step, honouring the operator's choice."""
    found = candidates(models, source, target)
    chosen = choices.get(f"{source}-{target}")
    if chosen:
        for model in found:
            if model.name == chosen:
                return model
        if (chosen, f"{source}-{target}") in _warned:
            return found[0] if found else None
        _warned.add((chosen, f"{source}-{target}"))
        logger.warning(
            "local engine: %s is chosen for %s→%s but %s; using the default order. Install it, or change the "
            "choice with `babelpress translation prefer %s-%s MODEL` (or the engine's OPTIONS MODELS).",
            chosen, source, target,
            "does not serve that pair" if any(m.name == chosen for m in models) else "is not installed",
            source, target,
        )
    return found[0] if found else None


def hops(models: list[LocalModel], source: str, target: str, choices: dict[str, str]) -> list[Hop] | None:
    """The model calls that translate source→target: one, two through English, or None."""
    if source == target:
        return None
    model = direct(models, source, target, choices)
    if model:
        return [Hop(model, source, target)]
    if PIVOT in (source, target):
        return None
    first, second = direct(models, source, PIVOT, choices), direct(models, PIVOT, target, choices)
    return [Hop(first, source, PIVOT), Hop(second, PIVOT, target)] if first and second else None


def chosen_by(choices: dict[str, str], model: LocalModel, models: list[LocalModel], among=None) -> list[str]:
    """The pairs ("en-hy") this model is used for, directly, among the languages ``among``."""
    return [f"{s}-{t}" for s, t in model.served_pairs(among) if direct(models, s, t, choices) is model]


def merged_choices(preferences: dict[str, str], options: dict[str, str] | None) -> dict[str, str]:
    """The operator's choices: the engine's OPTIONS MODELS win over ``prefer``."""
    return {**preferences, **(options or {})}
