"""What ``babelpress translation install-model | list-models | remove-model | prefer`` print.

Each function takes the folder and the operator's current choices and returns the lines to print,
so the management command stays a thin parser and the wording lives in one place.
"""

from __future__ import annotations

from babelpress.translation import model_choice, model_store
from babelpress.translation.model_store import LocalModel, describe_reach

PREFER_HINT = "babelpress translation prefer {pair} {name}"


def current_choices(models_dir) -> dict[str, str]:
    """{"en-hy": model name} the local engine follows: `prefer` choices, overridden by its OPTIONS."""
    from babelpress.translation import model_store

    return {**model_store.read_preferences(models_dir), **local_engine_choices()}


def local_engine_choices() -> dict[str, str]:
    """The configured local engine's OPTIONS models ({"en-hy": name}), if there is such an engine."""
    from babelpress.translation import registry
    from babelpress.translation.engines.local import LocalEngine

    try:
        engines = registry.configured_engines().values()
    except Exception:
        engines = []
    for engine in engines:
        if isinstance(engine, LocalEngine):
            return engine.model_choices
    return {}


def _arrow(pair: str | tuple[str, str]) -> str:
    return "→".join(pair.split("-") if isinstance(pair, str) else pair)


def _licence(model: LocalModel) -> str:
    licence = model.licence or "licence unknown"
    return f"{licence} (non-commercial use only)" if model.non_commercial else licence


def installed_lines(model: LocalModel, models: list[LocalModel], choices: dict[str, str], site: list[str] | None):
    """What ``install-model`` says about a model it just installed."""
    among = None if site is None else sorted(set(site) | {"en"})
    version = f", version {model.version}" if model.version else ""
    lines = [f"Installed {model.name}: {model.kind.label}, {describe_reach(model, among)}, "
             f"licence {model.licence or 'unknown'}{version}, in {model.path}."]
    if model.non_commercial:
        lines.append(
            f"Non-commercial: {model.licence} allows no commercial use of {model.name}'s translations. If your "
            "publication earns money (sales, subscriptions, advertising), translate with another model: install "
            f"one and choose it per pair (`{PREFER_HINT.format(pair='en-hy', name='MODEL')}`), or remove this one."
        )
    return lines + overlap_lines(model, models, choices, among)


def overlap_lines(model: LocalModel, models: list[LocalModel], choices: dict[str, str], among) -> list[str]:
    """For pairs another installed model also serves: which one is used, and how to choose."""
    kept: dict[str, list[str]] = {}
    taken: dict[str, list[str]] = {}
    for s, t in model.served_pairs(among):
        others = [m for m in model_choice.candidates(models, s, t) if m.name != model.name]
        if not others:
            continue
        used = model_choice.direct(models, s, t, choices)
        if used is not None and used.name != model.name:
            kept.setdefault(used.name, []).append(f"{s}-{t}")
        else:
            taken.setdefault(others[0].name, []).append(f"{s}-{t}")
    lines = []
    for other, pairs in kept.items():
        lines.append(
            f"{', '.join(map(_arrow, pairs))}: also served by {other}, which stays in use. To use {model.name} "
            f"instead: `{PREFER_HINT.format(pair=pairs[0], name=model.name)}`" + (" (per pair)." if len(pairs) > 1
                                                                                 else ".")
        )
    for other, pairs in taken.items():
        lines.append(
            f"{', '.join(map(_arrow, pairs))}: {model.name} is used now instead of {other}. To keep {other}: "
            f"`{PREFER_HINT.format(pair=pairs[0], name=other)}`" + (" (per pair)." if len(pairs) > 1 else ".")
        )
    return lines


def list_lines(models: list[LocalModel], choices: dict[str, str], preferences: dict[str, str],
               site: list[str] | None) -> list[str]:
    """What ``list-models`` prints: one line per model, then the pairs it is used for."""
    among = None if site is None else sorted(set(site) | {"en"})
    lines = []
    for model in models:
        version = f"  version {model.version}" if model.version else ""
        lines.append(f"{model.name}  {model.family}  {describe_reach(model, among)}  {_licence(model)}{version}  "
                     f"{model.size / 1e6:.1f} MB  {model.path}")
        used = model_choice.chosen_by(choices, model, models, among)
        if used:
            marked = [f"{_arrow(p)} (chosen)" if choices.get(p) == model.name else _arrow(p) for p in used]
            lines.append(f"    used for: {', '.join(marked)}")
    names = {m.name for m in models}
    for pair, name in sorted(choices.items()):
        if name not in names:
            lines.append(f"Choice for {_arrow(pair)}: {name} is not installed, so the default order applies. "
                         f"Install it, or forget the choice: `babelpress translation prefer {pair} --clear`.")
    overridden = {p: n for p, n in preferences.items() if choices.get(p) != n}
    for pair, name in sorted(overridden.items()):
        lines.append(f"Your choice of {name} for {_arrow(pair)} is overridden by the local engine's OPTIONS "
                     f"MODELS, which chooses {choices[pair]}.")
    return lines


def prefer_lines(source: str, target: str, name: str | None, models: list[LocalModel], choices: dict[str, str],
                 options: dict[str, str]) -> list[str]:
    pair = f"{source}-{target}"
    lines = []
    if name is None:
        lines.append(f"Forgot the choice for {source}→{target}.")
    if pair in options and options[pair] != name:
        lines.append(f"Note: the local engine's OPTIONS MODELS choose {options[pair]} for {source}→{target}, "
                     "which wins over `prefer`; change it in BABELPRESS_TRANSLATION_ENGINES or BABELPRESS_LOCAL_MODELS.")
    hops = model_choice.hops(models, source, target, choices)
    if hops is None:
        lines.append(f"No installed model translates {source}→{target} now.")
    elif len(hops) == 1:
        lines.append(f"{source}→{target} is translated by {hops[0].model.name} ({hops[0].model.family}).")
    else:
        route = ", then ".join(f"{h.model.name} ({h.model.family}) for {h.source}→{h.target}" for h in hops)
        lines.append(f"{source}→{target} is translated through English: {route}.")
    return lines
